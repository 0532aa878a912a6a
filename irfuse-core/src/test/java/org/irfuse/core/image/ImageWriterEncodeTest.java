package org.irfuse.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageWriterEncodeTest {
    @Test
    void pngBytesDecodeToTheSameSamples() throws IOException {
        float[] plane = new float[6 * 4];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = i / (float) (plane.length - 1);
        }
        Image gray = Image.gray(6, 4, plane);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(ImageWriter.encode(gray, "png", 1f)));
        int[] decoded = back.getRaster().getSamples(0, 0, 6, 4, 0, new int[24]);
        assertArrayEquals(gray.samples8(0), decoded);
    }

    @Test
    void jpegQualityChangesTheSize() throws IOException {
        int w = 64;
        int h = 64;
        float[] r = new float[w * h];
        float[] g = new float[w * h];
        float[] b = new float[w * h];
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < r.length; i++) {
            r[i] = rnd.nextFloat();
            g[i] = rnd.nextFloat();
            b[i] = rnd.nextFloat();
        }
        Image noise = Image.rgb(w, h, r, g, b);
        byte[] low = ImageWriter.encode(noise, "jpeg", 0.3f);
        byte[] high = ImageWriter.encode(noise, "jpeg", 0.95f);
        assertTrue(low.length < high.length, low.length + " vs " + high.length);
        assertEquals(w, ImageIO.read(new ByteArrayInputStream(high)).getWidth());
    }
}
