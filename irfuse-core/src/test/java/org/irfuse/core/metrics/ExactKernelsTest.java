package org.irfuse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The faster kernels the metrics use must give the very same doubles as the code the golden tests were matched
 * with: {@link FdlibmAtan} against {@link StrictMath#atan} (and {@link Math#atan}, which Qabf called before), the
 * one-pass Qabf Sobel against {@link Filters#conv2Same3x3}, the subsampling stream against unsubsampled 'valid'
 * filtering. Bits are compared, not values within a tolerance.
 */
class ExactKernelsTest {
    private static void sameBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> what + ": expected " + expected + ", got " + actual);
    }

    private static void atanMatches(double x) {
        sameBits(StrictMath.atan(x), FdlibmAtan.atan(x), "atan(" + x + ")");
        sameBits(Math.atan(x), FdlibmAtan.atan(x), "Math.atan(" + x + ")");
    }

    @Test
    void atanIsStrictMathAtSpecialValuesAndEveryReductionBoundary() {
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, 1, -1};
        for (double x : special) {
            atanMatches(x);
        }
        // The high words fdlibm branches on: 2^66, 0.4375, 2^-29, 11/16, 19/16, 2.4375; a few ulps either side.
        int[] hi = {0x44100000, 0x3fdc0000, 0x3e200000, 0x3fe60000, 0x3ff30000, 0x40038000};
        for (int h : hi) {
            double b = Double.longBitsToDouble((long) h << 32);
            double x = b;
            for (int i = 0; i < 8; i++) {
                atanMatches(x);
                atanMatches(-x);
                x = Math.nextDown(x);
            }
            x = b;
            for (int i = 0; i < 8; i++) {
                x = Math.nextUp(x);
                atanMatches(x);
                atanMatches(-x);
            }
        }
    }

    @Test
    void atanIsStrictMathOnRandomArgumentsAndSobelRatios() {
        SplittableRandom r = new SplittableRandom(15);
        for (int i = 0; i < 200_000; i++) {
            atanMatches(Double.longBitsToDouble(r.nextLong())); // every exponent, NaNs included
            atanMatches(Math.scalb(r.nextDouble(), r.nextInt(140) - 70) * (r.nextBoolean() ? 1 : -1));
            // Sobel responses of 8-bit images (|S| ≤ 1020) and of those divided by 255 (tang2022)
            double sy = r.nextInt(2041) - 1020;
            double sx = r.nextInt(2041) - 1020;
            atanMatches(sy / sx);
            atanMatches((sy / 255) / (sx / 255));
        }
    }

    /**
     * Both Sobel routes give conv2's doubles: the separable one on integer-valued planes (8-bit and VIFB's
     * 255·(0..255), where every partial sum is an exact integer), the in-order one on any plane (tang2022's 0..1
     * scale, fractional values).
     */
    @Test
    void oneSobelPassIsConv2SameOfBothKernels() {
        SplittableRandom r = new SplittableRandom(7);
        int[][] sizes = {{1, 1}, {1, 5}, {5, 1}, {2, 2}, {3, 3}, {4, 7}, {64, 48}};
        double[] kx = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
        double[] ky = {1, 2, 1, 0, 0, 0, -1, -2, -1};
        for (int[] s : sizes) {
            int w = s[0];
            int h = s[1];
            for (int variant = 0; variant < 4; variant++) {
                double scale = variant == 2 ? 1.0 / 255 : variant == 1 ? 255 : 1;
                boolean integral = variant < 2;
                double[] v = new double[w * h];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextInt(256) * scale + (variant == 3 && i % 3 == 0 ? r.nextDouble() : 0);
                }
                double[] ex = new double[v.length];
                double[] ey = new double[v.length];
                Filters.conv2Same3x3(v, w, h, kx, ex);
                Filters.conv2Same3x3(v, w, h, ky, ey);
                for (boolean route : integral ? new boolean[] {true, false} : new boolean[] {false}) {
                    double[] sx = new double[v.length];
                    double[] sy = new double[v.length];
                    EdgeMetrics.sobel(v, w, h, sx, sy, route);
                    for (int i = 0; i < v.length; i++) {
                        sameBits(ex[i], sx[i], w + "x" + h + " Sx at " + i + " separable " + route);
                        sameBits(ey[i], sy[i], w + "x" + h + " Sy at " + i + " separable " + route);
                    }
                }
            }
        }
    }

    @Test
    void subsampledValidFilteringKeepsEverySecondOutputOfTheFullFiltering() {
        SplittableRandom r = new SplittableRandom(3);
        for (int n : new int[] {3, 4, 5, 9, 17}) {
            for (int[] s : new int[][] {{n, n}, {n + 1, n + 2}, {40, 33}, {41, 30}}) {
                double[] v = new double[s[0] * s[1]];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextDouble() * 255;
                }
                Plane p = new Plane(s[0], s[1], v);
                double[] k = Filters.gaussian1d(n, n / 5.0);
                Plane full = Filters.valid(p, k, 1);
                Plane half = Filters.valid(p, k, 2);
                assertEquals((full.width() + 1) / 2, half.width());
                assertEquals((full.height() + 1) / 2, half.height());
                for (int y = 0; y < half.height(); y++) {
                    for (int x = 0; x < half.width(); x++) {
                        sameBits(full.v()[2 * y * full.width() + 2 * x], half.v()[y * half.width() + x],
                                n + "-tap " + s[0] + "x" + s[1] + " at " + x + "," + y);
                    }
                }
            }
        }
    }

    /**
     * 'valid' separable filtering as {@link ValidRows} documents it, written out plainly: rows first, each output
     * {@code k[c]·x[c] + k[0]·(x[0] + x[n−1]) + k[1]·(x[1] + x[n−2]) + ...} (from 0 for an even kernel).
     */
    private static double[] referenceValid(double[] v, int w, int h, double[] k) {
        int n = k.length;
        int ow = w - n + 1;
        int oh = h - n + 1;
        double[] rows = new double[ow * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ow; x++) {
                int start = y * w + x;
                rows[y * ow + x] = taps(k, t -> v[start + t]);
            }
        }
        double[] out = new double[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int start = y * ow + x;
                out[y * ow + x] = taps(k, t -> rows[start + t * ow]);
            }
        }
        return out;
    }

    private static double taps(double[] k, java.util.function.IntToDoubleFunction at) {
        int n = k.length;
        double s = (n & 1) == 1 ? k[n / 2] * at.applyAsDouble(n / 2) : 0;
        for (int t = 0; t < n / 2; t++) {
            s += k[t] * (at.applyAsDouble(t) + at.applyAsDouble(n - 1 - t));
        }
        return s;
    }

    @Test
    void validFilteringAddsTheTermsInTheDocumentedOrderForEveryKernelLength() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n = 1; n <= 19; n++) {
            double[] k = Filters.gaussian1d(n, Math.max(1.5, n / 5.0));
            int w = n + 23;
            int h = n + 6;
            double[] v = new double[w * h];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextInt(256) * (i % 2 == 0 ? 1 : r.nextDouble());
            }
            double[] expected = referenceValid(v, w, h, k);
            double[] actual = Filters.valid(new Plane(w, h, v), k).v();
            assertEquals(expected.length, actual.length);
            for (int i = 0; i < expected.length; i++) {
                sameBits(expected[i], actual[i], n + "-tap output " + i);
            }
        }
    }

    /**
     * A box kernel (SSIM's 7×7 window of cddfuse) takes ValidRows' running-sum route: on integer planes every
     * output is k[0]²·(the plain sum of its n×n window), bit for bit, since every partial sum is an exact integer;
     * on other values it stays within 1e-12 relative of the weighted form (of the window's mean magnitude). Rows
     * shorter than four segments, odd sizes and several planes through one stream (reset) are covered.
     */
    @Test
    void boxFilteringIsTheExactWindowSumTimesTheSquaredWeight() {
        SplittableRandom r = new SplittableRandom(21);
        for (int n : new int[] {3, 5, 7, 9}) {
            double[] k = Filters.box1d(n);
            for (int[] s : new int[][] {{n, n}, {n + 1, n + 2}, {n + 7, n + 3}, {n + 8, n + 5}, {640, 19}, {37, 41}}) {
                int w = s[0];
                int h = s[1];
                ValidRows rows = new ValidRows(k, w, 1);
                for (int plane = 0; plane < 2; plane++) {
                    double[] v = new double[w * h];
                    double[] f = new double[w * h];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = r.nextInt(65026); // up to 255², as the products of 8-bit planes
                        f[i] = r.nextDouble() * 255;
                    }
                    int ow = w - n + 1;
                    int oh = h - n + 1;
                    double[] actual = new double[ow * oh];
                    Filters.valid(v, w, h, rows, actual);
                    for (int y = 0; y < oh; y++) {
                        for (int x = 0; x < ow; x++) {
                            double sum = 0;
                            for (int i = 0; i < n; i++) {
                                for (int j = 0; j < n; j++) {
                                    sum += v[(y + i) * w + x + j];
                                }
                            }
                            sameBits(k[0] * k[0] * sum, actual[y * ow + x], n + "-box " + w + "x" + h + " at " + x
                                    + "," + y);
                        }
                    }
                    double[] weighted = referenceValid(f, w, h, k);
                    Filters.valid(f, w, h, rows, actual);
                    for (int i = 0; i < weighted.length; i++) {
                        assertEquals(weighted[i], actual[i], 1e-12 * 255, n + "-box, real values, output " + i);
                    }
                }
            }
        }
    }

    /** The per-pixel gray conversions as written before the row-wise vectorised version. */
    private static double referenceGray(float[] d, int n, int i, Profile.Gray rule, boolean gray) {
        if (gray) {
            return org.irfuse.core.image.Image.to8bit(d[i]);
        }
        int r = org.irfuse.core.image.Image.to8bit(d[i]);
        int g = org.irfuse.core.image.Image.to8bit(d[n + i]);
        int b = org.irfuse.core.image.Image.to8bit(d[2 * n + i]);
        if (rule == Profile.Gray.OPENCV_FLOAT) {
            return Math.rint((float) b * 0.114f + (float) g * 0.587f + (float) r * 0.299f);
        }
        return Math.floor(0.298936021293775 * r + 0.587043074451121 * g + 0.114020904255103 * b + 0.5);
    }

    @Test
    void grayConversionIsThePerPixelFormulaBitForBit() {
        SplittableRandom rnd = new SplittableRandom(11);
        float[] special = {Float.NaN, -0.0f, 0f, 1f, -1f, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            0.5f / 255, Math.nextDown(0.5f / 255), 254.5f / 255, 1e-30f};
        for (int channels : new int[] {1, 3}) {
            int w = 37;
            int h = 29;
            int n = w * h;
            float[] d = new float[channels * n];
            for (int i = 0; i < d.length; i++) {
                d[i] = i < special.length * 7 && i % 7 == 0 ? special[i / 7]
                        : i % 3 == 0 ? rnd.nextInt(256) / 255f : (float) rnd.nextDouble(-0.1, 1.1);
            }
            org.irfuse.core.image.Image img = new org.irfuse.core.image.Image(w, h, channels, d);
            for (Profile.Gray rule : new Profile.Gray[] {Profile.Gray.MATLAB, Profile.Gray.OPENCV_FLOAT}) {
                double[] got = Profile.toGray(img, rule).v();
                for (int i = 0; i < n; i++) {
                    sameBits(referenceGray(d, n, i, rule, channels == 1), got[i],
                            rule + " " + channels + "-channel pixel " + i);
                }
            }
        }
    }
}
