package org.irfuse.nn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uniform model soup: exact element-wise means, checked against the inputs' own parameters. */
class ModelAverageTest {
    @TempDir
    Path dir;

    @Test
    void everyParameterIsTheMeanOfTheInputsRoundedOnce() throws Exception {
        try (Compute c = Compute.cpu()) {
            Path[] in = new Path[3];
            for (int m = 0; m < 3; m++) {
                FusionModel model = FusionModel.initialise(Width.NANO, c, DataType.FLOAT32);
                model.card().trainingData = List.of("set" + m, "shared");
                model.card().trainingSteps = 10L * (m + 1);
                in[m] = dir.resolve("m" + m);
                model.save(in[m], false);
            }
            FusionModel avg = ModelAverage.average(List.of(in), c);
            List<FusionModel> inputs = List.of(FusionModel.load(in[0], c), FusionModel.load(in[1], c),
                    FusionModel.load(in[2], c));
            var ps = avg.network().getParameters();
            for (int k = 0; k < ps.size(); k++) {
                float[] got = ps.get(k).getValue().getArray().toFloatArray();
                float[] a = inputs.get(0).network().getParameters().get(k).getValue().getArray().toFloatArray();
                float[] b = inputs.get(1).network().getParameters().get(k).getValue().getArray().toFloatArray();
                float[] d = inputs.get(2).network().getParameters().get(k).getValue().getArray().toFloatArray();
                for (int i = 0; i < got.length; i++) {
                    assertEquals((float) (((double) a[i] + b[i] + d[i]) / 3), got[i], 0f, ps.get(k).getKey());
                }
            }
            // Freshly initialised networks differ, so the mean is none of them.
            assertNotEquals(java.util.Arrays.toString(inputs.get(0).parameterBytes()),
                    java.util.Arrays.toString(avg.parameterBytes()));
            assertEquals("average", avg.card().stage);
            assertEquals(List.of("set0", "shared", "set1", "set2"), avg.card().trainingData);
            assertEquals(30, avg.card().trainingSteps);
            for (Path p : in) {
                assertTrue(avg.card().notes.contains(p.toString()), avg.card().notes);
            }
            // It saves and loads like any model folder.
            avg.save(dir.resolve("avg"), false);
            assertArrayEquals(avg.parameterBytes(), FusionModel.load(dir.resolve("avg"), c).parameterBytes());
        }
    }

    @Test
    void theAverageOfCopiesIsTheModelItselfBitForBit() throws Exception {
        try (Compute c = Compute.cpu()) {
            FusionModel model = FusionModel.initialise(Width.NANO, c, DataType.FLOAT32);
            model.save(dir.resolve("a"), false);
            model.save(dir.resolve("b"), false);
            FusionModel avg = ModelAverage.average(List.of(dir.resolve("a"), dir.resolve("b")), c);
            assertArrayEquals(model.parameterBytes(), avg.parameterBytes());
        }
    }

    @Test
    void modelsOfDifferentWidthsAreRefusedNamingTheFolder() throws Exception {
        try (Compute c = Compute.cpu()) {
            FusionModel.initialise(Width.NANO, c, DataType.FLOAT32).save(dir.resolve("nano"), false);
            FusionModel.initialise(Width.LITE, c, DataType.FLOAT32).save(dir.resolve("lite"), false);
            IOException e = assertThrows(IOException.class,
                    () -> ModelAverage.average(List.of(dir.resolve("nano"), dir.resolve("lite")), c));
            assertTrue(e.getMessage().startsWith(dir.resolve("lite") + ": cannot be averaged with"), e.getMessage());
            assertTrue(e.getMessage().contains("width lite against nano"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ModelAverage.average(List.of(dir.resolve("nano")), c));
        }
    }
}
