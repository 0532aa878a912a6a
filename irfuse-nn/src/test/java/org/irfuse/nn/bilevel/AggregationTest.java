package org.irfuse.nn.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each aggregation strategy against its closed form (METHOD.md, Dynamic weighted aggregation) on given vectors. */
class AggregationTest {
    // G_D = (3, 0 | 1), G_T = (0, 1 | 2): two tensors per gradient, as for a network's parameter list.
    static final double[] GD = {3, 0, 1};
    static final double[] GT = {0, 1, 2};

    static NDList list(NDManager m, double[] v) {
        return new NDList(m.create(new double[] {v[0], v[1]}, new Shape(2)), m.create(new double[] {v[2]},
                new Shape(1)));
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static Aggregation.Weights weights(String name, double[] d, double[] t, Random rnd) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList gD = list(m, d);
            NDList gT = list(m, t);
            Aggregation.Weights w = Aggregation.byName(name).weights(Aggregation.Geometry.of(gD, gT), rnd);
            // The combined vector is w_D·G_D + w_T·G_T, tensor by tensor.
            double[] combined = TinySystem.flat(Aggregation.apply(w, gD, gT, m));
            for (int i = 0; i < 3; i++) {
                assertEquals(w.d() * d[i] + w.t() * t[i], combined[i], 1e-12);
            }
            return w;
        }
    }

    @Test
    void meanIsHalfAndHalf() {
        Aggregation.Weights w = weights("mean", GD, GT, new Random(1));
        assertEquals(0.5, w.d(), 0);
        assertEquals(0.5, w.t(), 0);
    }

    @Test
    void randomIsTheSoftmaxOfTwoNormalDraws() {
        Random r = new Random(42);
        double zD = r.nextGaussian();
        double zT = r.nextGaussian();
        Aggregation.Weights w = weights("random", GD, GT, new Random(42));
        assertEquals(Math.exp(zD) / (Math.exp(zD) + Math.exp(zT)), w.d(), 1e-15);
        assertEquals(Math.exp(zT) / (Math.exp(zD) + Math.exp(zT)), w.t(), 1e-15);
        // A different step draws different weights.
        assertTrue(Math.abs(weights("random", GD, GT, new Random(43)).d() - w.d()) > 1e-6);
    }

    @Test
    void normWeighsInverselyToTheGradientNorms() {
        double nD = Math.sqrt(dot(GD, GD));
        double nT = Math.sqrt(dot(GT, GT));
        Aggregation.Weights w = weights("norm", GD, GT, new Random(1));
        assertEquals((1 / nD) / (1 / nD + 1 / nT), w.d(), 1e-15);
        assertEquals(1, w.d() + w.t(), 1e-15);
        // Both weighted gradients then have the same length.
        assertEquals(w.d() * nD, w.t() * nT, 1e-12);
    }

    @Test
    void mgdaIsTheClosedFormMinimumNormCombination() {
        double[] diff = {GD[0] - GT[0], GD[1] - GT[1], GD[2] - GT[2]};
        double expected = (dot(GT, GT) - dot(GD, GT)) / dot(diff, diff);
        assertTrue(expected > 0 && expected < 1, "test vectors should give an interior alpha");
        Aggregation.Weights w = weights("mgda", GD, GT, new Random(1));
        assertEquals(expected, w.d(), 1e-15);
        assertEquals(1 - expected, w.t(), 1e-15);
        // It is the minimum of ‖αG_D + (1−α)G_T‖ over a fine grid of α in [0, 1].
        double best = Double.MAX_VALUE;
        for (int i = 0; i <= 10000; i++) {
            double a = i / 10000.0;
            double[] v = {a * GD[0] + (1 - a) * GT[0], a * GD[1] + (1 - a) * GT[1], a * GD[2] + (1 - a) * GT[2]};
            best = Math.min(best, dot(v, v));
        }
        double[] v = {w.d() * GD[0] + w.t() * GT[0], w.d() * GD[1] + w.t() * GT[1], w.d() * GD[2] + w.t() * GT[2]};
        assertTrue(dot(v, v) <= best + 1e-12);
    }

    @Test
    void mgdaClipsToTheEnds() {
        // G_T lies beyond G_D in the same direction: the shorter one, G_D, alone is the minimum (α = 1).
        Aggregation.Weights w = weights("mgda", new double[] {1, 0, 0}, new double[] {3, 0, 0}, new Random(1));
        assertEquals(1, w.d(), 0);
        assertEquals(0, w.t(), 0);
        Aggregation.Weights w2 = weights("mgda", new double[] {3, 0, 0}, new double[] {1, 0, 0}, new Random(1));
        assertEquals(0, w2.d(), 0);
    }

    @Test
    void unknownNameIsRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Aggregation.byName("max"));
        assertTrue(e.getMessage().contains("mgda"));
    }
}
