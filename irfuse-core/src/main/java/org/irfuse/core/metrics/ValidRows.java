package org.irfuse.core.metrics;

/**
 * {@link Filters#valid} streamed row by row: input rows are pushed in order, each is filtered horizontally into
 * a ring holding the last n filtered rows, and once n rows are in, the pushes that complete an output row (every
 * {@code step}-th) make it available to {@link #emit}. The working set is n rows instead of whole planes, so the
 * filter runs from cache: whole-plane passes over 640×480 doubles were bound by memory bandwidth, not
 * arithmetic. A consumer can combine several streams' output rows at once (VIF, SSIM) without storing them.
 *
 * <p>Every output is {@code k[c]·x[c] + k[0]·(x[0] + x[n−1]) + k[1]·(x[1] + x[n−2]) + ...}, added in exactly
 * that order in both passes, as {@link Filters#valid} does (the order the golden tests were matched with). For
 * the odd 3–17-tap kernels the metrics use, each pass is one loop over the outputs adding all taps
 * ({@link #rowTaps}, {@link #columns}); other lengths run the outputs inside the tap loop, up to four taps per
 * loop ({@link #taps}). The JIT vectorises these loops, and Java never reassociates or fuses floating-point
 * operations, so no output changes ({@code ExactKernelsTest} checks the order bit for bit).
 */
final class ValidRows {
    private final double[] k;
    private final int n;
    private final int width;
    private final int outWidth;
    private final int step;
    /** The last n horizontally filtered rows, row i of the plane in {@code ring[i % n]}. */
    private final double[][] ring;
    /** The ring's rows in tap order for the output row being emitted. */
    private final double[][] tapRows;
    private final int[] offsets;
    /** step > 1: one horizontally filtered row at every position, before subsampling. */
    private final double[] full;
    private int pushed;

    /** A stream over rows of {@code width} values (kernel symmetric, odd or even length). */
    ValidRows(double[] k, int width, int step) {
        this.k = k;
        this.n = k.length;
        this.width = width;
        this.step = step;
        if (width - n + 1 <= 0) {
            throw new IllegalArgumentException("row of " + width + " is shorter than the " + n + "-tap window");
        }
        this.outWidth = (width - n + 1 + step - 1) / step;
        this.ring = new double[n][outWidth];
        this.tapRows = new double[n][];
        this.offsets = new int[n];
        this.full = step == 1 ? null : new double[width - n + 1];
    }

    int outWidth() {
        return outWidth;
    }

    /** Starts a new plane. */
    void reset() {
        pushed = 0;
    }

    /**
     * Filters input row {@code src[off .. off + width)} horizontally into the ring.
     *
     * @return whether this push completed an output row (then call {@link #emit} before the next push)
     */
    boolean push(double[] src, int off) {
        double[] row = ring[pushed % n];
        for (int t = 0; t < n; t++) {
            offsets[t] = off + t;
        }
        if (step == 1) {
            if ((n & 1) == 0 || !rowTaps(src, off, row, 0, outWidth)) {
                taps(src, offsets, row, 0, outWidth);
            }
        } else {
            // Every output of the row through the vectorised taps, then every step-th kept: twice the
            // arithmetic of computing only the kept ones, but that scalar loop cost more.
            if ((n & 1) == 0 || !rowTaps(src, off, full, 0, full.length)) {
                taps(src, offsets, full, 0, full.length);
            }
            for (int ox = 0; ox < outWidth; ox++) {
                row[ox] = full[ox * step];
            }
        }
        pushed++;
        int first = pushed - n; // the first input row of the output row this push completes
        return first >= 0 && first % step == 0;
    }

    /**
     * The output row completed by the last {@link #push} into {@code out[o .. o + outWidth)}: the vertical pass,
     * same terms in the same order as {@link #taps}. The kernels the metrics use (3 to 17 taps, odd) get one loop
     * over all taps with each ring row as its own array, which the JIT vectorises better than a loop per four
     * taps over offsets into one array (about a quarter less time for 17 taps, measured).
     */
    void emit(double[] out, int o) {
        int first = pushed - n;
        for (int t = 0; t < n; t++) {
            tapRows[t] = ring[(first + t) % n];
        }
        if ((n & 1) == 0 || !columns(tapRows, out, o, outWidth)) {
            columnsGeneric(tapRows, out, o, outWidth);
        }
    }

    /**
     * The horizontal pass {@code out[o + x] = k[c]·s[off + x + c] + k[0]·(s[off + x] + s[off + x + n − 1]) + ...}
     * for an odd kernel of 3, 5, 7, 9, 11 or 17 taps in one loop (same terms, same order as {@link #taps});
     * false for other lengths.
     */
    private boolean rowTaps(double[] s, int off, double[] out, int o, int len) {
        int half = n / 2;
        double kc = k[half];
        double k0 = k[0];
        double k1 = half > 1 ? k[1] : 0;
        double k2 = half > 2 ? k[2] : 0;
        double k3 = half > 3 ? k[3] : 0;
        double k4 = half > 4 ? k[4] : 0;
        double k5 = half > 5 ? k[5] : 0;
        double k6 = half > 6 ? k[6] : 0;
        double k7 = half > 7 ? k[7] : 0;
        switch (half) {
            case 1 -> { // 3 taps
                for (int x = 0; x < len; x++) {
                    int i = off + x;
                    double v = kc * s[i + 1];
                    v += k0 * (s[i + 0] + s[i + 2]);
                    out[o + x] = v;
                }
                return true;
            }
            case 2 -> { // 5 taps
                for (int x = 0; x < len; x++) {
                    int i = off + x;
                    double v = kc * s[i + 2];
                    v += k0 * (s[i + 0] + s[i + 4]);
                    v += k1 * (s[i + 1] + s[i + 3]);
                    out[o + x] = v;
                }
                return true;
            }
            case 3 -> { // 7 taps
                for (int x = 0; x < len; x++) {
                    int i = off + x;
                    double v = kc * s[i + 3];
                    v += k0 * (s[i + 0] + s[i + 6]);
                    v += k1 * (s[i + 1] + s[i + 5]);
                    v += k2 * (s[i + 2] + s[i + 4]);
                    out[o + x] = v;
                }
                return true;
            }
            case 4 -> { // 9 taps
                for (int x = 0; x < len; x++) {
                    int i = off + x;
                    double v = kc * s[i + 4];
                    v += k0 * (s[i + 0] + s[i + 8]);
                    v += k1 * (s[i + 1] + s[i + 7]);
                    v += k2 * (s[i + 2] + s[i + 6]);
                    v += k3 * (s[i + 3] + s[i + 5]);
                    out[o + x] = v;
                }
                return true;
            }
            case 5 -> { // 11 taps
                for (int x = 0; x < len; x++) {
                    int i = off + x;
                    double v = kc * s[i + 5];
                    v += k0 * (s[i + 0] + s[i + 10]);
                    v += k1 * (s[i + 1] + s[i + 9]);
                    v += k2 * (s[i + 2] + s[i + 8]);
                    v += k3 * (s[i + 3] + s[i + 7]);
                    v += k4 * (s[i + 4] + s[i + 6]);
                    out[o + x] = v;
                }
                return true;
            }
            case 8 -> { // 17 taps
                for (int x = 0; x < len; x++) {
                    int i = off + x;
                    double v = kc * s[i + 8];
                    v += k0 * (s[i + 0] + s[i + 16]);
                    v += k1 * (s[i + 1] + s[i + 15]);
                    v += k2 * (s[i + 2] + s[i + 14]);
                    v += k3 * (s[i + 3] + s[i + 13]);
                    v += k4 * (s[i + 4] + s[i + 12]);
                    v += k5 * (s[i + 5] + s[i + 11]);
                    v += k6 * (s[i + 6] + s[i + 10]);
                    v += k7 * (s[i + 7] + s[i + 9]);
                    out[o + x] = v;
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * {@link #emit}'s one-loop vertical pass for an odd kernel of 3, 5, 7, 9, 11 or 17 taps ({@code r[t]} the row
     * of tap t); false for other lengths.
     */
    private boolean columns(double[][] r, double[] out, int o, int len) {
        int half = n / 2;
        double kc = k[half];
        switch (half) {
            case 1 -> { // 3 taps
                double[] c = r[1];
                double[] a0 = r[0];
                double[] b0 = r[2];
                double k0 = k[0];
                for (int x = 0; x < len; x++) {
                    double v = kc * c[x];
                    v += k0 * (a0[x] + b0[x]);
                    out[o + x] = v;
                }
                return true;
            }
            case 2 -> { // 5 taps
                double[] c = r[2];
                double[] a0 = r[0];
                double[] b0 = r[4];
                double k0 = k[0];
                double[] a1 = r[1];
                double[] b1 = r[3];
                double k1 = k[1];
                for (int x = 0; x < len; x++) {
                    double v = kc * c[x];
                    v += k0 * (a0[x] + b0[x]);
                    v += k1 * (a1[x] + b1[x]);
                    out[o + x] = v;
                }
                return true;
            }
            case 3 -> { // 7 taps
                double[] c = r[3];
                double[] a0 = r[0];
                double[] b0 = r[6];
                double k0 = k[0];
                double[] a1 = r[1];
                double[] b1 = r[5];
                double k1 = k[1];
                double[] a2 = r[2];
                double[] b2 = r[4];
                double k2 = k[2];
                for (int x = 0; x < len; x++) {
                    double v = kc * c[x];
                    v += k0 * (a0[x] + b0[x]);
                    v += k1 * (a1[x] + b1[x]);
                    v += k2 * (a2[x] + b2[x]);
                    out[o + x] = v;
                }
                return true;
            }
            case 4 -> { // 9 taps
                double[] c = r[4];
                double[] a0 = r[0];
                double[] b0 = r[8];
                double k0 = k[0];
                double[] a1 = r[1];
                double[] b1 = r[7];
                double k1 = k[1];
                double[] a2 = r[2];
                double[] b2 = r[6];
                double k2 = k[2];
                double[] a3 = r[3];
                double[] b3 = r[5];
                double k3 = k[3];
                for (int x = 0; x < len; x++) {
                    double v = kc * c[x];
                    v += k0 * (a0[x] + b0[x]);
                    v += k1 * (a1[x] + b1[x]);
                    v += k2 * (a2[x] + b2[x]);
                    v += k3 * (a3[x] + b3[x]);
                    out[o + x] = v;
                }
                return true;
            }
            case 5 -> { // 11 taps
                double[] c = r[5];
                double[] a0 = r[0];
                double[] b0 = r[10];
                double k0 = k[0];
                double[] a1 = r[1];
                double[] b1 = r[9];
                double k1 = k[1];
                double[] a2 = r[2];
                double[] b2 = r[8];
                double k2 = k[2];
                double[] a3 = r[3];
                double[] b3 = r[7];
                double k3 = k[3];
                double[] a4 = r[4];
                double[] b4 = r[6];
                double k4 = k[4];
                for (int x = 0; x < len; x++) {
                    double v = kc * c[x];
                    v += k0 * (a0[x] + b0[x]);
                    v += k1 * (a1[x] + b1[x]);
                    v += k2 * (a2[x] + b2[x]);
                    v += k3 * (a3[x] + b3[x]);
                    v += k4 * (a4[x] + b4[x]);
                    out[o + x] = v;
                }
                return true;
            }
            case 8 -> { // 17 taps
                double[] c = r[8];
                double[] a0 = r[0];
                double[] b0 = r[16];
                double k0 = k[0];
                double[] a1 = r[1];
                double[] b1 = r[15];
                double k1 = k[1];
                double[] a2 = r[2];
                double[] b2 = r[14];
                double k2 = k[2];
                double[] a3 = r[3];
                double[] b3 = r[13];
                double k3 = k[3];
                double[] a4 = r[4];
                double[] b4 = r[12];
                double k4 = k[4];
                double[] a5 = r[5];
                double[] b5 = r[11];
                double k5 = k[5];
                double[] a6 = r[6];
                double[] b6 = r[10];
                double k6 = k[6];
                double[] a7 = r[7];
                double[] b7 = r[9];
                double k7 = k[7];
                for (int x = 0; x < len; x++) {
                    double v = kc * c[x];
                    v += k0 * (a0[x] + b0[x]);
                    v += k1 * (a1[x] + b1[x]);
                    v += k2 * (a2[x] + b2[x]);
                    v += k3 * (a3[x] + b3[x]);
                    v += k4 * (a4[x] + b4[x]);
                    v += k5 * (a5[x] + b5[x]);
                    v += k6 * (a6[x] + b6[x]);
                    v += k7 * (a7[x] + b7[x]);
                    out[o + x] = v;
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** {@link #taps} over separate rows ({@code r[t]} the row of tap t), for any kernel length. */
    private void columnsGeneric(double[][] r, double[] out, int o, int len) {
        int half = n / 2;
        if ((n & 1) == 1) {
            double kc = k[half];
            double[] c = r[half];
            for (int x = 0; x < len; x++) {
                out[o + x] = kc * c[x];
            }
        } else {
            java.util.Arrays.fill(out, o, o + len, 0);
        }
        for (int t = 0; t < half; t++) {
            double kt = k[t];
            double[] a = r[t];
            double[] b = r[n - 1 - t];
            for (int x = 0; x < len; x++) {
                out[o + x] += kt * (a[x] + b[x]);
            }
        }
    }

    /**
     * {@code out[o + x] = k[c]·s[rows[c] + x] + k[0]·(s[rows[0] + x] + s[rows[n−1] + x]) + ...} for x < len,
     * {@code rows[t]} the offset of tap t.
     */
    private void taps(double[] s, int[] rows, double[] out, int o, int len) {
        int half = n / 2;
        int t = 0;
        if ((n & 1) == 1) {
            double kc = k[half];
            int c = rows[half];
            if (half >= 3) {
                double k0 = k[0];
                double k1 = k[1];
                double k2 = k[2];
                int l0 = rows[0];
                int r0 = rows[n - 1];
                int l1 = rows[1];
                int r1 = rows[n - 2];
                int l2 = rows[2];
                int r2 = rows[n - 3];
                for (int x = 0; x < len; x++) {
                    double v = kc * s[c + x];
                    v += k0 * (s[l0 + x] + s[r0 + x]);
                    v += k1 * (s[l1 + x] + s[r1 + x]);
                    v += k2 * (s[l2 + x] + s[r2 + x]);
                    out[o + x] = v;
                }
                t = 3;
            } else {
                for (int x = 0; x < len; x++) {
                    out[o + x] = kc * s[c + x];
                }
            }
        } else {
            java.util.Arrays.fill(out, o, o + len, 0);
        }
        for (; t + 4 <= half; t += 4) {
            double k0 = k[t];
            double k1 = k[t + 1];
            double k2 = k[t + 2];
            double k3 = k[t + 3];
            int l0 = rows[t];
            int r0 = rows[n - 1 - t];
            int l1 = rows[t + 1];
            int r1 = rows[n - 2 - t];
            int l2 = rows[t + 2];
            int r2 = rows[n - 3 - t];
            int l3 = rows[t + 3];
            int r3 = rows[n - 4 - t];
            for (int x = 0; x < len; x++) {
                double v = out[o + x];
                v += k0 * (s[l0 + x] + s[r0 + x]);
                v += k1 * (s[l1 + x] + s[r1 + x]);
                v += k2 * (s[l2 + x] + s[r2 + x]);
                v += k3 * (s[l3 + x] + s[r3 + x]);
                out[o + x] = v;
            }
        }
        for (; t < half; t++) {
            double kt = k[t];
            int l = rows[t];
            int r = rows[n - 1 - t];
            for (int x = 0; x < len; x++) {
                out[o + x] += kt * (s[l + x] + s[r + x]);
            }
        }
    }
}
