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
 * @param confidence {@code (similarityAfter − similarityShifted) / EXCESS_SCALE} clipped to [0, 1]: how far the
 *     aligned images share edges beyond what any two images of this kind share
 * @param trusted whether confidence reaches the threshold and no hard check failed
 * @param reason why it is not trusted (empty when trusted)
 */
public record AlignmentQuality(double similarityBefore, double similarityAfter, double similarityShifted,
        double overlap, double jacobianRatio, double confidence, boolean trusted, String reason) {
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

    static AlignmentQuality measure(AlignmentProblem problem, Transform before, Transform after, Image mask,
            double minConfidence) {
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
        } else if (confidence < minConfidence) {
            reason = String.format(Locale.ROOT, "confidence %.2f below %.2f (edge similarity %.3f, chance level "
                    + "%.3f): the images do not share enough edges", confidence, minConfidence, sa, shifted);
        }
        return new AlignmentQuality(sb, sa, shifted, overlap, jac, confidence, reason.isEmpty(), reason);
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

    JsonObject toJsonTree() {
        JsonObject o = new JsonObject();
        o.addProperty("similarity_before", similarityBefore);
        o.addProperty("similarity_after", similarityAfter);
        o.addProperty("similarity_shifted", similarityShifted);
        o.addProperty("residual_before", 1 - similarityBefore);
        o.addProperty("residual_after", 1 - similarityAfter);
        o.addProperty("overlap", overlap);
        o.addProperty("jacobian_ratio", jacobianRatio);
        o.addProperty("confidence", confidence);
        o.addProperty("trusted", trusted);
        if (!trusted) {
            o.addProperty("reason", reason);
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
