package org.irfuse.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageTest {
    /** The rule as first written: Math.round (half up) of v·255, clamped. */
    private static int reference(float v) {
        return (int) Math.max(0, Math.min(255, Math.round((double) v * 255.0)));
    }

    @Test
    void to8bitIsMathRoundHalfUpClampedOnEdgeCasesAndRandomFloats() {
        float[] edges = {0f, -0f, 1f, 0.5f / 255, Math.nextDown(0.5f / 255), Math.nextUp(0.5f / 255), 254.5f / 255,
            Math.nextDown(254.5f / 255), 127.5f / 255, Math.nextDown(127.5f / 255), 1e-30f, -1e-30f, -0.5f / 255,
            Math.nextDown(-0.5f / 255), 1.5f, -3f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.NaN,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (float v : edges) {
            assertEquals(reference(v), Image.to8bit(v), "v = " + v);
        }
        assertEquals(1, Image.to8bit(0.5f / 255)); // half up
        assertEquals(0, Image.to8bit(Float.NaN));
        Random r = new Random(3);
        for (int i = 0; i < 2_000_000; i++) {
            float v = i % 2 == 0 ? r.nextFloat() * 1.2f - 0.1f : Float.intBitsToFloat(r.nextInt());
            assertEquals(reference(v), Image.to8bit(v), "v = " + v);
        }
        for (int k = 0; k <= 255; k++) { // every exact level and its float neighbours of the half-way points
            float half = (k + 0.5f) / 255;
            assertEquals(reference(half), Image.to8bit(half));
            assertEquals(reference(Math.nextDown(half)), Image.to8bit(Math.nextDown(half)));
            assertEquals(k, Image.to8bit(k / 255f));
        }
    }
}
