package org.irfuse.nn.detection;

/**
 * The feature-map locations of an H×W image over the pyramid levels, in the order of {@link DetectorNetwork}'s
 * outputs (level by level, row-major inside a level). Location (i, j) of the level of stride s sits at image point
 * (⌊s/2⌋ + j·s, ⌊s/2⌋ + i·s) (FCOS, §3.1: "(⌊s/2⌋ + xs, ⌊s/2⌋ + ys)").
 *
 * <p>Scale ranges (FCOS §3.2): a location of level l may regress a box only if m_{l−1} ≤ max(l*, t*, r*, b*) ≤
 * m_l. FCOS uses m = 0, 64, 128, 256, 512, ∞ for P3–P7; with fewer levels the last level takes everything above
 * its lower bound: 3 levels (strides 8, 16, 32) → [0, 64], [64, 128], [128, ∞); 2 levels → [0, 64], [64, ∞).
 */
public record Locations(int height, int width, int[] strides, double[] x, double[] y, int[] level,
        double[] minReach, double[] maxReach) {

    /** FCOS's bounds m_1, m_2, ... between consecutive levels. */
    private static final double[] BOUNDS = {64, 128, 256, 512};

    public static Locations of(int height, int width, int[] strides) {
        int n = (int) DetectorNetwork.locationCount(height, width, strides);
        double[] xs = new double[n];
        double[] ys = new double[n];
        int[] lv = new int[n];
        int k = 0;
        for (int l = 0; l < strides.length; l++) {
            int s = strides[l];
            int h = DetectorNetwork.ceilDiv(height, s);
            int w = DetectorNetwork.ceilDiv(width, s);
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    xs[k] = s / 2 + j * s;
                    ys[k] = s / 2 + i * s;
                    lv[k] = l;
                    k++;
                }
            }
        }
        double[] lo = new double[strides.length];
        double[] hi = new double[strides.length];
        for (int l = 0; l < strides.length; l++) {
            lo[l] = l == 0 ? 0 : BOUNDS[l - 1];
            hi[l] = l == strides.length - 1 ? Double.POSITIVE_INFINITY : BOUNDS[l];
        }
        return new Locations(height, width, strides.clone(), xs, ys, lv, lo, hi);
    }

    public int size() {
        return x.length;
    }
}
