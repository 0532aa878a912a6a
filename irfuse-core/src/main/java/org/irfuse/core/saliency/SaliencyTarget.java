package org.irfuse.core.saliency;

import org.irfuse.core.image.Image;

/**
 * The fusion target of METHOD.md: {@code m = clip(0.4 + S_I − 0.4·S_Y, 0, 1)} and {@code M = m⊙I + (1 − m)⊙Y},
 * with {@code S_X} the histogram-contrast saliency of the 8-bit image X. Where the infrared image is salient
 * (warm objects) the target follows it; elsewhere it leans on the visible luminance.
 */
public final class SaliencyTarget {
    private SaliencyTarget() {
    }

    /** The mask {@code m} and target {@code M} of one pair, full size, row-major. */
    public record Maps(float[] mask, float[] target) {
    }

    public static Maps compute(float[] infrared, float[] visibleY) {
        if (infrared.length != visibleY.length) {
            throw new IllegalArgumentException("infrared and visible luminance differ in size");
        }
        int n = infrared.length;
        float[] sI = HistogramContrastSaliency.compute(to8bit(infrared));
        float[] sY = HistogramContrastSaliency.compute(to8bit(visibleY));
        float[] m = new float[n];
        float[] target = new float[n];
        for (int p = 0; p < n; p++) {
            float mp = Math.max(0f, Math.min(1f, 0.4f + sI[p] - 0.4f * sY[p]));
            m[p] = mp;
            target[p] = mp * infrared[p] + (1f - mp) * visibleY[p];
        }
        return new Maps(m, target);
    }

    private static int[] to8bit(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Image.to8bit(v[i]);
        }
        return out;
    }
}
