package org.irfuse.core.segmentation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.YoloLabels;

/**
 * Weak segmentation labels made from boxes: every box is filled with its class over background 0. This is what
 * it is — a box-shaped approximation of the objects (boxes include background pixels around a person), used
 * because no pixel ground truth of real infrared/visible pairs is available here (issue 4).
 *
 * <p>Class mapping for MSRS ({@link #MSRS_DETECTION_TO_SEGMENTATION}): detection classes 0 person, 1 bicycle,
 * 2 car (../shared/data/msrs/det_labels/classes.txt) become the 9-class MSRS/MFNet indices 2 person, 3 bike,
 * 1 car. A detection class the mapping sends to a negative value is skipped.
 *
 * <p>Overlap rule: boxes are painted from the largest area to the smallest, so where boxes overlap the
 * <em>smaller</em> box is on top (a cyclist's person box over the larger bicycle box, a pedestrian in front of a
 * car); equal areas keep file order, the later one on top. Pixel coverage: pixel (x, y) belongs to a box when its
 * centre (x + ½, y + ½) lies in [x0, x1) × [y0, y1); boxes are clipped to the image.
 */
public final class WeakBoxLabels {
    /** MSRS detection class → MSRS/MFNet segmentation class: person→2, bicycle→3 (bike), car→1. */
    public static final IntUnaryOperator MSRS_DETECTION_TO_SEGMENTATION = cls -> switch (cls) {
        case 0 -> 2;
        case 1 -> 3;
        case 2 -> 1;
        default -> throw new IllegalArgumentException("MSRS detection class " + cls + " is not 0 person, "
                + "1 bicycle or 2 car");
    };

    private WeakBoxLabels() {
    }

    /** Paints the boxes into a {@code width×height} map (background 0), mapping each box's class first. */
    public static LabelMap fromBoxes(List<Box> boxes, int width, int height, IntUnaryOperator classMapping) {
        int[] map = new int[width * height];
        List<Box> order = new ArrayList<>(boxes);
        // Stable sort by decreasing area: larger boxes first, so smaller ones are painted over them.
        order.sort(Comparator.comparingDouble(Box::area).reversed());
        for (Box b : order) {
            int cls = classMapping.applyAsInt(b.classId());
            if (cls < 0) {
                continue;
            }
            // Centre inclusion: x0 <= x + 0.5 < x1  <=>  ceil(x0 - 0.5) <= x < ceil(x1 - 0.5).
            int xs = Math.max(0, (int) Math.ceil(b.x0() - 0.5));
            int xe = Math.min(width, (int) Math.ceil(b.x1() - 0.5));
            int ys = Math.max(0, (int) Math.ceil(b.y0() - 0.5));
            int ye = Math.min(height, (int) Math.ceil(b.y1() - 0.5));
            for (int y = ys; y < ye; y++) {
                int row = y * width;
                for (int x = xs; x < xe; x++) {
                    map[row + x] = cls;
                }
            }
        }
        return new LabelMap(width, height, map);
    }

    /** Weak MSRS labels for one image from its YOLO file ({@code det_labels/<view>/<id>.txt}). */
    public static LabelMap fromMsrsYolo(Path yoloFile, int width, int height) throws IOException {
        return fromBoxes(YoloLabels.read(yoloFile, width, height), width, height, MSRS_DETECTION_TO_SEGMENTATION);
    }
}
