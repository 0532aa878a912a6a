package org.irfuse.core.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.YoloLabels;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.io.AtomicFiles;

/**
 * A detection dataset in the layout ultralytics (YOLOv5/v8) trains from (https://docs.ultralytics.com/datasets/
 * detect/): {@code images/<split>/<id>.png}, {@code labels/<split>/<id>.txt} with one {@code cls cx cy w h} line
 * per box (normalised to the image, an empty file for an image without objects), and {@code data.yaml} naming the
 * root, the split folders and the classes. Every file is written atomically and {@code data.yaml} last, so a
 * folder with a {@code data.yaml} is complete.
 */
public final class UltralyticsDataset {
    /** The split folders. */
    public enum Split {
        TRAIN, VAL;

        public String folder() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String DATA_YAML = "data.yaml";

    private UltralyticsDataset() {
    }

    /**
     * Assigns ids to splits: the ids in name order, shuffled with {@code seed}, the first
     * {@code round(valFraction · n)} to {@link Split#VAL}; the same ids, fraction and seed give the same split.
     * The result is in name order.
     */
    public static Map<String, Split> split(Collection<String> ids, double valFraction, long seed) {
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + valFraction);
        }
        List<String> sorted = new ArrayList<>(ids);
        Collections.sort(sorted);
        List<String> shuffled = new ArrayList<>(sorted);
        Collections.shuffle(shuffled, new Random(seed));
        int val = (int) Math.round(valFraction * sorted.size());
        java.util.Set<String> valIds = new java.util.HashSet<>(shuffled.subList(0, val));
        Map<String, Split> out = new LinkedHashMap<>();
        sorted.forEach(id -> out.put(id, valIds.contains(id) ? Split.VAL : Split.TRAIN));
        return out;
    }

    /** Where a sample's image goes. */
    public static Path imagePath(Path root, Split split, String id) {
        return root.resolve("images").resolve(split.folder()).resolve(id + ".png");
    }

    /** Where a sample's label file goes. */
    public static Path labelPath(Path root, Split split, String id) {
        return root.resolve("labels").resolve(split.folder()).resolve(id + ".txt");
    }

    /** Writes one sample: the image as PNG and its boxes (pixels) as a YOLO label file. */
    public static void writeSample(Path root, Split split, String id, Image image, List<Box> boxes,
            boolean overwrite) throws IOException {
        ImageWriter.write(image, imagePath(root, split, id), overwrite);
        YoloLabels.write(labelPath(root, split, id), boxes, image.width(), image.height(), false, overwrite);
    }

    /**
     * The {@code data.yaml} text: {@code path} (the root, absolute), {@code train} and {@code val} (the val split
     * is the train split when it is empty, as ultralytics needs one), and {@code names} by index. Names are
     * double-quoted YAML scalars.
     */
    public static String dataYaml(Path root, List<String> classNames, boolean hasVal) {
        StringBuilder y = new StringBuilder();
        y.append("# written by irfuse ").append(org.irfuse.core.Version.get()).append('\n');
        y.append("path: ").append(quote(root.toAbsolutePath().normalize().toString())).append('\n');
        y.append("train: images/train\n");
        y.append("val: images/").append(hasVal ? "val" : "train").append('\n');
        y.append("names:\n");
        for (int i = 0; i < classNames.size(); i++) {
            y.append("  ").append(i).append(": ").append(quote(classNames.get(i))).append('\n');
        }
        return y.toString();
    }

    public static void writeDataYaml(Path root, List<String> classNames, boolean hasVal, boolean overwrite)
            throws IOException {
        AtomicFiles.writeString(root.resolve(DATA_YAML), overwrite, dataYaml(root, classNames, hasVal));
    }

    /** A YAML double-quoted scalar (backslash and quote escaped). */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
