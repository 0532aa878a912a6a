package org.irfuse.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.irfuse.nn.loss.FusionLoss;
import org.irfuse.nn.loss.Ssim;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.optim.Adam;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Gradients;
import org.junit.jupiter.api.Test;

class FusionNetworkTest {
    static long count(FusionNetwork net) {
        long n = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    @Test
    void paperSizeHas417730Parameters() {
        try (Compute c = Compute.cpu()) {
            FusionNetwork net = new FusionNetwork(Width.PAPER);
            net.initialize(c.root(), DataType.FLOAT32, FusionNetwork.initShape());
            assertEquals(417_730, count(net));
        }
    }

    @Test
    void narrowerWidthsKeepTheShape() {
        try (Compute c = Compute.cpu()) {
            FusionNetwork lite = new FusionNetwork(Width.LITE);
            lite.initialize(c.root(), DataType.FLOAT32, FusionNetwork.initShape());
            assertEquals(104_930, count(lite));
            FusionNetwork nano = new FusionNetwork(Width.NANO);
            nano.initialize(c.root(), DataType.FLOAT32, FusionNetwork.initShape());
            assertEquals(26_482, count(nano));
        }
        // METHOD.md: about 0.42 M multiply-adds per pixel for the paper size.
        assertEquals(417_184, Width.PAPER.macsPerPixel());
    }

    @Test
    void anySizeInSameSizeOut() {
        try (Compute c = Compute.cpu(); NDManager step = c.newStep()) {
            FusionNetwork net = new FusionNetwork(Width.NANO);
            net.initialize(c.root(), DataType.FLOAT32, FusionNetwork.initShape());
            NDArray ir = step.randomUniform(0, 1, new Shape(1, 1, 37, 53));
            NDArray y = step.randomUniform(0, 1, new Shape(1, 1, 37, 53));
            NDArray out = net.fuse(c.parameters(), ir, y, false);
            assertEquals(new Shape(1, 1, 37, 53), out.getShape());
        }
    }

    @Test
    void ssimOfAnImageWithItselfIsOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(0, 1, new Shape(2, 1, 40, 30));
            assertEquals(1.0, Ssim.mean(x, x).getFloat(), 1e-6);
            NDArray y = m.randomUniform(0, 1, new Shape(2, 1, 40, 30));
            assertTrue(Ssim.mean(x, y).getFloat() < 0.2);
            assertEquals(0.0, FusionLoss.of(x, x).getFloat(), 1e-6);
        }
    }

    @Test
    void adamStepsLowerTheLossWithExplicitGradients() {
        try (Compute c = Compute.cpu()) {
            FusionNetwork net = new FusionNetwork(Width.NANO);
            net.initialize(c.root(), DataType.FLOAT32, FusionNetwork.initShape());
            List<Parameter> params = new ArrayList<>();
            net.getParameters().forEach(p -> params.add(p.getValue()));
            Adam adam = new Adam(c.root(), 0);
            NDArray ir = c.root().randomUniform(0, 1, new Shape(1, 1, 32, 32));
            NDArray y = c.root().randomUniform(0, 1, new Shape(1, 1, 32, 32));
            NDArray target = ir.add(y).div(2);
            float first = Float.NaN;
            float last = Float.NaN;
            for (int i = 0; i < 30; i++) {
                try (NDManager step = c.newStep()) {
                    NDList grads;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = FusionLoss.of(net.fuse(c.parameters(), ir, y, true), target);
                        gc.backward(loss);
                        last = loss.getFloat();
                        if (i == 0) {
                            first = last;
                        }
                    }
                    grads = Gradients.takeAndZero(params, step);
                    adam.step(params, grads, 1e-3);
                }
            }
            assertTrue(last < first * 0.9, "loss " + first + " -> " + last);
        }
    }
}
