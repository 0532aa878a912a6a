package org.irfuse.core.align;

/**
 * The global (translation or affine) stage: maximises the NGF similarity (the normalised correlation of the
 * feature fields, {@link AlignmentProblem#similarity}) coarse to fine with the enhanced-correlation-coefficient
 * update ({@link Ecc}), in the forward-compositional form of Lucas–Kanade (Baker &amp; Matthews 2004,
 * "Lucas-Kanade 20 years on", §3.1): each iteration warps the source by the current map {@code A}, computes its
 * features and their gradients on the target grid, solves the 6×6 (2×2 for translation) system for an increment
 * {@code Δ} near the identity, and sets {@code A ← A ∘ (I + Δ)}. Plain least squares on the features would be
 * biased: it can lower the residual by weakening the source's own edges (zooming into flat regions); the
 * correlation is blind to that scale. Features are recomputed from the warped source
 * every iteration, so rotation of edge orientation under the map is accounted for. On the coarsest level an
 * exhaustive search over integer translations first finds the basin (shifts of tens of pixels are a few pixels
 * there).
 */
final class GlobalEstimator {
    private final AlignmentProblem problem;
    private final boolean affine;
    private final int searchRadius;
    private final int finestLevel;
    private final int iterations;
    private final int affineCoarsest;

    /**
     * @param searchRadius translation search on the coarsest level, in coarsest-level pixels
     * @param finestLevel the finest pyramid level iterated on (0 = full resolution)
     */
    GlobalEstimator(AlignmentProblem problem, boolean affine, int searchRadius, int finestLevel, int iterations,
            int affineCoarsest) {
        this.affineCoarsest = affineCoarsest;
        this.problem = problem;
        this.affine = affine;
        this.searchRadius = searchRadius;
        this.finestLevel = finestLevel;
        this.iterations = iterations;
    }

    /** Refines {@code initial} (a level-0 map) and returns the level-0 result. */
    AffineTransform estimate(AffineTransform initial) {
        int coarsest = problem.levels - 1;
        AffineTransform a = initial.atLevel(coarsest);
        a = search(coarsest, a);
        for (int level = coarsest; level >= finestLevel; level--) {
            if (level < coarsest) {
                a = a.fromLevel(level + 1).atLevel(level);
            }
            boolean fullHere = affine && level <= affineCoarsest;
            if (level == coarsest || !fullHere) {
                a = iterate(level, a, false);
            }
            if (fullHere) {
                a = iterate(level, a, true);
            }
        }
        return a.fromLevel(finestLevel);
    }

    /** The integer translation (composed after {@code a}) with the best NGF similarity, 60 % overlap required. */
    private AffineTransform search(int level, AffineTransform a) {
        if (searchRadius <= 0) {
            return a;
        }
        int n = problem.targetWidth(level) * problem.targetHeight(level);
        AffineTransform best = a;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int dy = -searchRadius; dy <= searchRadius; dy++) {
            for (int dx = -searchRadius; dx <= searchRadius; dx++) {
                AffineTransform c = a.compose(AffineTransform.translation(dx, dy));
                float[][] xy = problem.coordinates(level, c);
                double[] s = problem.similarity(level, problem.sample(level, xy[0], xy[1]));
                if (s[1] >= 0.6 * n && s[0] > bestScore) {
                    bestScore = s[0];
                    best = c;
                }
            }
        }
        return best;
    }

    private AffineTransform iterate(int level, AffineTransform a, boolean full) {
        int w = problem.targetWidth(level);
        int h = problem.targetHeight(level);
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        double scale = Math.max(w, h) / 2.0;
        int k = full ? 6 : 2;
        FloatGrid[] ft = problem.targetFeatures(level);
        for (int it = 0; it < iterations; it++) {
            float[][] xy = problem.coordinates(level, a);
            AlignmentProblem.Sample s = problem.sample(level, xy[0], xy[1]);
            FloatGrid[] g0 = Grids.gradient(s.features()[0]);
            FloatGrid[] g1 = Grids.gradient(s.features()[1]);
            FloatGrid[][] grads = {g0, g1};
            // ECC sums: upper triangle of H = Σ w·JᵀJ (k·k), gt = Σ w·Jᵀt, gw = Σ w·Jᵀs (k each), then
            // Σ w·|t|², Σ w·|s|², Σ w·t·s (t: target features, s: warped source features, J = ∇s·∂Δ/∂q).
            int kk = k * k;
            double[] sums = Parallel.sum(h, kk + 2 * k + 3, (y, acc) -> {
                double[] j = new double[k];
                double yn = (y - cy) / scale;
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    double wt = s.weight().v()[i];
                    if (wt <= 0) {
                        continue;
                    }
                    double xn = (x - cx) / scale;
                    for (int c = 0; c < 2; c++) {
                        double gx = grads[c][0].v()[i];
                        double gy = grads[c][1].v()[i];
                        double sv = s.features()[c].v()[i];
                        double tv = ft[c].v()[i];
                        if (full) {
                            j[0] = gx;
                            j[1] = gx * xn;
                            j[2] = gx * yn;
                            j[3] = gy;
                            j[4] = gy * xn;
                            j[5] = gy * yn;
                        } else {
                            j[0] = gx;
                            j[1] = gy;
                        }
                        for (int p = 0; p < k; p++) {
                            for (int q = p; q < k; q++) {
                                acc[p * k + q] += wt * j[p] * j[q];
                            }
                            acc[kk + p] += wt * j[p] * tv;
                            acc[kk + k + p] += wt * j[p] * sv;
                        }
                        acc[kk + 2 * k] += wt * tv * tv;
                        acc[kk + 2 * k + 1] += wt * sv * sv;
                        acc[kk + 2 * k + 2] += wt * tv * sv;
                    }
                }
            });
            double[] p = Ecc.step(sums, k);
            if (p == null) {
                break;
            }
            double[] q = full ? p : new double[] {p[0], 0, 0, p[1], 0, 0};
            // Δ(x) = (q0 + q1·x̃ + q2·ỹ, q3 + q4·x̃ + q5·ỹ), x̃ = (x − cx)/scale; as a matrix on level pixels:
            AffineTransform inc = new AffineTransform(
                    1 + q[1] / scale, q[2] / scale, q[0] - q[1] * cx / scale - q[2] * cy / scale,
                    q[4] / scale, 1 + q[5] / scale, q[3] - q[4] * cx / scale - q[5] * cy / scale);
            a = a.compose(inc);
            double move = Math.hypot(q[0], q[3]) + Math.hypot(q[1], q[4]) + Math.hypot(q[2], q[5]);
            if (move < 0.01) {
                break;
            }
        }
        return a;
    }
}
