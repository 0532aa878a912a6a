package org.irfuse.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.irfuse.core.image.Image;
import org.irfuse.core.synthetic.SyntheticScenes;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.Test;

class FuserTest {
    @Test
    void tiledFusionMatchesUntiledFusion() {
        try (Compute c = Compute.cpu()) {
            FusionModel m = FusionModel.initialise(Width.NANO, c, DataType.FLOAT32);
            SyntheticScenes.Scene s = SyntheticScenes.random(301, 203, 11, false);
            float[] ir = s.infrared().plane(0);
            float[] y = org.irfuse.core.image.YCbCr.luma(s.visible());
            float[] whole = new Fuser(m.network(), c, Long.MAX_VALUE, 512).fuseLuminance(ir, y, 301, 203);
            // 64-px tiles: 5×4 tiles with ragged edges, every seam inside the image.
            float[] tiled = new Fuser(m.network(), c, 0, 64).fuseLuminance(ir, y, 301, 203);
            double worst = 0;
            double range = 0;
            for (int i = 0; i < whole.length; i++) {
                worst = Math.max(worst, Math.abs(whole[i] - tiled[i]));
                range = Math.max(range, Math.abs(whole[i]));
            }
            assertTrue(range > 1e-3, "the untrained network gives a non-trivial output");
            assertTrue(worst < 1e-5, "tiled vs untiled max abs difference " + worst);
        }
    }

    /**
     * PyTorch's grad mode is per thread and on in threads DJL did not set up (Spark's task threads): fusing there must
     * give the same result and leave the thread's mode as it was.
     */
    @Test
    void fusesInAThreadWhoseGradModeIsOn() throws Exception {
        try (Compute c = Compute.cpu(); Fuser f = new Fuser(m(c), c)) {
            SyntheticScenes.Scene s = SyntheticScenes.random(40, 30, 5, false);
            float[] ir = s.infrared().plane(0);
            float[] y = org.irfuse.core.image.YCbCr.luma(s.visible());
            float[] here = f.fuseLuminance(ir, y, 40, 30);
            float[][] there = new float[1][];
            boolean[] mode = new boolean[2];
            Thread t = new Thread(() -> {
                mode[0] = ai.djl.pytorch.jni.JniUtils.isGradMode();
                there[0] = f.fuseLuminance(ir, y, 40, 30);
                mode[1] = ai.djl.pytorch.jni.JniUtils.isGradMode();
            });
            t.start();
            t.join();
            assertTrue(mode[0], "a new thread starts with grad mode on (the case this test is about)");
            assertTrue(mode[1], "the thread's grad mode is restored");
            org.junit.jupiter.api.Assertions.assertArrayEquals(here, there[0], 0f);
        }
    }

    private static org.irfuse.nn.modules.FusionNetwork m(Compute c) {
        return FusionModel.initialise(Width.NANO, c, DataType.FLOAT32).network();
    }

    @Test
    void colourIsKeptAndGrayStaysGray() {
        try (Compute c = Compute.cpu()) {
            FusionModel m = FusionModel.initialise(Width.NANO, c, DataType.FLOAT32);
            Fuser f = new Fuser(m.network(), c);
            SyntheticScenes.Scene s = SyntheticScenes.random(64, 48, 2, false);
            Image rgb = f.fuse(s.infrared(), s.visible());
            assertEquals(3, rgb.channels());
            Image gray = f.fuse(s.infrared(), s.infrared());
            assertEquals(1, gray.channels());
            for (float v : rgb.data()) {
                assertTrue(v >= 0 && v <= 1);
            }
        }
    }

    @Test
    void sizeMismatchIsRefused() {
        try (Compute c = Compute.cpu()) {
            FusionModel m = FusionModel.initialise(Width.NANO, c, DataType.FLOAT32);
            Fuser f = new Fuser(m.network(), c);
            Image a = Image.gray(10, 10, new float[100]);
            Image b = Image.gray(10, 11, new float[110]);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> f.fuse(a, b));
            assertTrue(e.getMessage().contains("10x10") && e.getMessage().contains("10x11"));
        }
    }

    static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }
}
