package org.irfuse.nn.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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

class YoloV5nTest {
    @TempDir
    Path tmp;

    @Test
    void matchesTheGoldenDecodedAndRawOutputs() throws IOException {
        Path npz = Goldens.model("yolov5n_coco.npz");
        float[] in = Goldens.f32("yolov5n_in_1x3x256x320.f32");
        float[] out = Goldens.f32("yolov5n_out_1x5040x85.f32");
        try (Compute c = Compute.cpu(); NDManager step = c.newStep()) {
            YoloV5n net = YoloV5n.load(npz, c.root());
            NDArray x = step.create(in, new Shape(1, 3, 256, 320));
            NDList raw = net.raw(c.parameters(), x, false);
            String[] rawFiles = {"yolov5n_raw0_1x3x32x40x85.f32", "yolov5n_raw1_1x3x16x20x85.f32",
                "yolov5n_raw2_1x3x8x10x85.f32"};
            long[][] rawShapes = {{1, 3, 32, 40, 85}, {1, 3, 16, 20, 85}, {1, 3, 8, 10, 85}};
            for (int i = 0; i < 3; i++) {
                assertEquals(new Shape(rawShapes[i]), raw.get(i).getShape());
                double err = Goldens.maxError(raw.get(i).toFloatArray(), Goldens.f32(rawFiles[i]));
                assertTrue(err <= 1e-4, rawFiles[i] + ": max error " + err);
            }
            NDArray decoded = net.head().decode(c.parameters(), raw);
            assertEquals(new Shape(1, 5040, 85), decoded.getShape());
            double err = Goldens.maxError(decoded.toFloatArray(), out);
            assertTrue(err <= 1e-4, "decoded: max error " + err);
        }
    }

    /**
     * Decoding makes its arrays in the image's step manager: the anchors are a parameter in the network's
     * long-lived manager, and arrays computed from them landed there, 9 per image (3 levels × slice, scaled,
     * reshaped) for as long as the detector lived (eval-det, detect and the bi-level task's held-out scoring run it
     * over thousands of images).
     */
    @Test
    void decodingLeavesNoArrayInTheNetworksManager() {
        try (Compute c = Compute.cpu()) {
            YoloV5n net = YoloV5n.create(c.root());
            int[] counts = new int[3];
            for (int i = 0; i < counts.length; i++) {
                try (NDManager step = c.newStep()) {
                    net.predict(c.parameters(), step.randomUniform(0, 1, new Shape(1, 3, 64, 64)), false);
                }
                counts[i] = c.root().getManagedArrays().size();
            }
            assertEquals(counts[0], counts[2], "arrays in the root manager after images 1 and 3");
        }
    }

    @Test
    void gradientsReachTheImageAndTheWeightsButNotTheRunningStatistics() {
        try (Compute c = Compute.cpu(); NDManager step = c.newStep()) {
            YoloV5n net = YoloV5n.create(c.root());
            Map<String, Parameter> named = NpzWeights.parameters(net);
            NDArray x = step.randomUniform(0, 1, new Shape(1, 3, 64, 96));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList raw = net.raw(c.parameters(), x, true);
                NDArray objectness = raw.get(0).get("..., 4").sum().add(raw.get(2).get("..., 5:8").sum());
                NDArray boxes = net.head().decode(c.parameters(), raw).get("..., 0:4").sum();
                gc.backward(objectness.add(boxes.mul(1e-3)));
            }
            assertTrue(x.getGradient().abs().sum().getFloat() > 0, "no gradient reached the image");
            for (String n : new String[] {"layers.0.conv.weight", "layers.0.bn.weight", "layers.9.cv2.conv.weight",
                "layers.24.m.0.bias", "layers.24.m.2.weight"}) {
                NDArray w = named.get(n).getArray();
                assertTrue(w.hasGradient() && w.getGradient().abs().sum().getFloat() > 0, n + " has no gradient");
            }
            assertFalse(named.get("layers.0.bn.running_var").requiresGradient());
            assertFalse(named.get("layers.24.anchors").requiresGradient());
        }
    }

    @Test
    void missingOrMisShapedArraysAreNamed() throws IOException {
        try (Compute c = Compute.cpu()) {
            YoloV5n net = YoloV5n.create(c.root());
            Map<String, long[]> shapes = new LinkedHashMap<>();
            Map<String, float[]> data = new LinkedHashMap<>();
            NpzWeights.parameters(net).forEach((n, p) -> {
                shapes.put(n, p.getShape().getShape());
                data.put(n, p.getArray().toFloatArray());
            });
            assertEquals(293 - 1, shapes.size(), "all arrays of the checkpoint but its top-level 'anchors' copy");
            Path full = tmp.resolve("full.npz");
            Goldens.writeNpz(full, shapes, data);
            NpzWeights.Result r = NpzWeights.load(YoloV5n.create(c.root()), full);
            assertEquals(292, r.arrays());
            // 1,872,157 learnable values (the checkpoint's 1.87 M), 9,504 BatchNorm running statistics, 18 anchors.
            assertEquals(1_872_157 + 9_504 + 18, r.values());

            Map<String, long[]> missing = new LinkedHashMap<>(shapes);
            missing.remove("layers.9.cv2.bn.running_var");
            Path m = tmp.resolve("missing.npz");
            Goldens.writeNpz(m, missing, data);
            IOException e = assertThrows(IOException.class, () -> YoloV5n.load(m, c.root()));
            assertEquals(m + ": missing array 'layers.9.cv2.bn.running_var' (expected shape (256,))", e.getMessage());

            Map<String, long[]> wrong = new LinkedHashMap<>(shapes);
            Map<String, float[]> wrongData = new LinkedHashMap<>(data);
            wrong.put("layers.0.conv.weight", new long[] {16, 3, 3, 3});
            wrongData.put("layers.0.conv.weight", new float[16 * 27]);
            Path w = tmp.resolve("wrong.npz");
            Goldens.writeNpz(w, wrong, wrongData);
            e = assertThrows(IOException.class, () -> YoloV5n.load(w, c.root()));
            assertEquals(w + ": array 'layers.0.conv.weight' has shape (16, 3, 3, 3), expected (16, 3, 6, 6)",
                    e.getMessage());
        }
    }

    @Test
    void nearestUpsamplingRepeatsEachPixelIntoATwoByTwoBlock() {
        try (Compute c = Compute.cpu(); NDManager step = c.newStep()) {
            NDArray x = step.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 1, 2, 3));
            float[] up = Resampling.nearest2x(x).toFloatArray();
            float[] expected = {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6};
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(up));
        }
    }
}
