package org.irfuse.core.metrics;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.irfuse.core.image.Image;

/**
 * Computes a set of fusion metrics for one (A = infrared, B = visible, F = fused) triple under a {@link Profile}.
 * Thread-safe and stateless apart from its configuration: evaluate many triples in parallel with one instance.
 * Work shared between metrics (gray conversion, F's histogram, F's Sobel maps) is done once per triple.
 */
public final class Evaluator {
    private final Profile profile;
    private final List<Metric> metrics;

    /**
     * @throws IllegalArgumentException when the profile's toolkit does not define one of the metrics
     */
    public Evaluator(Profile profile, Collection<Metric> metrics) {
        for (Metric m : metrics) {
            if (!profile.supports(m)) {
                throw new IllegalArgumentException("metric " + m.label() + " is not defined by profile "
                        + profile.id() + " (it has " + String.join(", ", profile.metrics().stream()
                                .map(Metric::label).toList()) + ")");
            }
        }
        this.profile = profile;
        this.metrics = List.copyOf(metrics);
    }

    /** All metrics the profile defines. */
    public static Evaluator allMetrics(Profile profile) {
        return new Evaluator(profile, profile.metrics());
    }

    public Profile profile() {
        return profile;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    /**
     * The metric values for one triple, in the order of {@link #metrics()}.
     *
     * @throws IllegalArgumentException when the three images differ in size
     */
    public Map<Metric, Double> evaluate(Image ir, Image vis, Image fused) {
        if (!ir.sameSize(fused) || !vis.sameSize(fused)) {
            throw new IllegalArgumentException("sizes differ: infrared " + ir.sizeString() + ", visible "
                    + vis.sizeString() + ", fused " + fused.sizeString());
        }
        if (profile == Profile.VIFB) {
            return evaluateVifb(ir, vis, fused);
        }
        return evaluateGray(profile.grayPlane(ir), profile.grayPlane(vis), profile.grayPlane(fused));
    }

    /** The metric values for three 8-bit gray planes (for {@code vifb}: one colour channel, no averaging). */
    public Map<Metric, Double> evaluateGray(Plane a, Plane b, Plane f) {
        if (!a.sameSize(f) || !b.sameSize(f)) {
            throw new IllegalArgumentException("planes differ in size");
        }
        if (profile == Profile.VIFB) {
            return vifbChannel(a, b, f);
        }
        Map<Metric, Double> out = new EnumMap<>(Metric.class);
        boolean tang = profile == Profile.TANG2022 || profile == Profile.TANG2023;
        boolean tang2022 = profile == Profile.TANG2022;
        for (Metric m : metrics) {
            double v = switch (m) {
                case EN -> StatisticalMetrics.entropy(StatisticalMetrics.histogram(f), f.size());
                case SD -> tang2022 ? StatisticalMetrics.standardDeviationUint8Saturated(f)
                        : StatisticalMetrics.standardDeviation(f);
                case SF -> StatisticalMetrics.spatialFrequency(f, tang2022 ? 255 : 1);
                case AG -> StatisticalMetrics.averageGradient(f, profile == Profile.CDDFUSE);
                case MI -> MutualInformation.mi(a, f, tang, tang) + MutualInformation.mi(b, f, tang, tang);
                case SCD -> StatisticalMetrics.sumOfCorrelationsOfDifferences(a, b, f);
                case CC -> StatisticalMetrics.correlationCoefficient(a, b, f);
                case VIF -> Vif.vifSum(a, b, f, tang2022);
                case QABF -> qabf(a, b, f, tang2022 ? 1.0 / 255 : 1);
                case NABF -> EdgeMetrics.nabf(a, b, f);
                case SSIM -> tang ? Ssim.matlabSum(f, a, b) / 2 : Ssim.cddfuseSum(f, a, b);
                case PSNR -> tang ? 20 * Math.log10(255 / Math.sqrt(meanMse(a, b, f, 255)))
                        : 10 * Math.log10(square(max(f)) / meanMse(a, b, f, 1));
                case MSE -> meanMse(a, b, f, tang ? 255 : 1);
                default -> throw new IllegalStateException(m + " under " + profile);
            };
            out.put(m, v);
        }
        return out;
    }

    /** Qabf on planes scaled by {@code scale} (tang2022 on 0..1: divided by 255 as {@code im2double} does). */
    private static double qabf(Plane a, Plane b, Plane f, double scale) {
        if (scale != 1) {
            boolean divide = scale < 1;
            double factor = divide ? 1 / scale : scale;
            a = a.scaled(factor, divide);
            b = b.scaled(factor, divide);
            f = f.scaled(factor, divide);
        }
        return EdgeMetrics.qabf(EdgeMetrics.qabfEdges(a), EdgeMetrics.qabfEdges(b), EdgeMetrics.qabfEdges(f));
    }

    private static double meanMse(Plane a, Plane b, Plane f, double divisor) {
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

    /**
     * VIFB: every metric per channel k of F against IR (its channel k when it has three, else its only one) and
     * visible channel k, then the mean over channels; a gray F is compared with {@code rgb2gray} of the sources.
     * Spatial_frequency is the exception: VIFB lays the channels side by side (see
     * {@link StatisticalMetrics#spatialFrequencyVifb}).
     */
    private Map<Metric, Double> evaluateVifb(Image ir, Image vis, Image fused) {
        int channels = fused.channels();
        Plane[] fk = new Plane[channels];
        Map<Metric, Double> sum = new EnumMap<>(Metric.class);
        for (int k = 0; k < channels; k++) {
            Plane a;
            Plane b;
            if (channels == 1) {
                a = Profile.toGray(ir, Profile.Gray.MATLAB);
                b = Profile.toGray(vis, Profile.Gray.MATLAB);
            } else {
                a = Profile.channel(ir, ir.isGray() ? 0 : k);
                b = Profile.channel(vis, vis.isGray() ? 0 : k);
            }
            fk[k] = Profile.channel(fused, k);
            vifbChannel(a, b, fk[k]).forEach((m, v) -> sum.merge(m, v, Double::sum));
        }
        Map<Metric, Double> out = new EnumMap<>(Metric.class);
        for (Metric m : metrics) {
            out.put(m, m == Metric.SF ? StatisticalMetrics.spatialFrequencyVifb(fk) : sum.get(m) / channels);
        }
        return out;
    }

    /** One channel of the VIFB metrics (A = infrared, B = visible). */
    private Map<Metric, Double> vifbChannel(Plane a, Plane b, Plane f) {
        Map<Metric, Double> out = new EnumMap<>(Metric.class);
        long[] histF = null;
        for (Metric m : metrics) {
            if ((m == Metric.EN || m == Metric.CROSS_ENTROPY) && histF == null) {
                histF = StatisticalMetrics.histogram(f);
            }
            double v = switch (m) {
                case EN -> StatisticalMetrics.entropy(histF, f.size());
                case SD -> StatisticalMetrics.standardDeviation(f);
                case SF -> StatisticalMetrics.spatialFrequencyVifb(new Plane[] {f});
                case AG -> StatisticalMetrics.averageGradient(f, false);
                case MI -> {
                    Plane fs = MutualInformation.vifbStretch(f);
                    yield MutualInformation.mi(MutualInformation.vifbStretch(b), fs, false, false)
                            + MutualInformation.mi(MutualInformation.vifbStretch(a), fs, false, false);
                }
                // metricsQabf.m: 255*im2double(double image) leaves 0..255·255, which matters only via g_X = g_F.
                case QABF -> qabf(b, a, f, 255);
                case SSIM -> Ssim.vifbSum(f, b, a);
                case PSNR -> 20 * Math.log10(255 / Math.sqrt(
                        (StatisticalMetrics.vifbMse(b, f) + StatisticalMetrics.vifbMse(a, f)) / 2));
                case RMSE -> (StatisticalMetrics.vifbMse(b, f) + StatisticalMetrics.vifbMse(a, f)) / 2;
                case CROSS_ENTROPY -> (StatisticalMetrics.crossEntropy(StatisticalMetrics.histogram(b), histF, f.size())
                        + StatisticalMetrics.crossEntropy(StatisticalMetrics.histogram(a), histF, f.size())) / 2;
                case EDGE_INTENSITY -> StatisticalMetrics.edgeIntensity(f);
                default -> throw new IllegalStateException(m + " under " + profile);
            };
            out.put(m, v);
        }
        return out;
    }
}
