package org.irfuse.core.metrics;

/**
 * The metrics built from sums over pixels: EN, SD, SF, AG, CC, SCD, PSNR, MSE and VIFB's Cross_entropy,
 * Edge_intensity and Rmse. Inputs are planes of 8-bit values (0..255) unless a method says otherwise.
 */
final class StatisticalMetrics {
    private static final double LOG2 = Math.log(2);

    private StatisticalMetrics() {
    }

    /** 256-bin histogram of {@code floor(v)} (values are integers 0..255). */
    static long[] histogram(Plane p) {
        long[] h = new long[256];
        for (double x : p.v()) {
            h[(int) Math.floor(x)]++;
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
        double mu = mean(f.v());
        double s = 0;
        for (double x : f.v()) {
            double d = x - mu;
            s += d * d;
        }
        return Math.sqrt(s / f.size());
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

    /** Sums of squared horizontal ([0]) and vertical ([1]) neighbour differences of {@code f/divisor}. */
    private static double[] differenceSums(Plane f, double divisor) {
        int w = f.width();
        int h = f.height();
        double[] v = f.v();
        double rf = 0;
        double cf = 0;
        for (int y = 0; y < h; y++) {
            int o = y * w;
            for (int x = 0; x < w; x++) {
                double here = v[o + x] / divisor;
                if (x > 0) {
                    double d = here - v[o + x - 1] / divisor;
                    rf += d * d;
                }
                if (y > 0) {
                    double d = here - v[o - w + x] / divisor;
                    cf += d * d;
                }
            }
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
        double s = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double gx = w == 1 ? 0 : x == 0 ? v[y * w + 1] - v[y * w] : x == w - 1
                        ? v[y * w + x] - v[y * w + x - 1] : (v[y * w + x + 1] - v[y * w + x - 1]) / 2;
                double gy = h == 1 ? 0 : y == 0 ? v[w + x] - v[x] : y == h - 1
                        ? v[y * w + x] - v[(y - 1) * w + x] : (v[(y + 1) * w + x] - v[(y - 1) * w + x]) / 2;
                s += Math.sqrt((gx * gx + gy * gy) / 2);
            }
        }
        return s / (perPixel ? (double) w * h : (double) (h - 1) * (w - 1));
    }

    /** Pearson correlation of x and y over all pixels. */
    static double correlation(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** CC = (corr(A,F) + corr(B,F)) / 2 (Tang, CDDFuse). */
    static double correlationCoefficient(Plane a, Plane b, Plane f) {
        return (correlation(a.v(), f.v()) + correlation(b.v(), f.v())) / 2;
    }

    /** SCD = corr(F − B, A) + corr(F − A, B) (Aslantas & Bendes 2015; Tang, CDDFuse). */
    static double sumOfCorrelationsOfDifferences(Plane a, Plane b, Plane f) {
        double[] fa = new double[f.size()];
        double[] fb = new double[f.size()];
        for (int i = 0; i < fa.length; i++) {
            fa[i] = f.v()[i] - a.v()[i];
            fb[i] = f.v()[i] - b.v()[i];
        }
        return correlation(fb, a.v()) + correlation(fa, b.v());
    }

    /** Mean of ((x − y)/divisor)² over all pixels. */
    static double meanSquaredError(Plane x, Plane y, double divisor) {
        double s = 0;
        for (int i = 0; i < x.size(); i++) {
            double d = x.v()[i] / divisor - y.v()[i] / divisor;
            s += d * d;
        }
        return s / x.size();
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
