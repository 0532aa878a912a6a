package org.irfuse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /**
     * The polynomial stage split into four loops (so C2 vectorises it) is, element by element, the one expression
     * it came from: the same double, on a block at an offset and a tail shorter than the vector length.
     */
    @Test
    void splitPolynomialIsTheOneExpressionBitForBit() {
        SplittableRandom r = new SplittableRandom(23);
        double c = Math.sqrt(2) - 1;
        double[] u = new double[3000];
        for (int i = 0; i < u.length; i++) {
            u[i] = i < 4 ? new double[] {0, -0.0, c, -c}[i] : r.nextDouble(-c, c);
        }
        double[] expected = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            double x = u[i];
            double z = x * x;
            double w = z * z;
            double s1 = z * (FdlibmAtan.AT0 + w * (FdlibmAtan.AT2 + w * (FdlibmAtan.AT4 + w * (FdlibmAtan.AT6
                    + w * (FdlibmAtan.AT8 + w * FdlibmAtan.AT10)))));
            double s2 = w * (FdlibmAtan.AT1 + w * (FdlibmAtan.AT3 + w * (FdlibmAtan.AT5 + w * (FdlibmAtan.AT7
                    + w * FdlibmAtan.AT9))));
            expected[i] = StrictMath.atan(c) + (x - x * (s1 + s2));
        }
        double[][] scratch = new double[4][1024];
        EdgeMetrics.atanPolynomial(u, 0, 1024, scratch[0], scratch[1], scratch[2], scratch[3]);
        EdgeMetrics.atanPolynomial(u, 1024, 1024, scratch[0], scratch[1], scratch[2], scratch[3]);
        EdgeMetrics.atanPolynomial(u, 2048, 952, scratch[0], scratch[1], scratch[2], scratch[3]);
        for (int i = 0; i < u.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(u[i]), "element " + i);
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
