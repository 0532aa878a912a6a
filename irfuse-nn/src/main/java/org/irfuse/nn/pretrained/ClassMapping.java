package org.irfuse.nn.pretrained;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which classes of a pretrained detector count as which class of the dataset: a map from source class index (for
 * YOLOv5, the 80 COCO classes) to dataset class index. Source classes left out are dropped before NMS. Several
 * source classes may map to one dataset class (e.g. COCO car, bus and truck to a dataset's "car"); they are then
 * one class for NMS and scoring.
 */
public final class ClassMapping {
    /** The 80 COCO class names in the order of YOLOv5's outputs (data/coco.yaml). */
    public static final List<String> COCO = List.of("person", "bicycle", "car", "motorcycle", "airplane", "bus",
            "train", "truck", "boat", "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird",
            "cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella",
            "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite", "baseball bat",
            "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle", "wine glass", "cup", "fork",
            "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange", "broccoli", "carrot", "hot dog",
            "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed", "dining table", "toilet", "tv",
            "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven", "toaster", "sink",
            "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush");

    private final List<String> sourceClasses;
    private final List<String> targetClasses;
    private final int[] target;

    private ClassMapping(List<String> sourceClasses, List<String> targetClasses, int[] target) {
        this.sourceClasses = sourceClasses;
        this.targetClasses = List.copyOf(targetClasses);
        this.target = target;
    }

    /**
     * Parses {@code source=target,...} (names or indices, case-insensitive; e.g. {@code person=person,
     * motorcycle=bicycle}). {@code null} or blank: every target class whose name is a source class name maps from
     * it (for MSRS: person, bicycle, car), which must give at least one class.
     */
    public static ClassMapping parse(String spec, List<String> sourceClasses, List<String> targetClasses) {
        int[] target = new int[sourceClasses.size()];
        Arrays.fill(target, -1);
        if (spec == null || spec.isBlank()) {
            for (int t = 0; t < targetClasses.size(); t++) {
                int s = indexOf(sourceClasses, targetClasses.get(t));
                if (s >= 0) {
                    target[s] = t;
                }
            }
            if (Arrays.stream(target).allMatch(t -> t < 0)) {
                throw new IllegalArgumentException("no dataset class " + targetClasses + " is a detector class by "
                        + "name; give a class map, e.g. --class-map person=People,car=Car");
            }
            return new ClassMapping(sourceClasses, targetClasses, target);
        }
        for (String pair : spec.split(",")) {
            String[] kv = pair.split("=", -1);
            if (kv.length != 2) {
                throw new IllegalArgumentException("class map entry '" + pair.strip() + "' is not source=target");
            }
            int s = resolve(kv[0], sourceClasses, "detector");
            int t = resolve(kv[1], targetClasses, "dataset");
            if (target[s] >= 0 && target[s] != t) {
                throw new IllegalArgumentException("class map: detector class '" + sourceClasses.get(s)
                        + "' is mapped twice");
            }
            target[s] = t;
        }
        return new ClassMapping(sourceClasses, targetClasses, target);
    }

    private static int resolve(String token, List<String> classes, String what) {
        String t = token.strip();
        if (t.matches("\\d+")) {
            int i = Integer.parseInt(t);
            if (i < classes.size()) {
                return i;
            }
        }
        int i = indexOf(classes, t);
        if (i < 0) {
            throw new IllegalArgumentException("class map: '" + t + "' is not a " + what + " class ("
                    + (classes.size() > 12 ? classes.subList(0, 12) + "..." : classes) + ")");
        }
        return i;
    }

    private static int indexOf(List<String> classes, String name) {
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).equalsIgnoreCase(name.strip())) {
                return i;
            }
        }
        return -1;
    }

    /** The dataset class of source class {@code s}, or −1 when it is dropped. */
    public int target(int s) {
        return target[s];
    }

    public int sourceCount() {
        return target.length;
    }

    public List<String> targetClasses() {
        return targetClasses;
    }

    /** {@code source → target} pairs, for cards and reports. */
    public Map<String, String> pairs() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int s = 0; s < target.length; s++) {
            if (target[s] >= 0) {
                m.put(sourceClasses.get(s), targetClasses.get(target[s]));
            }
        }
        return m;
    }

    @Override
    public String toString() {
        List<String> out = new ArrayList<>();
        pairs().forEach((k, v) -> out.add(k + "=" + v));
        return String.join(",", out);
    }
}
