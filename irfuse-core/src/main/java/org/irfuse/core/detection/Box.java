package org.irfuse.core.detection;

import java.io.Serializable;

/**
 * An axis-aligned box in pixel coordinates, corners {@code (x0,y0)} (top-left) and {@code (x1,y1)}
 * (bottom-right), continuous coordinates: width = x1 − x0, area = (x1 − x0)(y1 − y0), no "+1" pixel convention
 * (as COCO and YOLO; the 2007 VOC devkit adds 1). {@code classId} is the index in the dataset's class list;
 * {@code score} is the detector confidence (1 for ground truth). Serializable so a Spark job can ship detections
 * from its executors to the driver (irfuse-spark's downstream job).
 */
public record Box(double x0, double y0, double x1, double y1, int classId, double score) implements Serializable {
    public Box {
        if (!(x1 >= x0) || !(y1 >= y0)) {
            throw new IllegalArgumentException("box corners out of order (or NaN): (" + x0 + "," + y0 + ")-(" + x1
                    + "," + y1 + ")");
        }
        if (classId < 0) {
            throw new IllegalArgumentException("class index must be >= 0, got " + classId);
        }
    }

    /** A ground-truth box (score 1). */
    public static Box truth(double x0, double y0, double x1, double y1, int classId) {
        return new Box(x0, y0, x1, y1, classId, 1.0);
    }

    public double width() {
        return x1 - x0;
    }

    public double height() {
        return y1 - y0;
    }

    public double area() {
        return (x1 - x0) * (y1 - y0);
    }

    public double centerX() {
        return (x0 + x1) / 2;
    }

    public double centerY() {
        return (y0 + y1) / 2;
    }

    public Box withScore(double newScore) {
        return new Box(x0, y0, x1, y1, classId, newScore);
    }

    public Box withClass(int newClass) {
        return new Box(x0, y0, x1, y1, newClass, score);
    }
}
