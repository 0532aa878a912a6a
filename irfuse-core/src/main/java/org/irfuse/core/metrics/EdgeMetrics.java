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
        double[] sx = Filters.conv2Same3x3(x, SOBEL_X);
        double[] sy = Filters.conv2Same3x3(x, SOBEL_Y);
        double[] g = new double[sx.length];
        double[] a = new double[sx.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = Math.sqrt(sx[i] * sx[i] + sy[i] * sy[i]);
            a[i] = sx[i] == 0 ? HALF_PI : Math.atan(sy[i] / sx[i]);
        }
        return new Edges(g, a);
    }

    /**
     * Qabf = Σ(Q_AF g_A + Q_BF g_B) / Σ(g_A + g_B), Q_XF = 0.9994/(1 + e^(−15(G − 0.5))) · 0.9879/(1 + e^(−22(A −
     * 0.8))), A = 1 − |α_X − α_F|/(π/2), G = g_F/g_X if g_X > g_F, g_F (not 1) if g_X = g_F, else g_X/g_F — the
     * common MATLAB code (Tang, VIFB) and CDDFuse's port share that equality quirk, so the value scale of the
     * planes matters only through it (tang2022: 0..1, VIFB: 255·(0..255), others 0..255).
     */
    static double qabf(Edges a, Edges b, Edges f) {
        double num = 0;
        double den = 0;
        double[] gf = f.strength();
        double[] af = f.angle();
        for (int i = 0; i < gf.length; i++) {
            double ga = a.strength()[i];
            double gb = b.strength()[i];
            num += transfer(ga, a.angle()[i], gf[i], af[i]) * ga + transfer(gb, b.angle()[i], gf[i], af[i]) * gb;
            den += ga + gb;
        }
        return num / den;
    }

    private static double transfer(double gx, double ax, double gf, double af) {
        double g = gx > gf ? gf / gx : gx == gf ? gf : gx / gf;
        double a = 1 - Math.abs(ax - af) / HALF_PI;
        double qg = 0.9994 / (1 + Math.exp(-15 * (g - 0.5)));
        double qa = 0.9879 / (1 + Math.exp(-22 * (a - 0.8)));
        return qg * qa;
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
        double[][] ea = sobelEighth(a);
        double[][] eb = sobelEighth(b);
        double[][] ef = sobelEighth(f);
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.size(); i++) {
            double ga = Math.hypot(ea[0][i], ea[1][i]);
            double gb = Math.hypot(eb[0][i], eb[1][i]);
            double gf = Math.hypot(ef[0][i], ef[1][i]);
            double wa = ga >= 2 ? Math.pow(ga, 1.5) : 0.001;
            double wb = gb >= 2 ? Math.pow(gb, 1.5) : 0.001;
            den += wa + wb;
            if (gf > ga && gf > gb) {
                double af = angle(ef, i);
                num += (1 - nabfTransfer(ga, angle(ea, i), gf, af)) * wa
                        + (1 - nabfTransfer(gb, angle(eb, i), gf, af)) * wb;
            }
        }
        return num / den;
    }

    private static double angle(double[][] e, int i) {
        double gv = e[0][i];
        double gh = e[1][i];
        return gv == 0 && gh == 0 ? 0 : Math.atan(gv / gh);
    }

    private static double nabfTransfer(double gx, double ax, double gf, double af) {
        double g = gx == 0 || gf == 0 ? 0 : gx > gf ? gf / gx : gx / gf;
        double a = Math.abs(Math.abs(ax - af) - HALF_PI) * 2 / Math.PI;
        double qg = 0.9999 / (1 + Math.exp(-19 * (g - 0.5)));
        double qa = 0.9995 / (1 + Math.exp(-22 * (a - 0.5)));
        return Math.sqrt(qg * qa);
    }

    /** Vertical ([0]) and horizontal ([1]) Sobel/8 responses with mirror padding (edge not repeated). */
    private static double[][] sobelEighth(Plane p) {
        int w = p.width();
        int h = p.height();
        double[] v = p.v();
        double[] gv = new double[v.length];
        double[] gh = new double[v.length];
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
        return new double[][] {gv, gh};
    }

    private static int mirror(int i, int n) {
        if (n == 1) {
            return 0;
        }
        return i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
    }
}
