package org.irfuse.core.segmentation;

/**
 * A per-pixel class-index map, row-major ({@code y·width + x}). Used for ground-truth labels, predictions and weak
 * labels alike.
 */
public record LabelMap(int width, int height, int[] classes) {
    public LabelMap {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("label map size must be positive, got " + width + "x" + height);
        }
        if (classes.length != width * height) {
            throw new IllegalArgumentException("label map has " + classes.length + " values for " + width + "x"
                    + height);
        }
    }

    public int get(int x, int y) {
        return classes[y * width + x];
    }

    public String sizeString() {
        return width + "x" + height;
    }

    /** How many pixels carry each class 0..numClasses-1 (other values are not counted). */
    public long[] histogram(int numClasses) {
        long[] h = new long[numClasses];
        for (int c : classes) {
            if (c >= 0 && c < numClasses) {
                h[c]++;
            }
        }
        return h;
    }
}
