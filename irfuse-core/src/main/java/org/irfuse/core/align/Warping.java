package org.irfuse.core.align;

/** Bilinear sampling with a validity rule, shared by the estimators (per level) and {@link Transform#warp}. */
final class Warping {
    private Warping() {
    }

    /**
     * Whether a bilinear sample at {@code (x, y)} holds source data: the position lies inside the source pixel
     * area ({@code [−0.5, w − 0.5]}) and every pixel the sample weighs with a non-zero weight is valid (nonzero in
     * {@code valid}; null means all valid).
     */
    static boolean holdsData(double x, double y, int w, int h, FloatGrid valid) {
        if (!(x >= -0.5 && y >= -0.5 && x <= w - 0.5 && y <= h - 0.5)) {
            return false;
        }
        if (valid == null) {
            return true;
        }
        double cx = Math.max(0, Math.min(w - 1, x));
        double cy = Math.max(0, Math.min(h - 1, y));
        int x0 = (int) cx;
        int y0 = (int) cy;
        double fx = cx - x0;
        double fy = cy - y0;
        int x1 = Math.min(x0 + 1, w - 1);
        int y1 = Math.min(y0 + 1, h - 1);
        float[] v = valid.v();
        return v[y0 * w + x0] > 0 && (fx == 0 || v[y0 * w + x1] > 0) && (fy == 0 || v[y1 * w + x0] > 0)
                && (fx == 0 || fy == 0 || v[y1 * w + x1] > 0);
    }

    /**
     * Warps a level image and its validity by per-pixel source coordinates: {@code {image, valid}} on the
     * coordinates' grid ({@code w × h}); invalid samples are 0.
     */
    static FloatGrid[] warp(FloatGrid src, FloatGrid valid, float[] xs, float[] ys, int w, int h) {
        float[] out = new float[w * h];
        float[] ok = new float[w * h];
        Parallel.rows(h, y -> {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (holdsData(xs[i], ys[i], src.w(), src.h(), valid)) {
                    ok[i] = 1f;
                    out[i] = src.sampleClamped(xs[i], ys[i]);
                }
            }
        });
        return new FloatGrid[] {new FloatGrid(w, h, out), new FloatGrid(w, h, ok)};
    }
}
