package org.irfuse.core.metrics;

/**
 * Pixel-domain multi-scale VIF (Sheikh & Bovik's {@code vifp_mscale}, as Tang's toolkit and CDDFuse's
 * {@code compare_viff} use it): scales s = 1..4 with Gaussian windows N = 2^(5−s)+1, σ = N/5; for s > 1 filter
 * ('valid') and keep every second row and column; μ, σ², σ12 from 'valid' filtering; g = σ12/(σ1² + ε),
 * sv² = σ2² − g σ12 with the toolkit's clamps (ε = 1e-10); num += Σ log10(1 + g²σ1²/(sv² + σn²)),
 * den += Σ log10(1 + σ1²/σn²), σn² = 2; VIFp = num/den.
 *
 * <p>Work is split by what it depends on: {@link Sources} holds, per scale, everything of the two references
 * (their pyramid, μ1, σ1² and the whole denominator), computed once per source pair; {@link Sources#vifSum}
 * adds the fused image's side (its pyramid, μ2, σ2², shared by both sources) and the cross terms σ12. Every
 * per-pixel value is computed with the same operations in the same order as the one-pass formulation the
 * golden tests were matched with, so splitting changes no bit.
 */
final class Vif {
    private static final double SIGMA_N_SQ = 2;
    private static final double EPS = 1e-10;
    private static final int SCALES = 4;

    private Vif() {
    }

    /**
     * VIFp(A,F) + VIFp(B,F).
     *
     * @param saturateScale1 tang2022: at scale 1 the toolkit multiplied uint8 images, so R², D² and R·D saturate
     *                       at 255 (inflating VIF); later scales work on doubles
     */
    static double vifSum(Plane a, Plane b, Plane f, boolean saturateScale1) {
        return new Sources(a, b, saturateScale1).vifSum(f);
    }

    /** The Gaussian window of scale s (1-based): N = 2^(5−s)+1, σ = N/5. */
    private static double[] window(int scale) {
        int n = (1 << (5 - scale)) + 1;
        return Filters.gaussian1d(n, n / 5.0);
    }

    /**
     * The reference (source) side of VIFp for one pair A, B, plus scratch arrays for the fused side, reused for
     * every fused image of the pair. Not thread-safe: one instance per thread.
     */
    static final class Sources {
        private final boolean saturateScale1;
        private final int width;
        private final int height;
        private final double[][] windows = new double[SCALES][];
        /** Per scale: the input plane size and the 'valid' output size. */
        private final int[] inW = new int[SCALES];
        private final int[] inH = new int[SCALES];
        private final int[] outW = new int[SCALES];
        private final int[] outH = new int[SCALES];
        /** [scale][source]: the reference plane at that scale, its μ1 and its σ1² (clamped at 0). */
        private final double[][][] ref = new double[SCALES][2][];
        private final double[][][] mu1 = new double[SCALES][2][];
        private final double[][][] var1 = new double[SCALES][2][];
        /** [scale][source]: Σ log10(1 + σ1²/σn²) over that scale, the denominator's term. */
        private final double[][] den = new double[SCALES][2];
        // Scratch for the fused side, allocated once at the largest (scale-1) size.
        private final double[][] dist = new double[SCALES][];
        private final double[] rows;
        private final double[] product;
        private final double[] mu2;
        private final double[] var2;
        private final double[] cross;

        Sources(Plane a, Plane b, boolean saturateScale1) {
            this.saturateScale1 = saturateScale1;
            this.width = a.width();
            this.height = a.height();
            int w = width;
            int h = height;
            for (int s = 0; s < SCALES; s++) {
                double[] win = window(s + 1);
                windows[s] = win;
                if (s > 0) {
                    int dw = Filters.validSize(w, h, win.length, 2, true);
                    int dh = Filters.validSize(w, h, win.length, 2, false);
                    w = dw;
                    h = dh;
                }
                inW[s] = w;
                inH[s] = h;
                outW[s] = Filters.validSize(w, h, win.length, 1, true);
                outH[s] = Filters.validSize(w, h, win.length, 1, false);
            }
            rows = new double[outW[0] * inH[0]];
            product = new double[inW[0] * inH[0]];
            mu2 = new double[outW[0] * outH[0]];
            var2 = new double[mu2.length];
            cross = new double[mu2.length];
            for (int s = 1; s < SCALES; s++) {
                dist[s] = new double[inW[s] * inH[s]];
            }
            Plane[] planes = {a, b};
            for (int i = 0; i < 2; i++) {
                for (int s = 0; s < SCALES; s++) {
                    if (s == 0) {
                        ref[s][i] = planes[i].v();
                    } else {
                        ref[s][i] = new double[inW[s] * inH[s]];
                        Filters.valid(ref[s - 1][i], inW[s - 1], inH[s - 1], windows[s], 2, rows, ref[s][i]);
                    }
                    int n = outW[s] * outH[s];
                    double[] m1 = new double[n];
                    double[] v1 = new double[n];
                    boolean saturate = saturateScale1 && s == 0;
                    filterMoments(ref[s][i], ref[s][i], s, saturate, m1, v1);
                    mu1[s][i] = m1;
                    var1[s][i] = v1;
                    double d = 0;
                    for (int p = 0; p < n; p++) {
                        double s1 = v1[p] < EPS ? 0 : v1[p];
                        d += Math.log10(1 + s1 / SIGMA_N_SQ);
                    }
                    den[s][i] = d;
                }
            }
        }

        /**
         * μ = w*x into {@code mu} and σ² = max(0, w*(x·x) − μ²) into {@code var} at scale s ({@code x} is
         * {@code self}'s plane: both arguments are the same array).
         */
        private void filterMoments(double[] x, double[] self, int s, boolean saturate, double[] mu, double[] var) {
            int n = outW[s] * outH[s];
            Filters.valid(x, inW[s], inH[s], windows[s], 1, rows, mu);
            product(x, self, s, saturate);
            Filters.valid(product, inW[s], inH[s], windows[s], 1, rows, var);
            for (int p = 0; p < n; p++) {
                var[p] = Math.max(0, var[p] - mu[p] * mu[p]);
            }
        }

        /** x·y into {@code product}, saturated at 255 where the toolkit multiplied uint8 images. */
        private void product(double[] x, double[] y, int s, boolean saturate) {
            int n = inW[s] * inH[s];
            Filters.product(x, y, n, product);
            if (saturate) {
                for (int i = 0; i < n; i++) {
                    product[i] = Math.min(255, product[i]);
                }
            }
        }

        /** VIFp(A,F) + VIFp(B,F) for a fused plane of the pair's size. */
        double vifSum(Plane f) {
            if (f.width() != width || f.height() != height) {
                throw new IllegalArgumentException("fused plane " + f.width() + "x" + f.height()
                        + " differs from the sources' " + width + "x" + height);
            }
            double[] num = new double[2];
            double[] dens = new double[2];
            for (int s = 0; s < SCALES; s++) {
                double[] d;
                if (s == 0) {
                    d = f.v();
                } else {
                    d = dist[s];
                    Filters.valid(s == 1 ? f.v() : dist[s - 1], inW[s - 1], inH[s - 1], windows[s], 2, rows, d);
                }
                boolean saturate = saturateScale1 && s == 0;
                filterMoments(d, d, s, saturate, mu2, var2);
                for (int i = 0; i < 2; i++) {
                    product(ref[s][i], d, s, saturate);
                    Filters.valid(product, inW[s], inH[s], windows[s], 1, rows, cross);
                    num[i] += numerator(mu1[s][i], var1[s][i], outW[s] * outH[s]);
                    dens[i] += den[s][i];
                }
            }
            return num[0] / dens[0] + num[1] / dens[1];
        }

        /** Σ log10(1 + g²σ1²/(sv² + σn²)) over one scale, {@code cross} holding w*(R·D). */
        private double numerator(double[] m1s, double[] v1s, int n) {
            double nSum = 0;
            for (int i = 0; i < n; i++) {
                double m1 = m1s[i];
                double s1 = v1s[i];
                double s2 = var2[i];
                double s12 = cross[i] - m1 * mu2[i];
                double g = s12 / (s1 + EPS);
                double sv = s2 - g * s12;
                if (s1 < EPS) {
                    g = 0;
                    sv = s2;
                    s1 = 0;
                }
                if (s2 < EPS) {
                    g = 0;
                    sv = 0;
                }
                if (g < 0) {
                    sv = s2;
                    g = 0;
                }
                if (g == 0) {
                    continue; // log10(1 + 0) = 0 exactly: adding it changes nothing
                }
                if (sv <= EPS) {
                    sv = EPS;
                }
                nSum += Math.log10(1 + g * g * s1 / (sv + SIGMA_N_SQ));
            }
            return nSum;
        }
    }
}
