package org.irfuse.cli.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.pairs.FolderPairing;

/**
 * A training run folder as the trainer writes it: {@code config.json}, {@code log.jsonl} (one JSON object per
 * line with an integer {@code step}, numeric fields and optionally a string {@code stage}) and
 * {@code samples/step-NNNNNN/<name>.png}. Fields are read generically: any numeric field is a curve.
 */
public final class TrainingRun {
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");

    /** One log line: its step, numeric fields in file order, and its stage (null when absent). */
    public record LogEntry(long step, Map<String, Double> values, String stage) {
    }

    /** A saved sample image at a checkpoint step. */
    public record Sample(long step, Path file) {
    }

    private final Path dir;
    private final String configJson;
    private final List<LogEntry> log;
    private final Map<String, List<Sample>> samples;
    private final List<String> warnings;

    private TrainingRun(Path dir, String configJson, List<LogEntry> log, Map<String, List<Sample>> samples,
            List<String> warnings) {
        this.dir = dir;
        this.configJson = configJson;
        this.log = log;
        this.samples = samples;
        this.warnings = warnings;
    }

    public static TrainingRun read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "run folder not found");
        }
        List<String> warnings = new ArrayList<>();
        String config = null;
        Path configFile = dir.resolve("config.json");
        if (Files.isRegularFile(configFile)) {
            try {
                JsonElement e = JsonParser.parseString(Files.readString(configFile, StandardCharsets.UTF_8));
                if (!e.isJsonObject()) {
                    throw new IOException(configFile + ": expected a JSON object");
                }
                config = new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
                        .serializeSpecialFloatingPointValues()
                        .create().toJson(e);
            } catch (JsonParseException e) {
                throw new IOException(configFile + ": not valid JSON (" + rootMessage(e) + ")");
            }
        } else {
            warnings.add("no config.json in " + dir);
        }
        List<LogEntry> log = readLog(dir.resolve("log.jsonl"), warnings);
        return new TrainingRun(dir, config, log, readSamples(dir.resolve("samples")), warnings);
    }

    /**
     * Reads the log. A malformed line is an error naming file and line, except the last line, which a trainer
     * still writing may have left half-written: that one is skipped with a warning.
     */
    static List<LogEntry> readLog(Path file, List<String> warnings) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "training log not found (expected log.jsonl)");
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        }
        int last = lines.size() - 1;
        while (last >= 0 && lines.get(last).isBlank()) {
            last--;
        }
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                entries.add(parseEntry(line));
            } catch (IllegalArgumentException | JsonParseException | IllegalStateException e) {
                String msg = file + ": line " + (i + 1) + ": " + rootMessage(e);
                if (i == last) {
                    warnings.add(msg + " (last line skipped: the run may still be writing it)");
                } else {
                    throw new IOException(msg);
                }
            }
        }
        if (entries.isEmpty()) {
            throw new IOException(file + ": no log entries");
        }
        return entries;
    }

    private static LogEntry parseEntry(String line) {
        JsonElement e = JsonParser.parseString(line);
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        JsonObject o = e.getAsJsonObject();
        JsonElement step = o.get("step");
        if (step == null || !step.isJsonPrimitive() || !step.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("missing integer field \"step\"");
        }
        double s = step.getAsDouble();
        if (s != Math.rint(s)) {
            throw new IllegalArgumentException("\"step\" is not an integer: " + step);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        String stage = null;
        for (Map.Entry<String, JsonElement> f : o.entrySet()) {
            if (f.getKey().equals("step") || !f.getValue().isJsonPrimitive()) {
                continue;
            }
            JsonPrimitive p = f.getValue().getAsJsonPrimitive();
            if (p.isNumber()) {
                values.put(f.getKey(), p.getAsDouble());
            } else if (f.getKey().equals("stage") && p.isString()) {
                stage = p.getAsString();
            }
        }
        return new LogEntry((long) s, values, stage);
    }

    private static Map<String, List<Sample>> readSamples(Path samplesDir) throws IOException {
        Map<String, List<Sample>> byName = new TreeMap<>();
        if (!Files.isDirectory(samplesDir)) {
            return byName;
        }
        try (Stream<Path> steps = Files.list(samplesDir)) {
            for (Path stepDir : (Iterable<Path>) steps.sorted()::iterator) {
                Matcher m = STEP_DIR.matcher(stepDir.getFileName().toString());
                if (!Files.isDirectory(stepDir) || !m.matches()) {
                    continue;
                }
                long step = Long.parseLong(m.group(1));
                try (Stream<Path> files = Files.list(stepDir)) {
                    for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                        if (Files.isRegularFile(f) && ImageReader.hasImageExtension(f)) {
                            byName.computeIfAbsent(FolderPairing.stem(f), k -> new ArrayList<>())
                                    .add(new Sample(step, f));
                        }
                    }
                }
            }
        }
        // Numeric order: step-1000 after step-999 even if someone wrote them unpadded.
        byName.values().forEach(l -> l.sort((a, b) -> Long.compare(a.step(), b.step())));
        return byName;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    public Path dir() {
        return dir;
    }

    /** The config pretty-printed, or null when the run has none. */
    public String configJson() {
        return configJson;
    }

    public List<LogEntry> log() {
        return log;
    }

    /** Sample name → its images in step order. */
    public Map<String, List<Sample>> samples() {
        return samples;
    }

    /** Problems that did not stop reading (missing config, half-written last log line). */
    public List<String> warnings() {
        return warnings;
    }

    /** Every numeric field in order of first appearance. */
    public List<String> fields() {
        java.util.LinkedHashSet<String> f = new java.util.LinkedHashSet<>();
        log.forEach(e -> f.addAll(e.values().keySet()));
        return List.copyOf(f);
    }
}
