package org.irfuse.core.image;

/**
 * BT.601 full-range YCbCr with the coefficients of METHOD.md (Notation), the one colour conversion of the project.
 *
 * <pre>
 *   Y  = .299 R + .587 G + .114 B      Cb = .564 (B − Y) + .5      Cr = .713 (R − Y) + .5
 *   R  = Y + 1.403 (Cr − .5)   G = Y − .714 (Cr − .5) − .344 (Cb − .5)   B = Y + 1.773 (Cb − .5)
 * </pre>
 * The coefficients are rounded, so a round trip is exact only to about 3e-4.
 */
public final class YCbCr {
    public static final float KR = 0.299f;
    public static final float KG = 0.587f;
    public static final float KB = 0.114f;

    private YCbCr() {
    }

    /** Y of an RGB image, or the plane itself for a gray image. */
    public static float[] luma(Image img) {
        if (img.isGray()) {
            return img.plane(0);
        }
        int n = img.pixels();
        float[] d = img.data();
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = KR * d[i] + KG * d[n + i] + KB * d[2 * n + i];
        }
        return y;
    }

    /** Splits an RGB image into {Y, Cb, Cr} planes; a gray image gives {Y} only. */
    public static float[][] split(Image img) {
        if (img.isGray()) {
            return new float[][] {img.plane(0)};
        }
        int n = img.pixels();
        float[] d = img.data();
        float[] y = luma(img);
        float[] cb = new float[n];
        float[] cr = new float[n];
        for (int i = 0; i < n; i++) {
            cb[i] = 0.564f * (d[2 * n + i] - y[i]) + 0.5f;
            cr[i] = 0.713f * (d[i] - y[i]) + 0.5f;
        }
        return new float[][] {y, cb, cr};
    }

    /**
     * Recombines a fused luminance with chroma planes: {@code C(Ŷ, V)} of METHOD.md. The luminance is clamped to
     * [0,1] first, and the RGB result is clamped again. {@code chroma} may be {@code null} (gray visible input),
     * giving a gray image.
     */
    public static Image merge(int width, int height, float[] fusedY, float[] cb, float[] cr) {
        int n = width * height;
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = clamp(fusedY[i]);
        }
        if (cb == null || cr == null) {
            return Image.gray(width, height, y);
        }
        float[] d = new float[3 * n];
        for (int i = 0; i < n; i++) {
            float dcb = cb[i] - 0.5f;
            float dcr = cr[i] - 0.5f;
            d[i] = clamp(y[i] + 1.403f * dcr);
            d[n + i] = clamp(y[i] - 0.714f * dcr - 0.344f * dcb);
            d[2 * n + i] = clamp(y[i] + 1.773f * dcb);
        }
        return new Image(width, height, 3, d);
    }

    /** The inverse transform without clamping, for round-trip checks. */
    public static float[][] toRgbUnclamped(float[] y, float[] cb, float[] cr) {
        int n = y.length;
        float[] r = new float[n];
        float[] g = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            float dcb = cb[i] - 0.5f;
            float dcr = cr[i] - 0.5f;
            r[i] = y[i] + 1.403f * dcr;
            g[i] = y[i] - 0.714f * dcr - 0.344f * dcb;
            b[i] = y[i] + 1.773f * dcb;
        }
        return new float[][] {r, g, b};
    }

    private static float clamp(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }
}
