package org.irfuse.nn.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * The one place a run's settings are put together, for every stage: the built-in defaults of its config class,
 * then a {@code --config} file (YAML or JSON; keys are the option names, kebab or camel case), then the options
 * given on the command line, which win. The result is saved with the run as {@code config.json}
 * ({@link TrainingSession#open}). On {@code --resume} the run's {@code config.json} takes the place of the
 * defaults — the run continues with the settings it was started with, without repeating them — and a setting the
 * file or the command line gives that differs from the run's is refused, naming the option (except the ones that do
 * not enter the parameters: {@link TrainingSession#MAY_CHANGE_ON_RESUME}).
 */
public final class RunConfig {
    private static final Gson GSON = new GsonBuilder().create();

    private RunConfig() {
    }

    /** The settings of a {@code --config} file as a JSON object (YAML unless the name ends in .json). */
    public static JsonObject readFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": config file not found");
        }
        String text = Files.readString(file);
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        Object parsed;
        try {
            parsed = json ? JsonParser.parseString(text) : new Yaml().load(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not valid " + (json ? "JSON" : "YAML") + " ("
                    + e.getMessage() + ")");
        }
        if (parsed == null) {
            return new JsonObject();
        }
        JsonElement tree = parsed instanceof JsonElement j ? j : GSON.toJsonTree(parsed);
        if (!tree.isJsonObject()) {
            throw new IllegalArgumentException(file + ": expected a mapping of settings");
        }
        return tree.getAsJsonObject();
    }

    /**
     * The stage of a run: the {@code --stage} option, else the file's {@code stage}, else (resuming) the run's,
     * else {@code fallback}.
     */
    public static String stage(String option, JsonObject fromFile, RunFolder resumeFrom, String fallback)
            throws IOException {
        if (option != null) {
            return option.toLowerCase(Locale.ROOT);
        }
        if (fromFile.has("stage")) {
            return fromFile.get("stage").getAsString().toLowerCase(Locale.ROOT);
        }
        JsonObject run = resumeFrom == null ? null : saved(resumeFrom);
        if (run != null && run.has("stage")) {
            return run.get("stage").getAsString();
        }
        return fallback;
    }

    /**
     * Layers the settings of one stage.
     *
     * @param type the stage's config class (public fields; its defaults are the first layer)
     * @param stage written into the result's {@code stage}
     * @param fromFile the {@code --config} file's settings (empty when none)
     * @param file the file, for messages (null when none)
     * @param options the options given on the command line, by field name
     * @param resumeFrom the run folder when resuming (its config.json replaces the defaults), else null
     * @throws IllegalArgumentException naming an unknown setting, an option of another stage, or each option that
     *     conflicts with the run being resumed
     */
    public static <T> T layer(Class<T> type, String stage, JsonObject fromFile, Path file,
            Map<String, Object> options, RunFolder resumeFrom) throws IOException {
        JsonObject merged = new JsonObject();
        JsonObject saved = resumeFrom == null ? null : saved(resumeFrom);
        if (saved != null) {
            for (Map.Entry<String, JsonElement> e : saved.entrySet()) {
                // Settings of older versions that no longer exist are dropped (the run fits without them).
                if (hasField(type, e.getKey())) {
                    merged.add(e.getKey(), e.getValue());
                }
            }
        }
        List<String> conflicts = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : fromFile.entrySet()) {
            String key = camel(e.getKey());
            if (!hasField(type, key)) {
                throw new IllegalArgumentException(file + ": unknown setting '" + e.getKey() + "' for this stage");
            }
            put(merged, saved, key, e.getValue(), file + ": " + e.getKey(), conflicts);
        }
        for (Map.Entry<String, Object> e : options.entrySet()) {
            if (!hasField(type, e.getKey())) {
                throw new IllegalArgumentException("option --" + kebab(e.getKey()) + " does not apply to this stage"
                        + (e.getKey().equals("data") ? " (bilevel needs labels: --synthetic N, --msrs-weak DIR or "
                        + "--seg-data ROOT[:SPLIT])" : ""));
            }
            put(merged, saved, e.getKey(), GSON.toJsonTree(e.getValue()), "--" + kebab(e.getKey()), conflicts);
        }
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException(resumeFrom.dir() + ": cannot resume with other settings than the "
                    + "run's (" + String.join(", ", conflicts) + "); leave them out to continue with the settings of "
                    + resumeFrom.config() + ", or start a new run folder");
        }
        merged.addProperty("stage", stage);
        try {
            return GSON.fromJson(merged, type);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad setting: " + e.getMessage());
        }
    }

    private static void put(JsonObject merged, JsonObject saved, String key, JsonElement value, String source,
            List<String> conflicts) {
        if (saved != null && saved.has(key) && !TrainingSession.MAY_CHANGE_ON_RESUME.contains(key)
                && !saved.get(key).equals(value)) {
            conflicts.add(source + " " + saved.get(key) + " -> " + value);
        }
        merged.add(key, value);
    }

    /** The run's saved config.json, or null when the folder holds no run. */
    private static JsonObject saved(RunFolder run) throws IOException {
        if (!Files.isRegularFile(run.config())) {
            return null;
        }
        try {
            return JsonParser.parseString(Files.readString(run.config())).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(run.config() + ": unreadable (" + e.getMessage() + "); cannot resume from it", e);
        }
    }

    static boolean hasField(Class<?> type, String name) {
        try {
            Field f = type.getField(name);
            return !Modifier.isStatic(f.getModifiers());
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    /** {@code upper-every} or {@code upper_every} → {@code upperEvery}. */
    public static String camel(String key) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : key.trim().toCharArray()) {
            if (c == '-' || c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    /** {@code upperEvery} → {@code upper-every}. */
    public static String kebab(String key) {
        return key.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }
}
