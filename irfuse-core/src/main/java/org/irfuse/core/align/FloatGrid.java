package org.irfuse.core.align;

/**
 * One float channel, row-major ({@code v[y·w + x]}): the working type of the alignment code (pyramid levels,
 * feature channels, displacement components). Pixel {@code (x, y)} is the centre of its square; a coarser level's
 * pixel {@code i} has its centre at {@code (i + 0.5)·2 − 0.5} of the finer level (the align-corners-false
 * convention of {@link org.irfuse.core.image.Resize}).
 */
record FloatGrid(int w, int h, float[] v) {
    FloatGrid {
        if (w <= 0 || h <= 0 || v.length != w * h) {
            throw new IllegalArgumentException("grid " + w + "x" + h + " with " + v.length + " values");
        }
    }

    FloatGrid(int w, int h) {
        this(w, h, new float[w * h]);
    }

    float at(int x, int y) {
        return v[y * w + x];
    }

    /** Bilinear value at {@code (x, y)}, coordinates clamped to the grid (replicated border). */
    float sampleClamped(double x, double y) {
        double cx = Math.max(0, Math.min(w - 1, x));
        double cy = Math.max(0, Math.min(h - 1, y));
        int x0 = Math.min((int) cx, w - 2 < 0 ? 0 : w - 2);
        int y0 = Math.min((int) cy, h - 2 < 0 ? 0 : h - 2);
        int x1 = Math.min(x0 + 1, w - 1);
        int y1 = Math.min(y0 + 1, h - 1);
        double fx = cx - x0;
        double fy = cy - y0;
        double top = v[y0 * w + x0] * (1 - fx) + v[y0 * w + x1] * fx;
        double bottom = v[y1 * w + x0] * (1 - fx) + v[y1 * w + x1] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }
}
