package org.irfuse.core.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SaliencyTest {
    @Test
    void constantImageHasZeroSaliency() {
        int[] flat = new int[100];
        java.util.Arrays.fill(flat, 77);
        float[] s = HistogramContrastSaliency.compute(flat);
        for (float v : s) {
            assertEquals(0f, v);
        }
    }

    @Test
    void levelContrastByHand() {
        // h(0) = 2, h(10) = 1: s(0) = 1·10 = 10, s(10) = 2·10 = 20 → saliency 0.5, 0.5, 1.
        int[] px = {0, 0, 10};
        assertEquals(10.0, HistogramContrastSaliency.levelContrast(px)[0]);
        assertEquals(20.0, HistogramContrastSaliency.levelContrast(px)[10]);
        assertArrayEquals(new float[] {0.5f, 0.5f, 1f}, HistogramContrastSaliency.compute(px));
    }

    @Test
    void targetFollowsSalientInfrared() {
        // Infrared: one hot pixel among cold ones → S_I = 1 there; visible flat → S_Y = 0.
        float[] ir = {0f, 0f, 0f, 1f};
        float[] y = {0.5f, 0.5f, 0.5f, 0.5f};
        SaliencyTarget.Maps m = SaliencyTarget.compute(ir, y);
        // m = clip(0.4 + S_I − 0.4·S_Y): hot pixel 1 → M = I; cold pixels S_I = 1/3 → m = 0.7333.
        assertEquals(1f, m.mask()[3], 1e-6f);
        assertEquals(1f, m.target()[3], 1e-6f);
        assertEquals(0.4f + 1f / 3f, m.mask()[0], 1e-6f);
        assertEquals((1 - (0.4f + 1f / 3f)) * 0.5f, m.target()[0], 1e-6f);
    }
}
