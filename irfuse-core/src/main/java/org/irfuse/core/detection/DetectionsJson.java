package org.irfuse.core.detection;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.irfuse.core.io.AtomicFiles;

/**
 * Detections as one JSON file for a whole folder of images, in pixel coordinates:
 *
 * <pre>{@code
 * {"images": [
 *   {"image": "00001D", "detections": [
 *     {"class": 0, "name": "person", "score": 0.91, "x0": 10.5, "y0": 20, "x1": 50, "y1": 120}, ...]},
 *   ...]}
 * }</pre>
 *
 * {@code image} is the file name without extension; {@code class} is the class index, or a class name (looked up
 * ignoring case in the class list); {@code name} is written for readers and ignored on reading.
 */
public final class DetectionsJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private DetectionsJson() {
    }

    public static String format(Map<String, List<Box>> detectionsByImage, List<String> classNames) {
        JsonArray images = new JsonArray();
        for (Map.Entry<String, List<Box>> e : detectionsByImage.entrySet()) {
            JsonObject img = new JsonObject();
            img.addProperty("image", e.getKey());
            JsonArray dets = new JsonArray();
            for (Box b : e.getValue()) {
                JsonObject d = new JsonObject();
                d.addProperty("class", b.classId());
                if (classNames != null && b.classId() < classNames.size()) {
                    d.addProperty("name", classNames.get(b.classId()));
                }
                d.addProperty("score", b.score());
                d.addProperty("x0", b.x0());
                d.addProperty("y0", b.y0());
                d.addProperty("x1", b.x1());
                d.addProperty("y1", b.y1());
                dets.add(d);
            }
            img.add("detections", dets);
            images.add(img);
        }
        JsonObject root = new JsonObject();
        root.add("images", images);
        return GSON.toJson(root) + "\n";
    }

    public static void write(Path file, Map<String, List<Box>> detectionsByImage, List<String> classNames,
            boolean overwrite) throws IOException {
        AtomicFiles.writeString(file, overwrite, format(detectionsByImage, classNames));
    }

    /** Reads detections keyed by image name, in file order. */
    public static Map<String, List<Box>> read(Path file, List<String> classNames) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "detections file not found");
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), classNames);
    }

    public static Map<String, List<Box>> parse(String json, String source, List<String> classNames)
            throws IOException {
        Map<String, List<Box>> out = new LinkedHashMap<>();
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonObject() || !root.getAsJsonObject().has("images")) {
                throw new IOException(source + ": expected a JSON object with an \"images\" array");
            }
            JsonArray images = root.getAsJsonObject().getAsJsonArray("images");
            for (int i = 0; i < images.size(); i++) {
                JsonObject img = images.get(i).getAsJsonObject();
                if (!img.has("image")) {
                    throw new IOException(source + ": images[" + i + "] has no \"image\" name");
                }
                String name = img.get("image").getAsString();
                List<Box> boxes = new ArrayList<>();
                JsonArray dets = img.has("detections") ? img.getAsJsonArray("detections") : new JsonArray();
                for (int j = 0; j < dets.size(); j++) {
                    JsonObject d = dets.get(j).getAsJsonObject();
                    String where = source + ": image '" + name + "' detection " + j;
                    for (String key : new String[] {"class", "score", "x0", "y0", "x1", "y1"}) {
                        if (!d.has(key)) {
                            throw new IOException(where + " has no \"" + key + "\"");
                        }
                    }
                    int cls = classOf(d.get("class"), classNames, where);
                    try {
                        boxes.add(new Box(d.get("x0").getAsDouble(), d.get("y0").getAsDouble(),
                                d.get("x1").getAsDouble(), d.get("y1").getAsDouble(), cls,
                                d.get("score").getAsDouble()));
                    } catch (IllegalArgumentException e) {
                        throw new IOException(where + ": " + e.getMessage());
                    }
                }
                if (out.put(name, boxes) != null) {
                    throw new IOException(source + ": image '" + name + "' is listed twice");
                }
            }
        } catch (JsonParseException | IllegalStateException | ClassCastException | UnsupportedOperationException e) {
            throw new IOException(source + ": not a detections file in the irfuse JSON layout (" + e.getMessage()
                    + ")");
        }
        return out;
    }

    private static int classOf(JsonElement e, List<String> classNames, String where) throws IOException {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double v = e.getAsDouble();
            if (v != Math.rint(v) || v < 0) {
                throw new IOException(where + ": class must be a non-negative integer or a name, got " + v);
            }
            return (int) v;
        }
        String name = e.getAsString();
        int idx = classNames == null ? -1 : VocAnnotations.classIndex(classNames, name);
        if (idx < 0) {
            throw new IOException(where + ": unknown class '" + name + "'"
                    + (classNames == null ? "" : " (known: " + String.join(", ", classNames) + ")"));
        }
        return idx;
    }
}
