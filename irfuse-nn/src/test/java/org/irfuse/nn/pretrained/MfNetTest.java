package org.irfuse.nn.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MfNetTest {
    @TempDir
    Path tmp;

    @Test
    void matchesTheGoldenLogits() throws IOException {
        Path npz = Goldens.model("mfnet_mfnet9.npz");
        float[] in = Goldens.f32("mfnet_in_1x4x96x128.f32");
        float[] out = Goldens.f32("mfnet_out_1x9x96x128.f32");
        try (Compute c = Compute.cpu(); NDManager step = c.newStep()) {
            MfNet net = MfNet.load(npz, c.root());
            NDArray logits = net.logits(c.parameters(), step.create(in, new Shape(1, 4, 96, 128)), false);
            assertEquals(new Shape(1, 9, 96, 128), logits.getShape());
            double err = Goldens.maxError(logits.toFloatArray(), out);
            assertTrue(err <= 1e-4, "max error " + err);
        }
    }

    @Test
    void gradientsReachBothInputsAndTheWeights() {
        try (Compute c = Compute.cpu(); NDManager step = c.newStep()) {
            MfNet net = MfNet.create(c.root());
            Map<String, Parameter> named = NpzWeights.parameters(net);
            assertEquals(228, named.size(), "every array of the MFNet checkpoint");
            NDArray x = step.randomUniform(0, 1, new Shape(1, 4, 32, 48));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(net.logits(c.parameters(), x, true).get(":, 2").sum());
            }
            NDArray g = x.getGradient();
            assertTrue(g.get(":, 0:3").abs().sum().getFloat() > 0, "no gradient reached the RGB channels");
            assertTrue(g.get(":, 3").abs().sum().getFloat() > 0, "no gradient reached the thermal channel");
            for (String n : new String[] {"conv1_inf.conv.weight", "conv5_rgb.conv3_right.bn.weight",
                "decode1.conv.bias"}) {
                NDArray w = named.get(n).getArray();
                assertTrue(w.hasGradient() && w.getGradient().abs().sum().getFloat() > 0, n + " has no gradient");
            }
            assertFalse(named.get("decode1.bn.running_mean").requiresGradient());
        }
    }

    @Test
    void yoloWeightsAreNotMfNetWeights() throws IOException {
        try (Compute c = Compute.cpu()) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            Map<String, float[]> data = new LinkedHashMap<>();
            shapes.put("layers.0.conv.weight", new long[] {2});
            data.put("layers.0.conv.weight", new float[2]);
            Path f = tmp.resolve("yolo.npz");
            Goldens.writeNpz(f, shapes, data);
            IOException e = assertThrows(IOException.class, () -> MfNet.load(f, c.root()));
            assertEquals(f + ": missing array 'conv1_rgb.conv.weight' (expected shape (16, 3, 3, 3)); 227 more "
                    + "arrays missing: is this the right network's weights file?", e.getMessage());
        }
    }

    @Test
    void refusesSizesThatAreNotMultiplesOfSixteen() {
        try (Compute c = Compute.cpu(); NDManager step = c.newStep()) {
            MfNet net = MfNet.create(c.root());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.logits(c.parameters(), step.zeros(new Shape(1, 4, 40, 48)), false));
            assertTrue(e.getMessage().contains("multiples of 16"), e.getMessage());
        }
    }
}
