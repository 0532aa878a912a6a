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
 * per-pixel term is computed with the same operations in the same order as the one-pass formulation the
 * golden tests were matched with; the sums of logarithms are taken per row as the logarithm of a product
 * ({@link #PRODUCT_FLUSH}), within 1e-15 relative of adding them one by one.
 */
final class Vif {
    private static final double SIGMA_N_SQ = 2;
    private static final double EPS = 1e-10;
    private static final int SCALES = 4;
    /**
     * The sums of log10(1 + t) are taken as log10 of running products of the factors (each ≥ 1), one log10 per
     * output row plus one whenever the product passes 2^500 (a factor is below 1 + σ12²/(σ1²σn²) ≤ 1 + 255⁴/(ε σn²)
     * < 1e20 for 8-bit planes, so the product never overflows). One log10 per row instead of per pixel; the product's
     * relative rounding error (≈ n·2⁻⁵³ over n factors) puts the sum within ≈ 1e-15 relative of the per-pixel sum.
     */
    private static final double PRODUCT_FLUSH = 0x1p500;

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
     * The reference (source) side of VIFp for one pair A, B, plus streams and row buffers for the fused side,
     * reused for every fused image of the pair. Not thread-safe: one instance per thread.
     */
    static final class Sources {
        private final boolean saturateScale1;
        private final int width;
        private final int height;
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
        /** [scale]: the downsampling stream (scales > 1) and four 'valid' streams (μ, squares, two crosses). */
        private final ValidRows[] down = new ValidRows[SCALES];
        private final ValidRows[][] streams = new ValidRows[SCALES][4];
        // The fused side: its pyramid, and one row of each product and each filtered quantity.
        private final double[][] dist = new double[SCALES][];
        private final double[][] productRow = new double[3][];
        private final double[][] outRow = new double[4][];
        private final double[] var2Row;
        private final double[] rowX;
        private final double[] rowY;

        Sources(Plane a, Plane b, boolean saturateScale1) {
            this.saturateScale1 = saturateScale1;
            this.width = a.width();
            this.height = a.height();
            int w = width;
            int h = height;
            for (int s = 0; s < SCALES; s++) {
                double[] win = window(s + 1);
                if (s > 0) {
                    int dw = Filters.validSize(w, h, win.length, 2, true);
                    int dh = Filters.validSize(w, h, win.length, 2, false);
                    down[s] = new ValidRows(win, w, 2);
                    w = dw;
                    h = dh;
                }
                inW[s] = w;
                inH[s] = h;
                outW[s] = Filters.validSize(w, h, win.length, 1, true);
                outH[s] = Filters.validSize(w, h, win.length, 1, false);
                for (int q = 0; q < 4; q++) {
                    streams[s][q] = new ValidRows(win, w, 1);
                }
                if (s > 0) {
                    dist[s] = Scratch.take(w * h);
                }
            }
            for (int q = 0; q < 3; q++) {
                productRow[q] = new double[inW[0]];
            }
            for (int q = 0; q < 4; q++) {
                outRow[q] = new double[outW[0]];
            }
            var2Row = new double[outW[0]];
            rowX = new double[inW[0]];
            rowY = new double[inW[0]];
            Plane[] planes = {a, b};
            for (int i = 0; i < 2; i++) {
                for (int s = 0; s < SCALES; s++) {
                    if (s == 0) {
                        ref[s][i] = planes[i].v();
                    } else {
                        ref[s][i] = Scratch.take(inW[s] * inH[s]);
                        Filters.valid(ref[s - 1][i], inW[s - 1], inH[s - 1], down[s], ref[s][i]);
                    }
                    prepare(i, s);
                }
            }
        }

        /** μ1, σ1² = max(0, w*(R·R) − μ1²) and the denominator term of source i at scale s, streamed. */
        private void prepare(int i, int s) {
            double[] x = ref[s][i];
            int w = inW[s];
            int ow = outW[s];
            boolean saturate = saturateScale1 && s == 0;
            double[] m1 = Scratch.take(ow * outH[s]);
            double[] v1 = Scratch.take(m1.length);
            ValidRows mu = streams[s][0];
            ValidRows sq = streams[s][1];
            mu.reset();
            sq.reset();
            double d = 0;
            int oy = 0;
            for (int y = 0; y < inH[s]; y++) {
                product(x, x, y * w, w, saturate, productRow[0]);
                boolean ready = mu.push(x, y * w);
                sq.push(productRow[0], 0);
                if (ready) {
                    int o = oy * ow;
                    mu.emit(m1, o);
                    sq.emit(v1, o);
                    double prod = 1;
                    for (int p = o; p < o + ow; p++) {
                        v1[p] = Math.max(0, v1[p] - m1[p] * m1[p]);
                        double s1 = v1[p] < EPS ? 0 : v1[p];
                        prod *= 1 + s1 / SIGMA_N_SQ;
                        if (prod > PRODUCT_FLUSH) {
                            d += Math.log10(prod);
                            prod = 1;
                        }
                    }
                    d += Math.log10(prod);
                    oy++;
                }
            }
            mu1[s][i] = m1;
            var1[s][i] = v1;
            den[s][i] = d;
        }

        /** Row {@code x[off..off+n)·y[off..off+n)} into {@code out}, saturated at 255 where the toolkit multiplied uint8 images. */
        private void product(double[] x, double[] y, int off, int n, boolean saturate, double[] out) {
            // the rows copied first: an offset into the plane would keep the loop scalar (C2, JDK 17)
            System.arraycopy(x, off, rowX, 0, n);
            System.arraycopy(y, off, rowY, 0, n);
            double[] a = rowX;
            double[] b = rowY;
            for (int i = 0; i < n; i++) {
                out[i] = a[i] * b[i];
            }
            if (saturate) {
                for (int i = 0; i < n; i++) {
                    out[i] = Math.min(255, out[i]);
                }
            }
        }

        /**
         * Gives the plane-sized arrays back ({@link Scratch}); this object must not be used afterwards. The
         * reference planes of scale 1 are the caller's.
         */
        void release() {
            for (int s = 0; s < SCALES; s++) {
                Scratch.give(mu1[s][0], mu1[s][1], var1[s][0], var1[s][1], dist[s]);
                if (s > 0) {
                    Scratch.give(ref[s][0], ref[s][1]);
                }
                mu1[s][0] = mu1[s][1] = var1[s][0] = var1[s][1] = dist[s] = ref[s][0] = ref[s][1] = null;
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
                    Filters.valid(s == 1 ? f.v() : dist[s - 1], inW[s - 1], inH[s - 1], down[s], d);
                }
                boolean saturate = saturateScale1 && s == 0;
                int w = inW[s];
                int ow = outW[s];
                for (ValidRows r : streams[s]) {
                    r.reset();
                }
                // The per-scale sums run through the rows in raster order, one running sum per source.
                double[] nSum = new double[2];
                int oy = 0;
                for (int y = 0; y < inH[s]; y++) {
                    int off = y * w;
                    product(d, d, off, w, saturate, productRow[0]);
                    product(ref[s][0], d, off, w, saturate, productRow[1]);
                    product(ref[s][1], d, off, w, saturate, productRow[2]);
                    boolean ready = streams[s][0].push(d, off);
                    streams[s][1].push(productRow[0], 0);
                    streams[s][2].push(productRow[1], 0);
                    streams[s][3].push(productRow[2], 0);
                    if (ready) {
                        for (int q = 0; q < 4; q++) {
                            streams[s][q].emit(outRow[q], 0);
                        }
                        double[] m2 = outRow[0];
                        double[] dd = outRow[1];
                        for (int x = 0; x < ow; x++) {
                            var2Row[x] = Math.max(0, dd[x] - m2[x] * m2[x]);
                        }
                        for (int i = 0; i < 2; i++) {
                            nSum[i] = numerator(nSum[i], mu1[s][i], var1[s][i], oy * ow, outRow[2 + i], ow);
                        }
                        oy++;
                    }
                }
                for (int i = 0; i < 2; i++) {
                    num[i] += nSum[i];
                    dens[i] += den[s][i];
                }
            }
            return num[0] / dens[0] + num[1] / dens[1];
        }

        /**
         * {@code nSum} plus Σ log10(1 + g²σ1²/(sv² + σn²)) (as log10 of the product) over one output row (pixels o..o+len of the scale),
         * {@code cross} holding that row of w*(R·D) and {@code outRow[0]}/{@link #var2Row} F's μ2 and σ2².
         */
        private double numerator(double nSum, double[] m1s, double[] v1s, int o, double[] cross, int len) {
            double[] mu2 = outRow[0];
            double prod = 1;
            for (int x = 0; x < len; x++) {
                double m1 = m1s[o + x];
                double s1 = v1s[o + x];
                double s2 = var2Row[x];
                double s12 = cross[x] - m1 * mu2[x];
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
                    continue; // factor 1 + 0: the product is unchanged
                }
                if (sv <= EPS) {
                    sv = EPS;
                }
                prod *= 1 + g * g * s1 / (sv + SIGMA_N_SQ);
                if (prod > PRODUCT_FLUSH) {
                    nSum += Math.log10(prod);
                    prod = 1;
                }
            }
            return nSum + Math.log10(prod);
        }
    }
}
