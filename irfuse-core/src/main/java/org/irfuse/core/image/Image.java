package org.irfuse.core.image;

import java.util.Arrays;

/**
 * A planar image with 1 (gray) or 3 (RGB) channels and sample values in [0,1].
 *
 * <p>The single in-memory layout of the project: channel-major ({@code c·H·W + y·W + x}), float, normalised by
 * the file's maximum sample value (255 or 65535). Values outside [0,1] are allowed (network outputs are not
 * bounded); {@link #clamped()} bounds them for display and colour.
 */
public final class Image {
    private final int width;
    private final int height;
    private final int channels;
    private final float[] data;

    public Image(int width, int height, int channels, float[] data) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images have 1 or 3 channels, got " + channels);
        }
        if (data.length != (long) width * height * channels) {
            throw new IllegalArgumentException("data length " + data.length + " does not match "
                    + channels + "x" + height + "x" + width);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.data = data;
    }

    /** A one-channel image sharing nothing with {@code plane}'s caller. */
    public static Image gray(int width, int height, float[] plane) {
        return new Image(width, height, 1, plane);
    }

    public static Image rgb(int width, int height, float[] r, float[] g, float[] b) {
        int n = width * height;
        float[] d = new float[3 * n];
        System.arraycopy(r, 0, d, 0, n);
        System.arraycopy(g, 0, d, n, n);
        System.arraycopy(b, 0, d, 2 * n, n);
        return new Image(width, height, 3, d);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int channels() {
        return channels;
    }

    public boolean isGray() {
        return channels == 1;
    }

    public int pixels() {
        return width * height;
    }

    /** The backing array (channel-major). Callers must not modify it unless they own the image. */
    public float[] data() {
        return data;
    }

    public float get(int c, int x, int y) {
        return data[(c * height + y) * width + x];
    }

    /** A copy of channel {@code c}, row-major. */
    public float[] plane(int c) {
        int n = pixels();
        return Arrays.copyOfRange(data, c * n, (c + 1) * n);
    }

    /**
     * Channel {@code c} as 8-bit samples, {@code round(v·255)} clamped to 0..255. For 8-bit files this gives back
     * the stored samples exactly; for 16-bit files it equals MATLAB's {@code im2uint8} ({@code round(x/257)}).
     */
    public int[] samples8(int c) {
        int n = pixels();
        int[] out = new int[n];
        int off = c * n;
        for (int i = 0; i < n; i++) {
            out[i] = to8bit(data[off + i]);
        }
        return out;
    }

    /**
     * {@code round(v·255)} (half up, as {@link Math#round(double)}) clamped to 0..255, NaN to 0: the one
     * float-to-byte rule of the project. Computed without {@code Math.round} (it dominated the metrics' gray
     * conversion): v·255 is exact in double (24 + 8 significant bits), and after clamping to [0, 255] adding 0.5
     * is exact too for every x ≥ 2⁻²¹ (at most 32 significant bits below 2⁸), while smaller x give 0 either way;
     * so truncating {@code x + 0.5} is exactly Math.round's half-up rounding.
     */
    public static int to8bit(float v) {
        double x = Math.min(255.0, Math.max(0.0, (double) v * 255.0));
        return (int) (x + 0.5);
    }

    public Image clamped() {
        float[] d = data.clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.max(0f, Math.min(1f, d[i]));
        }
        return new Image(width, height, channels, d);
    }

    public String sizeString() {
        return width + "x" + height;
    }

    public boolean sameSize(Image other) {
        return width == other.width && height == other.height;
    }
}
