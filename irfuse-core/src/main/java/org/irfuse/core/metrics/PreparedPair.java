package org.irfuse.core.metrics;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One (A, B) source plane pair under a profile, with everything the chosen metrics compute from the sources
 * alone (their filtered VIF and SSIM statistics, Sobel strengths and angles, histograms, means and variances)
 * prepared on first use and reused for every fused plane of the pair; the fused side of each metric works in
 * scratch arrays owned by this object. Not thread-safe: one instance per thread (an {@link Evaluator.Pair}).
 */
final class PreparedPair {
    private final Profile profile;
    private final List<Metric> metrics;
    private final Plane a;
    private final Plane b;
    private Vif.Sources vif;
    private Ssim.Sources ssim;
    private EdgeMetrics.QabfSources qabf;
    private EdgeMetrics.NabfSources nabf;
    private MutualInformation.Sources mi;
    private StatisticalMetrics.Sources correlations;
    private long[] histA;
    private long[] histB;

    PreparedPair(Profile profile, List<Metric> metrics, Plane a, Plane b) {
        if (!a.sameSize(b)) {
            throw new IllegalArgumentException("planes differ in size");
        }
        this.profile = profile;
        this.metrics = metrics;
        this.a = a;
        this.b = b;
    }

    /**
     * Gives the prepared statistics' plane-sized arrays back for reuse on this thread ({@link Scratch}); this
     * object must not be used afterwards. The planes A and B stay the caller's.
     */
    void release() {
        if (vif != null) {
            vif.release();
            vif = null;
        }
        if (ssim != null) {
            ssim.release();
            ssim = null;
        }
        if (qabf != null) {
            qabf.release();
            qabf = null;
        }
    }

    /** The metric values for F (tang2022, tang2023, cddfuse), in the order of the metric list. */
    Map<Metric, Double> evaluate(Plane f) {
        if (!a.sameSize(f)) {
            throw new IllegalArgumentException("planes differ in size");
        }
        Map<Metric, Double> out = new EnumMap<>(Metric.class);
        boolean tang = profile == Profile.TANG2022 || profile == Profile.TANG2023;
        boolean tang2022 = profile == Profile.TANG2022;
        double meanF = Double.NaN; // shared by SD and CC
        double mse = Double.NaN; // shared by PSNR and MSE
        long[] histF = null; // shared by EN and MI
        for (Metric m : metrics) {
            if ((m == Metric.EN || m == Metric.MI) && histF == null) {
                histF = StatisticalMetrics.histogram(f);
            }
            if ((m == Metric.SD || m == Metric.CC) && Double.isNaN(meanF)) {
                meanF = StatisticalMetrics.mean(f.v());
            }
            if ((m == Metric.PSNR || m == Metric.MSE) && Double.isNaN(mse)) {
                mse = meanMse(f, tang ? 255 : 1);
            }
            double v = switch (m) {
                case EN -> StatisticalMetrics.entropy(histF, f.size());
                case SD -> tang2022 ? StatisticalMetrics.standardDeviationUint8Saturated(f)
                        : Math.sqrt(StatisticalMetrics.sumSquaredDeviations(f.v(), meanF) / f.size());
                case SF -> StatisticalMetrics.spatialFrequency(f, tang2022 ? 255 : 1);
                case AG -> StatisticalMetrics.averageGradient(f, profile == Profile.CDDFUSE);
                case MI -> mi(tang, false).sum(f, histF);
                case SCD -> correlations().sumOfCorrelationsOfDifferences(f);
                case CC -> correlations().correlationCoefficient(f, meanF);
                case VIF -> vif(tang2022).vifSum(f);
                case QABF -> qabf(tang2022 ? 1.0 / 255 : 1, a, b).qabf(qabfScaled(f, tang2022 ? 1.0 / 255 : 1));
                case NABF -> nabf().nabf(f);
                case SSIM -> tang ? ssim(Ssim.MATLAB, a, b).sum(f) / 2 : ssim(Ssim.CDDFUSE, a, b).sum(f);
                // tang*: MSE on 0..1 images, then 20 log10(255/sqrt(MSE)); cddfuse: 10 log10(max(F)²/MSE)
                case PSNR -> tang ? 20 * Math.log10(255 / Math.sqrt(mse)) : 10 * Math.log10(square(max(f)) / mse);
                case MSE -> mse;
                default -> throw new IllegalStateException(m + " under " + profile);
            };
            out.put(m, v);
        }
        return out;
    }

    /**
     * One channel of the VIFB metrics (this pair's A = infrared, B = visible channel or gray plane). VIFB's
     * code passes the visible image first, so the two-source metrics see (B, A).
     */
    Map<Metric, Double> evaluateVifbChannel(Plane f) {
        if (!a.sameSize(f)) {
            throw new IllegalArgumentException("planes differ in size");
        }
        Map<Metric, Double> out = new EnumMap<>(Metric.class);
        long[] histF = null;
        double rmse = Double.NaN;
        for (Metric m : metrics) {
            if ((m == Metric.EN || m == Metric.CROSS_ENTROPY) && histF == null) {
                histF = StatisticalMetrics.histogram(f);
            }
            if ((m == Metric.PSNR || m == Metric.RMSE) && Double.isNaN(rmse)) {
                rmse = (StatisticalMetrics.vifbMse(b, f) + StatisticalMetrics.vifbMse(a, f)) / 2;
            }
            double v = switch (m) {
                case EN -> StatisticalMetrics.entropy(histF, f.size());
                case SD -> StatisticalMetrics.standardDeviation(f);
                case SF -> StatisticalMetrics.spatialFrequencyVifb(new Plane[] {f});
                case AG -> StatisticalMetrics.averageGradient(f, false);
                case MI -> mi(false, true).sum(MutualInformation.vifbStretch(f));
                // metricsQabf.m: 255*im2double(double image) leaves 0..255·255, which matters only via g_X = g_F.
                case QABF -> qabf(255, b, a).qabf(qabfScaled(f, 255));
                case SSIM -> ssim(Ssim.VIFB, b, a).sum(f);
                case PSNR -> 20 * Math.log10(255 / Math.sqrt(rmse));
                case RMSE -> rmse;
                case CROSS_ENTROPY -> {
                    if (histA == null) {
                        histB = StatisticalMetrics.histogram(b);
                        histA = StatisticalMetrics.histogram(a);
                    }
                    yield (StatisticalMetrics.crossEntropy(histB, histF, f.size())
                            + StatisticalMetrics.crossEntropy(histA, histF, f.size())) / 2;
                }
                case EDGE_INTENSITY -> StatisticalMetrics.edgeIntensity(f);
                default -> throw new IllegalStateException(m + " under " + profile);
            };
            out.put(m, v);
        }
        return out;
    }

    private Vif.Sources vif(boolean saturateScale1) {
        if (vif == null) {
            vif = new Vif.Sources(a, b, saturateScale1);
        }
        return vif;
    }

    private Ssim.Sources ssim(Ssim.Window w, Plane first, Plane second) {
        if (ssim == null) {
            ssim = new Ssim.Sources(w, first, second);
        }
        return ssim;
    }

    private EdgeMetrics.QabfSources qabf(double scale, Plane first, Plane second) {
        if (qabf == null) {
            // 8-bit planes times 1 or 255 stay integers; divided by 255 (tang2022) they do not
            qabf = new EdgeMetrics.QabfSources(qabfScaled(first, scale), qabfScaled(second, scale), scale >= 1);
        }
        return qabf;
    }

    private EdgeMetrics.NabfSources nabf() {
        if (nabf == null) {
            nabf = new EdgeMetrics.NabfSources(a, b);
        }
        return nabf;
    }

    /** MI sources: tang* bits with the 254/255 merge, else nats; VIFB min–max stretches each plane, visible first. */
    private MutualInformation.Sources mi(boolean tang, boolean vifb) {
        if (mi == null) {
            mi = vifb ? new MutualInformation.Sources(false, false, MutualInformation.vifbStretch(b),
                    MutualInformation.vifbStretch(a)) : new MutualInformation.Sources(tang, tang, a, b);
        }
        return mi;
    }

    private StatisticalMetrics.Sources correlations() {
        if (correlations == null) {
            correlations = new StatisticalMetrics.Sources(a, b);
        }
        return correlations;
    }

    /** A plane on the scale Qabf is computed on (tang2022 on 0..1: divided by 255 as {@code im2double} does). */
    private static Plane qabfScaled(Plane p, double scale) {
        if (scale == 1) {
            return p;
        }
        boolean divide = scale < 1;
        return p.scaled(divide ? 1 / scale : scale, divide);
    }

    /** (MSE(A,F) + MSE(B,F)) / 2 on planes divided by {@code divisor}. */
    private double meanMse(Plane f, double divisor) {
        return (StatisticalMetrics.meanSquaredError(a, f, divisor) + StatisticalMetrics.meanSquaredError(b, f, divisor))
                / 2;
    }

    private static double max(Plane p) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : p.v()) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static double square(double x) {
        return x * x;
    }
}
