package org.irfuse.core.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: the one reader and the one writer refuse garbage instead of passing it on. */
class ImageSafetyTest {
    @TempDir
    Path dir;

    @Test
    void anImageWithNanIsNeverWritten() {
        float[] plane = new float[16];
        plane[5] = Float.NaN;
        Path out = dir.resolve("nan.png");
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> ImageWriter.write(Image.gray(4, 4, plane), out, false));
        assertTrue(e.getMessage().contains("nan.png") && e.getMessage().contains("1 NaN"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    /**
     * A PNG of about 80 bytes: signature, an IHDR claiming {@code w x h} 8-bit gray, a tiny IDAT (deflated zero
     * rows: a decoder allocates the whole raster, then starts inflating), IEND.
     */
    static byte[] pngHeader(int w, int h) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8)
                .put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(9);
        deflater.setInput(new byte[4096]);
        deflater.finish();
        byte[] z = new byte[256];
        chunk(out, "IDAT", java.util.Arrays.copyOf(z, deflater.deflate(z)));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        java.io.DataOutputStream d = new java.io.DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    @Test
    void aHeaderClaimingGigapixelsIsRefusedBeforeDecoding() throws Exception {
        Path bomb = dir.resolve("bomb.png");
        Files.write(bomb, pngHeader(40_000, 40_000));
        long before = usedHeap();
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageReader.read(bomb));
        assertTrue(e.getMessage().contains("bomb.png") && e.getMessage().contains("40000x40000")
                && e.getMessage().contains("--max-megapixels"), e.getMessage());
        assertTrue(usedHeap() - before < 200L << 20, "nothing large was allocated");
        // The size alone comes from the header, without decoding, and the limit is adjustable.
        assertThrows(ImageFormatException.class, () -> ImageReader.size(bomb));
        double old = ImageReader.maxMegapixels();
        try {
            ImageReader.setMaxMegapixels(2000);
            org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {40_000, 40_000}, ImageReader.size(bomb));
            ImageReader.setMaxMegapixels(0.001);
            Path small = dir.resolve("small.png");
            ImageWriter.write(Image.gray(40, 30, new float[1200]), small, false);
            assertThrows(ImageFormatException.class, () -> ImageReader.read(small), "1200 px > 1000 px");
        } finally {
            ImageReader.setMaxMegapixels(old);
        }
        assertThrows(IllegalArgumentException.class, () -> ImageReader.setMaxMegapixels(0));
    }

    static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void aTruncatedJpegIsRefusedNotHalfRead() throws Exception {
        int w = 96;
        int h = 64;
        float[] v = new float[w * h];
        java.util.Random rnd = new java.util.Random(4);
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat();
        }
        Path good = dir.resolve("good.jpg");
        ImageWriter.write(Image.gray(w, h, v), good, false);
        ImageReader.read(good);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length * 6 / 10));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageReader.read(cut));
        assertTrue(e.getMessage().contains("cut.jpg") && e.getMessage().contains("truncated"), e.getMessage());
    }
}
