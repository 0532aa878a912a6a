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
}
