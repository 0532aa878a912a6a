package org.irfuse.core.image;

/**
 * Bilinear resampling with pixel centres aligned ({@code align_corners = false}, as OpenCV/PyTorch), used when
 * the user asks to bring an infrared image to the visible image's size.
 */
public final class Resize {
    private Resize() {
    }

    public static Image bilinear(Image src, int width, int height) {
        if (src.width() == width && src.height() == height) {
            return src;
        }
        int n = width * height;
        float[] out = new float[src.channels() * n];
        double sx = (double) src.width() / width;
        double sy = (double) src.height() / height;
        for (int c = 0; c < src.channels(); c++) {
            for (int y = 0; y < height; y++) {
                double fy = Math.max(0, Math.min(src.height() - 1, (y + 0.5) * sy - 0.5));
                int y0 = (int) fy;
                int y1 = Math.min(src.height() - 1, y0 + 1);
                double wy = fy - y0;
                for (int x = 0; x < width; x++) {
                    double fx = Math.max(0, Math.min(src.width() - 1, (x + 0.5) * sx - 0.5));
                    int x0 = (int) fx;
                    int x1 = Math.min(src.width() - 1, x0 + 1);
                    double wx = fx - x0;
                    double top = src.get(c, x0, y0) * (1 - wx) + src.get(c, x1, y0) * wx;
                    double bottom = src.get(c, x0, y1) * (1 - wx) + src.get(c, x1, y1) * wx;
                    out[c * n + y * width + x] = (float) (top * (1 - wy) + bottom * wy);
                }
            }
        }
        return new Image(width, height, src.channels(), out);
    }
}
