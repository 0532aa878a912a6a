package org.irfuse.core.align;

/**
 * The deformable stage: a dense displacement field {@code d} on top of the global map, {@code src(x) = A·x +
 * d(x)}, estimated coarse to fine by windowed Lucas–Kanade on the NGF features (the Gaussian-window form of
 * Lucas &amp; Kanade 1981 as in Farnebäck/Bruhn's "combined local-global" flow): per pixel, the 2×2 normal
 * equations {@code Σ_c ∇u_c ∇u_cᵀ · Δ = −Σ_c ∇u_c r_c} are averaged over a Gaussian window, solved with a
 * Tikhonov term that keeps the update at zero where the window sees no edges, composed with the current map
 * ({@code M ← M ∘ (id + Δ)}), and the total field is then smoothed by a Gaussian — the diffusion regulariser of
 * demons registration (Thirion 1998; Vercauteren et al. 2009), which keeps the field smooth and lets it bridge
 * regions without edges or without source data.
 */
final class DeformableEstimator {
    private final AlignmentProblem problem;
    private final int coarsest;
    private final int finest;
    private final int iterations;
    private final double window;
    private final double smoothing;
    private final double lambda;

    /**
     * @param window Gaussian window σ of the local normal equations, in level pixels
     * @param smoothing Gaussian σ applied to the whole field after every update, in level pixels
     * @param lambda Tikhonov weight relative to the mean structure-tensor trace of the level
     */
    DeformableEstimator(AlignmentProblem problem, int coarsest, int finest, int iterations, double window,
            double smoothing, double lambda) {
        this.problem = problem;
        this.coarsest = coarsest;
        this.finest = finest;
        this.iterations = iterations;
        this.window = window;
        this.smoothing = smoothing;
        this.lambda = lambda;
    }

    /** The field (on level {@code finest}'s grid, stride {@code 2^finest}) on top of the level-0 map {@code a}. */
    DisplacementField estimate(AffineTransform a) {
        FloatGrid dx = null;
        FloatGrid dy = null;
        for (int level = coarsest; level >= finest; level--) {
            int w = problem.targetWidth(level);
            int h = problem.targetHeight(level);
            if (dx == null) {
                dx = new FloatGrid(w, h);
                dy = new FloatGrid(w, h);
            } else {
                dx = Grids.expand(dx, w, h);
                dy = Grids.expand(dy, w, h);
            }
            AffineTransform al = a.atLevel(level);
            double s = 1 << level;
            for (int it = 0; it < iterations; it++) {
                FloatGrid[] d = step(level, al, s, dx, dy);
                dx = Grids.gaussian(d[0], smoothing);
                dy = Grids.gaussian(d[1], smoothing);
            }
        }
        return new DisplacementField(1 << finest, dx, dy);
    }

    private FloatGrid[] step(int level, AffineTransform al, double s, FloatGrid dx, FloatGrid dy) {
        int w = problem.targetWidth(level);
        int h = problem.targetHeight(level);
        int n = w * h;
        float[] xs = new float[n];
        float[] ys = new float[n];
        Parallel.rows(h, y -> {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                xs[i] = (float) (al.applyX(x, y) + dx.v()[i] / s);
                ys[i] = (float) (al.applyY(x, y) + dy.v()[i] / s);
            }
        });
        AlignmentProblem.Sample smp = problem.sample(level, xs, ys);
        FloatGrid[] ft = problem.targetFeatures(level);
        FloatGrid[][] grads = {Grids.gradient(smp.features()[0]), Grids.gradient(smp.features()[1])};
        // Per-pixel ECC sums (see Ecc) with J = ∇s: H = JᵀJ (3 entries), Jᵀt (2), Jᵀs (2), |s|², t·s.
        float[][] eq = new float[9][n];
        Parallel.rows(h, y -> {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                float wt = smp.weight().v()[i];
                if (wt <= 0) {
                    continue;
                }
                for (int c = 0; c < 2; c++) {
                    float gx = grads[c][0].v()[i];
                    float gy = grads[c][1].v()[i];
                    float sv = smp.features()[c].v()[i];
                    float tv = ft[c].v()[i];
                    eq[0][i] += wt * gx * gx;
                    eq[1][i] += wt * gx * gy;
                    eq[2][i] += wt * gy * gy;
                    eq[3][i] += wt * gx * tv;
                    eq[4][i] += wt * gy * tv;
                    eq[5][i] += wt * gx * sv;
                    eq[6][i] += wt * gy * sv;
                    eq[7][i] += wt * sv * sv;
                    eq[8][i] += wt * tv * sv;
                }
            }
        });
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += eq[0][i] + eq[2][i];
        }
        float reg = (float) (lambda * trace / n);
        FloatGrid[] m = new FloatGrid[eq.length];
        for (int k = 0; k < eq.length; k++) {
            m[k] = Grids.gaussian(new FloatGrid(w, h, eq[k]), window);
        }
        float[] nx = new float[n];
        float[] ny = new float[n];
        Parallel.rows(h, y -> {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double a11 = m[0].v()[i] + reg;
                double a12 = m[1].v()[i];
                double a22 = m[2].v()[i] + reg;
                double det = a11 * a22 - a12 * a12;
                double ux = 0;
                double uy = 0;
                if (det > 0) {
                    double t1 = m[3].v()[i];
                    double t2 = m[4].v()[i];
                    double s1 = m[5].v()[i];
                    double s2 = m[6].v()[i];
                    // H⁻¹·Jᵀt and H⁻¹·Jᵀs
                    double ht1 = (a22 * t1 - a12 * t2) / det;
                    double ht2 = (a11 * t2 - a12 * t1) / det;
                    double hs1 = (a22 * s1 - a12 * s2) / det;
                    double hs2 = (a11 * s2 - a12 * s1) / det;
                    double num = m[7].v()[i] - (s1 * hs1 + s2 * hs2);
                    double den = m[8].v()[i] - (t1 * hs1 + t2 * hs2);
                    if (den > 1e-9 && num > 0) {
                        double lam = num / den;
                        ux = lam * ht1 - hs1;
                        uy = lam * ht2 - hs2;
                    }
                }
                double len = Math.hypot(ux, uy);
                if (len > 1) { // one level pixel per iteration at most: the linearisation holds that far
                    ux /= len;
                    uy /= len;
                }
                // M(x + Δ) = A_L·x + A·Δ + d(x + Δ)/s, so the new field is s·A·Δ + d(x + Δ) (level-0 units).
                double px = x + ux;
                double py = y + uy;
                nx[i] = (float) (s * (al.a() * ux + al.b() * uy) + dx.sampleClamped(px, py));
                ny[i] = (float) (s * (al.d() * ux + al.e() * uy) + dy.sampleClamped(px, py));
            }
        });
        return new FloatGrid[] {new FloatGrid(w, h, nx), new FloatGrid(w, h, ny)};
    }
}
