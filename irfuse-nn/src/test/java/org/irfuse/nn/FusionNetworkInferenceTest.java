package org.irfuse.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.InferencePrecision;
import org.irfuse.nn.runtime.Precision;
import org.irfuse.nn.runtime.Workspace;
import org.junit.jupiter.api.Test;

/**
 * {@link FusionNetwork#infer} (in-place kernels, reused workspace) gives {@link FusionNetwork#forward}'s result bit
 * for bit, in float32 and bf16, channels-last and plain inputs, odd sizes, and with a workspace that earlier,
 * larger and smaller images have left dirty; and a workspace's prepacked weights follow a new set of weights.
 */
class FusionNetworkInferenceTest {
    @Test
    void inferIsForwardBitForBit() {
        // Both widths: in bf16 the dense blocks' 1x1 convolution runs as a matrix product of the width's shape.
        for (Width width : new Width[] {Width.LITE, Width.PAPER}) {
            inferIsForwardBitForBit(width);
        }
    }

    private static void inferIsForwardBitForBit(Width width) {
        int[][] sizes = {{64, 48}, {37, 29}, {64, 48}, {21, 33}};
        for (Precision precision : Precision.values()) {
            try (Compute c = Compute.cpu(); InferencePrecision ip = new InferencePrecision(c, precision);
                    Workspace ws = new Workspace(c, 2)) {
                FusionNetwork net = FusionModel.initialise(width, c, DataType.FLOAT32).network();
                for (int i = 0; i < sizes.length; i++) {
                    int w = sizes[i][0];
                    int h = sizes[i][1];
                    boolean channelsLast = i % 2 == 0;
                    try (NDManager step = c.newStep()) {
                        NDArray x = step.randomUniform(-0.2f, 1.2f, new Shape(1, 2, h, w));
                        if (channelsLast) {
                            x = InferencePrecision.channelsLast(x);
                        }
                        NDArray in = ip.input(x);
                        float[] expected = ip.output(net.forward(ip.weights(), new NDList(in), false)
                                .singletonOrThrow()).toFloatArray();
                        float[] actual = ip.output(net.infer(ip.weights(), in, ws)).toFloatArray();
                        String what = width.id() + " " + precision + " " + w + "x" + h
                                + (channelsLast ? " channels-last" : " NCHW");
                        assertArrayEquals(expected, actual, 0f, what);
                        assertTrue(range(expected) > 1e-3, what + ": the untrained network gives a non-trivial output");
                    }
                }
            }
        }
    }

    @Test
    void prepackedWeightsAreMadeAnewForNewWeights() {
        // bf16 weights are cast once per InferencePrecision and packed once per workspace: a workspace that outlives
        // one set of casts must pack the next set, not reuse the first (packs are keyed on the very arrays).
        try (Compute c = Compute.cpu(); Workspace ws = new Workspace(c, 2); NDManager step = c.newStep()) {
            FusionNetwork net = FusionModel.initialise(Width.LITE, c, DataType.FLOAT32).network();
            NDArray x = InferencePrecision.channelsLast(step.randomUniform(-0.2f, 1.2f, new Shape(1, 2, 24, 40)));
            float[] before;
            try (InferencePrecision ip = new InferencePrecision(c, Precision.BF16)) {
                before = ip.output(net.infer(ip.weights(), ip.input(x), ws)).toFloatArray();
            }
            net.getParameters().forEach(p -> p.getValue().getArray().muli(1.5f));
            try (InferencePrecision ip = new InferencePrecision(c, Precision.BF16)) {
                NDArray in = ip.input(x);
                float[] expected = ip.output(net.forward(ip.weights(), new NDList(in), false).singletonOrThrow())
                        .toFloatArray();
                float[] actual = ip.output(net.infer(ip.weights(), in, ws)).toFloatArray();
                assertArrayEquals(expected, actual, 0f);
                assertTrue(maxDifference(before, actual) > 1e-2, "the new weights change the result");
            }
        }
    }

    @Test
    void concatenateIntoWritesTheConcatenationIntoTheBuffer() {
        // The dense blocks' concatenation (also what `irfuse bench --copy-only` times): cat(features, y) in the
        // buffer's memory, laid out in features' format, the buffer's old contents overwritten.
        try (Compute c = Compute.cpu(); Workspace ws = new Workspace(c, 1); NDManager step = c.newStep()) {
            for (boolean channelsLast : new boolean[] {true, false}) {
                NDArray f = step.randomUniform(-1, 1, new Shape(1, 5, 3, 4));
                NDArray y = step.randomUniform(-1, 1, new Shape(1, 2, 3, 4));
                if (channelsLast) {
                    f = InferencePrecision.channelsLast(f);
                    y = InferencePrecision.channelsLast(y);
                }
                // An earlier, larger concatenation of sevens leaves the buffer dirty; the result must not depend on it.
                NDArray buffer = ws.buffer(0, 8 * 3 * 4, f);
                ws.kernels().concatenateInto(buffer, step.full(new Shape(1, 6, 3, 4), 7f), step.full(new Shape(1, 2,
                        3, 4), 7f));
                NDArray grown = ws.kernels().concatenateInto(buffer, f, y);
                float[] expected = f.concat(y, 1).toFloatArray();
                assertArrayEquals(expected, grown.toFloatArray(), 0f, channelsLast ? "channels-last" : "NCHW");
                // In the buffer itself: NHWC order for channels-last features (pixel 0's 7 channels first), plain
                // NCHW order otherwise; the elements past the concatenation untouched.
                float[] raw = buffer.toFloatArray();
                float[] layout = (channelsLast ? f.concat(y, 1).transpose(0, 2, 3, 1) : f.concat(y, 1))
                        .toFloatArray();
                for (int i = 0; i < layout.length; i++) {
                    assertEquals(layout[i], raw[i], 0f, "buffer element " + i);
                }
                assertEquals(7f, raw[raw.length - 1], 0f);
            }
        }
    }

    @Test
    void inferRefusesToRunUnderAGradientCollector() {
        try (Compute c = Compute.cpu(); Workspace ws = new Workspace(c, 2); NDManager step = c.newStep()) {
            FusionNetwork net = FusionModel.initialise(Width.NANO, c, DataType.FLOAT32).network();
            NDArray x = step.randomUniform(0, 1, new Shape(1, 2, 16, 16));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                assertThrows(IllegalStateException.class, () -> net.infer(c.parameters(), x, ws));
            }
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double range(float[] v) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (float f : v) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        return hi - lo;
    }
}
