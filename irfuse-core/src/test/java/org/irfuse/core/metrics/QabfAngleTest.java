package org.irfuse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Qabf's vectorised orientation {@link EdgeMetrics#qabfAngles} against the toolkits' rule {@code Sx = 0 ? π/2 :
 * atan(Sy/Sx)} with fdlibm's atan: within 2 ulps of π/2 (4.5e-16) on the zero cases, equal magnitudes, Sobel
 * responses of 8-bit planes on the three scales the profiles use (0..255, /255, ×255) and a million random
 * ratios over 60 binary orders of magnitude; and its exponential {@link EdgeMetrics#exp40}.
 */
class QabfAngleTest {
    private static final double TOLERANCE = 4.5e-16;

    private static void check(double[] sx, double[] sy) {
        double[] out = new double[sx.length];
        EdgeMetrics.qabfAngles(sx, sy, out, new double[sx.length], sx.length);
        for (int i = 0; i < sx.length; i++) {
            double expected = sx[i] == 0 ? Math.PI / 2 : StrictMath.atan(sy[i] / sx[i]);
            double err = Math.abs(out[i] - expected);
            int k = i;
            assertTrue(err <= TOLERANCE, () -> "Sx = " + sx[k] + ", Sy = " + sy[k] + ": " + out[k] + " against "
                    + expected);
        }
    }

    @Test
    void zerosAndEqualMagnitudes() {
        check(new double[] {0, 0, 0, 3, -3, 5, -5, 5, -5, 1020, -1020, 0},
                new double[] {0, 7, -7, 0, 0, 5, 5, -5, -5, -1020, 1020, -0.0});
    }

    @Test
    void sobelResponsesOnEveryProfileScale() {
        SplittableRandom r = new SplittableRandom(17);
        int n = 300_000;
        for (double scale : new double[] {1, 1 / 255.0, 255}) {
            double[] sx = new double[n];
            double[] sy = new double[n];
            for (int i = 0; i < n; i++) {
                sx[i] = (r.nextInt(2041) - 1020) * scale;
                sy[i] = (r.nextInt(2041) - 1020) * scale;
            }
            check(sx, sy);
        }
    }

    @Test
    void randomRatios() {
        SplittableRandom r = new SplittableRandom(19);
        int n = 1_000_000;
        double[] sx = new double[n];
        double[] sy = new double[n];
        for (int i = 0; i < n; i++) {
            sx[i] = r.nextBoolean() ? 1 : -1;
            sy[i] = Math.scalb(r.nextDouble(), r.nextInt(60) - 30) * (r.nextBoolean() ? 1 : -1);
        }
        check(sx, sy);
    }

    /** Qabf's vectorised exponential over its whole argument range [−40, 40]: within 1e-13 relative of Math.exp. */
    @Test
    void exp40() {
        int n = 1_000_001;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = -40 + 80.0 * i / (n - 1);
        }
        double[] x = v.clone();
        EdgeMetrics.exp40(v, 0, n);
        for (int i = 0; i < n; i++) {
            double expected = Math.exp(x[i]);
            double rel = Math.abs(v[i] - expected) / expected;
            int k = i;
            assertTrue(rel < 1e-13, () -> "exp(" + x[k] + ") = " + v[k] + " against " + expected);
        }
    }
}
