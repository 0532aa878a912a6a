package org.irfuse.core.metrics;

/**
 * The metrics built from sums over pixels: EN, SD, SF, AG, CC, SCD, PSNR, MSE and VIFB's Cross_entropy,
 * Edge_intensity and Rmse. Inputs are planes of 8-bit values (0..255) unless a method says otherwise.
 */
final class StatisticalMetrics {
    private static final double LOG2 = Math.log(2);

    private StatisticalMetrics() {
    }

    /**
     * 256-bin histogram of {@code floor(v)} (values are integers 0..255). The index is {@code (int) v}, which
     * truncates and so equals floor for v ≥ 0: a scalar {@code Math.floor} per pixel made this pass 2.7× slower
     * (1.05 against 0.39 ms per 640×480 plane, measured; docs/benchmarks.md, sixth metrics round).
     */
    static long[] histogram(Plane p) {
        long[] h = new long[256];
        for (double x : p.v()) {
            h[(int) x]++;
        }
        return h;
    }

    /** EN = −Σ p log2 p over the 256-bin histogram of F (all toolkits; VIFB floors, values are integral). */
    static double entropy(long[] hist, long n) {
        double s = 0;
        for (long c : hist) {
            if (c != 0) {
                double p = (double) c / n;
                s -= p * Math.log(p) / LOG2;
            }
        }
        return s;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** SD = sqrt(Σ(F − μ)² / N), population (numpy {@code std}, VIFB Variance, tang2023). */
    static double standardDeviation(Plane f) {
        return Math.sqrt(sumSquaredDeviations(f.v(), mean(f.v())) / f.size());
    }

    /** Σ(x − mean)² in index order (shared by SD and the correlations). */
    static double sumSquaredDeviations(double[] x, double mean) {
        double s = 0;
        for (double v : x) {
            double d = v - mean;
            s += d * d;
        }
        return s;
    }

    /** Σ(x − mx)(y − my) in index order. */
    static double sumCrossDeviations(double[] x, double mx, double[] y, double my) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - mx) * (y[i] - my);
        }
        return s;
    }

    /**
     * SD of the tang2022 toolkit: it subtracted the double mean from the uint8 image, so MATLAB's saturating uint8
     * arithmetic gives {@code d = min(255, max(0, round(F − μ)))}, then {@code d.^2} saturates again at 255:
     * SD = sqrt(mean(min(255, d²))). Values near 9 instead of 28–50 (METRICS.md).
     */
    static double standardDeviationUint8Saturated(Plane f) {
        double mu = mean(f.v());
        double s = 0;
        for (double x : f.v()) {
            double d = Math.min(255, Math.max(0, matlabRound(x - mu)));
            s += Math.min(255, d * d);
        }
        return Math.sqrt(s / f.size());
    }

    /** MATLAB {@code round}: half away from zero. */
    static double matlabRound(double x) {
        return Math.signum(x) * Math.floor(Math.abs(x) + 0.5);
    }

    /**
     * SF = sqrt(RF² + CF²): RF² = Σ horizontal neighbour differences² / (H·(W−1)), CF² = Σ vertical ones /
     * ((H−1)·W) (Tang's toolkit, CDDFuse {@code np.mean} of the difference arrays). tang2022 computed this on
     * 0..1 images: pass {@code divisor} 255 for that, 1 otherwise.
     */
    static double spatialFrequency(Plane f, double divisor) {
        double[] rc = differenceSums(f, divisor);
        int w = f.width();
        int h = f.height();
        return Math.sqrt(rc[0] / ((double) h * (w - 1)) + rc[1] / ((double) (h - 1) * w));
    }

    /**
     * Sums of squared horizontal ([0]) and vertical ([1]) neighbour differences of {@code f/divisor}, each in
     * raster order (two loops, one per sum: the same additions in the same order as one interleaved loop).
     */
    private static double[] differenceSums(Plane f, double divisor) {
        int w = f.width();
        int h = f.height();
        double[] v = f.v();
        double[] q = v;
        if (divisor != 1) { // x / 1.0 == x exactly, so only other divisors need the divided copy
            q = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                q[i] = v[i] / divisor;
            }
        }
        double rf = 0;
        for (int y = 0; y < h; y++) {
            int o = y * w;
            for (int x = 1; x < w; x++) {
                double d = q[o + x] - q[o + x - 1];
                rf += d * d;
            }
        }
        double cf = 0;
        for (int i = w; i < q.length; i++) {
            double d = q[i] - q[i - w];
            cf += d * d;
        }
        return new double[] {rf, cf};
    }

    /**
     * VIFB {@code metricsSpatial_frequency}: it indexes the H×W×C array as H×(W·C), so the channels are laid side
     * by side (one difference across each channel seam counts) and both sums are divided by H·W·C.
     */
    static double spatialFrequencyVifb(Plane[] channels) {
        int w = channels[0].width();
        int h = channels[0].height();
        int c = channels.length;
        double[] side = new double[w * c * h];
        for (int k = 0; k < c; k++) {
            double[] v = channels[k].v();
            for (int y = 0; y < h; y++) {
                System.arraycopy(v, y * w, side, y * w * c + k * w, w);
            }
        }
        double[] rc = differenceSums(new Plane(w * c, h, side), 1);
        double n = (double) w * h * c;
        return Math.sqrt(rc[0] / n + rc[1] / n);
    }

    /**
     * AG = Σ sqrt((gx² + gy²)/2) / divisor with MATLAB {@code gradient} (central differences inside, one-sided at
     * the borders). Tang and VIFB divide by (H−1)(W−1), CDDFuse ({@code np.mean}) by H·W: pass {@code perPixel}.
     */
    static double averageGradient(Plane f, boolean perPixel) {
        int w = f.width();
        int h = f.height();
        double[] v = f.v();
        double[] gx = new double[w];
        double[] gy = new double[w];
        double[] t = new double[w];
        double s = 0;
        // Per row: the gradients and sqrt((gx² + gy²)/2) as vector loops, then the sum in raster order.
        // A one-sided difference is x[i+1] − x[i] (a 1-pixel image: x − x = 0), a central one halved.
        for (int y = 0; y < h; y++) {
            int o = y * w;
            int up = (y < h - 1 ? y + 1 : y) * w;
            int down = (y > 0 ? y - 1 : y) * w;
            if (y > 0 && y < h - 1) {
                for (int x = 0; x < w; x++) {
                    gy[x] = (v[up + x] - v[down + x]) / 2;
                }
            } else {
                for (int x = 0; x < w; x++) {
                    gy[x] = v[up + x] - v[down + x];
                }
            }
            gx[0] = v[o + Math.min(1, w - 1)] - v[o];
            for (int x = 1; x < w - 1; x++) {
                gx[x] = (v[o + x + 1] - v[o + x - 1]) / 2;
            }
            if (w > 1) {
                gx[w - 1] = v[o + w - 1] - v[o + w - 2];
            }
            for (int x = 0; x < w; x++) {
                t[x] = Math.sqrt((gx[x] * gx[x] + gy[x] * gy[x]) / 2);
            }
            for (int x = 0; x < w; x++) {
                s += t[x];
            }
        }
        return s / (perPixel ? (double) w * h : (double) (h - 1) * (w - 1));
    }

    /** Pearson correlation of x and y over all pixels. */
    static double correlation(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        return correlation(sumCrossDeviations(x, mx, y, my), sumSquaredDeviations(x, mx),
                sumSquaredDeviations(y, my));
    }

    /** Pearson correlation from Σ dx·dy, Σ dx² and Σ dy². */
    static double correlation(double sxy, double sxx, double syy) {
        return sxy / Math.sqrt(sxx * syy);
    }

    /** CC = (corr(A,F) + corr(B,F)) / 2 (Tang, CDDFuse). */
    static double correlationCoefficient(Plane a, Plane b, Plane f) {
        return new Sources(a, b).correlationCoefficient(f, mean(f.v()));
    }

    /** SCD = corr(F − B, A) + corr(F − A, B) (Aslantas & Bendes 2015; Tang, CDDFuse). */
    static double sumOfCorrelationsOfDifferences(Plane a, Plane b, Plane f) {
        return new Sources(a, b).sumOfCorrelationsOfDifferences(f);
    }

    /** Mean of ((x − y)/divisor)² over all pixels. */
    static double meanSquaredError(Plane x, Plane y, double divisor) {
        double[] xv = x.v();
        double[] yv = y.v();
        double s = 0;
        if (divisor == 1) { // x / 1.0 == x exactly
            for (int i = 0; i < xv.length; i++) {
                double d = xv[i] - yv[i];
                s += d * d;
            }
        } else {
            for (int i = 0; i < xv.length; i++) {
                double d = xv[i] / divisor - yv[i] / divisor;
                s += d * d;
            }
        }
        return s / x.size();
    }

    /**
     * The sources' side of CC and SCD for one pair (means and Σ(x − μ)², computed once), the fused side per
     * call; every sum in the same order as {@link #correlation(double[], double[])} computes it.
     */
    static final class Sources {
        private final double[] a;
        private final double[] b;
        private final double meanA;
        private final double meanB;
        private final double ssdA;
        private final double ssdB;

        Sources(Plane a, Plane b) {
            this.a = a.v();
            this.b = b.v();
            meanA = mean(this.a);
            meanB = mean(this.b);
            ssdA = sumSquaredDeviations(this.a, meanA);
            ssdB = sumSquaredDeviations(this.b, meanB);
        }

        /** CC with F's mean given (shared with SD). */
        double correlationCoefficient(Plane f, double meanF) {
            double[] fv = f.v();
            double ssdF = sumSquaredDeviations(fv, meanF);
            return (correlation(sumCrossDeviations(a, meanA, fv, meanF), ssdA, ssdF)
                    + correlation(sumCrossDeviations(b, meanB, fv, meanF), ssdB, ssdF)) / 2;
        }

        /** SCD = corr(F − B, A) + corr(F − A, B), the differences never stored. */
        double sumOfCorrelationsOfDifferences(Plane f) {
            double[] fv = f.v();
            int n = fv.length;
            double sfb = 0;
            double sfa = 0;
            for (int i = 0; i < n; i++) {
                sfb += fv[i] - b[i];
                sfa += fv[i] - a[i];
            }
            double mfb = sfb / n;
            double mfa = sfa / n;
            double xyB = 0;
            double xxB = 0;
            double xyA = 0;
            double xxA = 0;
            for (int i = 0; i < n; i++) {
                double dfb = (fv[i] - b[i]) - mfb;
                double dfa = (fv[i] - a[i]) - mfa;
                double da = a[i] - meanA;
                double db = b[i] - meanB;
                xyB += dfb * da;
                xxB += dfb * dfb;
                xyA += dfa * db;
                xxA += dfa * dfa;
            }
            return correlation(xyB, xxB, ssdA) + correlation(xyA, xxA, ssdB);
        }
    }

    /** VIFB's {@code mse}: sqrt(Σ(x − y)²) / (H·W), a root-sum error per pixel, not a mean squared error. */
    static double vifbMse(Plane x, Plane y) {
        double s = 0;
        for (int i = 0; i < x.size(); i++) {
            double d = x.v()[i] - y.v()[i];
            s += d * d;
        }
        return Math.sqrt(s) / x.size();
    }

    /**
     * VIFB Cross_entropy of a source to F: Σ P_X log2(P_X / P_F) over bins where both are non-zero
     * ({@code metricsCross_entropy.m}); the metric is the mean of the visible and infrared terms.
     */
    static double crossEntropy(long[] histX, long[] histF, long n) {
        double s = 0;
        for (int k = 0; k < 256; k++) {
            if (histX[k] != 0 && histF[k] != 0) {
                double p1 = (double) histX[k] / n;
                double p2 = (double) histF[k] / n;
                s += p1 * Math.log(p1 / p2) / LOG2;
            }
        }
        return s;
    }

    /**
     * VIFB Edge_intensity: mean of sqrt(gx² + gy²), gx and gy the responses to {@code fspecial('sobel')} and its
     * transpose through {@code imfilter(..., 'replicate')}.
     */
    static double edgeIntensity(Plane f) {
        int w = f.width();
        int h = f.height();
        double[] v = f.v();
        double s = 0;
        for (int y = 0; y < h; y++) {
            int ym = Math.max(0, y - 1) * w;
            int y0 = y * w;
            int yp = Math.min(h - 1, y + 1) * w;
            for (int x = 0; x < w; x++) {
                int xm = Math.max(0, x - 1);
                int xp = Math.min(w - 1, x + 1);
                double gy = (v[ym + xm] + 2 * v[ym + x] + v[ym + xp]) - (v[yp + xm] + 2 * v[yp + x] + v[yp + xp]);
                double gx = (v[ym + xm] + 2 * v[y0 + xm] + v[yp + xm]) - (v[ym + xp] + 2 * v[y0 + xp] + v[yp + xp]);
                s += Math.sqrt(gx * gx + gy * gy);
            }
        }
        return s / f.size();
    }
}
