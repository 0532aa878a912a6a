package org.irfuse.nn.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.io.AtomicFiles;

/**
 * The folder of one training run: {@code config.json}, {@code log.jsonl} (one JSON object per logged step:
 * {@code step}, {@code stage}, {@code lr}, {@code loss.*}, {@code r.*}, {@code weight.*}, {@code gradnorm.*}),
 * {@code checkpoint.bin} (atomic; the last completed checkpoint), {@code samples/step-NNNNNN/<name>.png} and
 * the final {@code model/}. The HTML report reads this layout.
 */
public final class RunFolder {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();
    private static final Gson LINE = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
            .create();
    private final Path dir;

    public RunFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path config() {
        return dir.resolve("config.json");
    }

    public Path log() {
        return dir.resolve("log.jsonl");
    }

    public Path checkpoint() {
        return dir.resolve("checkpoint.bin");
    }

    public Path model() {
        return dir.resolve("model");
    }

    public Path samples(long step) {
        return dir.resolve("samples").resolve(String.format("step-%06d", step));
    }

    public boolean hasCheckpoint() {
        return Files.isRegularFile(checkpoint());
    }

    /**
     * Prepares the folder for a fresh run. A folder that already holds a run is refused unless {@code overwrite}
     * (then its log, checkpoint and samples are removed).
     */
    public void startFresh(boolean overwrite) throws IOException {
        if (Files.exists(log()) || hasCheckpoint()) {
            if (!overwrite) {
                throw new IOException(dir + " already holds a training run; pass --resume to continue it or "
                        + "--overwrite to start again");
            }
            Files.deleteIfExists(log());
            Files.deleteIfExists(checkpoint());
            deleteTree(dir.resolve("samples"));
        }
        Files.createDirectories(dir);
    }

    public void writeConfig(Object config) throws IOException {
        AtomicFiles.writeString(config(), true, GSON.toJson(config) + "\n");
    }

    /**
     * Refuses to resume with settings other than the run's {@code config.json}, except {@code mayChange}: another
     * width trains a network the checkpoint does not fit, another step count another learning-rate schedule,
     * another seed or data other batches. A setting missing from an older run's config.json (added to the trainer
     * later, e.g. {@code loss}) counts as its default value, so such runs stay resumable with the default.
     */
    public void checkSameSettings(Object config, Set<String> mayChange) throws IOException {
        JsonObject before;
        try {
            before = JsonParser.parseString(Files.readString(config())).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(config() + ": unreadable (" + e.getMessage() + "); cannot check the settings to "
                    + "resume with", e);
        }
        JsonObject now = JsonParser.parseString(GSON.toJson(config)).getAsJsonObject();
        JsonObject defaults = defaults(config);
        List<String> differ = new ArrayList<>();
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(now.keySet());
        for (String k : keys) {
            if (!before.has(k) && Objects.equals(defaults.get(k), now.get(k))) {
                continue;
            }
            if (!mayChange.contains(k) && !Objects.equals(before.get(k), now.get(k))) {
                differ.add("--" + RunConfig.kebab(k) + " " + before.get(k) + " -> " + now.get(k));
            }
        }
        if (!differ.isEmpty()) {
            throw new IOException(dir + ": cannot resume with other settings than the run's (" + String.join(", ",
                    differ) + "); give the settings of " + config() + " or start a new run folder");
        }
    }

    /** The settings of a freshly constructed config of the same class (empty if it has no public no-arg one). */
    private static JsonObject defaults(Object config) {
        try {
            Object fresh = config.getClass().getConstructor().newInstance();
            return JsonParser.parseString(GSON.toJson(fresh)).getAsJsonObject();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new JsonObject();
        }
    }

    public void appendLog(Map<String, Object> values) throws IOException {
        try {
            Files.writeString(log(), LINE.toJson(values) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw AtomicFiles.named(log(), e);
        }
    }

    /**
     * Drops log lines written after {@code step} (they belong to work a kill interrupted before its checkpoint),
     * so a resumed run's log reads like an uninterrupted one.
     */
    public void truncateLogAfter(long step) throws IOException {
        if (!Files.exists(log())) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(log())) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                if (o.get("step").getAsLong() <= step) {
                    kept.add(line);
                }
            } catch (RuntimeException e) {
                // a line cut by the kill: drop it
            }
        }
        AtomicFiles.writeString(log(), true, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
    }

    public void writeSample(long step, String name, Image image) throws IOException {
        ImageWriter.write(image, samples(step).resolve(name.replace('/', '_') + ".png"), true);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(q);
            }
        }
    }
}
