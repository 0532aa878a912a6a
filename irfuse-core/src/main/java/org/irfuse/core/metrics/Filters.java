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
     * The kernel must be symmetric (Gaussian, box): mirrored taps are added first, halving the products.
     */
    static Plane valid(Plane p, double[] k, int step) {
        int n = k.length;
        int w = p.width();
        int h = p.height();
        int fw = w - n + 1;
        int fh = h - n + 1;
        if (fw <= 0 || fh <= 0) {
            throw new IllegalArgumentException("image " + w + "x" + h + " is smaller than the " + n + "x" + n
                    + " window");
        }
        int ow = (fw + step - 1) / step;
        int oh = (fh + step - 1) / step;
        int half = n / 2;
        boolean odd = (n & 1) == 1;
        double[] src = p.v();
        double[] rows = new double[ow * h];
        for (int y = 0; y < h; y++) {
            int in = y * w;
            int out = y * ow;
            for (int ox = 0; ox < ow; ox++) {
                int x = in + ox * step;
                double s = odd ? k[half] * src[x + half] : 0;
                for (int t = 0; t < half; t++) {
                    s += k[t] * (src[x + t] + src[x + n - 1 - t]);
                }
                rows[out + ox] = s;
            }
        }
        double[] dst = new double[ow * oh];
        for (int oy = 0; oy < oh; oy++) {
            int out = oy * ow;
            int y = oy * step;
            if (odd) {
                double kc = k[half];
                int in = (y + half) * ow;
                for (int x = 0; x < ow; x++) {
                    dst[out + x] = kc * rows[in + x];
                }
            }
            for (int t = 0; t < half; t++) {
                double kt = k[t];
                int in1 = (y + t) * ow;
                int in2 = (y + n - 1 - t) * ow;
                for (int x = 0; x < ow; x++) {
                    dst[out + x] += kt * (rows[in1 + x] + rows[in2 + x]);
                }
            }
        }
        return new Plane(ow, oh, dst);
    }

    /** {@link #valid} of the element-wise product {@code a·b}. */
    static Plane validOfProduct(Plane a, Plane b, double[] k) {
        return valid(product(a, b), k);
    }

    static Plane product(Plane a, Plane b) {
        double[] x = a.v();
        double[] y = b.v();
        double[] out = new double[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i] * y[i];
        }
        return new Plane(a.width(), a.height(), out);
    }

    /**
     * Correlation with {@code k ⊗ k}, output the input size, borders replicated: MATLAB
     * {@code imfilter(x, w, 'replicate')} / {@code imgaussfilt(..., 'Padding', 'replicate')}.
     */
    static Plane sameReplicate(Plane p, double[] k) {
        int n = k.length;
        int r = n / 2;
        int w = p.width();
        int h = p.height();
        double[] padded = new double[(w + 2 * r) * (h + 2 * r)];
        int pw = w + 2 * r;
        double[] src = p.v();
        for (int y = 0; y < h + 2 * r; y++) {
            int sy = Math.min(h - 1, Math.max(0, y - r));
            for (int x = 0; x < pw; x++) {
                int sx = Math.min(w - 1, Math.max(0, x - r));
                padded[y * pw + x] = src[sy * w + sx];
            }
        }
        return valid(new Plane(pw, h + 2 * r, padded), k);
    }

    /**
     * MATLAB {@code conv2(x, k, 'same')} for a 3×3 kernel (row-major {@code k[r·3 + c]}), zero padding:
     * {@code C(i,j) = Σ k(r,c)·x(i+1−r, j+1−c)}. The terms are added in MATLAB's order, kernel columns outermost
     * and rows inside, skipping zero taps; with non-integer inputs that order decides whether two mathematically
     * equal responses compare equal (the Qabf {@code g_A = g_F} case of the tang2022 profile).
     */
    static double[] conv2Same3x3(Plane p, double[] k) {
        int w = p.width();
        int h = p.height();
        double[] src = p.v();
        double[] out = new double[w * h];
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < 3; r++) {
                double kv = k[r * 3 + c];
                if (kv == 0) {
                    continue;
                }
                int dy = 1 - r;
                int dx = 1 - c;
                int y0 = Math.max(0, -dy);
                int y1 = Math.min(h, h - dy);
                int x0 = Math.max(0, -dx);
                int x1 = Math.min(w, w - dx);
                for (int y = y0; y < y1; y++) {
                    int o = y * w;
                    int s = (y + dy) * w + dx;
                    for (int x = x0; x < x1; x++) {
                        out[o + x] += kv * src[s + x];
                    }
                }
            }
        }
        return out;
    }
}
