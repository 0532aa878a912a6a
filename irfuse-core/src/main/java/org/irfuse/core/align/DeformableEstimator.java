package org.irfuse.core.align;

/**
 * The deformable stage: a smooth displacement {@code d} on top of the global map, {@code src(x) = A·x + d(x)},
 * modelled as a cubic B-spline free-form deformation (Rueckert et al. 1999, "Nonrigid registration using
 * free-form deformations", IEEE TMI 18(8)) and estimated by maximising the same NGF correlation as the global
 * stage with the {@link Ecc} update over all control points at once (forward additive: {@code c ← c + Δ}).
 *
 * <p>Multi-resolution in both the image and the control grid (Rueckert et al. 1999 §II-D; Schnabel et al. 2001,
 * "A generic framework for non-rigid registration based on non-uniform multi-level free-form deformations"): a
 * list of {@link Stage}s, each with a control-point spacing, a pyramid level and a bending weight; between stages
 * of halved spacing the grid is refined exactly by B-spline subdivision ({@link Grid#refine}), so a fine grid
 * starts from the coarse field and only has to add detail. A fine grid started from the affine map alone
 * falls into spurious edge matches (docs/alignment.md); coarse grids first find the large non-rigid part.
 *
 * <p>Regulariser: the bending energy of the control grid's second differences plus a small pull towards the
 * global map, {@code κ·(Σ (D_xx c)² + (D_yy c)² + 2(D_xy c)² + τ|c|²)}, with κ = bending × the mean data
 * curvature per parameter; it keeps the field smooth and lets it bridge regions without edges (textureless sky,
 * road) or without infrared data.
 */
final class DeformableEstimator {
    /** One stage: control points {@code spacing} level-0 pixels apart, iterated on {@code level}. */
    record Stage(double spacing, int level, int iterations, double bending) {
    }

    private final AlignmentProblem problem;
    private final java.util.List<Stage> stages;
    private final int fieldStride;
    private final double tikhonov;

    /**
     * @param stages from coarse to fine; each spacing equals or halves the previous one
     * @param tikhonov τ, the pull towards the global map relative to the bending energy
     * @param fieldStride stride (level-0 pixels) of the {@link DisplacementField} grid the result is sampled on
     */
    DeformableEstimator(AlignmentProblem problem, java.util.List<Stage> stages, double tikhonov, int fieldStride) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("no deformable stages");
        }
        for (int i = 1; i < stages.size(); i++) {
            double r = stages.get(i - 1).spacing() / stages.get(i).spacing();
            if (r != 1 && r != 2) {
                throw new IllegalArgumentException("each stage's spacing must equal or halve the previous one: "
                        + stages);
            }
        }
        this.tikhonov = tikhonov;
        this.problem = problem;
        this.stages = java.util.List.copyOf(stages);
        this.fieldStride = fieldStride;
    }

    /** Cubic B-spline weights of the four nodes around fractional position {@code t} in [0, 1). */
    static void bspline(double t, double[] out) {
        double t2 = t * t;
        double t3 = t2 * t;
        out[0] = (1 - t) * (1 - t) * (1 - t) / 6;
        out[1] = (3 * t3 - 6 * t2 + 4) / 6;
        out[2] = (-3 * t3 + 3 * t2 + 3 * t + 1) / 6;
        out[3] = t3 / 6;
    }

    /** The control grid over a {@code w × h} level-0 target: node {@code k} at {@code (k − 1)·spacing}. */
    static final class Grid {
        final double spacing;
        final int nx;
        final int ny;
        final double[] cx;
        final double[] cy;

        Grid(int w, int h, double spacing) {
            this.spacing = spacing;
            nx = (int) Math.floor((w - 1) / spacing) + 4;
            ny = (int) Math.floor((h - 1) / spacing) + 4;
            cx = new double[nx * ny];
            cy = new double[nx * ny];
        }

        int params() {
            return 2 * nx * ny;
        }

        /** First node index and the four weights for level-0 coordinate {@code p}. */
        int locate(double p, double[] wts) {
            double u = p / spacing;
            int i = (int) Math.floor(u);
            bspline(u - i, wts);
            return i; // nodes i .. i+3 (node k sits at (k − 1)·spacing)
        }

        /**
         * The same field on a grid of half the spacing, by cubic B-spline subdivision (the two-scale relation
         * {@code β(u) = Σ_j a_j β(2u − j)}, a = (1, 4, 6, 4, 1)/8): old node k (at (k − 1)·S) is new node 2k − 1,
         * {@code d[2k−1] = (c[k−1] + 6c[k] + c[k+1])/8}, {@code d[2k] = (c[k] + c[k+1])/2}, along each axis. Exact
         * inside the image; coefficients needed beyond the old grid's padding are clamped (they only touch the
         * outermost border pixels).
         */
        Grid refine(int w, int h) {
            Grid g = new Grid(w, h, spacing / 2);
            subdivide(cx, g.cx, g);
            subdivide(cy, g.cy, g);
            return g;
        }

        /** Separable subdivision of one component into {@code out} (the fine grid's layout). */
        private void subdivide(double[] c, double[] out, Grid fine) {
            double[] rows = new double[ny * fine.nx]; // along x first: ny rows of fine.nx
            for (int j = 0; j < ny; j++) {
                for (int m = 0; m < fine.nx; m++) {
                    rows[j * fine.nx + m] = refined1d(c, j * nx, 1, nx, m);
                }
            }
            for (int m = 0; m < fine.ny; m++) {
                for (int i = 0; i < fine.nx; i++) {
                    out[m * fine.nx + i] = refined1d(rows, i, fine.nx, ny, m);
                }
            }
        }

        /** Fine coefficient {@code m} of the 1-d sequence {@code c[off + k·step]}, k in [0, n), clamped. */
        private static double refined1d(double[] c, int off, int step, int n, int m) {
            if (m % 2 == 0) {
                int k = m / 2;
                return (at1d(c, off, step, n, k) + at1d(c, off, step, n, k + 1)) / 2;
            }
            int k = (m + 1) / 2;
            return (at1d(c, off, step, n, k - 1) + 6 * at1d(c, off, step, n, k) + at1d(c, off, step, n, k + 1)) / 8;
        }

        private static double at1d(double[] c, int off, int step, int n, int k) {
            return c[off + Math.max(0, Math.min(n - 1, k)) * step];
        }

        double[] at(double x, double y) {
            double[] wx = new double[4];
            double[] wy = new double[4];
            int ix = locate(x, wx);
            int iy = locate(y, wy);
            double dx = 0;
            double dy = 0;
            for (int b = 0; b < 4; b++) {
                int row = (iy + b) * nx + ix;
                for (int a = 0; a < 4; a++) {
                    double k = wx[a] * wy[b];
                    dx += k * cx[row + a];
                    dy += k * cy[row + a];
                }
            }
            return new double[] {dx, dy};
        }
    }

    /** The field on the level-{@code log2(fieldStride)} grid on top of the level-0 map {@code a}. */
    DisplacementField estimate(AffineTransform a) {
        return sample(estimateGrid(a));
    }

    /** The control grid after all stages, started from zero (the global map). */
    Grid estimateGrid(AffineTransform a) {
        int w0 = problem.targetWidth(0);
        int h0 = problem.targetHeight(0);
        Grid grid = null;
        double[][] lm = null;
        for (Stage st : stages) {
            if (grid == null || grid.spacing != st.spacing()) {
                grid = grid == null ? new Grid(w0, h0, st.spacing()) : grid.refine(w0, h0);
                lm = bendingMatrix(grid.nx, grid.ny, tikhonov);
            }
            int level = Math.min(st.level(), problem.levels - 1);
            for (int it = 0; it < st.iterations(); it++) {
                if (!step(level, a, grid, lm, st.bending())) {
                    break;
                }
            }
        }
        return grid;
    }

    /** The grid sampled as a {@link DisplacementField} of stride {@code fieldStride}. */
    DisplacementField sample(Grid grid) {
        int w0 = problem.targetWidth(0);
        int h0 = problem.targetHeight(0);
        int gw = (w0 + fieldStride - 1) / fieldStride;
        int gh = (h0 + fieldStride - 1) / fieldStride;
        float[] dx = new float[gw * gh];
        float[] dy = new float[gw * gh];
        for (int j = 0; j < gh; j++) {
            for (int i = 0; i < gw; i++) {
                double[] d = grid.at((i + 0.5) * fieldStride - 0.5, (j + 0.5) * fieldStride - 0.5);
                dx[j * gw + i] = (float) d[0];
                dy[j * gw + i] = (float) d[1];
            }
        }
        return new DisplacementField(fieldStride, gw, gh, dx, dy);
    }

    /** One ECC iteration on a level; false once the update is negligible. */
    private boolean step(int level, AffineTransform a, Grid grid, double[][] lm, double bending) {
        int w = problem.targetWidth(level);
        int h = problem.targetHeight(level);
        int n = w * h;
        double s = 1 << level;
        double o = (s - 1) / 2;
        AffineTransform al = a.atLevel(level);
        // Per-column and per-row B-spline nodes and weights of this level's pixel centres (level-0 coordinates).
        int[] ix = new int[w];
        double[][] wx = new double[w][4];
        for (int x = 0; x < w; x++) {
            ix[x] = grid.locate(s * x + o, wx[x]);
        }
        int[] iy = new int[h];
        double[][] wy = new double[h][4];
        for (int y = 0; y < h; y++) {
            iy[y] = grid.locate(s * y + o, wy[y]);
        }
        float[] xs = new float[n];
        float[] ys = new float[n];
        Parallel.rows(h, y -> {
            for (int x = 0; x < w; x++) {
                double dx = 0;
                double dy = 0;
                for (int b = 0; b < 4; b++) {
                    int row = (iy[y] + b) * grid.nx + ix[x];
                    double sx = 0;
                    double sy = 0;
                    for (int q = 0; q < 4; q++) {
                        sx += wx[x][q] * grid.cx[row + q];
                        sy += wx[x][q] * grid.cy[row + q];
                    }
                    dx += wy[y][b] * sx;
                    dy += wy[y][b] * sy;
                }
                xs[y * w + x] = (float) (al.applyX(x, y) + dx / s);
                ys[y * w + x] = (float) (al.applyY(x, y) + dy / s);
            }
        });
        AlignmentProblem.Sample smp = problem.sample(level, xs, ys);
        FloatGrid[] ft = problem.targetFeatures(level);
        FloatGrid[][] grads = {Grids.gradient(smp.features()[0]), Grids.gradient(smp.features()[1])};
        // Source-space gradient per level-0 displacement: ∇_src = A⁻ᵀ·∇_target (the affine part dominates the
        // map's Jacobian), divided by s because a level-0 displacement moves the level-s sample by 1/s.
        AffineTransform inv = new AffineTransform(al.a(), al.b(), 0, al.d(), al.e(), 0).inverse();
        int k = grid.params();
        int blocks = Math.min(16, h);
        double[][] partial = new double[blocks][];
        Parallel.rows(blocks, blk -> {
            double[] acc = new double[k * k + 2 * k + 3];
            int y0 = blk * h / blocks;
            int y1 = (blk + 1) * h / blocks;
            int[] node = new int[16];
            double[] bw = new double[16];
            for (int y = y0; y < y1; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    double wt = smp.weight().v()[i];
                    if (wt <= 0) {
                        continue;
                    }
                    double gxx = 0;
                    double gxy = 0;
                    double gyy = 0;
                    double tx = 0;
                    double ty = 0;
                    double sx = 0;
                    double sy = 0;
                    for (int c = 0; c < 2; c++) {
                        double tgx = grads[c][0].v()[i];
                        double tgy = grads[c][1].v()[i];
                        double gx = (inv.a() * tgx + inv.d() * tgy) / s;
                        double gy = (inv.b() * tgx + inv.e() * tgy) / s;
                        double sv = smp.features()[c].v()[i];
                        double tv = ft[c].v()[i];
                        gxx += gx * gx;
                        gxy += gx * gy;
                        gyy += gy * gy;
                        tx += gx * tv;
                        ty += gy * tv;
                        sx += gx * sv;
                        sy += gy * sv;
                        acc[k * k + 2 * k] += wt * tv * tv;
                        acc[k * k + 2 * k + 1] += wt * sv * sv;
                        acc[k * k + 2 * k + 2] += wt * tv * sv;
                    }
                    int m = 0;
                    for (int b = 0; b < 4; b++) {
                        for (int q = 0; q < 4; q++) {
                            node[m] = (iy[y] + b) * grid.nx + ix[x] + q;
                            bw[m] = wy[y][b] * wx[x][q];
                            m++;
                        }
                    }
                    for (int p = 0; p < 16; p++) {
                        double bp = wt * bw[p];
                        int rp = 2 * node[p];
                        acc[k * k + rp] += bp * tx;
                        acc[k * k + rp + 1] += bp * ty;
                        acc[k * k + k + rp] += bp * sx;
                        acc[k * k + k + rp + 1] += bp * sy;
                        // Node pairs once (q ≥ p in this pixel's ordering, which is also node order); the
                        // lower triangle is mirrored after the sum.
                        for (int q = p; q < 16; q++) {
                            double bb = bp * bw[q];
                            int rq = 2 * node[q];
                            acc[rp * k + rq] += bb * gxx;
                            acc[rp * k + rq + 1] += bb * gxy;
                            acc[(rp + 1) * k + rq + 1] += bb * gyy;
                            if (q != p) {
                                acc[(rp + 1) * k + rq] += bb * gxy;
                            }
                        }
                    }
                }
            }
            partial[blk] = acc;
        });
        double[] sums = partial[0];
        for (int b = 1; b < blocks; b++) {
            for (int i = 0; i < sums.length; i++) {
                sums[i] += partial[b][i];
            }
        }
        double[][] hm = new double[k][k];
        double trace = 0;
        for (int p = 0; p < k; p++) {
            System.arraycopy(sums, p * k, hm[p], 0, k);
        }
        for (int p = 0; p < k; p++) {
            for (int q = p + 1; q < k; q++) {
                // Entries were accumulated with row node ≤ column node; (x of node p, y of node p) pairs sit on
                // the 2×2 diagonal block and are complete; mirror everything else.
                if (q / 2 != p / 2) {
                    hm[q][p] = hm[p][q];
                }
            }
            trace += hm[p][p];
        }
        for (int p = 0; p < k; p += 2) {
            hm[p + 1][p] = hm[p][p + 1];
        }
        double[] gt = java.util.Arrays.copyOfRange(sums, k * k, k * k + k);
        double[] gs = java.util.Arrays.copyOfRange(sums, k * k + k, k * k + 2 * k);
        double tt = sums[k * k + 2 * k];
        double ss = sums[k * k + 2 * k + 1];
        double ts = sums[k * k + 2 * k + 2];
        // Regulariser κ·L (L = bending energy of the control grid + τ·I), acting on the total c + Δ.
        double kappa = bending * trace / k;
        double[] c = new double[k];
        for (int i = 0; i < grid.nx * grid.ny; i++) {
            c[2 * i] = grid.cx[i];
            c[2 * i + 1] = grid.cy[i];
        }
        double[] lc = new double[k];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < k; q++) {
                hm[p][q] += kappa * lm[p][q];
                lc[p] += kappa * lm[p][q] * c[q];
            }
        }
        double[][] sol = Linear.choleskySolve(hm, gt, gs, lc);
        if (sol == null) {
            return false;
        }
        double[] ht = sol[0];
        double[] hs = sol[1];
        double[] hl = sol[2];
        double sPs = Ecc.dot(gs, hs);
        double tPs = Ecc.dot(gt, hs);
        double tPt = Ecc.dot(gt, ht);
        double den = ts - tPs;
        double lambda;
        if (den > 1e-12 * Math.max(1, Math.abs(ts))) {
            lambda = (ss - sPs) / den;
        } else {
            lambda = Math.max(Math.sqrt(Math.max(0, ss - sPs) / Math.max(1e-300, tt - tPt)),
                    tPt > 0 ? (tPs - ts) / tPt : 0);
        }
        double max = 0;
        for (int i = 0; i < grid.nx * grid.ny; i++) {
            double ux = lambda * ht[2 * i] - hs[2 * i] - hl[2 * i];
            double uy = lambda * ht[2 * i + 1] - hs[2 * i + 1] - hl[2 * i + 1];
            grid.cx[i] += ux;
            grid.cy[i] += uy;
            max = Math.max(max, Math.hypot(ux, uy));
        }
        return max > 0.02 * s;
    }

    /** {@code Σ (D_xx c)² + (D_yy c)² + 2(D_xy c)²} on the control grid, plus τ·I (a pull towards the global map), as a matrix on (x, y) params. */
    private static double[][] bendingMatrix(int nx, int ny, double tikhonov) {
        int k = 2 * nx * ny;
        double[][] l = new double[k][k];
        java.util.List<int[]> idx = new java.util.ArrayList<>();
        java.util.List<double[]> coef = new java.util.ArrayList<>();
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                if (i > 0 && i < nx - 1) {
                    idx.add(new int[] {j * nx + i - 1, j * nx + i, j * nx + i + 1});
                    coef.add(new double[] {1, -2, 1});
                }
                if (j > 0 && j < ny - 1) {
                    idx.add(new int[] {(j - 1) * nx + i, j * nx + i, (j + 1) * nx + i});
                    coef.add(new double[] {1, -2, 1});
                }
                if (i < nx - 1 && j < ny - 1) {
                    idx.add(new int[] {j * nx + i, j * nx + i + 1, (j + 1) * nx + i, (j + 1) * nx + i + 1});
                    double r2 = Math.sqrt(2);
                    coef.add(new double[] {r2, -r2, -r2, r2});
                }
            }
        }
        for (int r = 0; r < idx.size(); r++) {
            int[] id = idx.get(r);
            double[] cf = coef.get(r);
            for (int axis = 0; axis < 2; axis++) {
                for (int p = 0; p < id.length; p++) {
                    for (int q = 0; q < id.length; q++) {
                        l[2 * id[p] + axis][2 * id[q] + axis] += cf[p] * cf[q];
                    }
                }
            }
        }
        for (int p = 0; p < k; p++) {
            l[p][p] += tikhonov;
        }
        return l;
    }
}
