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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.irfuse.core.io.AtomicFiles;

/**
 * Boxes in the COCO JSON formats (https://cocodataset.org/#format-data, #format-results), the ones pycocotools,
 * detectron2, mmdetection and ultralytics read and write:
 *
 * <ul>
 *   <li>a <b>dataset</b> object {@code {"images": [{"id", "file_name", "width", "height"}], "annotations":
 *       [{"id", "image_id", "category_id", "bbox": [x, y, w, h], "area", "iscrowd"}], "categories": [{"id",
 *       "name"}]}} — ground truth, and what {@code irfuse detect --format coco} writes, with a {@code score} on
 *       each annotation;
 *   <li>a <b>results</b> array {@code [{"image_id", "category_id", "bbox", "score"}]}, whose image and category
 *       ids refer to a dataset file ({@link #readResults}).
 * </ul>
 *
 * Images are keyed by {@code file_name} without folder and extension (irfuse's image id); a category maps to the
 * class of the same name (ignoring case), so files numbered from 1, as COCO does, or otherwise read the same.
 * {@code bbox} is top-left corner, width and height in pixels, continuous coordinates as {@link Box}. Written ids
 * are: images 1.. in order, categories class index + 1, annotations 1.. in order. Crowd annotations
 * ({@code iscrowd: 1}) are refused rather than silently scored as ordinary boxes.
 */
public final class CocoJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private CocoJson() {
    }

    /** A dataset file read: boxes per image id (every listed image, possibly empty), sizes, and class names. */
    public record Dataset(Map<String, List<Box>> boxes, Map<String, int[]> sizes, List<String> categories,
            Map<Long, String> imageIds, Map<Long, Integer> categoryToClass) {
    }

    /**
     * A COCO dataset object of the boxes per image id ({@code sizes}: width and height, 0 when unknown;
     * {@code fileNames}: the image's file name, the id when absent); {@code withScores} adds each box's score
     * (predictions) and leaves it out for ground truth.
     */
    public static String format(Map<String, List<Box>> boxesByImage, Map<String, int[]> sizes,
            Map<String, String> fileNames, List<String> classNames, boolean withScores) {
        JsonArray images = new JsonArray();
        JsonArray annotations = new JsonArray();
        long imageId = 0;
        long annotationId = 0;
        for (Map.Entry<String, List<Box>> e : boxesByImage.entrySet()) {
            imageId++;
            int[] size = sizes.getOrDefault(e.getKey(), new int[2]);
            JsonObject img = new JsonObject();
            img.addProperty("id", imageId);
            img.addProperty("file_name", fileNames.getOrDefault(e.getKey(), e.getKey()));
            img.addProperty("width", size[0]);
            img.addProperty("height", size[1]);
            images.add(img);
            for (Box b : e.getValue()) {
                JsonObject a = new JsonObject();
                a.addProperty("id", ++annotationId);
                a.addProperty("image_id", imageId);
                a.addProperty("category_id", b.classId() + 1);
                JsonArray bbox = new JsonArray();
                bbox.add(b.x0());
                bbox.add(b.y0());
                bbox.add(b.width());
                bbox.add(b.height());
                a.add("bbox", bbox);
                a.addProperty("area", b.area());
                a.addProperty("iscrowd", 0);
                if (withScores) {
                    a.addProperty("score", b.score());
                }
                annotations.add(a);
            }
        }
        JsonArray categories = new JsonArray();
        for (int c = 0; c < classNames.size(); c++) {
            JsonObject cat = new JsonObject();
            cat.addProperty("id", c + 1);
            cat.addProperty("name", classNames.get(c));
            categories.add(cat);
        }
        JsonObject root = new JsonObject();
        root.add("images", images);
        root.add("annotations", annotations);
        root.add("categories", categories);
        return GSON.toJson(root) + "\n";
    }

    public static void write(Path file, Map<String, List<Box>> boxesByImage, Map<String, int[]> sizes,
            Map<String, String> fileNames, List<String> classNames, boolean withScores, boolean overwrite)
            throws IOException {
        AtomicFiles.writeString(file, overwrite, format(boxesByImage, sizes, fileNames, classNames, withScores));
    }

    /** True when {@code file} holds COCO JSON (a dataset object with annotations, or a results array). */
    public static boolean isCoco(Path file) throws IOException {
        String head = Files.readString(file, StandardCharsets.UTF_8).stripLeading();
        if (head.startsWith("[")) {
            return true;
        }
        try {
            JsonElement root = JsonParser.parseString(head);
            return root.isJsonObject() && root.getAsJsonObject().has("annotations");
        } catch (JsonParseException e) {
            return false;
        }
    }

    /**
     * Reads a COCO dataset file. Classes: {@code classNames} when given (each category must name one of them),
     * else the file's categories in id order.
     */
    public static Dataset readDataset(Path file, List<String> classNames) throws IOException {
        JsonElement root = parse(file);
        String src = file.toString();
        if (!root.isJsonObject() || !root.getAsJsonObject().has("images")
                || !root.getAsJsonObject().has("categories")) {
            throw new IOException(src + ": expected a COCO dataset object with \"images\", \"annotations\" and "
                    + "\"categories\"");
        }
        JsonObject o = root.getAsJsonObject();
        try {
            List<JsonObject> cats = new ArrayList<>();
            o.getAsJsonArray("categories").forEach(c -> cats.add(c.getAsJsonObject()));
            cats.sort((a, b) -> Long.compare(a.get("id").getAsLong(), b.get("id").getAsLong()));
            List<String> classes = classNames != null ? List.copyOf(classNames)
                    : cats.stream().map(c -> c.get("name").getAsString()).toList();
            Map<Long, Integer> catToClass = new HashMap<>();
            for (JsonObject c : cats) {
                String name = c.get("name").getAsString();
                int idx = VocAnnotations.classIndex(classes, name);
                if (idx < 0) {
                    throw new IOException(src + ": category " + c.get("id") + " '" + name + "' is not one of the "
                            + "classes " + classes + " (see --classes)");
                }
                catToClass.put(c.get("id").getAsLong(), idx);
            }
            Map<Long, String> imageIds = new LinkedHashMap<>();
            Map<String, List<Box>> boxes = new LinkedHashMap<>();
            Map<String, int[]> sizes = new LinkedHashMap<>();
            for (JsonElement e : o.getAsJsonArray("images")) {
                JsonObject img = e.getAsJsonObject();
                String id = imageId(img.get("file_name").getAsString());
                long cocoId = img.get("id").getAsLong();
                if (boxes.put(id, new ArrayList<>()) != null) {
                    throw new IOException(src + ": image '" + id + "' is listed twice");
                }
                imageIds.put(cocoId, id);
                sizes.put(id, new int[] {intOr(img, "width"), intOr(img, "height")});
            }
            JsonArray anns = o.has("annotations") ? o.getAsJsonArray("annotations") : new JsonArray();
            for (int i = 0; i < anns.size(); i++) {
                JsonObject a = anns.get(i).getAsJsonObject();
                String where = src + ": annotations[" + i + "]";
                String id = imageIds.get(a.get("image_id").getAsLong());
                if (id == null) {
                    throw new IOException(where + ": image_id " + a.get("image_id") + " is not in \"images\"");
                }
                boxes.get(id).add(box(a, catToClass, where, a.has("score") ? a.get("score").getAsDouble() : 1.0));
            }
            return new Dataset(boxes, sizes, classes, imageIds, catToClass);
        } catch (IllegalStateException | NullPointerException | ClassCastException | UnsupportedOperationException
                | NumberFormatException e) {
            throw new IOException(src + ": not a COCO dataset file (" + e + ")");
        }
    }

    /**
     * Reads a COCO results array ({@code [{"image_id", "category_id", "bbox", "score"}]}) against the dataset its
     * ids refer to; every dataset image gets an entry (empty when it has no results).
     */
    public static Map<String, List<Box>> readResults(Path file, Dataset dataset) throws IOException {
        JsonElement root = parse(file);
        String src = file.toString();
        if (!root.isJsonArray()) {
            throw new IOException(src + ": expected a COCO results array [{\"image_id\", \"category_id\", \"bbox\", "
                    + "\"score\"}]");
        }
        Map<String, List<Box>> out = new LinkedHashMap<>();
        dataset.boxes().keySet().forEach(id -> out.put(id, new ArrayList<>()));
        JsonArray results = root.getAsJsonArray();
        try {
            for (int i = 0; i < results.size(); i++) {
                JsonObject r = results.get(i).getAsJsonObject();
                String where = src + ": result " + i;
                String id = dataset.imageIds().get(r.get("image_id").getAsLong());
                if (id == null) {
                    throw new IOException(where + ": image_id " + r.get("image_id") + " is not in the ground truth");
                }
                if (!r.has("score")) {
                    throw new IOException(where + " has no \"score\"");
                }
                out.get(id).add(box(r, dataset.categoryToClass(), where, r.get("score").getAsDouble()));
            }
        } catch (IllegalStateException | NullPointerException | ClassCastException | UnsupportedOperationException
                | NumberFormatException e) {
            throw new IOException(src + ": not a COCO results file (" + e + ")");
        }
        return out;
    }

    private static Box box(JsonObject a, Map<Long, Integer> catToClass, String where, double score)
            throws IOException {
        if (a.has("iscrowd") && a.get("iscrowd").getAsInt() != 0) {
            throw new IOException(where + ": crowd annotations (iscrowd 1) are not supported");
        }
        Integer cls = catToClass.get(a.get("category_id").getAsLong());
        if (cls == null) {
            throw new IOException(where + ": category_id " + a.get("category_id") + " is not in \"categories\"");
        }
        JsonArray b = a.getAsJsonArray("bbox");
        if (b == null || b.size() != 4) {
            throw new IOException(where + ": bbox must be [x, y, width, height]");
        }
        double x = b.get(0).getAsDouble();
        double y = b.get(1).getAsDouble();
        try {
            return new Box(x, y, x + b.get(2).getAsDouble(), y + b.get(3).getAsDouble(), cls, score);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage());
        }
    }

    /** {@code file_name} without folders and extension, irfuse's image id. */
    static String imageId(String fileName) {
        String name = fileName.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static int intOr(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsInt() : 0;
    }

    private static JsonElement parse(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "COCO JSON file not found");
        }
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new IOException(file + ": not valid JSON (" + e.getMessage() + ")");
        }
    }
}
