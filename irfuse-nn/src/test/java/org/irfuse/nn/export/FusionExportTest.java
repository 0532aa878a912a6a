package org.irfuse.nn.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.YCbCr;
import org.irfuse.core.io.NpzArchive;
import org.irfuse.core.io.NpzArchive.Array;
import org.irfuse.core.io.SafeTensors;
import org.irfuse.core.io.SharedData;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusionExportTest {
    @TempDir
    Path tmp;

    /**
     * The exported ONNX file, run by ONNX Runtime, gives the luminance {@code irfuse fuse --precision fp32} computes
     * (Fuser in float32) within 1e-4 on a real TNO pair, at two sizes from one file (dynamic height and width).
     */
    @Test
    void onnxRuntimeMatchesFuserOnARealPairAtTwoSizes() throws Exception {
        Optional<Path> tno = SharedData.resolve("tno");
        assumeTrue(tno.isPresent(), SharedData.missingMessage("tno"));
        Image ir = ImageReader.readInfrared(tno.get().resolve("ir/05.png"));
        float[] y = YCbCr.luma(ImageReader.read(tno.get().resolve("vi/05.png")));
        Path onnx = tmp.resolve("fusion.onnx");
        try (Compute c = Compute.cpu(); OrtEnvironment env = OrtEnvironment.getEnvironment()) {
            FusionModel model = FusionModel.loadDefault(c);
            FusionWeights.write(model, onnx, false);
            Fuser fuser = new Fuser(model.network(), c);
            try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
                for (int[] size : new int[][] {{96, 72}, {121, 83}}) {
                    int w = size[0];
                    int h = size[1];
                    float[] irc = Fuser.crop(ir.plane(0), ir.width(), 40, 60, w, h);
                    float[] yc = Fuser.crop(y, ir.width(), 40, 60, w, h);
                    float[] expected = fuser.fuseLuminance(irc, yc, w, h);
                    float[] actual;
                    long[] shape = {1, 1, h, w};
                    try (OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(irc), shape);
                            OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(yc), shape);
                            OrtSession.Result r = session.run(Map.of("infrared", a, "luminance", b))) {
                        OnnxTensor out = (OnnxTensor) r.get("fused").orElseThrow();
                        assertArrayEquals(shape, out.getInfo().getShape());
                        FloatBuffer fb = out.getFloatBuffer();
                        actual = new float[fb.remaining()];
                        fb.get(actual);
                    }
                    double worst = 0;
                    double spread = 0;
                    for (int i = 0; i < expected.length; i++) {
                        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
                        spread = Math.max(spread, Math.abs(expected[i] - expected[0]));
                    }
                    System.out.printf("ONNX Runtime vs Fuser at %dx%d: max abs difference %.3g%n", w, h, worst);
                    assertTrue(spread > 0.1, "a real image gives a non-flat output (spread " + spread + ")");
                    assertTrue(worst <= 1e-4, w + "x" + h + ": ONNX Runtime vs Fuser max abs difference " + worst);
                }
            }
        }
    }

    /** npz and safetensors written by export and read by import give back the very same parameters and fusion. */
    @Test
    void exportThenImportIsBitIdentical() throws Exception {
        try (Compute c = Compute.cpu()) {
            FusionModel model = FusionModel.loadDefault(c);
            Map<String, Array> original = FusionWeights.of(model.network());
            org.irfuse.core.synthetic.SyntheticScenes.Scene s =
                    org.irfuse.core.synthetic.SyntheticScenes.random(64, 48, 5, false);
            float[] ir = s.infrared().plane(0);
            float[] y = YCbCr.luma(s.visible());
            float[] fused = new Fuser(model.network(), c).fuseLuminance(ir, y, 64, 48);
            for (String name : new String[] {"w.npz", "w.safetensors"}) {
                Path file = tmp.resolve(name);
                FusionWeights.write(model, file, false);
                FusionModel back = FusionWeights.toModel(FusionWeights.read(file), file.toString(), c);
                Map<String, Array> again = FusionWeights.of(back.network());
                assertEquals(original.keySet(), again.keySet());
                for (String k : original.keySet()) {
                    assertArrayEquals(original.get(k).shape(), again.get(k).shape(), k);
                    assertArrayEquals(original.get(k).data(), again.get(k).data(), k + " from " + name);
                }
                assertEquals(model.card().width, back.card().width);
                Path dir = tmp.resolve("model-" + name);
                back.save(dir, false);
                FusionModel loaded = FusionModel.load(dir, c);
                assertArrayEquals(fused, new Fuser(loaded.network(), c).fuseLuminance(ir, y, 64, 48), name);
            }
        }
    }

    @Test
    void missingOrMisShapedArraysAreNamed() throws Exception {
        try (Compute c = Compute.cpu()) {
            FusionModel model = FusionModel.loadDefault(c);
            Map<String, Array> arrays = new LinkedHashMap<>(FusionWeights.of(model.network()));
            arrays.remove("drdb2.fuse.bias");
            Path missing = tmp.resolve("missing.safetensors");
            SafeTensors.write(missing, false, arrays, Map.of());
            IOException e = assertThrows(IOException.class,
                    () -> FusionWeights.toModel(FusionWeights.read(missing), missing.toString(), c));
            assertTrue(e.getMessage().contains(missing + ": array 'drdb2.fuse.bias' is missing (expected shape (32,)"),
                    e.getMessage());

            arrays = new LinkedHashMap<>(FusionWeights.of(model.network()));
            // lite: C = 32, G = 16, so dense2 takes 32 + 2·16 = 64 channels; a file with 48 is refused by name.
            arrays.put("drdb1.dense2.weight", new Array(new long[] {16, 48, 3, 3}, new float[16 * 48 * 9]));
            Path wrong = tmp.resolve("wrong.npz");
            NpzArchive.write(wrong, false, arrays);
            e = assertThrows(IOException.class,
                    () -> FusionWeights.toModel(FusionWeights.read(wrong), wrong.toString(), c));
            assertEquals(wrong + ": array 'drdb1.dense2.weight' has shape (16, 48, 3, 3), expected (16, 64, 3, 3) "
                    + "(width lite)", e.getMessage());
        }
    }

    /** The wire format's own example (protobuf.dev, encoding): field 1 = 150 is 08 96 01. */
    @Test
    void protobufVarintsFollowTheSpec() {
        assertArrayEquals(new byte[] {0x08, (byte) 0x96, 0x01}, new Protobuf().int64(1, 150).toByteArray());
        assertArrayEquals(new byte[] {0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'},
                new Protobuf().string(2, "testing").toByteArray());
        byte[] minusOne = new Protobuf().int64(1, -1).toByteArray();
        assertEquals(11, minusOne.length, "a negative int64 is ten varint bytes");
        assertEquals(0x01, minusOne[10]);
    }

    @Test
    void documentedNamesComeFromTheModuleTree() {
        assertEquals("drdb1.dense2.weight", FusionWeights.documentedName("02drdb1_03dense2_weight"));
        assertEquals("prelu.weight", FusionWeights.documentedName("06prelu_slope"));
        assertTrue(Files.exists(tmp));
    }
}
