package org.irfuse.core.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Class-wise greedy non-maximum suppression (as torchvision's {@code batched_nms}): within each class, boxes are
 * visited by decreasing score (ties keep input order); a box is kept unless its IoU with an already kept box of
 * the same class is strictly greater than the threshold. Boxes of different classes never suppress each other.
 */
public final class NonMaxSuppression {
    private NonMaxSuppression() {
    }

    /** The kept boxes, sorted by decreasing score (ties in input order). */
    public static List<Box> apply(List<Box> boxes, double iouThreshold) {
        return apply(boxes, iouThreshold, Integer.MAX_VALUE);
    }

    /** As {@link #apply(List, double)}, keeping at most {@code maxDetections} boxes overall (highest scores). */
    public static List<Box> apply(List<Box> boxes, double iouThreshold, int maxDetections) {
        List<Box> kept = applyPerClass(boxes, iouThreshold, Integer.MAX_VALUE);
        return kept.size() > maxDetections ? new ArrayList<>(kept.subList(0, maxDetections)) : kept;
    }

    /**
     * Class-wise NMS keeping at most {@code maxPerClass} boxes of each class (YOLOv5's evaluation protocol as used
     * here: the cap applies per class, so one crowded class cannot push the others out). Within a class the
     * greedy pass stops once the cap is reached — the boxes it would still keep score lower and would be cut.
     * Result sorted by decreasing score (ties: class order, then input order).
     */
    public static List<Box> applyPerClass(List<Box> boxes, double iouThreshold, int maxPerClass) {
        Map<Integer, List<Box>> byClass = new TreeMap<>();
        for (Box b : boxes) {
            byClass.computeIfAbsent(b.classId(), k -> new ArrayList<>()).add(b);
        }
        List<Box> kept = new ArrayList<>();
        for (List<Box> cls : byClass.values()) {
            List<Box> sorted = new ArrayList<>(cls);
            sorted.sort(Comparator.comparingDouble(Box::score).reversed());
            List<Box> keptHere = new ArrayList<>();
            for (Box candidate : sorted) {
                if (keptHere.size() >= maxPerClass) {
                    break;
                }
                boolean suppressed = false;
                for (Box k : keptHere) {
                    if (BoxIou.iou(candidate, k) > iouThreshold) {
                        suppressed = true;
                        break;
                    }
                }
                if (!suppressed) {
                    keptHere.add(candidate);
                }
            }
            kept.addAll(keptHere);
        }
        // Stable sort: equal scores keep class order, then input order.
        kept.sort(Comparator.comparingDouble(Box::score).reversed());
        return kept;
    }
}
