package org.irfuse.core.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Issue 11: ground-truth boxes that no detection can match are refused, naming the line. */
class YoloGroundTruthTest {
    @Test
    void zeroSizeAndOutsideBoxesAreRefusedWithTheirLine() throws IOException {
        IOException zero = assertThrows(IOException.class,
                () -> YoloLabels.parse("0 0.5 0.5 0.1 0.1\n1 0.5 0.5 0 0.2\n", "gt.txt", 640, 480));
        assertTrue(zero.getMessage().startsWith("gt.txt:2: box of zero size"), zero.getMessage());
        IOException outside = assertThrows(IOException.class,
                () -> YoloLabels.parse("2 1.2 0.5 0.1 0.1\n", "gt.txt", 640, 480));
        assertTrue(outside.getMessage().startsWith("gt.txt:1: box outside the image"), outside.getMessage());
        assertThrows(IOException.class, () -> YoloLabels.parse("0 0.05 0.5 0.2 0.1\n", "gt.txt", 640, 480));
        // Rounding at the border is tolerated; a box touching the border is fine.
        assertEquals(2, YoloLabels.parse("0 0.9502 0.5 0.1 0.2\n0 0.05 0.05 0.1 0.1\n", "gt.txt", 640, 480)
                .size());
        // Predictions are not ground truth: a detector's box may reach outside.
        assertEquals(1, YoloLabels.parse("0 1.2 0.5 0.1 0.1 0.9\n", "pred.txt", 640, 480, true).size());
    }
}
