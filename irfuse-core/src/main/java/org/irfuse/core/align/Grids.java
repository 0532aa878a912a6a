package org.irfuse.core.align;

/** The linear operations of the alignment code: Gaussian smoothing, pyramid reduction and expansion, gradients. */
final class Grids {
    private Grids() {
    }

    /** The sampled Gaussian {@code exp(−k²/2σ²)}, radius ⌈3σ⌉, normalised to sum 1. */
    static float[] gaussianKernel(double sigma) {
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            double g = Math.exp(-(i * (double) i) / (2 * sigma * sigma));
            k[i + r] = (float) g;
            sum += g;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    /** Separable Gaussian smoothing with replicated borders. {@code sigma <= 0} returns a copy. */
    static FloatGrid gaussian(FloatGrid g, double sigma) {
        if (sigma <= 0) {
            return new FloatGrid(g.w(), g.h(), g.v().clone());
        }
        float[] k = gaussianKernel(sigma);
        int r = k.length / 2;
        int w = g.w();
        int h = g.h();
        float[] src = g.v();
        float[] tmp = new float[w * h];
        Parallel.rows(h, y -> {
            int off = y * w;
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int i = -r; i <= r; i++) {
                    int xx = x + i;
                    xx = xx < 0 ? 0 : xx >= w ? w - 1 : xx;
                    s += k[i + r] * src[off + xx];
                }
                tmp[off + x] = s;
            }
        });
        float[] out = new float[w * h];
        Parallel.rows(h, y -> {
            int off = y * w;
            for (int i = -r; i <= r; i++) {
                int yy = y + i;
                yy = yy < 0 ? 0 : yy >= h ? h - 1 : yy;
                int o2 = yy * w;
                float kk = k[i + r];
                for (int x = 0; x < w; x++) {
                    out[off + x] += kk * tmp[o2 + x];
                }
            }
        });
        return new FloatGrid(w, h, out);
    }

    /**
     * One pyramid reduction: the binomial filter [1 3 3 1]/8 along each axis, keeping every second sample, so the
     * coarse pixel {@code i} is centred between fine pixels {@code 2i} and {@code 2i+1} (Burt &amp; Adelson's
     * reduction with an even-length kernel, which keeps the align-corners-false convention exact). Borders
     * replicate. Odd sizes round up.
     */
    static FloatGrid reduce(FloatGrid g) {
        int w = g.w();
        int h = g.h();
        int cw = (w + 1) / 2;
        int ch = (h + 1) / 2;
        float[] src = g.v();
        float[] tmp = new float[cw * h];
        Parallel.rows(h, y -> {
            int off = y * w;
            for (int i = 0; i < cw; i++) {
                int x = 2 * i;
                float a = src[off + Math.max(0, x - 1)];
                float b = src[off + Math.min(w - 1, x)];
                float c = src[off + Math.min(w - 1, x + 1)];
                float d = src[off + Math.min(w - 1, x + 2)];
                tmp[y * cw + i] = (a + 3 * b + 3 * c + d) / 8;
            }
        });
        float[] out = new float[cw * ch];
        Parallel.rows(ch, j -> {
            int y = 2 * j;
            int ra = Math.max(0, y - 1) * cw;
            int rb = Math.min(h - 1, y) * cw;
            int rc = Math.min(h - 1, y + 1) * cw;
            int rd = Math.min(h - 1, y + 2) * cw;
            for (int i = 0; i < cw; i++) {
                out[j * cw + i] = (tmp[ra + i] + 3 * tmp[rb + i] + 3 * tmp[rc + i] + tmp[rd + i]) / 8;
            }
        });
        return new FloatGrid(cw, ch, out);
    }

    /**
     * Bilinear expansion to {@code w × h} under the align-corners-false convention with a factor 2 between levels
     * (fine pixel {@code x} is at coarse coordinate {@code (x + 0.5)/2 − 0.5}), values unchanged.
     */
    static FloatGrid expand(FloatGrid g, int w, int h) {
        float[] out = new float[w * h];
        Parallel.rows(h, y -> {
            double cy = (y + 0.5) / 2 - 0.5;
            for (int x = 0; x < w; x++) {
                out[y * w + x] = g.sampleClamped((x + 0.5) / 2 - 0.5, cy);
            }
        });
        return new FloatGrid(w, h, out);
    }

    /** Central differences {@code (g[x+1] − g[x−1])/2}, one-sided at the borders: {@code {∂x, ∂y}}. */
    static FloatGrid[] gradient(FloatGrid g) {
        int w = g.w();
        int h = g.h();
        float[] v = g.v();
        float[] gx = new float[w * h];
        float[] gy = new float[w * h];
        Parallel.rows(h, y -> {
            int off = y * w;
            int up = (y == 0 ? 0 : y - 1) * w;
            int down = (y == h - 1 ? h - 1 : y + 1) * w;
            float fy = (y == 0 || y == h - 1) ? 1f : 0.5f;
            for (int x = 0; x < w; x++) {
                int l = x == 0 ? 0 : x - 1;
                int r = x == w - 1 ? w - 1 : x + 1;
                float fx = (x == 0 || x == w - 1) ? 1f : 0.5f;
                gx[off + x] = w == 1 ? 0 : (v[off + r] - v[off + l]) * fx;
                gy[off + x] = h == 1 ? 0 : (v[down + x] - v[up + x]) * fy;
            }
        });
        return new FloatGrid[] {new FloatGrid(w, h, gx), new FloatGrid(w, h, gy)};
    }
}
