package org.irfuse.core.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeformableEstimatorTest {
    @Test
    void subdivisionReproducesTheCoarseFieldExactlyOverTheImage() {
        // B-spline subdivision is exact (two-scale relation): the refined grid describes the same field.
        DeformableEstimator.Grid coarse = new DeformableEstimator.Grid(640, 480, 80);
        Random r = new Random(3);
        for (int i = 0; i < coarse.cx.length; i++) {
            coarse.cx[i] = 20 * r.nextGaussian();
            coarse.cy[i] = 20 * r.nextGaussian();
        }
        DeformableEstimator.Grid fine = coarse.refine(640, 480);
        assertEquals(40, fine.spacing);
        assertEquals(19, fine.nx); // ⌊639/40⌋ + 4
        assertEquals(15, fine.ny);
        double worst = 0;
        for (int y = 0; y < 480; y += 7) {
            for (int x = 0; x < 640; x += 7) {
                double[] a = coarse.at(x, y);
                double[] b = fine.at(x, y);
                worst = Math.max(worst, Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])));
            }
        }
        assertEquals(0, worst, 1e-9, "largest difference " + worst);
    }

    @Test
    void choleskySolvesASmallSystemExactly() {
        // A = [[4, 2], [2, 3]]: x = A⁻¹b by hand, A⁻¹ = [[3, −2], [−2, 4]] / 8.
        double[][] a = {{4, 2}, {2, 3}};
        double[][] x = Linear.choleskySolve(a, new double[] {8, 8}, new double[] {1, 0});
        assertArrayEquals(new double[] {1, 2}, x[0], 1e-12);
        assertArrayEquals(new double[] {3.0 / 8, -2.0 / 8}, x[1], 1e-12);
        double[][] indefinite = {{1, 2}, {2, 1}};
        assertEquals(null, Linear.choleskySolve(indefinite, new double[] {1, 1}));
    }

    @Test
    void stagesMustRefineByHalving() {
        AlignmentProblem p = null;
        assertThrows(IllegalArgumentException.class, () -> new DeformableEstimator(p,
                List.of(new DeformableEstimator.Stage(160, 2, 1, 0.1), new DeformableEstimator.Stage(60, 1, 1, 0.1)),
                0.01, 4));
    }
}
