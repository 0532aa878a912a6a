package org.irfuse.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import org.irfuse.core.io.AtomicFiles;

/**
 * The one image writer: 8-bit PNG or JPEG chosen by the file name, written atomically (temp file, then rename).
 * Values are clamped to [0,1] and mapped with {@link Image#to8bit}.
 */
public final class ImageWriter {
    /** JPEG quality used for .jpg outputs (fused images are judged by eye; 95 keeps artefacts invisible). */
    public static final float JPEG_QUALITY = 0.95f;

    private ImageWriter() {
    }

    public static boolean isWritableFormat(Path file) {
        String ext = ImageReader.extension(file);
        return ext.equals("png") || ext.equals("jpg") || ext.equals("jpeg");
    }

    public static void write(Image img, Path file, boolean overwrite) throws IOException {
        String ext = ImageReader.extension(file);
        if (!isWritableFormat(file)) {
            throw new ImageFormatException(file, "cannot write '." + ext + "' files; use .png or .jpg");
        }
        long bad = nonFinite(img);
        if (bad > 0) {
            throw new ImageFormatException(file, "not written: the image holds " + bad + " NaN/infinite sample(s), "
                    + "which would be stored as black (a model with non-finite parameters?)");
        }
        BufferedImage bi = toBufferedImage(img);
        String format = ext.equals("png") ? "png" : "jpeg";
        AtomicFiles.write(file, overwrite, tmp -> {
            try (ImageOutputStream out = openOutput(tmp)) {
                encode(bi, format, JPEG_QUALITY, out);
            }
        });
    }

    /**
     * Encodes in memory ({@code "png"} or {@code "jpeg"}), for data URIs and thumbnails in reports.
     * {@code jpegQuality} in (0,1] applies to JPEG only.
     */
    public static byte[] encode(Image img, String format, float jpegQuality) throws IOException {
        if (!format.equals("png") && !format.equals("jpeg")) {
            throw new IllegalArgumentException("format must be png or jpeg, got " + format);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            encode(toBufferedImage(img), format, jpegQuality, out);
        }
        return bytes.toByteArray();
    }

    /** The number of NaN or infinite samples. */
    static long nonFinite(Image img) {
        long n = 0;
        for (float v : img.data()) {
            if (!Float.isFinite(v)) {
                n++;
            }
        }
        return n;
    }

    /** An 8-bit BufferedImage (TYPE_BYTE_GRAY or TYPE_3BYTE_BGR) holding the clamped samples. */
    public static BufferedImage toBufferedImage(Image img) {
        int w = img.width();
        int h = img.height();
        int n = img.pixels();
        float[] d = img.data();
        BufferedImage bi = new BufferedImage(w, h, img.isGray() ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster r = bi.getRaster();
        int[] row = new int[w];
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < h; y++) {
                int off = c * n + y * w;
                for (int x = 0; x < w; x++) {
                    row[x] = Image.to8bit(d[off + x]);
                }
                r.setSamples(0, y, w, 1, c, row);
            }
        }
        return bi;
    }

    /**
     * Writes a class-index map as an 8-bit indexed (palette) PNG, the MFNet/MSRS label format: the stored samples
     * are the class indices, and {@code paletteRgb} (packed {@code 0xRRGGBB}, one per class) colours them for
     * viewers. Read back with {@link ImageReader#readLabelRaster}, the indices come back unchanged.
     */
    public static void writeIndexedPng(Path file, int width, int height, int[] indices, int[] paletteRgb,
            boolean overwrite) throws IOException {
        if (!ImageReader.extension(file).equals("png")) {
            throw new ImageFormatException(file, "class-index maps are written as .png only");
        }
        if (indices.length != width * height) {
            throw new IllegalArgumentException("index map has " + indices.length + " values for " + width + "x"
                    + height);
        }
        if (paletteRgb.length == 0 || paletteRgb.length > 256) {
            throw new IllegalArgumentException("an 8-bit palette holds 1..256 colours, got " + paletteRgb.length);
        }
        byte[] r = new byte[paletteRgb.length];
        byte[] g = new byte[paletteRgb.length];
        byte[] b = new byte[paletteRgb.length];
        for (int i = 0; i < paletteRgb.length; i++) {
            r[i] = (byte) (paletteRgb[i] >> 16);
            g[i] = (byte) (paletteRgb[i] >> 8);
            b[i] = (byte) paletteRgb[i];
        }
        int bits = paletteRgb.length <= 2 ? 1 : paletteRgb.length <= 4 ? 2 : paletteRgb.length <= 16 ? 4 : 8;
        java.awt.image.IndexColorModel icm = new java.awt.image.IndexColorModel(bits, paletteRgb.length, r, g, b);
        BufferedImage bi = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, icm);
        if (bits < 8) {
            bi = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY, icm);
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= paletteRgb.length) {
                throw new IllegalArgumentException("class index " + indices[i] + " at pixel (" + (i % width) + ","
                        + (i / width) + ") has no palette entry (palette of " + paletteRgb.length + ")");
            }
        }
        bi.getRaster().setSamples(0, 0, width, height, 0, indices);
        BufferedImage out = bi;
        AtomicFiles.write(file, overwrite, tmp -> {
            try (ImageOutputStream stream = openOutput(tmp)) {
                encode(out, "png", JPEG_QUALITY, stream);
            }
        });
    }

    /** ImageIO answers null, not an exception, for a file it cannot create; say why here. */
    private static ImageOutputStream openOutput(Path tmp) throws IOException {
        ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile());
        if (out == null) {
            Path dir = tmp.toAbsolutePath().getParent();
            throw new java.nio.file.AccessDeniedException(dir.toString(), null, "cannot create a file in this "
                    + "folder (not writable, or the file system is read-only or full)");
        }
        return out;
    }

    private static void encode(BufferedImage bi, String format, float jpegQuality, ImageOutputStream out)
            throws IOException {
        Iterator<javax.imageio.ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IOException("no ImageIO writer for " + format);
        }
        javax.imageio.ImageWriter writer = writers.next();
        try {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(jpegQuality);
            }
            writer.write(null, new IIOImage(bi, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
