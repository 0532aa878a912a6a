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
}
