package org.irfuse.core.align;

/**
 * The multimodal similarity's features: the normalised gradient field (NGF, Haber &amp; Modersitzki 2006,
 * "Intensity gradient based registration and fusion of multi-modal images") in its doubled-angle, structure-tensor
 * form. With the smoothed tensor {@code T = G_σ * (∇I ∇Iᵀ)}, the two channels are
 * <pre>  u = (T11 − T22, 2·T12) / (T11 + T22 + ε²)</pre>
 * For a clean edge of orientation θ this is {@code |∇I|²/(|∇I|² + ε²)·(cos 2θ, sin 2θ)}: it encodes where edges
 * are and how they run, not their contrast or polarity. Infrared and visible images share edges (object
 * outlines) while their intensities are unrelated and often inverted (a warm body is bright in infrared, dark at
 * night in visible), so only such features can be compared across the modalities. For unit features,
 * {@code |u_R − u_T|² = 4·(1 − (n_R·n_T)²)}: the squared difference is NGF's distance, which turns the multimodal
 * problem into least squares that Gauss–Newton and Lucas–Kanade updates solve. ε, the gradient scale below which
 * an edge fades out, is set per image from its mean tensor trace, which makes the features contrast-invariant
 * between the modalities.
 */
final class OrientationFeatures {
    private OrientationFeatures() {
    }

    /** The tensor components {@code {T11, T22, T12}} smoothed with σ. */
    static FloatGrid[] tensor(FloatGrid img, double sigma) {
        FloatGrid[] g = Grids.gradient(img);
        int n = img.v().length;
        float[] xx = new float[n];
        float[] yy = new float[n];
        float[] xy = new float[n];
        float[] gx = g[0].v();
        float[] gy = g[1].v();
        for (int i = 0; i < n; i++) {
            xx[i] = gx[i] * gx[i];
            yy[i] = gy[i] * gy[i];
            xy[i] = gx[i] * gy[i];
        }
        int w = img.w();
        int h = img.h();
        return new FloatGrid[] {Grids.gaussian(new FloatGrid(w, h, xx), sigma),
            Grids.gaussian(new FloatGrid(w, h, yy), sigma), Grids.gaussian(new FloatGrid(w, h, xy), sigma)};
    }

    /** ε² = {@code eta} · the mean tensor trace over pixels where {@code valid} is set (all pixels when null). */
    static double epsilonSquared(FloatGrid img, FloatGrid valid, double sigma, double eta) {
        FloatGrid[] t = tensor(img, sigma);
        double sum = 0;
        long n = 0;
        for (int i = 0; i < img.v().length; i++) {
            if (valid == null || valid.v()[i] > 0) {
                sum += t[0].v()[i] + t[1].v()[i];
                n++;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        return Math.max(eta * mean, 1e-12);
    }

    /** The two feature channels {@code {u1, u2}}. */
    static FloatGrid[] compute(FloatGrid img, double sigma, double eps2) {
        FloatGrid[] t = tensor(img, sigma);
        int n = img.v().length;
        float[] u1 = new float[n];
        float[] u2 = new float[n];
        float e = (float) eps2;
        for (int i = 0; i < n; i++) {
            float a = t[0].v()[i];
            float b = t[1].v()[i];
            float c = t[2].v()[i];
            float d = a + b + e;
            u1[i] = (a - b) / d;
            u2[i] = 2 * c / d;
        }
        return new FloatGrid[] {new FloatGrid(img.w(), img.h(), u1), new FloatGrid(img.w(), img.h(), u2)};
    }
}
