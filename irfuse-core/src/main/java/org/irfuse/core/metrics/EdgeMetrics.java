package org.irfuse.core.metrics;

/** Gradient-transfer metrics: Qabf (Xydeas & Petrović 2000) and Nabf (Shreyamsha Kumar 2013). */
final class EdgeMetrics {
    /** Sobel kernels of the Qabf code ({@code h3} and {@code h1}), row-major, applied with {@code conv2}. */
    private static final double[] SOBEL_X = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
    private static final double[] SOBEL_Y = {1, 2, 1, 0, 0, 0, -1, -2, -1};
    private static final double HALF_PI = Math.PI / 2;

    private EdgeMetrics() {
    }

    /** Sobel strength g and orientation α of one image, as the Qabf code computes them. */
    record Edges(double[] strength, double[] angle) {
    }

    /**
     * Sx = conv2(x, [−1 0 1; −2 0 2; −1 0 1], 'same'), Sy = conv2(x, [1 2 1; 0 0 0; −1 −2 −1], 'same'),
     * g = sqrt(Sx² + Sy²), α = atan(Sy/Sx) and π/2 where Sx = 0.
     */
    static Edges qabfEdges(Plane x) {
        Edges e = new Edges(new double[x.size()], new double[x.size()]);
        qabfEdges(x, false, new double[x.size()], new double[x.size()], e, new double[x.size()]);
        return e;
    }

    /**
     * {@link #qabfEdges(Plane)} into {@code out} with scratch {@code sx}, {@code sy}, {@code u};
     * {@code integral}: every value of x is an integer ({@link #sobel}).
     */
    private static void qabfEdges(Plane x, boolean integral, double[] sx, double[] sy, Edges out, double[] u) {
        int w = x.width();
        int h = x.height();
        sobel(x.v(), w, h, sx, sy, integral);
        double[] g = out.strength();
        double[] a = out.angle();
        for (int i = 0; i < g.length; i++) {
            g[i] = Math.sqrt(sx[i] * sx[i] + sy[i] * sy[i]);
        }
        qabfAngles(sx, sy, a, u, g.length);
    }

    /**
     * {@code Filters.conv2Same3x3} with {@link #SOBEL_X} into {@code sx} and {@link #SOBEL_Y} into {@code sy}, every
     * value the same double as conv2's.
     *
     * <p>{@code integral} (every value an integer, as the 8-bit planes and VIFB's 255·(0..255) are): inside the
     * border by the kernels' separable form — with V = down + 2·mid + up and D = down − up (rows y + 1, y, y − 1 of
     * column x), Sx(x) = V(x − 1) − V(x + 1) and Sy(x) = D(x − 1) + 2·D(x) + D(x + 1), conv2's terms regrouped, every
     * partial sum an exact integer. Written for C2 (JDK 17): the three input rows are copied into rows of their own
     * and the ±1 neighbours read from copies shifted by one and two, so every loop indexes its arrays by x alone
     * and vectorises (docs/benchmarks.md, sixth metrics round: 1.8–2.1 → 1.3 ms CPU per 640×480 plane under load).
     * Otherwise (tang2022's 0..1 scale) conv2's order term by term ({@link #sobelInOrder}): regrouped roundings
     * there move a few strengths off exact equality with F's, which Qabf's g_X = g_F quirk turns into 1e-4
     * changes of the value. The border pixels go through {@link Filters#conv2Same3x3At}.
     */
    static void sobel(double[] src, int w, int h, double[] sx, double[] sy, boolean integral) {
        if (!integral) {
            sobelInOrder(src, w, h, sx, sy);
            return;
        }
        if (h < 3 || w < 3) {
            for (int y = 0; y < h; y++) {
                border(src, w, h, sx, sy, y);
            }
            return;
        }
        double[] up = new double[w];
        double[] mid = new double[w];
        double[] down = new double[w];
        double[] v = new double[w];
        double[] d = new double[w];
        double[] v2 = new double[w];
        double[] d1 = new double[w];
        double[] d2 = new double[w];
        double[] out = new double[w];
        int m = w - 2; // interior pixels of a row, x = 1 .. w − 2
        border(src, w, h, sx, sy, 0);
        for (int y = 1; y < h - 1; y++) {
            int o = y * w;
            System.arraycopy(src, o - w, up, 0, w);
            System.arraycopy(src, o, mid, 0, w);
            System.arraycopy(src, o + w, down, 0, w);
            for (int x = 0; x < w; x++) {
                v[x] = down[x] + 2.0 * mid[x] + up[x];
            }
            for (int x = 0; x < w; x++) {
                d[x] = down[x] - up[x];
            }
            System.arraycopy(v, 2, v2, 0, m);
            System.arraycopy(d, 1, d1, 0, m);
            System.arraycopy(d, 2, d2, 0, m);
            for (int j = 0; j < m; j++) { // pixel x = j + 1
                out[j] = v[j] - v2[j];
            }
            System.arraycopy(out, 0, sx, o + 1, m);
            for (int j = 0; j < m; j++) {
                out[j] = d[j] + 2.0 * d1[j] + d2[j];
            }
            System.arraycopy(out, 0, sy, o + 1, m);
            sx[o] = Filters.conv2Same3x3At(src, w, h, SOBEL_X, 0, y);
            sy[o] = Filters.conv2Same3x3At(src, w, h, SOBEL_Y, 0, y);
            sx[o + w - 1] = Filters.conv2Same3x3At(src, w, h, SOBEL_X, w - 1, y);
            sy[o + w - 1] = Filters.conv2Same3x3At(src, w, h, SOBEL_Y, w - 1, y);
        }
        border(src, w, h, sx, sy, h - 1);
    }

    /**
     * The Sobel pair in one pass over the plane, each response with its non-zero taps in conv2's order (kernel
     * columns outermost, rows inside, starting from 0), so every value is the same double on any plane.
     */
    private static void sobelInOrder(double[] src, int w, int h, double[] sx, double[] sy) {
        for (int y = 0; y < h; y++) {
            int o = y * w;
            if (y == 0 || y == h - 1 || w < 3) {
                for (int x = 0; x < w; x++) {
                    sx[o + x] = Filters.conv2Same3x3At(src, w, h, SOBEL_X, x, y);
                    sy[o + x] = Filters.conv2Same3x3At(src, w, h, SOBEL_Y, x, y);
                }
                continue;
            }
            int up = o - w; // row y − 1 (kernel row 2)
            int down = o + w; // row y + 1 (kernel row 0)
            sx[o] = Filters.conv2Same3x3At(src, w, h, SOBEL_X, 0, y);
            sy[o] = Filters.conv2Same3x3At(src, w, h, SOBEL_Y, 0, y);
            for (int x = 1; x < w - 1; x++) {
                // kernel column 0 reads x + 1, column 2 reads x − 1; SOBEL_X's column 1 is all zero
                double vx = 0;
                vx += -1.0 * src[down + x + 1];
                vx += -2.0 * src[o + x + 1];
                vx += -1.0 * src[up + x + 1];
                vx += 1.0 * src[down + x - 1];
                vx += 2.0 * src[o + x - 1];
                vx += 1.0 * src[up + x - 1];
                sx[o + x] = vx;
                // SOBEL_Y's row 1 is all zero
                double vy = 0;
                vy += 1.0 * src[down + x + 1];
                vy += -1.0 * src[up + x + 1];
                vy += 2.0 * src[down + x];
                vy += -2.0 * src[up + x];
                vy += 1.0 * src[down + x - 1];
                vy += -1.0 * src[up + x - 1];
                sy[o + x] = vy;
            }
            sx[o + w - 1] = Filters.conv2Same3x3At(src, w, h, SOBEL_X, w - 1, y);
            sy[o + w - 1] = Filters.conv2Same3x3At(src, w, h, SOBEL_Y, w - 1, y);
        }
    }

    /** Row y of the Sobel responses through {@link Filters#conv2Same3x3At} (zero padding). */
    private static void border(double[] src, int w, int h, double[] sx, double[] sy, int y) {
        int o = y * w;
        for (int x = 0; x < w; x++) {
            sx[o + x] = Filters.conv2Same3x3At(src, w, h, SOBEL_X, x, y);
            sy[o + x] = Filters.conv2Same3x3At(src, w, h, SOBEL_Y, x, y);
        }
    }

    /** tan(π/8) = √2 − 1 as a double, and atan of that double. */
    private static final double TAN_PI_8 = Math.sqrt(2) - 1;
    private static final double ATAN_TAN_PI_8 = StrictMath.atan(TAN_PI_8);
    /** Scales |Sy| − |Sx| (a multiple of 1/255 or more when not 0) far past 1 for the range flag below. */
    private static final double FLAG_SCALE = 0x1p1000;

    /**
     * Qabf's orientation α of every pixel, {@code out[i] = sx == 0 ? π/2 : atan(sy/sx)}, without branches and in
     * loops C2 vectorises, within 2.3e-16 of fdlibm's atan (1 ulp at π/2; checked on a million arguments by
     * {@code QabfAngleTest}), which moves Qabf by ~1e-15 relative — far inside the 1e-9 the golden tests hold.
     * With m = |Sx|, M = |Sy|: t = min(m, M)/max(m, M) ∈ [0, 1] (max taken ≥ the least normal, so 0/0 gives 0);
     * atan(t) = atan(c) + atan((t − c)/(1 + ct)) with c = tan(π/8), whose argument lies in [−c, c], inside the
     * interval |x| < 7/16 where fdlibm's odd polynomial alone is accurate (its coefficients are used), and
     * (t − c)/(1 + ct) is computed as (min − c·max)/(max + c·min), one division; for M ≥ m the angle is
     * π/2 − atan(t), chosen by a 0/1 flag built with min/max (M − m is 0 or at least 1/255 in magnitude for the
     * planes the profiles use, and times 2^1000 it saturates); the sign is that of Sx·Sy (a product of such
     * values, clamped the same way), +1 where it is 0 (Sx = 0 gives π/2, as the toolkits' code; Sy = 0 a zero).
     */
    static void qabfAngles(double[] sx, double[] sy, double[] out, double[] u, int n) {
        double[] x = new double[ANGLE_BLOCK];
        double[] zs = new double[ANGLE_BLOCK];
        double[] ws = new double[ANGLE_BLOCK];
        double[] s1s = new double[ANGLE_BLOCK];
        // In blocks that stay in cache (three passes over whole planes were bound by memory); every array is
        // indexed by the same o + i, which C2 still vectorises.
        for (int o = 0; o < n; o += ANGLE_BLOCK) {
            int end = Math.min(n, o + ANGLE_BLOCK);
            for (int i = o; i < end; i++) {
                double m = Math.abs(sx[i]);
                double big = Math.abs(sy[i]);
                double lo = Math.min(m, big);
                double hi = Math.max(Math.max(m, big), Double.MIN_NORMAL);
                u[i] = (lo - TAN_PI_8 * hi) / (hi + TAN_PI_8 * lo); // (t − c)/(1 + ct), t = lo/hi
            }
            atanPolynomial(u, o, end - o, x, zs, ws, s1s);
            for (int i = o; i < end; i++) {
                double m = Math.abs(sx[i]);
                double big = Math.abs(sy[i]);
                double flag = Math.min(1.0, Math.max(0.0, (big - m) * FLAG_SCALE + 1.0));
                double q = u[i];
                double v = q + flag * (HALF_PI - 2 * q);
                double sign = Math.min(1.0, Math.max(-1.0, sx[i] * sy[i] * FLAG_SCALE)); // -1, 0 or 1
                out[i] = v * (sign + 1.0 - Math.abs(sign));
            }
        }
    }

    private static final int ANGLE_BLOCK = 1024;

    /**
     * {@code u[o + j] = atan(c) + (x − x·(s1 + s2))} for j < len, x = u[o + j], with fdlibm's odd polynomial
     * s1 = z·(AT0 + w·(AT2 + ...)), s2 = w·(AT1 + ...), z = x², w = z² (see {@link #qabfAngles}), each element
     * the same operations in the same order as one expression, so the same double. Split into four small loops
     * over block-local arrays (x, zs, ws, s1s of at least len entries; the block copied in and out): as one loop
     * the body was too large for C2 (JDK 17) to unroll, so it stayed scalar (measured: 1.36 → 0.60 ms per
     * 640×480 plane).
     */
    static void atanPolynomial(double[] u, int o, int len, double[] x, double[] zs, double[] ws,
            double[] s1s) {
        System.arraycopy(u, o, x, 0, len);
        for (int j = 0; j < len; j++) {
            double v = x[j];
            double z = v * v;
            zs[j] = z;
            ws[j] = z * z;
        }
        for (int j = 0; j < len; j++) {
            double w = ws[j];
            s1s[j] = zs[j] * (FdlibmAtan.AT0 + w * (FdlibmAtan.AT2 + w * (FdlibmAtan.AT4 + w * (FdlibmAtan.AT6
                    + w * (FdlibmAtan.AT8 + w * FdlibmAtan.AT10)))));
        }
        for (int j = 0; j < len; j++) { // s2, in zs
            double w = ws[j];
            zs[j] = w * (FdlibmAtan.AT1 + w * (FdlibmAtan.AT3 + w * (FdlibmAtan.AT5 + w * (FdlibmAtan.AT7
                    + w * FdlibmAtan.AT9))));
        }
        for (int j = 0; j < len; j++) {
            double v = x[j];
            x[j] = ATAN_TAN_PI_8 + (v - v * (s1s[j] + zs[j]));
        }
        System.arraycopy(x, 0, u, o, len);
    }

    /**
     * Qabf = Σ(Q_AF g_A + Q_BF g_B) / Σ(g_A + g_B), Q_XF = 0.9994/(1 + e^(−15(G − 0.5))) · 0.9879/(1 + e^(−22(A −
     * 0.8))), A = 1 − |α_X − α_F|/(π/2), G = g_F/g_X if g_X > g_F, g_F (not 1) if g_X = g_F, else g_X/g_F — the
     * common MATLAB code (Tang, VIFB) and CDDFuse's port share that equality quirk, so the value scale of the
     * planes matters only through it (tang2022: 0..1, VIFB: 255·(0..255), others 0..255).
     */
    static double qabf(Edges a, Edges b, Edges f) {
        int n = f.strength().length;
        return qabf(a, b, f.strength(), f.angle(), denominator(a, b), new double[n], new double[n], new double[n]);
    }

    /** Σ(g_A + g_B), pixel by pixel in raster order: Qabf's denominator, from the sources alone. */
    private static double denominator(Edges a, Edges b) {
        double den = 0;
        double[] gas = a.strength();
        double[] gbs = b.strength();
        for (int i = 0; i < gas.length; i++) {
            den += gas[i] + gbs[i];
        }
        return den;
    }

    /** The two sigmoids' peaks, 0.9994·0.9879. */
    private static final double Q_GA = 0.9994 * 0.9879;

    /** Exponent arguments below this give 1 + e^x = 1 exactly (e^−37 is under half an ulp of 1). */
    private static final double EXP_FLOOR = -40;

    /**
     * The Qabf sum Σ(Q_AF g_A + Q_BF g_B) / den in loops C2 vectorises, blocks of {@link #ANGLE_BLOCK} pixels
     * with every array indexed by the pixel (e1, e2, terms: scratch of the plane's size). Each transfer term is
     * the toolkits' formula (above) with the selects made arithmetic and {@link #exp40} for
     * {@code Math.exp}: G = min/max of the strengths, or g_F where they are equal (a 0/1 factor picks it
     * exactly); a term with g_X = 0 is Q·0 = 0, as the toolkits' code adds it. Within ~1e-14 relative of the
     * per-pixel code (the 12,544-value comparison in docs/benchmarks.md).
     */
    private static double qabf(Edges a, Edges b, double[] gf, double[] af, double den, double[] e1, double[] e2,
            double[] terms) {
        int n = gf.length;
        double num = 0;
        for (int o = 0; o < n; o += ANGLE_BLOCK) {
            int end = Math.min(n, o + ANGLE_BLOCK);
            transferTerms(a.strength(), a.angle(), gf, af, e1, e2, terms, o, end, false);
            transferTerms(b.strength(), b.angle(), gf, af, e1, e2, terms, o, end, true);
            for (int i = o; i < end; i++) {
                num += terms[i];
            }
        }
        return num / den;
    }

    /**
     * {@code terms[i] = Q_XF·g_X} for i in [o, end) ({@code add}: plus it, after source
     * A's term as the toolkits add them).
     */
    private static void transferTerms(double[] gx, double[] ax, double[] gf, double[] af, double[] e1, double[] e2,
            double[] terms, int o, int end, boolean add) {
        // (two loops: C2 leaves a loop whose body is too large to unroll scalar — one loop for all of this ran
        // 1.6x slower, measured)
        for (int i = o; i < end; i++) {
            double x = gx[i];
            double f = gf[i];
            double ratio = Math.min(x, f) / Math.max(Math.max(x, f), Double.MIN_NORMAL);
            // 1 where g_X = g_F (then G = g_F, the toolkits' quirk), else 0: distinct strengths differ by far
            // more than 2^-1000
            double equal = 1.0 - Math.min(1.0, Math.abs(x - f) * FLAG_SCALE);
            double g = ratio * (1.0 - equal) + f * equal;
            e1[i] = Math.max(EXP_FLOOR, -15 * (g - 0.5));
        }
        for (int i = o; i < end; i++) {
            double angle = 1 - Math.abs(ax[i] - af[i]) / HALF_PI;
            e2[i] = Math.max(EXP_FLOOR, -22 * (angle - 0.8));
        }
        exp40(e1, o, end);
        exp40(e2, o, end);
        // Q_g·Q_a = (0.9994·0.9879)/((1 + e1)(1 + e2)): one division instead of two (the products stay below
        // (1 + e^40)² ≈ 5.5e34; the regrouped roundings are ~1e-16 relative)
        if (add) {
            for (int i = o; i < end; i++) {
                terms[i] = terms[i] + Q_GA / ((1 + e1[i]) * (1 + e2[i])) * gx[i];
            }
        } else {
            for (int i = o; i < end; i++) {
                terms[i] = Q_GA / ((1 + e1[i]) * (1 + e2[i])) * gx[i];
            }
        }
    }

    /** 1/k! for k = 0..16. */
    private static final double[] INV_FACTORIAL = new double[17];

    static {
        double f = 1;
        for (int k = 0; k <= 16; k++) {
            if (k > 0) {
                f *= k;
            }
            INV_FACTORIAL[k] = 1 / f;
        }
    }

    /**
     * {@code v[i] = e^v[i]} for i in [o, end), arguments in [−40, 40] (Qabf's: −15(G − 0.5) ≤ 7.5 and
     * −22(A − 0.8) ≤ 39.6 with A ≥ −1, floored at −40): e^x = (e^(x/64))^64, the inner value by its Taylor
     * polynomial of degree 16 (|x/64| ≤ 0.625: remainder < 1e-18 relative), then six squarings (which multiply
     * the relative error by 64: about 1e-14 in all, {@code QabfAngleTest} checks it against Math.exp). Only
     * multiplications and additions, so the loop vectorises, where Math.exp is a call per value.
     */
    static void exp40(double[] v, int o, int end) {
        double c0 = INV_FACTORIAL[0];
        double c1 = INV_FACTORIAL[1];
        double c2 = INV_FACTORIAL[2];
        double c3 = INV_FACTORIAL[3];
        double c4 = INV_FACTORIAL[4];
        double c5 = INV_FACTORIAL[5];
        double c6 = INV_FACTORIAL[6];
        double c7 = INV_FACTORIAL[7];
        double c8 = INV_FACTORIAL[8];
        double c9 = INV_FACTORIAL[9];
        double c10 = INV_FACTORIAL[10];
        double c11 = INV_FACTORIAL[11];
        double c12 = INV_FACTORIAL[12];
        double c13 = INV_FACTORIAL[13];
        double c14 = INV_FACTORIAL[14];
        double c15 = INV_FACTORIAL[15];
        double c16 = INV_FACTORIAL[16];
        for (int i = o; i < end; i++) {
            double y = v[i] * 0x1p-6;
            double p = c16;
            p = p * y + c15;
            p = p * y + c14;
            p = p * y + c13;
            p = p * y + c12;
            p = p * y + c11;
            p = p * y + c10;
            p = p * y + c9;
            p = p * y + c8;
            p = p * y + c7;
            p = p * y + c6;
            p = p * y + c5;
            p = p * y + c4;
            p = p * y + c3;
            p = p * y + c2;
            p = p * y + c1;
            p = p * y + c0;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            v[i] = p * p;
        }
    }

    /**
     * The source side of Qabf for one pair (the Sobel strength and angle of A and B) and scratch for F's,
     * reused for every fused image of the pair. Not thread-safe: one instance per thread.
     */
    static final class QabfSources {
        private final Edges a;
        private final Edges b;
        private final double[] sx;
        private final double[] sy;
        private final double[] u;
        private final Edges f;
        /** Σ(g_A + g_B): the sources alone. */
        private final double den;
        /** Every value of the planes an integer (all scales but tang2022's 0..1): the vectorised Sobel route. */
        private final boolean integral;

        /**
         * Planes already on the scale the profile computes Qabf on; {@code integral}: their values (and the fused
         * planes' later) are all integers.
         */
        QabfSources(Plane a, Plane b, boolean integral) {
            this.integral = integral;
            int n = a.size();
            sx = Scratch.take(n);
            sy = Scratch.take(n);
            this.a = new Edges(Scratch.take(n), Scratch.take(n));
            this.b = new Edges(Scratch.take(n), Scratch.take(n));
            u = Scratch.take(n);
            qabfEdges(a, integral, sx, sy, this.a, u);
            qabfEdges(b, integral, sx, sy, this.b, u);
            f = new Edges(Scratch.take(n), Scratch.take(n));
            den = denominator(this.a, this.b);
        }

        /** Gives the plane-sized arrays back ({@link Scratch}); this object must not be used afterwards. */
        void release() {
            Scratch.give(sx, sy, u, a.strength(), a.angle(), b.strength(), b.angle(), f.strength(), f.angle());
        }

        /** Qabf(A, B, F) for F on the sources' scale. */
        double qabf(Plane fused) {
            if (fused.size() != sx.length) {
                throw new IllegalArgumentException("fused plane size differs from the sources'");
            }
            // α_F of every pixel (vectorised, ≈ 1 ns each) costs less than computing it one by one only
            // where a source has an edge, as before
            qabfEdges(fused, integral, sx, sy, f, u);
            // sx, sy, u are free again: the transfer terms' scratch
            return EdgeMetrics.qabf(a, b, f.strength(), f.angle(), den, sx, sy, u);
        }
    }

    /**
     * Nabf, the modified fusion-artefact measure of Shreyamsha Kumar (2013, {@code objective_fusion_perform_fn}):
     * Sobel/8 responses with symmetric padding that does not repeat the edge; G_XF = min/max of strengths (0 if
     * either is 0), A_XF = ||α_X − α_F| − π/2|·2/π with α = atan(g_v/g_h) (0 where both are 0);
     * Q_XF = sqrt(0.9999/(1 + e^(−19(G − 0.5))) · 0.9995/(1 + e^(−22(A − 0.5))));
     * w_X = g_X^1.5 where g_X ≥ 2, else 0.001; artefact pixels are those with g_F > g_A and g_F > g_B;
     * Nabf = Σ_artefact ((1 − Q_AF) w_A + (1 − Q_BF) w_B) / Σ (w_A + w_B). Arguments in the correct order
     * (the 2023 toolkit swaps them).
     */
    static double nabf(Plane a, Plane b, Plane f) {
        return new NabfSources(a, b).nabf(f);
    }

    /**
     * The source side of Nabf for one pair (strengths, weights w_X, angles and the whole denominator, which
     * depends on the sources only) and scratch for F's responses. Not thread-safe: one instance per thread.
     */
    static final class NabfSources {
        private final int width;
        private final int height;
        private final double[][] g = new double[2][];
        private final double[][] weight = new double[2][];
        private final double[][] angle = new double[2][];
        private final double den;
        private final double[] gv;
        private final double[] gh;

        NabfSources(Plane a, Plane b) {
            width = a.width();
            height = a.height();
            int n = a.size();
            gv = new double[n];
            gh = new double[n];
            Plane[] planes = {a, b};
            for (int k = 0; k < 2; k++) {
                sobelEighth(planes[k], gv, gh);
                g[k] = new double[n];
                weight[k] = new double[n];
                angle[k] = new double[n];
                for (int i = 0; i < n; i++) {
                    double gx = Math.hypot(gv[i], gh[i]);
                    g[k][i] = gx;
                    weight[k][i] = gx >= 2 ? Math.pow(gx, 1.5) : 0.001;
                    angle[k][i] = angle(gv[i], gh[i]);
                }
            }
            double d = 0;
            for (int i = 0; i < n; i++) {
                d += weight[0][i] + weight[1][i];
            }
            den = d;
        }

        double nabf(Plane f) {
            if (f.width() != width || f.height() != height) {
                throw new IllegalArgumentException("fused plane size differs from the sources'");
            }
            sobelEighth(f, gv, gh);
            double[] ga = g[0];
            double[] gb = g[1];
            double num = 0;
            for (int i = 0; i < gv.length; i++) {
                double gf = Math.hypot(gv[i], gh[i]);
                if (gf > ga[i] && gf > gb[i]) {
                    double af = angle(gv[i], gh[i]);
                    num += (1 - nabfTransfer(ga[i], angle[0][i], gf, af)) * weight[0][i]
                            + (1 - nabfTransfer(gb[i], angle[1][i], gf, af)) * weight[1][i];
                }
            }
            return num / den;
        }
    }

    private static double angle(double gv, double gh) {
        return gv == 0 && gh == 0 ? 0 : FdlibmAtan.atan(gv / gh);
    }

    private static double nabfTransfer(double gx, double ax, double gf, double af) {
        double g = gx == 0 || gf == 0 ? 0 : gx > gf ? gf / gx : gx / gf;
        double a = Math.abs(Math.abs(ax - af) - HALF_PI) * 2 / Math.PI;
        double qg = 0.9999 / (1 + Math.exp(-19 * (g - 0.5)));
        double qa = 0.9995 / (1 + Math.exp(-22 * (a - 0.5)));
        return Math.sqrt(qg * qa);
    }

    /** Vertical ({@code gv}) and horizontal ({@code gh}) Sobel/8 responses with mirror padding (edge not repeated). */
    private static void sobelEighth(Plane p, double[] gv, double[] gh) {
        int w = p.width();
        int h = p.height();
        double[] v = p.v();
        for (int y = 0; y < h; y++) {
            int ym = mirror(y - 1, h) * w;
            int y0 = y * w;
            int yp = mirror(y + 1, h) * w;
            for (int x = 0; x < w; x++) {
                int xm = mirror(x - 1, w);
                int xp = mirror(x + 1, w);
                gv[y0 + x] = ((v[yp + xm] + 2 * v[yp + x] + v[yp + xp]) - (v[ym + xm] + 2 * v[ym + x] + v[ym + xp])) / 8;
                gh[y0 + x] = ((v[ym + xp] + 2 * v[y0 + xp] + v[yp + xp]) - (v[ym + xm] + 2 * v[y0 + xm] + v[yp + xm])) / 8;
            }
        }
    }

    private static int mirror(int i, int n) {
        if (n == 1) {
            return 0;
        }
        return i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
    }
}
