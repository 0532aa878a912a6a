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
 * loops run over the outputs inside the tap loop, up to four taps per loop so each partial sum is loaded and
 * stored once per four taps; the JIT vectorises them, and Java never reassociates or fuses floating-point
 * operations, so no output changes.
 */
final class ValidRows {
    private final double[] k;
    private final int n;
    private final int width;
    private final int outWidth;
    private final int step;
    private final double[] ring;
    private final int[] offsets;
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
        this.ring = new double[n * outWidth];
        this.offsets = new int[n];
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
        int o = (pushed % n) * outWidth;
        if (step == 1) {
            for (int t = 0; t < n; t++) {
                offsets[t] = off + t;
            }
            taps(src, offsets, ring, o, outWidth);
        } else {
            int half = n / 2;
            boolean odd = (n & 1) == 1;
            for (int ox = 0; ox < outWidth; ox++) {
                int x = off + ox * step;
                double s = odd ? k[half] * src[x + half] : 0;
                for (int t = 0; t < half; t++) {
                    s += k[t] * (src[x + t] + src[x + n - 1 - t]);
                }
                ring[o + ox] = s;
            }
        }
        pushed++;
        int first = pushed - n; // the first input row of the output row this push completes
        return first >= 0 && first % step == 0;
    }

    /** The output row completed by the last {@link #push} into {@code out[o .. o + outWidth)}. */
    void emit(double[] out, int o) {
        int first = pushed - n;
        for (int t = 0; t < n; t++) {
            offsets[t] = ((first + t) % n) * outWidth;
        }
        taps(ring, offsets, out, o, outWidth);
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
