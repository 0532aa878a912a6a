package org.irfuse.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class YCbCrTest {
    @Test
    void roundTripWithin1e3() {
        Random rnd = new Random(3);
        int n = 20_000;
        float[] r = new float[n];
        float[] g = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = rnd.nextFloat();
            g[i] = rnd.nextFloat();
            b[i] = rnd.nextFloat();
        }
        Image rgb = Image.rgb(n, 1, r, g, b);
        float[][] ycc = YCbCr.split(rgb);
        float[][] back = YCbCr.toRgbUnclamped(ycc[0], ycc[1], ycc[2]);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs(back[0][i] - r[i]));
            worst = Math.max(worst, Math.abs(back[1][i] - g[i]));
            worst = Math.max(worst, Math.abs(back[2][i] - b[i]));
        }
        assertTrue(worst < 1e-3, "round trip error " + worst);
        // The METHOD.md coefficients are rounded: the error is real but small (about 3e-4).
        assertTrue(worst > 1e-5, "coefficients are the rounded ones of METHOD.md");
    }

    @Test
    void coefficientsAreBt601() {
        Image px = Image.rgb(1, 1, new float[] {1f}, new float[] {0f}, new float[] {0f});
        float[][] ycc = YCbCr.split(px);
        assertEquals(0.299f, ycc[0][0], 1e-7f);
        assertEquals(0.564f * (0 - 0.299f) + 0.5f, ycc[1][0], 1e-7f);
        assertEquals(0.713f * (1 - 0.299f) + 0.5f, ycc[2][0], 1e-7f);
    }

    @Test
    void mergeClampsLuminanceAndKeepsGray() {
        Image gray = YCbCr.merge(2, 1, new float[] {-0.5f, 1.7f}, null, null);
        assertEquals(1, gray.channels());
        assertEquals(0f, gray.get(0, 0, 0));
        assertEquals(1f, gray.get(0, 1, 0));
        Image rgb = YCbCr.merge(1, 1, new float[] {2f}, new float[] {0.5f}, new float[] {0.5f});
        assertEquals(3, rgb.channels());
        assertEquals(1f, rgb.get(1, 0, 0));
    }
}
