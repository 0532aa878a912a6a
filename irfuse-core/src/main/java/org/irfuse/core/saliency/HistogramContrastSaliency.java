package org.irfuse.core.saliency;

/**
 * Histogram-contrast saliency of an 8-bit image (METHOD.md, "Saliency target"; Cheng et al., CVPR 2011, HC for
 * gray levels): with {@code h} the 256-bin histogram, {@code s(i) = Σ_j h(j)·|i − j|}; the saliency of pixel p is
 * {@code s(X(p))} divided by its maximum over the image. A constant image has saliency 0 everywhere.
 */
public final class HistogramContrastSaliency {
    private HistogramContrastSaliency() {
    }

    /** Per-level contrast {@code s(i)} for i in 0..255, in pixel counts. */
    public static double[] levelContrast(int[] samples8) {
        long[] h = new long[256];
        for (int v : samples8) {
            h[v]++;
        }
        double[] s = new double[256];
        for (int i = 0; i < 256; i++) {
            double acc = 0;
            for (int j = 0; j < 256; j++) {
                acc += h[j] * (double) Math.abs(i - j);
            }
            s[i] = acc;
        }
        return s;
    }

    /** Saliency map in [0,1] of 8-bit samples (any layout; one value per pixel). */
    public static float[] compute(int[] samples8) {
        double[] s = levelContrast(samples8);
        double max = 0;
        for (int v : samples8) {
            max = Math.max(max, s[v]);
        }
        float[] out = new float[samples8.length];
        if (max == 0) {
            return out;
        }
        for (int p = 0; p < samples8.length; p++) {
            out[p] = (float) (s[samples8[p]] / max);
        }
        return out;
    }
}
