package org.irfuse.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.Test;

/** The named fusion loss terms: hand-computed values on 3×3 images, the composition, spec parsing, legacy bits. */
class FusionLossTest {
    private static final Shape S3 = new Shape(1, 1, 3, 3);
    /** X(r, c) = c. */
    private static final double[] RAMP = {0, 1, 2, 0, 1, 2, 0, 1, 2};
    /** X(r, c) = r. */
    private static final double[] RAMP_T = {0, 0, 0, 1, 1, 1, 2, 2, 2};

    private static NDArray f64(NDManager m, double[] v) {
        return m.create(v, S3);
    }

    @Test
    void sobelMagnitudeOfARampIsTheHandValue() {
        // Zero padding 1, cross-correlation. For X(r, c) = c:
        //   Sx ⋆ X = [[3, 6, -3], [4, 8, -4], [3, 6, -3]] (column differences 1, 2, -1 times 1+2 (+1) rows);
        //   Sy ⋆ X = [[-1, -4, -5], [0, 0, 0], [1, 4, 5]] (row sums 1, 4, 5 of [1 2 1]·X, top minus bottom);
        //   |Sx ⋆ X| + |Sy ⋆ X| = [[4, 10, 8], [4, 8, 4], [4, 10, 8]].
        try (Compute c = Compute.cpu(); NDManager m = c.newStep()) {
            assertArrayEquals(new double[] {4, 10, 8, 4, 8, 4, 4, 10, 8},
                    TextureLoss.gradient(f64(m, RAMP)).toDoubleArray(), 1e-12);
            assertArrayEquals(new double[] {4, 4, 4, 10, 8, 10, 8, 4, 8},
                    TextureLoss.gradient(f64(m, RAMP_T)).toDoubleArray(), 1e-12);
        }
    }

    @Test
    void textureTermIsTheHandValue() {
        // I = ramp, Y = its transpose: max(|∇I|, |∇Y|) = [[4,10,8],[10,8,10],[8,10,8]];
        // F = I/2: |∇F| = [[2,5,4],[2,4,2],[2,5,4]]; |difference| = [[2,5,4],[8,4,8],[6,5,4]], sum 46.
        try (Compute c = Compute.cpu(); NDManager m = c.newStep()) {
            NDArray ir = f64(m, RAMP);
            LossInputs in = new LossInputs(ir.mul(0.5), ir, f64(m, RAMP_T), ir);
            assertEquals(46.0 / 9, new TextureLoss().of(in).getDouble(), 1e-12);
            // Identical edges cost nothing.
            assertEquals(0.0, new TextureLoss().of(new LossInputs(ir, ir, ir.mul(0.5), ir)).getDouble(), 1e-12);
        }
    }

    @Test
    void intensityTermAndItsGradientAreTheHandValues() {
        double[] ir = {0.2, 0.8, 0.5, 0.1, 0.9, 0.3, 0.6, 0.4, 0.7};
        double[] y = {0.5, 0.3, 0.4, 0.6, 0.2, 0.35, 0.1, 0.45, 0.8};
        // max(I, Y) = {0.5, 0.8, 0.5, 0.6, 0.9, 0.35, 0.6, 0.45, 0.8}
        double[] f = {0.7, 0.6, 0.55, 0.3, 1.0, 0.25, 0.65, 0.4, 0.9};
        // F − max = {.2, −.2, .05, −.3, .1, −.1, .05, −.05, .1}: sum of magnitudes 1.15.
        try (Compute c = Compute.cpu(); NDManager m = c.newStep()) {
            NDArray fused = f64(m, f);
            fused.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = new IntensityLoss().of(new LossInputs(fused, f64(m, ir), f64(m, y), fused));
                assertEquals(1.15 / 9, l.getDouble(), 1e-12);
                gc.backward(l);
            }
            double n = 9;
            assertArrayEquals(new double[] {1 / n, -1 / n, 1 / n, -1 / n, 1 / n, -1 / n, 1 / n, -1 / n, 1 / n},
                    fused.getGradient().toDoubleArray(), 1e-12);
        }
    }

    @Test
    void textureGradientMatchesFiniteDifferences() {
        Random r = new Random(3);
        double[] f = new double[36];
        double[] ir = new double[36];
        double[] y = new double[36];
        for (int i = 0; i < 36; i++) {
            f[i] = r.nextDouble();
            ir[i] = r.nextDouble();
            y[i] = r.nextDouble();
        }
        Shape s = new Shape(1, 1, 6, 6);
        try (Compute c = Compute.cpu(); NDManager m = c.newStep()) {
            NDArray fused = m.create(f, s);
            fused.setRequiresGradient(true);
            NDArray i = m.create(ir, s);
            NDArray l = m.create(y, s);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(new TextureLoss().of(new LossInputs(fused, i, l, i)));
            }
            double[] g = fused.getGradient().toDoubleArray();
            double h = 1e-6;
            for (int p : new int[] {0, 7, 14, 21, 35}) {
                double[] up = f.clone();
                double[] down = f.clone();
                up[p] += h;
                down[p] -= h;
                double numeric = (new TextureLoss().of(new LossInputs(m.create(up, s), i, l, i)).getDouble()
                        - new TextureLoss().of(new LossInputs(m.create(down, s), i, l, i)).getDouble()) / (2 * h);
                assertEquals(numeric, g[p], 1e-6, "pixel " + p);
            }
        }
    }

    @Test
    void aCompositionIsTheWeightedSumAndLogsUnweightedTerms() {
        try (Compute c = Compute.cpu(); NDManager m = c.newStep()) {
            NDArray ir = f64(m, RAMP).div(2);
            NDArray y = f64(m, RAMP_T).div(2);
            LossInputs in = new LossInputs(ir.add(y).div(2), ir, y, ir.maximum(y).mul(0.9));
            double sal = new SaliencyTargetLoss().of(in).getDouble();
            double inten = new IntensityLoss().of(in).getDouble();
            double tex = new TextureLoss().of(in).getDouble();
            FusionLoss loss = FusionLoss.parse("saliency=1,intensity=0.5,texture=2");
            FusionLoss.Evaluation e = loss.evaluate(in);
            assertEquals(sal + 0.5 * inten + 2 * tex, e.total().getDouble(), 1e-12);
            Map<String, Double> logged = e.logged();
            assertEquals(List.of("loss.saliency", "loss.intensity", "loss.texture"), List.copyOf(logged.keySet()));
            assertEquals(sal, logged.get("loss.saliency"), 1e-12);
            assertEquals(inten, logged.get("loss.intensity"), 1e-12);
            assertEquals(tex, logged.get("loss.texture"), 1e-12);
            assertTrue(inten > 0 && tex > 0, "the example exercises both new terms");
            // A single term: its value is loss.fusion already, nothing extra is logged.
            assertTrue(FusionLoss.defaults().evaluate(in).logged().isEmpty());
            // Weight 0: monitored (logged) but out of the total, which keeps its bits.
            FusionLoss monitor = FusionLoss.parse("saliency=1,texture=0");
            assertEquals(Double.doubleToLongBits(sal), Double.doubleToLongBits(monitor.total(in).getDouble()));
            assertEquals(tex, monitor.evaluate(in).logged().get("loss.texture"), 1e-12);
        }
    }

    /** The fusion loss exactly as it was written before the terms became composable (commit 95c66c0). */
    private static NDArray legacy(NDArray fused, NDArray target) {
        NDArray l1 = fused.sub(target).abs().mean();
        NDArray ssim = Ssim.mean(fused, target);
        return l1.add(ssim.neg().add(1).mul(1.1f));
    }

    @Test
    void theDefaultCompositionIsTheLegacyLossBitForBit() {
        Random r = new Random(11);
        int h = 24;
        int w = 20;
        float[][] planes = new float[3][2 * h * w];
        for (float[] p : planes) {
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextFloat();
            }
        }
        Shape s = new Shape(2, 1, h, w);
        try (Compute c = Compute.cpu(); NDManager m = c.newStep()) {
            NDArray target = m.create(planes[2], s);
            NDArray a = m.create(planes[0], s);
            NDArray b = m.create(planes[0], s);
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            NDArray old;
            NDArray now;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                old = legacy(a, target);
                gc.backward(old);
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                now = FusionLoss.parse(FusionLoss.DEFAULT_SPEC).total(new LossInputs(b, m.create(planes[1], s),
                        m.create(planes[1], s).mul(0.5f), target));
                gc.backward(now);
            }
            assertEquals(DataType.FLOAT32, now.getDataType());
            assertEquals(Float.floatToIntBits(old.getFloat()), Float.floatToIntBits(now.getFloat()));
            float[] ga = a.getGradient().toFloatArray();
            float[] gb = b.getGradient().toFloatArray();
            for (int i = 0; i < ga.length; i++) {
                assertEquals(Float.floatToIntBits(ga[i]), Float.floatToIntBits(gb[i]), "gradient " + i);
            }
            assertEquals(Float.floatToIntBits(old.getFloat()), Float.floatToIntBits(FusionLoss.of(a, target)
                    .getFloat()));
        }
    }

    private static String error(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> FusionLoss.parse(spec)).getMessage();
    }

    @Test
    void specsAreParsedCanonicallyAndBadOnesNamed() {
        assertEquals("saliency=1", FusionLoss.defaults().spec());
        assertEquals("saliency=1,intensity=0.5,texture=10",
                FusionLoss.parse(" Saliency = 1.0 , intensity=.5,texture=1e1 ").spec());
        assertEquals(List.of("saliency", "intensity", "texture"), FusionLoss.known());

        assertTrue(error("").startsWith("--loss is empty"), error(""));
        assertTrue(error("  ").contains("saliency=1,intensity=0.5,texture=1"));
        String unknown = error("saliency=1,edges=2");
        assertTrue(unknown.contains("unknown term 'edges'") && unknown.contains("known: saliency, intensity, "
                + "texture"), unknown);
        assertTrue(error("intensity=-1").contains("'intensity' must be 0 or a positive number, got -1.0"));
        assertTrue(error("intensity=NaN").contains("must be 0 or a positive number"));
        assertTrue(error("intensity=Infinity").contains("must be 0 or a positive number"));
        assertTrue(error("texture").contains("'texture' needs a weight (NAME=WEIGHT"), error("texture"));
        assertTrue(error("saliency=1,").contains("needs a weight"), error("saliency=1,"));
        assertTrue(error("texture=abc").contains("weight of 'texture' is not a number: 'abc'"));
        assertTrue(error("saliency=1,saliency=2").contains("'saliency' is given twice"));
        assertTrue(error("intensity=0").contains("at least one term with a positive weight, got intensity=0"),
                error("intensity=0"));
    }
}
