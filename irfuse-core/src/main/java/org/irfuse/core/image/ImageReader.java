package org.irfuse.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

/**
 * The one image reader of the project: PNG (8/16-bit; gray, gray+alpha, RGB, RGBA, palette), JPEG, BMP, TIFF.
 *
 * <p>Samples are read from the {@link Raster}, never through {@code getRGB}: that applies a colour-space
 * conversion to gray data (128 reads back as 188, METRICS.md). Palette images are expanded through their palette;
 * alpha is dropped; an RGB image whose three channels are equal everywhere stays RGB here (callers decide).
 */
public final class ImageReader {
    /** File name endings the reader accepts when it scans folders. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff");

    private ImageReader() {
    }

    public static boolean hasImageExtension(Path file) {
        return EXTENSIONS.contains(extension(file));
    }

    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Reads any supported image as 1 or 3 channels in [0,1]. */
    public static Image read(Path file) throws ImageFormatException {
        BufferedImage img = decode(file);
        try {
            return fromBufferedImage(img);
        } catch (IllegalArgumentException e) {
            throw new ImageFormatException(file, e.getMessage());
        }
    }

    /**
     * Converts a decoded image (gray, RGB, RGBA, palette; 8 or 16 bits) to 1 or 3 channels in [0,1], the one
     * conversion files and in-memory images share (the Java API fuses {@code BufferedImage}s with it).
     *
     * @throws IllegalArgumentException for colour models other than gray, RGB or a palette
     */
    public static Image fromBufferedImage(BufferedImage img) {
        Raster raster = img.getRaster();
        ColorModel cm = img.getColorModel();
        int w = raster.getWidth();
        int h = raster.getHeight();
        if (cm instanceof IndexColorModel icm) {
            return expandPalette(raster, icm, w, h);
        }
        int bands = raster.getNumBands();
        int colourBands = cm.getNumColorComponents();
        if (colourBands != 1 && colourBands != 3) {
            throw new IllegalArgumentException("unsupported colour model with " + colourBands
                    + " colour components (only gray and RGB images are supported)");
        }
        int channels = colourBands == 1 ? 1 : 3;
        if (bands < channels) {
            throw new IllegalArgumentException("raster has " + bands + " bands for " + channels + " channels");
        }
        int n = w * h;
        float[] out = new float[channels * n];
        float[] row = new float[w];
        for (int c = 0; c < channels; c++) {
            double max = (1L << raster.getSampleModel().getSampleSize(c)) - 1;
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, c, row);
                int off = c * n + y * w;
                for (int x = 0; x < w; x++) {
                    out[off + x] = (float) (row[x] / max);
                }
            }
        }
        return new Image(w, h, channels, out);
    }

    /**
     * Reads an infrared image as one channel. Infrared is often stored as RGB with the gray value in all three
     * channels (METHOD.md: take one channel); a genuinely coloured file (a false-colour palette) is reduced
     * to its BT.601 luma instead, the same weights as {@link YCbCr}.
     */
    public static Image readInfrared(Path file) throws ImageFormatException {
        return toGray(read(file));
    }

    /** Reduces an image to one channel: channel 0 when all channels are equal, else BT.601 luma. */
    public static Image toGray(Image img) {
        if (img.isGray()) {
            return img;
        }
        int n = img.pixels();
        float[] d = img.data();
        boolean replicated = true;
        for (int i = 0; i < n && replicated; i++) {
            replicated = d[i] == d[n + i] && d[i] == d[2 * n + i];
        }
        return replicated ? Image.gray(img.width(), img.height(), img.plane(0))
                : Image.gray(img.width(), img.height(), YCbCr.luma(img));
    }

    /**
     * Reads a label image as integer class indices: a palette PNG gives its raw palette indices, a one-channel
     * image its samples. Colour-coded (RGB) label images are not indices; callers map them with a palette.
     */
    public static int[][] readIndicesOrRgb(Path file) throws ImageFormatException {
        return readLabelRaster(file).bands();
    }

    /**
     * The integer samples of a label or prediction image with its size: {@code bands} has one row (palette
     * indices of an indexed PNG, or the samples of a one-channel image; {@code indexed} tells which) or three
     * rows (R, G, B samples of a colour-coded image). Each row is row-major, {@code width·height} long.
     */
    public record LabelRaster(int width, int height, int[][] bands, boolean indexed) {
    }

    /** Reads a label image without any colour conversion; see {@link LabelRaster}. */
    public static LabelRaster readLabelRaster(Path file) throws ImageFormatException {
        BufferedImage img = decode(file);
        Raster raster = img.getRaster();
        int w = raster.getWidth();
        int h = raster.getHeight();
        boolean indexed = img.getColorModel() instanceof IndexColorModel;
        int bands = indexed ? 1 : Math.min(3, raster.getNumBands());
        if (img.getColorModel().getNumColorComponents() == 1) {
            bands = 1;
        }
        int[][] out = new int[bands][w * h];
        for (int b = 0; b < bands; b++) {
            raster.getSamples(0, 0, w, h, b, out[b]);
        }
        return new LabelRaster(w, h, out, indexed);
    }

    /** Reads only the width and height from the file's header (nothing is decoded), for early size checks. */
    public static int[] size(Path file) throws ImageFormatException {
        return withDecoder(file, (r, w, h) -> new int[] {w, h});
    }

    /**
     * The largest image decoded, in pixels: {@value #DEFAULT_MAX_MEGAPIXELS} megapixels unless set (the CLI's
     * {@code --max-megapixels}). A PNG header can claim 2^31 pixels in 67 bytes; the decoder would allocate them
     * before failing, so the size is read from the header and checked first.
     */
    public static final double DEFAULT_MAX_MEGAPIXELS = 100;
    private static volatile long maxPixels = (long) (DEFAULT_MAX_MEGAPIXELS * 1_000_000);

    /** Sets the pixel limit (see {@link #DEFAULT_MAX_MEGAPIXELS}); must be positive. */
    public static void setMaxMegapixels(double megapixels) {
        if (!(megapixels > 0) || Double.isInfinite(megapixels)) {
            throw new IllegalArgumentException("--max-megapixels must be a positive number, got " + megapixels);
        }
        maxPixels = (long) Math.ceil(megapixels * 1_000_000);
    }

    public static double maxMegapixels() {
        return maxPixels / 1e6;
    }

    private interface Decoding<T> {
        T apply(javax.imageio.ImageReader reader, int width, int height) throws IOException;
    }

    private static BufferedImage decode(Path file) throws ImageFormatException {
        return withDecoder(file, (r, w, h) -> {
            // Warnings are how ImageIO reports a truncated or damaged JPEG ("Premature end of JPEG file") while
            // still returning an image whose missing part is gray: treat them as the errors they are.
            List<String> warnings = new ArrayList<>();
            r.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            BufferedImage img;
            try {
                img = r.read(0);
            } catch (OutOfMemoryError | IOException e) {
                // The PNG reader wraps an OutOfMemoryError in an IIOException ("Caught exception during read").
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof OutOfMemoryError) {
                        throw new ImageFormatException(file, String.format(Locale.ROOT, "%dx%d (%.1f megapixels) "
                                + "does not fit in this JVM's heap (%d MB); raise it, e.g. IRFUSE_JAVA_OPTS=-Xmx16g",
                                w, h, w * (double) h / 1e6, Runtime.getRuntime().maxMemory() >> 20));
                    }
                }
                throw e;
            }
            if (!warnings.isEmpty()) {
                throw new ImageFormatException(file, "corrupt or truncated image (decoder warning: "
                        + warnings.get(0) + ")");
            }
            if (img == null) {
                throw new ImageFormatException(file, "not an image in a supported format (PNG, JPEG, BMP, TIFF)");
            }
            return img;
        });
    }

    /** Opens the file's decoder, reads the size from the header, checks it against the limit, then applies. */
    private static <T> T withDecoder(Path file, Decoding<T> action) throws ImageFormatException {
        if (!Files.exists(file)) {
            throw new ImageFormatException(file, "file not found");
        }
        if (Files.isDirectory(file)) {
            throw new ImageFormatException(file, "is a directory, expected an image file");
        }
        if (!Files.isReadable(file)) {
            throw new ImageFormatException(file, "file is not readable (permissions)");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new ImageFormatException(file, "file cannot be opened");
            }
            Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageFormatException(file, "not an image in a supported format (PNG, JPEG, BMP, TIFF)");
            }
            javax.imageio.ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                int w = r.getWidth(0);
                int h = r.getHeight(0);
                if (w <= 0 || h <= 0) {
                    throw new ImageFormatException(file, "header gives an empty size " + w + "x" + h);
                }
                if ((long) w * h > maxPixels) {
                    throw new ImageFormatException(file, String.format(Locale.ROOT, "%dx%d is %.1f megapixels, "
                            + "above the limit of %.1f; pass --max-megapixels to allow it (decoding needs about "
                            + "%d MB)", w, h, w * (double) h / 1e6, maxMegapixels(), 16L * w * h >> 20));
                }
                return action.apply(r, w, h);
            } finally {
                r.dispose();
            }
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "corrupt or truncated image (" + e.getMessage() + ")", e);
        }
    }

    private static Image expandPalette(Raster raster, IndexColorModel icm, int w, int h) {
        int size = icm.getMapSize();
        byte[] r = new byte[size];
        byte[] g = new byte[size];
        byte[] b = new byte[size];
        icm.getReds(r);
        icm.getGreens(g);
        icm.getBlues(b);
        boolean grayPalette = true;
        for (int i = 0; i < size && grayPalette; i++) {
            grayPalette = r[i] == g[i] && g[i] == b[i];
        }
        int n = w * h;
        int[] idx = raster.getSamples(0, 0, w, h, 0, new int[n]);
        float[] out = new float[(grayPalette ? 1 : 3) * n];
        for (int i = 0; i < n; i++) {
            int k = idx[i];
            out[i] = (r[k] & 0xff) / 255f;
            if (!grayPalette) {
                out[n + i] = (g[k] & 0xff) / 255f;
                out[2 * n + i] = (b[k] & 0xff) / 255f;
            }
        }
        return new Image(w, h, grayPalette ? 1 : 3, out);
    }
}
