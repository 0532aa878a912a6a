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
        int n = x.size();
        long[] hx = new long[256];
        long[] hf = new long[256];
        long[] joint = new long[256 * 256];
        double[] xv = x.v();
        double[] fv = f.v();
        for (int i = 0; i < n; i++) {
            int a = (int) xv[i];
            int b = (int) fv[i];
            hx[a]++;
            hf[b]++;
            if (merge254) {
                a = Math.min(a, 254);
                b = Math.min(b, 254);
            }
            joint[a * 256 + b]++;
        }
        double mi = plogp(hx, n) + plogp(hf, n) - plogp(joint, n);
        return bits ? mi / Math.log(2) : mi;
    }

    /** −Σ p ln p of a histogram of n samples. */
    private static double plogp(long[] hist, long n) {
        double s = 0;
        for (long c : hist) {
            if (c != 0) {
                double p = (double) c / n;
                s -= p * Math.log(p);
            }
        }
        return s;
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
