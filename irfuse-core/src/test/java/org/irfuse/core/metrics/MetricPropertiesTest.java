package org.irfuse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.irfuse.core.image.Image;
import org.junit.jupiter.api.Test;

/** Properties every correct implementation has (METRICS.md, "Reference values to test against"). */
class MetricPropertiesTest {
    private static final int W = 64;
    private static final int H = 48;

    /** A textured 8-bit plane: smooth gradient plus noise, seeded. */
    private static Plane texture(long seed) {
        Random r = new Random(seed);
        double[] v = new double[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                v[y * W + x] = Math.min(255, Math.max(0, Math.round(60 + 2.0 * x + y + 40 * r.nextGaussian())));
            }
        }
        return new Plane(W, H, v);
    }

    private static Plane constant(double value) {
        double[] v = new double[W * H];
        java.util.Arrays.fill(v, value);
        return new Plane(W, H, v);
    }

    @Test
    void ssimOfAnImageWithItselfIsOnePerSourceInEveryNormalisation() {
        Plane x = texture(1);
        assertEquals(1.0, Ssim.vifb(x, x), 1e-12);
        assertEquals(1.0, Ssim.cddfuse(x, x), 1e-12);
        assertEquals(1.0, Ssim.matlab(x, x), 1e-12);
        // The profiles' SSIM of F = A = B: summed over both sources (cddfuse) or their mean (tang*).
        assertEquals(2.0, new Evaluator(Profile.CDDFUSE, List.of(Metric.SSIM)).evaluateGray(x, x, x)
                .get(Metric.SSIM), 1e-12);
        assertEquals(1.0, new Evaluator(Profile.TANG2023, List.of(Metric.SSIM)).evaluateGray(x, x, x)
                .get(Metric.SSIM), 1e-12);
        assertTrue(Ssim.cddfuse(x, texture(2)) < 0.9, "different images are not similar");
    }

    @Test
    void nabfIsZeroWithoutArtefacts() {
        Plane x = texture(3);
        assertEquals(0.0, EdgeMetrics.nabf(x, x, x), 0.0);
        Plane noisier = texture(4);
        assertTrue(EdgeMetrics.nabf(x, x, noisier) > 0, "a fused image with new edges has artefacts");
    }

    @Test
    void scdAndCcAreInvariantToScaleAndOffset() {
        Plane a = texture(5);
        Plane b = texture(6);
        Plane f = texture(7);
        double scd = StatisticalMetrics.sumOfCorrelationsOfDifferences(a, b, f);
        double cc = StatisticalMetrics.correlationCoefficient(a, b, f);
        Plane a2 = a.scaled(3.5, false);
        Plane b2 = b.scaled(3.5, false);
        Plane f2 = f.scaled(3.5, false);
        assertEquals(scd, StatisticalMetrics.sumOfCorrelationsOfDifferences(a2, b2, f2), 1e-12);
        assertEquals(cc, StatisticalMetrics.correlationCoefficient(a2, b2, f2), 1e-12);
        assertEquals(cc, StatisticalMetrics.correlationCoefficient(a, b.scaled(0.25, false), f), 1e-12);
        assertNotEquals(scd, StatisticalMetrics.sumOfCorrelationsOfDifferences(a, b, texture(8)));
    }

    @Test
    void entropyOfAConstantImageIsZeroAndOfTwoEqualLevelsOneBit() {
        Plane c = constant(77);
        assertEquals(0.0, StatisticalMetrics.entropy(StatisticalMetrics.histogram(c), c.size()), 0.0);
        double[] half = new double[W * H];
        for (int i = half.length / 2; i < half.length; i++) {
            half[i] = 200;
        }
        Plane two = new Plane(W, H, half);
        assertEquals(1.0, StatisticalMetrics.entropy(StatisticalMetrics.histogram(two), two.size()), 1e-15);
    }

    @Test
    void handComputedValuesOnATinyImage() {
        // F = [0 2; 4 6]: horizontal diffs 2,2 (mean 4), vertical 4,4 (mean 16) -> SF = sqrt(20).
        Plane f = new Plane(2, 2, new double[] {0, 2, 4, 6});
        assertEquals(Math.sqrt(20), StatisticalMetrics.spatialFrequency(f, 1), 1e-15);
        assertEquals(Math.sqrt(20) / 255, StatisticalMetrics.spatialFrequency(f, 255), 1e-15);
        // gradient: gx = 2, gy = 4 everywhere -> sqrt((4 + 16)/2) = sqrt(10) per pixel.
        assertEquals(4 * Math.sqrt(10) / 1, StatisticalMetrics.averageGradient(f, false), 1e-12);
        assertEquals(Math.sqrt(10), StatisticalMetrics.averageGradient(f, true), 1e-12);
        // population SD of {0,2,4,6} = sqrt(5)
        assertEquals(Math.sqrt(5), StatisticalMetrics.standardDeviation(f), 1e-15);
    }

    @Test
    void miOfAnImageWithItselfIsItsEntropyTwiceAndTheTangMergeOnlyTouchesTheJointHistogram() {
        Plane x = texture(9);
        double en = StatisticalMetrics.entropy(StatisticalMetrics.histogram(x), x.size());
        assertEquals(en, MutualInformation.mi(x, x, true, false), 1e-12);
        // Two independent 1-bit images over levels 254/255: MI = 0, but Tang's joint histogram puts every pair
        // into one bin (H(X,Y) = 0) while the marginals keep 1 bit each, so its MI is 2 bits.
        double[] v = new double[W * H];
        double[] u = new double[W * H];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 2 == 0 ? 254 : 255;
            u[i] = i % 4 < 2 ? 254 : 255;
        }
        Plane p = new Plane(W, H, v);
        Plane q = new Plane(W, H, u);
        assertEquals(0.0, MutualInformation.mi(p, q, true, false), 1e-12);
        assertEquals(2.0, MutualInformation.mi(p, q, true, true), 1e-12);
    }

    @Test
    void profilesRefuseMetricsTheirToolkitDoesNotDefine() {
        assertThrows(IllegalArgumentException.class, () -> new Evaluator(Profile.VIFB, List.of(Metric.VIF)));
        assertThrows(IllegalArgumentException.class, () -> new Evaluator(Profile.CDDFUSE, List.of(Metric.RMSE)));
    }

    @Test
    void grayConversionsFollowEachToolkit() {
        // R=G=B stays; MATLAB rgb2gray and OpenCV float weights differ on saturated colours.
        float[] r = {1f, 10 / 255f};
        float[] g = {0f, 10 / 255f};
        float[] b = {0f, 10 / 255f};
        Image img = Image.rgb(2, 1, r, g, b);
        Plane matlab = Profile.TANG2022.grayPlane(img);
        Plane opencv = Profile.CDDFUSE.grayPlane(img);
        assertEquals(76.0, matlab.v()[0]); // round(0.298936021293775 * 255) = round(76.2287) = 76
        assertEquals(76.0, opencv.v()[0]); // rint(0.299f * 255) = rint(76.245) = 76
        assertEquals(10.0, matlab.v()[1]);
        assertEquals(10.0, opencv.v()[1]);
    }

    @Test
    void evaluatorRefusesImagesOfDifferentSizes() {
        Image small = Image.gray(4, 4, new float[16]);
        Image big = Image.gray(5, 4, new float[20]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Evaluator.allMetrics(Profile.CDDFUSE).evaluate(small, small, big));
        assertTrue(e.getMessage().contains("5x4"), e.getMessage());
    }

    @Test
    void allMetricsOfEveryProfileAreFiniteOnATexturedTriple() {
        Plane a = texture(10);
        Plane b = texture(11);
        Plane f = texture(12);
        for (Profile p : Profile.values()) {
            Map<Metric, Double> v = Evaluator.allMetrics(p).evaluateGray(a, b, f);
            assertEquals(p.metrics().size(), v.size(), p.id());
            v.forEach((m, x) -> assertTrue(Double.isFinite(x), p + " " + m + " = " + x));
        }
    }
}
