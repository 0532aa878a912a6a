package org.irfuse.core.metrics;

/**
 * MI(X,F) = H(X) + H(F) − H(X,F) from 256-bin marginal and 256×256 joint histograms of 8-bit planes; the fusion
 * metric reports MI(A,F) + MI(B,F).
 */
final class MutualInformation {
    private MutualInformation() {
    }

    /**
     * @param bits          log base 2 (Tang's toolkit) rather than e (CDDFuse's sklearn {@code mutual_info_score},
     *                      VIFB)
     * @param merge254      Tang's toolkit indexes its joint histogram with uint8 {@code x + 1}, which saturates,
     *                      so grey levels 254 and 255 share one joint bin; its marginals are unaffected
     */
    static double mi(Plane x, Plane f, boolean bits, boolean merge254) {
        return new Sources(bits, merge254, x).sum(f);
    }

    /**
     * The source side of MI for one pair (each source's marginal entropy term) and the reused joint histogram.
     * Not thread-safe: one instance per thread.
     */
    static final class Sources {
        private final boolean bits;
        private final boolean merge254;
        private final double[][] x;
        private final double[] hx;
        private final long[] joint = new long[256 * 256];

        Sources(boolean bits, boolean merge254, Plane... sources) {
            this.bits = bits;
            this.merge254 = merge254;
            x = new double[sources.length][];
            hx = new double[sources.length];
            for (int k = 0; k < sources.length; k++) {
                x[k] = sources[k].v();
                hx[k] = plogp(StatisticalMetrics.histogram(sources[k]), x[k].length);
            }
        }

        /** Σ over the sources X (in their order) of MI(X, F). */
        double sum(Plane f) {
            return sum(f, StatisticalMetrics.histogram(f));
        }

        /**
         * {@link #sum(Plane)} with F's 256-bin histogram already taken ({@link StatisticalMetrics#histogram}, the
         * same counts: EN and MI of one F share it). Tang's 254/255 merge affects only the joint histogram.
         */
        double sum(Plane f, long[] histF) {
            double[] fv = f.v();
            int n = fv.length;
            if (n != x[0].length) {
                throw new IllegalArgumentException("fused plane size differs from the sources'");
            }
            double entropyF = plogp(histF, n);
            double sum = 0;
            for (int k = 0; k < x.length; k++) {
                java.util.Arrays.fill(joint, 0);
                double[] xv = x[k];
                if (merge254) {
                    for (int i = 0; i < n; i++) {
                        joint[Math.min((int) xv[i], 254) * 256 + Math.min((int) fv[i], 254)]++;
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        joint[(int) xv[i] * 256 + (int) fv[i]]++;
                    }
                }
                double mi = hx[k] + entropyF - plogp(joint, n);
                mi = bits ? mi / Math.log(2) : mi;
                sum = k == 0 ? mi : sum + mi;
            }
            return sum;
        }
    }

    /** c·ln c for the counts below 4096 (0 for c = 0): most bins of a 256×256 joint histogram hold a few pixels. */
    private static final double[] C_LN_C = new double[4096];

    static {
        for (int c = 1; c < C_LN_C.length; c++) {
            C_LN_C[c] = c * Math.log(c);
        }
    }

    /**
     * −Σ p ln p of a histogram of n samples, p = c/n, as ln n − (1/n)·Σ c ln c: the same sum regrouped, with
     * c ln c from a table for small counts, so the ≈ 10,000 occupied bins of a joint histogram cost a load each
     * instead of a logarithm and a branch on c ≠ 0 (0.31 ms per 640×480 joint histogram before, measured).
     * MI moved by up to 2.9e-12 relative against adding −p ln p bin by bin, towards the exactly summed value
     * (docs/benchmarks.md, sixth metrics round: the running sum of −p ln p was the less accurate one).
     */
    private static double plogp(long[] hist, long n) {
        double[] table = C_LN_C;
        double s = 0;
        for (long c : hist) {
            s += c < table.length ? table[(int) c] : c * Math.log(c);
        }
        return Math.log(n) - s / n;
    }

    /**
     * VIFB {@code metricsMutinf.m}: each image is first min–max stretched, {@code (x − min)/(max − min)}, then
     * {@code int16(·255)} (round half away from zero); a constant image becomes all zeros. Nats.
     */
    static Plane vifbStretch(Plane p) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : p.v()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double[] out = new double[p.size()];
        if (max != min) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.floor((p.v()[i] - min) / (max - min) * 255 + 0.5);
            }
        }
        return new Plane(p.width(), p.height(), out);
    }
}
