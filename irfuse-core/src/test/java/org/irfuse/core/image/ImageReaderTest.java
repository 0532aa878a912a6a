package org.irfuse.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageReaderTest {
    @TempDir
    Path dir;

    @Test
    void gray8PngReadsExactSamplesNotColourConverted() throws Exception {
        BufferedImage bi = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        bi.getRaster().setSamples(0, 0, 3, 2, 0, new int[] {0, 128, 255, 1, 64, 200});
        Path f = dir.resolve("g.png");
        ImageIO.write(bi, "png", f.toFile());
        Image img = ImageReader.read(f);
        assertEquals(1, img.channels());
        // getRGB would turn 128 into 188 through the gray colour space; the raster keeps 128.
        assertArrayEquals(new int[] {0, 128, 255, 1, 64, 200}, img.samples8(0));
    }

    @Test
    void gray16PngIsNormalisedBy65535() throws Exception {
        BufferedImage bi = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        bi.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {65535, 257 * 100});
        Path f = dir.resolve("g16.png");
        ImageIO.write(bi, "png", f.toFile());
        Image img = ImageReader.read(f);
        assertEquals(1.0f, img.get(0, 0, 0), 0f);
        assertEquals(100, img.samples8(0)[1]);
    }

    @Test
    void rgbAndRgbaPngKeepChannelOrderAndDropAlpha() throws Exception {
        BufferedImage rgba = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, (10 << 24) | (200 << 16) | (100 << 8) | 50);
        Path f = dir.resolve("rgba.png");
        ImageIO.write(rgba, "png", f.toFile());
        Image img = ImageReader.read(f);
        assertEquals(3, img.channels());
        assertEquals(200, img.samples8(0)[0]);
        assertEquals(100, img.samples8(1)[0]);
        assertEquals(50, img.samples8(2)[0]);
        BufferedImage bgr = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        bgr.setRGB(0, 0, (200 << 16) | (100 << 8) | 50);
        Path g = dir.resolve("bgr.bmp");
        ImageIO.write(bgr, "bmp", g.toFile());
        Image b = ImageReader.read(g);
        assertEquals(200, b.samples8(0)[0]);
        assertEquals(50, b.samples8(2)[0]);
    }

    @Test
    void palettePngIsExpandedThroughItsPalette() throws Exception {
        byte[] r = {0, (byte) 64, (byte) 255};
        byte[] gr = {0, (byte) 0, (byte) 255};
        byte[] b = {0, (byte) 128, (byte) 0};
        IndexColorModel icm = new IndexColorModel(2, 3, r, gr, b);
        BufferedImage bi = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, icm);
        WritableRaster ras = bi.getRaster();
        ras.setSamples(0, 0, 3, 1, 0, new int[] {0, 1, 2});
        Path f = dir.resolve("pal.png");
        ImageIO.write(bi, "png", f.toFile());
        Image img = ImageReader.read(f);
        assertEquals(3, img.channels());
        assertArrayEquals(new int[] {0, 64, 255}, img.samples8(0));
        assertArrayEquals(new int[] {0, 128, 0}, img.samples8(2));
    }

    @Test
    void jpegAndTiffRead() throws Exception {
        BufferedImage bi = new BufferedImage(16, 8, BufferedImage.TYPE_3BYTE_BGR);
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 8; y++) {
                bi.setRGB(x, y, (x * 16 << 16) | (y * 32 << 8) | 90);
            }
        }
        Path j = dir.resolve("a.jpg");
        ImageIO.write(bi, "jpeg", j.toFile());
        Image jpg = ImageReader.read(j);
        assertEquals(16, jpg.width());
        assertEquals(3, jpg.channels());
        Path t = dir.resolve("a.tif");
        assertTrue(ImageIO.write(bi, "tiff", t.toFile()));
        Image tif = ImageReader.read(t);
        assertEquals(3, tif.channels());
        assertEquals(15 * 16, tif.samples8(0)[15]);
        assertEquals(90, tif.samples8(2)[3]);
    }

    @Test
    void infraredStoredAsReplicatedRgbBecomesOneChannel() throws Exception {
        BufferedImage bi = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
        bi.setRGB(0, 0, 0x404040);
        bi.setRGB(1, 0, 0xC8C8C8);
        Path f = dir.resolve("ir.png");
        ImageIO.write(bi, "png", f.toFile());
        Image ir = ImageReader.readInfrared(f);
        assertEquals(1, ir.channels());
        assertArrayEquals(new int[] {0x40, 0xC8}, ir.samples8(0));
    }

    @Test
    void badFilesGiveMessagesNamingTheFile() throws Exception {
        Path missing = dir.resolve("nope.png");
        ImageFormatException e1 = assertThrows(ImageFormatException.class, () -> ImageReader.read(missing));
        assertTrue(e1.getMessage().contains("nope.png") && e1.getMessage().contains("not found"), e1.getMessage());

        Path text = dir.resolve("notes.png");
        Files.writeString(text, "this is not an image");
        ImageFormatException e2 = assertThrows(ImageFormatException.class, () -> ImageReader.read(text));
        assertTrue(e2.getMessage().startsWith(text.toString()), e2.getMessage());

        BufferedImage bi = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        Path good = dir.resolve("good.png");
        ImageIO.write(bi, "png", good.toFile());
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        ImageFormatException e3 = assertThrows(ImageFormatException.class, () -> ImageReader.read(truncated));
        assertTrue(e3.getMessage().contains("truncated.png"), e3.getMessage());

        assertThrows(ImageFormatException.class, () -> ImageReader.read(dir));
    }

    @Test
    void writerRoundTripsAndRefusesToOverwrite() throws Exception {
        Image img = Image.gray(2, 1, new float[] {0.2f, 1.5f});
        Path out = dir.resolve("o.png");
        ImageWriter.write(img, out, false);
        assertArrayEquals(new int[] {51, 255}, ImageReader.read(out).samples8(0));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> ImageWriter.write(img, out, false));
        ImageWriter.write(img, out, true);
        assertThrows(ImageFormatException.class, () -> ImageWriter.write(img, dir.resolve("o.gif"), false));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }
}
