package org.irfuse.core.align;

import com.google.gson.JsonObject;
import java.util.Locale;
import org.irfuse.core.image.Image;

/**
 * How far an alignment can be trusted, measured on pyramid level 1 (half resolution) with the NGF similarity of
 * {@link AlignmentProblem#similarity}.
 *
 * @param similarityBefore NGF similarity with no alignment (identity or plain resize)
 * @param similarityAfter NGF similarity with the estimated transform
 * @param similarityShifted the mean NGF similarity with the estimated transform moved by {@link #SHIFT_FRACTION}
 *     of the image size along either axis: the chance level of these two images' edge statistics (many
 *     horizontal edges in both give a positive correlation at any position)
 * @param overlap fraction of the visible image covered by infrared data after alignment
 * @param jacobianRatio smallest Jacobian determinant of the map over that of its affine part (1 for global maps)
 * @param misfit of the global (translation or affine) stage: the fraction of tiles with edges in both images whose
 *     own best match lies more than {@link #MISFIT_SHIFT} pixels away ({@link #localShifts}); a deformable field
 *     refines the global map locally and cannot repair a wrong global basin, so this is measured before it
 * @param confidence {@code (similarityAfter − similarityShifted) / EXCESS_SCALE} clipped to [0, 1]: how far the
 *     aligned images share edges beyond what any two images of this kind share
 * @param trusted whether confidence reaches the threshold and no hard check failed
 * @param reason why it is not trusted (empty when trusted)
 * @param fallback when the requested model's result was rejected and a coarser stage is used instead, why (else
 *     empty)
 */
public record AlignmentQuality(double similarityBefore, double similarityAfter, double similarityShifted,
        double overlap, double jacobianRatio, double misfit, double confidence, boolean trusted, String reason,
        String fallback) {
    /** Default threshold on {@link #confidence}; chosen in docs/alignment.md between real and unrelated pairs. */
    public static final double DEFAULT_MIN_CONFIDENCE = 0.55;
    /** The excess similarity over chance that counts as full confidence. */
    public static final double EXCESS_SCALE = 0.2;
    /** The displacement of the chance-level test, as a fraction of the image width (x) or height (y). */
    public static final double SHIFT_FRACTION = 0.125;
    /** Below this fraction of the visible image covered by infrared data, an alignment is not used. */
    public static final double MIN_OVERLAP = 0.5;
    /** Below this Jacobian ratio the map folds or crushes a region: not a physical lens or rig difference. */
    public static final double MIN_JACOBIAN_RATIO = 0.2;
    /** A tile whose best local match is farther than this (level-0 pixels) does not fit the global map. */
    public static final double MISFIT_SHIFT = 8;
    /**
     * At or above this {@link #misfit} the global map is in a wrong basin. On the 30 warped MSRS pairs the affine
     * stage's misfit is 0.08-0.56 where alignment works and 0.64-0.93 on the five pairs whose result stays
     * worst (MAD 7-12 grey levels), 00014N among them (docs/alignment.md).
     */
    public static final double MAX_MISFIT = 0.6;
    /** Tile side (level-1 pixels) and search radius of {@link #localShifts} as the trust check uses it. */
    static final int MISFIT_TILE = 48;
    static final int MISFIT_RADIUS = 10;

    static AlignmentQuality measure(AlignmentProblem problem, Transform before, Transform after, Image mask,
            double misfit, double minConfidence) {
        int level = Math.min(1, problem.levels - 1);
        double sb = similarity(problem, level, before, 0, 0);
        double sa = similarity(problem, level, after, 0, 0);
        double sx = SHIFT_FRACTION * after.targetWidth();
        double sy = SHIFT_FRACTION * after.targetHeight();
        double shifted = 0;
        for (double[] d : new double[][] {{sx, 0}, {-sx, 0}, {0, sy}, {0, -sy}}) {
            shifted += similarity(problem, level, after, d[0], d[1]) / 4;
        }
        double overlap = 0;
        for (float v : mask.data()) {
            overlap += v;
        }
        overlap /= mask.pixels();
        double jac = after.field() == null ? 1 : after.minJacobian() / after.affine().determinant();
        // The similarity above chance, scaled so that 1 is an excess of EXCESS_SCALE (MSRS pairs reach 0.11-0.31
        // when aligned, MSRS images of different scenes 0.01-0.10: docs/alignment.md).
        double confidence = Math.max(0, Math.min(1, (sa - shifted) / EXCESS_SCALE));
        String reason = "";
        if (overlap < MIN_OVERLAP) {
            reason = String.format(Locale.ROOT, "infrared data covers %.0f%% of the visible image (at least %.0f%% "
                    + "needed)", 100 * overlap, 100 * MIN_OVERLAP);
        } else if (jac < MIN_JACOBIAN_RATIO) {
            reason = String.format(Locale.ROOT, "the deformation folds or crushes a region (Jacobian ratio %.2f)",
                    jac);
        } else if (misfit >= MAX_MISFIT) {
            reason = String.format(Locale.ROOT, "the global map is in a wrong basin: %.0f%% of the image regions "
                    + "match best more than %.0f px away (at most %.0f%% allowed)", 100 * misfit, MISFIT_SHIFT,
                    100 * MAX_MISFIT);
        } else if (confidence < minConfidence) {
            reason = String.format(Locale.ROOT, "confidence %.2f below %.2f (edge similarity %.3f, chance level "
                    + "%.3f): the images do not share enough edges", confidence, minConfidence, sa, shifted);
        }
        return new AlignmentQuality(sb, sa, shifted, overlap, jac, misfit, confidence, reason.isEmpty(), reason,
                "");
    }

    /** This report with a fallback note (the requested model was rejected for {@code why}). */
    AlignmentQuality withFallback(String why) {
        return new AlignmentQuality(similarityBefore, similarityAfter, similarityShifted, overlap, jacobianRatio,
                misfit, confidence, trusted, reason, why);
    }

    /** The {@link #misfit} of a (global) transform, measured on level 1 (or the finest level there is). */
    static double misfit(AlignmentProblem problem, Transform t) {
        int level = Math.min(1, problem.levels - 1);
        double[] shifts = localShifts(problem, level, t, MISFIT_TILE, MISFIT_RADIUS);
        int textured = 0;
        int far = 0;
        for (double d : shifts) {
            if (!Double.isNaN(d)) {
                textured++;
                far += d > MISFIT_SHIFT ? 1 : 0;
            }
        }
        // No region with edges in both images: nothing says the map is wrong here; confidence decides.
        return textured == 0 ? 0 : far / (double) textured;
    }

    /** NGF similarity on a level with the target grid moved by {@code (sx, sy)} level-0 pixels. */
    static double similarity(AlignmentProblem problem, int level, Transform t, double sx, double sy) {
        int w = problem.targetWidth(level);
        int h = problem.targetHeight(level);
        double s = 1 << level;
        double o = (s - 1) / 2;
        float[] xs = new float[w * h];
        float[] ys = new float[w * h];
        Parallel.rows(h, y -> {
            for (int x = 0; x < w; x++) {
                double fx = s * x + o + sx;
                double fy = s * y + o + sy;
                xs[y * w + x] = (float) ((t.mapX(fx, fy) - o) / s);
                ys[y * w + x] = (float) ((t.mapY(fx, fy) - o) / s);
            }
        });
        return problem.similarity(level, problem.sample(level, xs, ys))[0];
    }

    /**
     * Local residual shifts: the aligned pair on {@code level} is cut into tiles of {@code tile} level pixels; in
     * each tile where both images have edges, the integer shift (within ±{@code radius} level pixels) of the
     * warped infrared features that maximises the tile's NGF correlation with the visible features is found
     * exhaustively. Returned as lengths in level-0 pixels, NaN for tiles without enough edges. A correct
     * alignment leaves small shifts everywhere; one stuck in a wrong basin leaves regions whose own best match is
     * far away — a global score can still look fine when the two images share many parallel edges.
     */
    static double[] localShifts(AlignmentProblem problem, int level, Transform t, int tile, int radius) {
        int w = problem.targetWidth(level);
        int h = problem.targetHeight(level);
        double s = 1 << level;
        double o = (s - 1) / 2;
        float[] xs = new float[w * h];
        float[] ys = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                xs[y * w + x] = (float) ((t.mapX(s * x + o, s * y + o) - o) / s);
                ys[y * w + x] = (float) ((t.mapY(s * x + o, s * y + o) - o) / s);
            }
        }
        AlignmentProblem.Sample smp = problem.sample(level, xs, ys);
        float[] t1 = problem.targetFeatures(level)[0].v();
        float[] t2 = problem.targetFeatures(level)[1].v();
        float[] s1 = smp.features()[0].v();
        float[] s2 = smp.features()[1].v();
        float[] wt = smp.weight().v();
        double meanT = 0;
        double meanS = 0;
        for (int i = 0; i < w * h; i++) {
            meanT += t1[i] * t1[i] + t2[i] * t2[i];
            meanS += wt[i] * (s1[i] * s1[i] + s2[i] * s2[i]);
        }
        meanT /= w * h;
        meanS /= w * h;
        int tx = (w - 2 * radius) / tile;
        int ty = (h - 2 * radius) / tile;
        if (tx < 1 || ty < 1) {
            return new double[0]; // too small for one tile and its search margin
        }
        double[] out = new double[tx * ty];
        final double mT = meanT;
        final double mS = meanS;
        Parallel.rows(tx * ty, 2, tileIndex -> { // each tile is a full search
            {
                int i = tileIndex % tx;
                int j = tileIndex / tx;
                int x0 = radius + i * tile;
                int y0 = radius + j * tile;
                double et = 0;
                double es = 0;
                for (int y = y0; y < y0 + tile; y++) {
                    for (int x = x0; x < x0 + tile; x++) {
                        int p = y * w + x;
                        et += t1[p] * t1[p] + t2[p] * t2[p];
                        es += wt[p] * (s1[p] * s1[p] + s2[p] * s2[p]);
                    }
                }
                int n = tile * tile;
                if (et < 0.5 * mT * n || es < 0.5 * mS * n) {
                    out[j * tx + i] = Double.NaN;
                    return;
                }
                double best = Double.NEGATIVE_INFINITY;
                int bx = 0;
                int by = 0;
                for (int dy = -radius; dy <= radius; dy++) {
                    for (int dx = -radius; dx <= radius; dx++) {
                        double st = 0;
                        double ss = 0;
                        double tt = 0;
                        for (int y = y0; y < y0 + tile; y++) {
                            for (int x = x0; x < x0 + tile; x++) {
                                int p = y * w + x;
                                int q = (y + dy) * w + x + dx;
                                double k = wt[q];
                                if (k <= 0) {
                                    continue;
                                }
                                st += k * (t1[p] * s1[q] + t2[p] * s2[q]);
                                ss += k * (s1[q] * s1[q] + s2[q] * s2[q]);
                                tt += k * (t1[p] * t1[p] + t2[p] * t2[p]);
                            }
                        }
                        double c = ss > 0 && tt > 0 ? st / Math.sqrt(ss * tt) : Double.NEGATIVE_INFINITY;
                        if (c > best) {
                            best = c;
                            bx = dx;
                            by = dy;
                        }
                    }
                }
                out[j * tx + i] = s * Math.hypot(bx, by);
            }
        });
        return out;
    }

    JsonObject toJsonTree() {
        JsonObject o = new JsonObject();
        o.addProperty("similarity_before", similarityBefore);
        o.addProperty("similarity_after", similarityAfter);
        o.addProperty("similarity_shifted", similarityShifted);
        o.addProperty("residual_before", 1 - similarityBefore);
        o.addProperty("residual_after", 1 - similarityAfter);
        o.addProperty("overlap", overlap);
        o.addProperty("jacobian_ratio", jacobianRatio);
        o.addProperty("misfit", misfit);
        o.addProperty("confidence", confidence);
        o.addProperty("trusted", trusted);
        if (!trusted) {
            o.addProperty("reason", reason);
        }
        if (!fallback.isEmpty()) {
            o.addProperty("fallback", fallback);
        }
        return o;
    }

    /** One line for the console. */
    public String summary() {
        return String.format(Locale.ROOT, "edge similarity %.3f -> %.3f (residual %.3f -> %.3f), confidence %.2f, "
                + "infrared covers %.1f%%", similarityBefore, similarityAfter, 1 - similarityBefore,
                1 - similarityAfter, confidence, 100 * overlap);
    }
}
