package org.irfuse.core.metrics;

/**
 * The linear filters the metrics share: MATLAB {@code fspecial('gaussian')} kernels, separable 'valid' and
 * replicate-padded 'same' correlation, and MATLAB's {@code conv2(..., 'same')} for 3×3 kernels with its summation
 * order (needed where a toolkit compares filter outputs for equality).
 */
final class Filters {
    private Filters() {
    }

    /**
     * The 1-D factor of MATLAB {@code fspecial('gaussian', n, sigma)}: {@code exp(-x²/(2σ²))} normalised to sum 1,
     * so that its outer product with itself is the 2-D kernel. fspecial zeroes 2-D entries below
     * {@code eps·max}; the caller's kernels (n ≤ 17, σ = n/5 or 1.5) have none, which is checked here.
     */
    static double[] gaussian1d(int n, double sigma) {
        double[] g = new double[n];
        double half = (n - 1) / 2.0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double x = i - half;
            g[i] = Math.exp(-(x * x) / (2 * sigma * sigma));
            sum += g[i];
        }
        double corner = g[0] * g[0] / (g[(n - 1) / 2] * g[(n - 1) / 2]);
        if (corner < Math.ulp(1.0)) {
            throw new IllegalArgumentException("gaussian " + n + "/" + sigma + " is not separable after fspecial's "
                    + "eps cut");
        }
        for (int i = 0; i < n; i++) {
            g[i] /= sum;
        }
        return g;
    }

    /** A uniform 1-D kernel of n taps (1/n each). */
    static double[] box1d(int n) {
        double[] k = new double[n];
        java.util.Arrays.fill(k, 1.0 / n);
        return k;
    }

    /**
     * Correlation with the separable kernel {@code k ⊗ k}, 'valid' region ((W−n+1)×(H−n+1)), as MATLAB
     * {@code filter2(w, x, 'valid')} and scipy {@code convolve2d(x, rot90(w,2), 'valid')} compute it (up to
     * rounding: rows first, then columns).
     */
    static Plane valid(Plane p, double[] k) {
        return valid(p, k, 1);
    }

    /**
     * {@link #valid} followed by keeping every {@code step}-th row and column from the first (VIF's
     * {@code filter2(win, x, 'valid')} then {@code (1:2:end, 1:2:end)}), computing only the kept outputs.
     */
    static Plane valid(Plane p, double[] k, int step) {
        int ow = validSize(p.width(), p.height(), k.length, step, true);
        int oh = validSize(p.width(), p.height(), k.length, step, false);
        double[] dst = new double[ow * oh];
        valid(p.v(), p.width(), p.height(), new ValidRows(k, p.width(), step), dst);
        return new Plane(ow, oh, dst);
    }

    /**
     * The output width ({@code horizontal}) or height of {@link #valid}.
     *
     * @throws IllegalArgumentException when the image is smaller than the window
     */
    static int validSize(int w, int h, int n, int step, boolean horizontal) {
        if (w - n + 1 <= 0 || h - n + 1 <= 0) {
            throw new IllegalArgumentException("image " + w + "x" + h + " is smaller than the " + n + "x" + n
                    + " window");
        }
        return ((horizontal ? w : h) - n + 1 + step - 1) / step;
    }

    /**
     * {@link #valid} of the row-major {@code w×h} array {@code src} into {@code dst} (its first ow·oh entries)
     * through {@code rows}, a stream of this kernel and step over rows of width w (see {@link ValidRows} for the
     * summation order); nothing is allocated.
     */
    static void valid(double[] src, int w, int h, ValidRows rows, double[] dst) {
        rows.reset();
        int ow = rows.outWidth();
        int oy = 0;
        for (int y = 0; y < h; y++) {
            if (rows.push(src, y * w)) {
                rows.emit(dst, oy * ow);
                oy++;
            }
        }
    }

    static Plane product(Plane a, Plane b) {
        double[] out = new double[a.size()];
        product(a.v(), b.v(), a.size(), out);
        return new Plane(a.width(), a.height(), out);
    }

    /** {@code out[i] = x[i]·y[i]} for the first {@code n} entries. */
    static void product(double[] x, double[] y, int n, double[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = x[i] * y[i];
        }
    }

    /**
     * Correlation with {@code k ⊗ k}, output the input size, borders replicated: MATLAB
     * {@code imfilter(x, w, 'replicate')} / {@code imgaussfilt(..., 'Padding', 'replicate')}.
     */
    static Plane sameReplicate(Plane p, double[] k) {
        int r = k.length / 2;
        int w = p.width();
        int h = p.height();
        double[] dst = new double[p.size()];
        ValidRows rows = new ValidRows(k, w + 2 * r, 1);
        double[] padded = new double[w + 2 * r];
        int oy = 0;
        for (int y = 0; y < h + 2 * r; y++) {
            replicateRow(p.v(), w, h, r, y, padded);
            if (rows.push(padded, 0)) {
                rows.emit(dst, oy * w);
                oy++;
            }
        }
        return new Plane(w, h, dst);
    }

    /**
     * Row {@code y} (0 ≤ y < h + 2r) of the w×h array {@code src} padded by r on every side with its border
     * values (MATLAB 'replicate') into {@code out} (w + 2r entries).
     */
    static void replicateRow(double[] src, int w, int h, int r, int y, double[] out) {
        int s = Math.min(h - 1, Math.max(0, y - r)) * w;
        double left = src[s];
        double right = src[s + w - 1];
        for (int x = 0; x < r; x++) {
            out[x] = left;
            out[r + w + x] = right;
        }
        System.arraycopy(src, s, out, r, w);
    }

    /**
     * MATLAB {@code conv2(x, k, 'same')} for a 3×3 kernel (row-major {@code k[r·3 + c]}), zero padding:
     * {@code C(i,j) = Σ k(r,c)·x(i+1−r, j+1−c)}. The terms are added in MATLAB's order, kernel columns outermost
     * and rows inside, skipping zero taps; with non-integer inputs that order decides whether two mathematically
     * equal responses compare equal (the Qabf {@code g_A = g_F} case of the tang2022 profile).
     */
    static double[] conv2Same3x3(Plane p, double[] k) {
        double[] out = new double[p.size()];
        conv2Same3x3(p.v(), p.width(), p.height(), k, out);
        return out;
    }

    /**
     * {@link #conv2Same3x3(Plane, double[])} of the row-major {@code w×h} array {@code src} into {@code out}. Row
     * by row (the row being summed stays in L1), each pixel's terms still in MATLAB's order.
     */
    /** Pixel (x, y) of {@link #conv2Same3x3(double[], int, int, double[], double[])}, its terms in the same order. */
    static double conv2Same3x3At(double[] src, int w, int h, double[] k, int x, int y) {
        double v = 0;
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < 3; r++) {
                double kv = k[r * 3 + c];
                int sy = y + 1 - r;
                int sx = x + 1 - c;
                if (kv != 0 && sy >= 0 && sy < h && sx >= 0 && sx < w) {
                    v += kv * src[sy * w + sx];
                }
            }
        }
        return v;
    }

    static void conv2Same3x3(double[] src, int w, int h, double[] k, double[] out) {
        for (int y = 0; y < h; y++) {
            int o = y * w;
            java.util.Arrays.fill(out, o, o + w, 0);
            for (int c = 0; c < 3; c++) {
                for (int r = 0; r < 3; r++) {
                    double kv = k[r * 3 + c];
                    int sy = y + 1 - r;
                    if (kv == 0 || sy < 0 || sy >= h) {
                        continue;
                    }
                    int dx = 1 - c;
                    int x0 = Math.max(0, -dx);
                    int x1 = Math.min(w, w - dx);
                    int s = sy * w + dx;
                    for (int x = x0; x < x1; x++) {
                        out[o + x] += kv * src[s + x];
                    }
                }
            }
        }
    }
}
