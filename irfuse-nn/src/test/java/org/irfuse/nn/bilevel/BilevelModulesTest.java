package org.irfuse.nn.bilevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.irfuse.nn.modules.PixelDiscriminator;
import org.irfuse.nn.modules.SegmentationNetwork;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.Test;

class BilevelModulesTest {
    @Test
    void discriminatorHas8704TrainableParametersAndScoresEveryPixel() {
        try (Compute c = Compute.cpu(); NDManager step = c.newStep()) {
            PixelDiscriminator d = new PixelDiscriminator();
            d.initialize(c.root(), DataType.FLOAT32, PixelDiscriminator.initShape());
            long trainable = 0;
            long state = 0;
            for (Pair<String, Parameter> p : d.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    trainable += p.getValue().getArray().size();
                } else {
                    state += p.getValue().getArray().size();
                }
            }
            assertEquals(8_704, trainable);
            assertEquals(256, state, "BatchNorm running mean and variance of 128 channels");
            NDArray x = step.randomUniform(0, 1, new Shape(2, 1, 13, 17));
            assertEquals(new Shape(2, 1, 13, 17), d.score(c.parameters(), x, true).getShape());
        }
    }

    @Test
    void segmenterGivesClassScoresAtTheInputSizeAndUpsamplesBilinearly() {
        try (Compute c = Compute.cpu(); NDManager step = c.newStep()) {
            SegmentationNetwork net = new SegmentationNetwork(9, 4);
            net.initialize(c.root(), DataType.FLOAT32, SegmentationNetwork.initShape());
            NDArray x = step.randomUniform(0, 1, new Shape(1, 3, 37, 53));
            assertEquals(new Shape(1, 9, 37, 53), net.logits(c.parameters(), x, false).getShape());
            // Bilinear (align_corners=false) doubling of [0, 1] gives [0, .25, .75, 1].
            NDArray row = step.create(new float[] {0, 1}, new Shape(1, 1, 1, 2));
            NDArray like = step.zeros(new Shape(1, 1, 1, 4));
            float[] up = SegmentationNetwork.upsampleTo(row, like).toFloatArray();
            assertEquals(0f, up[0], 1e-6);
            assertEquals(0.25f, up[1], 1e-6);
            assertEquals(0.75f, up[2], 1e-6);
            assertEquals(1f, up[3], 1e-6);
            assertTrue(net.classes() == 9);
        }
    }
}
