package org.irfuse.core.metrics;

/**
 * {@link Filters#valid} streamed row by row: input rows are pushed in order, each is filtered horizontally into
 * a ring holding the last n filtered rows, and once n rows are in, the pushes that complete an output row (every
 * {@code step}-th) make it available to {@link #emit}. The working set is n rows instead of whole planes, so the
 * filter runs from cache: whole-plane passes over 640×480 doubles were bound by memory bandwidth, not
 * arithmetic. A consumer can combine several streams' output rows at once (VIF, SSIM) without storing them.
 *
 * <p>Every output is {@code k[c]·x[c] + k[0]·(x[0] + x[n−1]) + k[1]·(x[1] + x[n−2]) + ...}, added in exactly
 * that order in both passes, as {@link Filters#valid} does (the order the golden tests were matched with). The
 * loops are written for what C2 (JDK 17) vectorises, which is narrower than it looks: it packs only array
 * accesses whose offsets agree modulo the vector length (so {@code out[o + x]} beside {@code in[x]}, or one row
 * read at several offsets, stays scalar), and only loops small enough to unroll (a 17-tap body in one loop is
 * not). Hence, for odd kernels up to 17 taps, the horizontal pass reads the input row copied at shifts 0..7
 * ({@link #shiftedTaps}), the vertical pass writes a row of its own ({@link #columns}), and both add at most two
 * tap pairs per loop, continuing the running sum in the output row; both passes were scalar before (measured:
 * a 17-tap stream 2.3 → 1.3 ms per 640×480 plane). Other lengths run the outputs inside the tap loop, up to
 * four taps per loop ({@link #taps}). Java never reassociates or fuses floating-point operations, so no output
 * changes ({@code ExactKernelsTest} checks the order bit for bit).
 *
 * <p>A uniform (box) kernel of odd length, as SSIM's 7×7 window of the cddfuse profile, takes another route:
 * reassociated sums. The ring holds plain horizontal window sums ({@link #boxRow}, running sums), per-column sums
 * of the last n of them are kept up to date as rows enter and leave ({@link #boxPush}), and an output is its
 * column sum times k[0]² — the weighted form's terms, all with the factor k[0]·k[0], added in another order. For
 * integer-valued planes (every profile's 8-bit planes and their products) every sum is an exact integer, so an
 * output is k[0]²·(exact window sum) rounded once; the weighted form rounds at every term, which SSIM's
 * variance (a difference of nearly equal means) magnifies: on the 12,544-value comparison of docs/benchmarks.md
 * (fifth round) cddfuse SSIM moved by up to 2.3e-10 relative, towards the value with exact variances (4e-13
 * from it, against 2.2e-10 before). About half the time of the weighted taps, whose horizontal pass needed 7
 * shifted copies of every input row. On non-integer values the running sums round differently from the
 * weighted form but stay within ~1e-12 of it ({@code ExactKernelsTest}).
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
    /** {@link #shiftedTaps}: the input row at shifts 0..7. */
    private final double[][] shifted;
    /** {@link #emit} into an offset: the row, before it is copied. */
    private final double[] emitted;
    private int pushed;
    /** Every tap equal (odd n, step 1): the running-sum route ({@link #boxRow}). */
    private final boolean box;
    /** {@code k[0]·k[0]}: the box route's one weight, the same factor every term has in the weighted form. */
    private final double boxWeight;
    /** The box route: per output column, the sum of the last n rows' horizontal sums. */
    private final double[] columnSums;

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
        this.emitted = new double[outWidth];
        boolean uniform = (n & 1) == 1 && n > 1 && step == 1;
        for (double v : k) {
            uniform &= v == k[0];
        }
        this.box = uniform;
        this.boxWeight = k[0] * k[0];
        this.columnSums = box ? new double[outWidth] : null;
        this.shifted = new double[box ? 0 : Math.min(n, 8)][width];
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
        if (box) {
            boxPush(src, off, row);
        } else if (step == 1) {
            horizontal(src, off, row, outWidth);
        } else {
            // Every output of the row through the vectorised taps, then every step-th kept: twice the
            // arithmetic of computing only the kept ones, but that scalar loop cost more.
            horizontal(src, off, full, full.length);
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
     * same terms in the same order as {@link #taps} ({@link #columns}; with o ≠ 0 through a row of its own).
     */
    void emit(double[] out, int o) {
        if (box) {
            boxEmit(out, o);
            return;
        }
        int first = pushed - n;
        for (int t = 0; t < n; t++) {
            tapRows[t] = ring[(first + t) % n];
        }
        if (o == 0) {
            columns(tapRows, out, outWidth);
        } else { // into a row of its own, then copied: an offset would keep the loops scalar
            columns(tapRows, emitted, outWidth);
            System.arraycopy(emitted, 0, out, o, outWidth);
        }
    }

    /**
     * The box route's horizontal pass: {@code out[x] = s[x] + ... + s[x + n − 1]} (s = {@code src} from
     * {@code off}) for x < len, as running sums ({@code out[x] = out[x − 1] + (s[x + n − 1] − s[x − 1])}). Four
     * segments of the row run in one loop, so four independent sums are in flight (one running sum is a chain of
     * dependent additions); each segment starts from its own direct sum. Exact for integer values.
     */
    private void boxRow(double[] src, int off, double[] out, int len) {
        int seg = len / 4;
        if (seg < 2) {
            for (int x = 0; x < len; x++) {
                out[x] = windowSum(src, off + x);
            }
            return;
        }
        int b1 = seg;
        int b2 = 2 * seg;
        int b3 = 3 * seg;
        double s0 = windowSum(src, off);
        double s1 = windowSum(src, off + b1);
        double s2 = windowSum(src, off + b2);
        double s3 = windowSum(src, off + b3);
        out[0] = s0;
        out[b1] = s1;
        out[b2] = s2;
        out[b3] = s3;
        int far = off + n - 1; // s[x + n − 1] = src[far + x]
        int near = off - 1; // s[x − 1] = src[near + x]
        for (int m = 1; m < seg; m++) {
            s0 += src[far + m] - src[near + m];
            s1 += src[far + b1 + m] - src[near + b1 + m];
            s2 += src[far + b2 + m] - src[near + b2 + m];
            s3 += src[far + b3 + m] - src[near + b3 + m];
            out[m] = s0;
            out[b1 + m] = s1;
            out[b2 + m] = s2;
            out[b3 + m] = s3;
        }
        for (int x = b3 + seg; x < len; x++) {
            s3 += src[far + x] - src[near + x];
            out[x] = s3;
        }
    }

    /** {@code src[at] + ... + src[at + n − 1]}. */
    private double windowSum(double[] src, int at) {
        double v = 0;
        for (int t = 0; t < n; t++) {
            v += src[at + t];
        }
        return v;
    }

    /**
     * The box route's push: the row leaving the window (the ring slot about to be reused) is taken off the
     * column sums, the new row's horizontal sums go into the slot and onto the column sums. Two small loops C2
     * vectorises (every array indexed by x alone).
     */
    private void boxPush(double[] src, int off, double[] slot) {
        double[] cs = columnSums;
        int len = outWidth;
        if (pushed == 0) {
            java.util.Arrays.fill(cs, 0, len, 0);
        } else if (pushed >= n) {
            for (int x = 0; x < len; x++) {
                cs[x] -= slot[x];
            }
        }
        boxRow(src, off, slot, len);
        for (int x = 0; x < len; x++) {
            cs[x] += slot[x];
        }
    }

    /** The box route's output row: the column sums (of the last n rows' horizontal sums) times k[0]². */
    private void boxEmit(double[] out, int o) {
        double[] cs = columnSums;
        double wt = boxWeight;
        int len = outWidth;
        if (o == 0) {
            for (int x = 0; x < len; x++) {
                out[x] = cs[x] * wt;
            }
        } else {
            double[] e = emitted;
            for (int x = 0; x < len; x++) {
                e[x] = cs[x] * wt;
            }
            System.arraycopy(e, 0, out, o, len);
        }
    }

    /** The horizontal pass of {@code src[off ..]} into {@code out[0 .. len)}. */
    private void horizontal(double[] src, int off, double[] out, int len) {
        if ((n & 1) == 1 && n <= 17) {
            shiftedTaps(src, off, out, len);
        } else { // the only route that reads tap offsets
            for (int t = 0; t < n; t++) {
                offsets[t] = off + t;
            }
            taps(src, offsets, out, 0, len);
        }
    }

    /**
     * The horizontal pass {@code out[x] = k[c]·s[x + c] + k[0]·(s[x] + s[x + n − 1]) + k[1]·(s[x + 1] + s[x + n − 2])
     * + ...} (s = {@code src} from {@code off}; same terms, same order as {@link #taps}) for an odd kernel of at
     * most 17 taps, in loops C2 (JDK 17) vectorises. It packs only accesses whose offsets agree modulo the vector
     * length, so reading one row at n offsets stays scalar; the row is first copied at shifts 0..7 (at most n)
     * into {@link #shifted}, and tap t reads {@code shifted[t % 8]} at offset 8·(t / 8): offsets 0, 8 or 16 only,
     * constants in each loop. The copies cost less than the scalar loop they replace (measured: 2.1 against
     * 3.8 ns per 17-tap output).
     */
    private void shiftedTaps(double[] src, int off, double[] out, int len) {
        int copies = Math.min(n, 8);
        for (int t = 0; t < copies; t++) {
            System.arraycopy(src, off + t, shifted[t], 0, len + n - 1 - t);
        }
        int half = n / 2;
        double kc = k[half];
        double[] c = shifted[half & 7];
        if (half >= 8) {
            for (int x = 0; x < len; x++) {
                out[x] = kc * c[x + 8];
            }
        } else {
            for (int x = 0; x < len; x++) {
                out[x] = kc * c[x];
            }
        }
        int t = 0;
        while (t < half) {
            int b = n - 1 - t;
            if (t + 1 < half && (b >> 3) == ((b - 1) >> 3)) { // two pairs whose far taps share an offset
                pairs(out, len, k[t], shifted[t], shifted[b & 7], k[t + 1], shifted[t + 1], shifted[(b - 1) & 7],
                        b >> 3);
                t += 2;
            } else {
                pair(out, len, k[t], shifted[t], shifted[b & 7], b >> 3);
                t++;
            }
        }
    }

    /** {@code out[x] += k0·(a[x] + b[x + 8·block])}. */
    private static void pair(double[] out, int len, double k0, double[] a, double[] b, int block) {
        switch (block) {
            case 0 -> {
                for (int x = 0; x < len; x++) {
                    out[x] += k0 * (a[x] + b[x]);
                }
            }
            case 1 -> {
                for (int x = 0; x < len; x++) {
                    out[x] += k0 * (a[x] + b[x + 8]);
                }
            }
            default -> {
                for (int x = 0; x < len; x++) {
                    out[x] += k0 * (a[x] + b[x + 16]);
                }
            }
        }
    }

    /** {@code out[x] += k0·(a0[x] + b0[x + 8·block])}, then {@code += k1·(a1[x] + b1[x + 8·block])}. */
    private static void pairs(double[] out, int len, double k0, double[] a0, double[] b0, double k1, double[] a1,
            double[] b1, int block) {
        switch (block) {
            case 0 -> {
                for (int x = 0; x < len; x++) {
                    double v = out[x];
                    v += k0 * (a0[x] + b0[x]);
                    v += k1 * (a1[x] + b1[x]);
                    out[x] = v;
                }
            }
            case 1 -> {
                for (int x = 0; x < len; x++) {
                    double v = out[x];
                    v += k0 * (a0[x] + b0[x + 8]);
                    v += k1 * (a1[x] + b1[x + 8]);
                    out[x] = v;
                }
            }
            default -> {
                for (int x = 0; x < len; x++) {
                    double v = out[x];
                    v += k0 * (a0[x] + b0[x + 16]);
                    v += k1 * (a1[x] + b1[x + 16]);
                    out[x] = v;
                }
            }
        }
    }

    /**
     * {@link #emit}'s vertical pass into {@code out[0 .. len)} ({@code r[t]} the row of tap t), same terms in the
     * same order as {@link #taps}: {@code v = k[c]·r[c]; v += k[0]·(r[0] + r[n−1]); v += k[1]·(...); ...}. Written
     * for what C2 (JDK 17) vectorises: every array indexed by the loop variable alone (an invariant offset such as
     * {@code out[o + x]}, or two offsets into one array, keeps the loop scalar) and at most two tap pairs per loop
     * (a 17-tap body in one loop is too large to be unrolled, so it stays scalar too). Splitting keeps the order:
     * each loop continues the running sum in {@code out}.
     */
    private void columns(double[][] r, double[] out, int len) {
        int half = n / 2;
        int t = 0;
        if ((n & 1) == 1) {
            double kc = k[half];
            double[] c = r[half];
            if (half >= 2) {
                double k0 = k[0];
                double k1 = k[1];
                double[] a0 = r[0];
                double[] b0 = r[n - 1];
                double[] a1 = r[1];
                double[] b1 = r[n - 2];
                for (int x = 0; x < len; x++) {
                    double v = kc * c[x];
                    v += k0 * (a0[x] + b0[x]);
                    v += k1 * (a1[x] + b1[x]);
                    out[x] = v;
                }
                t = 2;
            } else {
                for (int x = 0; x < len; x++) {
                    out[x] = kc * c[x];
                }
            }
        } else {
            java.util.Arrays.fill(out, 0, len, 0);
        }
        for (; t + 2 <= half; t += 2) {
            double k0 = k[t];
            double k1 = k[t + 1];
            double[] a0 = r[t];
            double[] b0 = r[n - 1 - t];
            double[] a1 = r[t + 1];
            double[] b1 = r[n - 2 - t];
            for (int x = 0; x < len; x++) {
                double v = out[x];
                v += k0 * (a0[x] + b0[x]);
                v += k1 * (a1[x] + b1[x]);
                out[x] = v;
            }
        }
        if (t < half) {
            double kt = k[t];
            double[] a = r[t];
            double[] b = r[n - 1 - t];
            for (int x = 0; x < len; x++) {
                out[x] += kt * (a[x] + b[x]);
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
