package org.irfuse.core.align;

import java.util.ArrayList;
import java.util.List;

/**
 * The pyramids of one alignment: the target (visible luminance) with its features, the source (infrared) with its
 * validity, per level; and the one evaluation both estimators iterate on: warp the source level by given
 * coordinates, compute its features, weight the pixels that hold data.
 */
final class AlignmentProblem {
    final int levels;
    private final List<FloatGrid> target = new ArrayList<>();
    private final List<FloatGrid[]> targetFeatures = new ArrayList<>();
    private final List<FloatGrid> source = new ArrayList<>();
    private final List<FloatGrid> sourceValid = new ArrayList<>();
    private final double[] sourceEps2;
    private final double sigma;
    private final int erosion;

    /**
     * @param sigma tensor smoothing in level pixels
     * @param eta ε² as a fraction of the mean tensor trace
     * @param minSide the coarsest level keeps its smaller side at least this long
     */
    AlignmentProblem(FloatGrid targetImage, FloatGrid sourceImage, FloatGrid sourceValidity, double sigma,
            double eta, int minSide) {
        this.sigma = sigma;
        this.erosion = 1 + (int) Math.ceil(sigma);
        int l = 1;
        int side = Math.min(Math.min(targetImage.w(), targetImage.h()), Math.min(sourceImage.w(), sourceImage.h()));
        while ((side >> l) >= minSide) {
            l++;
        }
        levels = l;
        FloatGrid t = targetImage;
        FloatGrid s = sourceImage;
        FloatGrid m = sourceValidity;
        sourceEps2 = new double[levels];
        for (int k = 0; k < levels; k++) {
            if (k > 0) {
                t = Grids.reduce(t);
                // Normalised reduction: no-data pixels (0) must not darken the data next to them.
                FloatGrid sm = Grids.reduce(multiply(s, m));
                FloatGrid mm = Grids.reduce(m);
                float[] sv = new float[mm.v().length];
                float[] mv = new float[mm.v().length];
                for (int i = 0; i < sv.length; i++) {
                    float weight = mm.v()[i];
                    sv[i] = weight > 1e-6f ? sm.v()[i] / weight : 0f;
                    mv[i] = weight > 0.5f ? 1f : 0f;
                }
                s = new FloatGrid(mm.w(), mm.h(), sv);
                m = new FloatGrid(mm.w(), mm.h(), mv);
            }
            target.add(t);
            source.add(s);
            sourceValid.add(m);
            targetFeatures.add(OrientationFeatures.compute(t, sigma,
                    OrientationFeatures.epsilonSquared(t, null, sigma, eta)));
            sourceEps2[k] = OrientationFeatures.epsilonSquared(fill(s, m, sigma), m, sigma, eta);
        }
    }

    int targetWidth(int level) {
        return target.get(level).w();
    }

    int targetHeight(int level) {
        return target.get(level).h();
    }

    FloatGrid[] targetFeatures(int level) {
        return targetFeatures.get(level);
    }

    /** The warped source's features and the per-pixel weight (1 where the features rest on source data). */
    record Sample(FloatGrid[] features, FloatGrid weight) {
    }

    Sample sample(int level, float[] xs, float[] ys) {
        int w = targetWidth(level);
        int h = targetHeight(level);
        FloatGrid[] warped = Warping.warp(source.get(level), sourceValid.get(level), xs, ys, w, h);
        FloatGrid filled = fill(warped[0], warped[1], sigma);
        FloatGrid[] f = OrientationFeatures.compute(filled, sigma, sourceEps2[level]);
        FloatGrid weight = new FloatGrid(w, h, NoDataMask.erode(warped[1].v(), w, h, erosion));
        return new Sample(f, weight);
    }

    /** Coordinates of every target pixel of a level under an affine map given on that level. */
    float[][] coordinates(int level, AffineTransform a) {
        int w = targetWidth(level);
        int h = targetHeight(level);
        float[] xs = new float[w * h];
        float[] ys = new float[w * h];
        Parallel.rows(h, y -> {
            for (int x = 0; x < w; x++) {
                xs[y * w + x] = (float) a.applyX(x, y);
                ys[y * w + x] = (float) a.applyY(x, y);
            }
        });
        return new float[][] {xs, ys};
    }

    /**
     * The NGF similarity of a sample: the weighted normalised correlation of the feature fields,
     * {@code Σ w·u_T·u_S / √(Σ w·|u_T|² · Σ w·|u_S|²)} in [−1, 1] (1: every edge in one image has an edge of the
     * same orientation in the other, with proportional strength; about 0 for unrelated images), and
     * {@code {similarity, weighted pixel count}}.
     */
    double[] similarity(int level, Sample s) {
        FloatGrid[] ft = targetFeatures(level);
        int w = targetWidth(level);
        double[] sums = Parallel.sum(targetHeight(level), 4, (y, acc) -> {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double wt = s.weight().v()[i];
                if (wt <= 0) {
                    continue;
                }
                double t1 = ft[0].v()[i];
                double t2 = ft[1].v()[i];
                double s1 = s.features()[0].v()[i];
                double s2 = s.features()[1].v()[i];
                acc[0] += wt * (t1 * s1 + t2 * s2);
                acc[1] += wt * (t1 * t1 + t2 * t2);
                acc[2] += wt * (s1 * s1 + s2 * s2);
                acc[3] += wt;
            }
        });
        double den = Math.sqrt(sums[1] * sums[2]);
        return new double[] {den > 0 ? sums[0] / den : 0, sums[3]};
    }

    static FloatGrid multiply(FloatGrid a, FloatGrid b) {
        float[] out = new float[a.v().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.v()[i] * b.v()[i];
        }
        return new FloatGrid(a.w(), a.h(), out);
    }

    /**
     * Fills no-data pixels with a smooth extension of the data next to them (normalised convolution,
     * {@code G*(I·m) / G*m}, G a few times wider than the tensor smoothing σ, which is as far as the features
     * look), so that the border of a no-data region is not taken for an edge; farther pixels get the mean.
     */
    static FloatGrid fill(FloatGrid img, FloatGrid valid, double sigma) {
        boolean any = false;
        for (float v : valid.v()) {
            if (v <= 0) {
                any = true;
                break;
            }
        }
        if (!any) {
            return img;
        }
        double spread = 2 * sigma + 1;
        FloatGrid num = Grids.gaussian(multiply(img, valid), spread);
        FloatGrid den = Grids.gaussian(valid, spread);
        double mean = 0;
        long n = 0;
        for (int i = 0; i < img.v().length; i++) {
            if (valid.v()[i] > 0) {
                mean += img.v()[i];
                n++;
            }
        }
        mean = n == 0 ? 0 : mean / n;
        float[] out = img.v().clone();
        for (int i = 0; i < out.length; i++) {
            if (valid.v()[i] <= 0) {
                out[i] = den.v()[i] > 1e-3f ? num.v()[i] / den.v()[i] : (float) mean;
            }
        }
        return new FloatGrid(img.w(), img.h(), out);
    }
}
