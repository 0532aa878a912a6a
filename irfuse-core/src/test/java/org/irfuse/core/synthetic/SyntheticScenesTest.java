package org.irfuse.core.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.junit.jupiter.api.Test;

class SyntheticScenesTest {
    /** The pair in samples/ is the generator's output, byte for byte in its samples (`irfuse sample` made it). */
    @Test
    void shippedSamplePairIsTheGeneratorsOutput() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent().resolve("samples");
        assertTrue(Files.isDirectory(root), "samples/ is part of the repository");
        SyntheticScenes.Scene s = SyntheticScenes.sample();
        Image ir = ImageReader.read(root.resolve("ir/street.png"));
        Image vis = ImageReader.read(root.resolve("vi/street.png"));
        assertArrayEquals(s.infrared().samples8(0), ir.samples8(0));
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(s.visible().samples8(c), vis.samples8(c));
        }
    }

    @Test
    void objectsAreWarmInInfraredAndFaintInVisible() {
        SyntheticScenes.Scene s = SyntheticScenes.sample();
        assertEquals(2, s.objects().size());
        float[] ir = s.infrared().plane(0);
        float[] y = org.irfuse.core.image.YCbCr.luma(s.visible());
        double irObj = 0;
        double irBg = 0;
        double yObj = 0;
        double yBg = 0;
        int nObj = 0;
        int nBg = 0;
        for (int p = 0; p < ir.length; p++) {
            if (s.labels()[p] != 0) {
                irObj += ir[p];
                yObj += y[p];
                nObj++;
            } else if (p > ir.length / 2) {
                irBg += ir[p];
                yBg += y[p];
                nBg++;
            }
        }
        double irContrast = irObj / nObj - irBg / nBg;
        double yContrast = Math.abs(yObj / nObj - yBg / nBg);
        assertTrue(irContrast > 0.3, "objects stand out in infrared: " + irContrast);
        assertTrue(yContrast < irContrast / 2, "objects are faint in visible: " + yContrast);
        for (SyntheticScenes.SceneObject o : s.objects()) {
            int cx = (o.x0() + o.x1()) / 2;
            int cy = (o.y0() + o.y1()) / 2;
            assertTrue(o.x1() > o.x0() && o.y1() > o.y0());
            assertTrue(cx >= 0 && cy >= 0);
        }
    }

    @Test
    void generationIsDeterministic() {
        SyntheticScenes.Scene a = SyntheticScenes.random(96, 64, 5, true);
        SyntheticScenes.Scene b = SyntheticScenes.random(96, 64, 5, true);
        assertArrayEquals(a.infrared().data(), b.infrared().data());
        assertArrayEquals(a.labels(), b.labels());
    }
}
