package org.irfuse.nn.pretrained;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.InferencePrecision;
import org.irfuse.nn.runtime.MixedPrecision;
import org.irfuse.nn.runtime.Precision;

/**
 * Wall-clock cost of the pretrained networks (weights do not change the cost, so freshly initialised ones are
 * timed): YOLOv5n forward (to the decoded output on the host) and forward + backward (gradients to every weight
 * and to the input image, as a fine-tuning or bi-level step needs; in bf16 as mixed-precision training runs it),
 * MFNet forward. Sizes are padded to the
 * networks' multiples as their runners do (640×480 needs none: 480 = 15·32 = 30·16). Every
 * timed repeat in seconds after untimed warm-up repeats; callers report the median.
 */
public final class PretrainedBenchmark {
    private PretrainedBenchmark() {
    }

    /** YOLOv5n forward to the decoded output on the host, as {@link YoloDetector} runs it in {@code precision}. */
    public static double[] yoloForwardSeconds(Compute compute, Precision precision, int height, int width,
            int warmup, int repeats) {
        YoloV5n net = YoloV5n.create(compute.root());
        net.freezeParameters(true);
        Shape s = new Shape(1, 3, roundUp(height, YoloV5n.SIZE_MULTIPLE), roundUp(width, YoloV5n.SIZE_MULTIPLE));
        try (InferencePrecision inference = new InferencePrecision(compute, precision)) {
            return time(warmup, repeats, () -> {
                try (NDManager step = compute.newStep()) {
                    net.predict(inference, compute.parameters(), step.randomUniform(0, 1, s)).toFloatArray();
                }
            });
        }
    }

    /**
     * YOLOv5n forward + backward as a training step runs it in {@code precision}: float32, or mixed precision
     * ({@link MixedPrecision}: bf16 casts of the float32 weights made inside the step, channels-last bf16 input,
     * raw outputs promoted to float32 before the loss), gradients to every float32 weight and to the input image.
     */
    public static double[] yoloForwardBackwardSeconds(Compute compute, Precision precision, int height, int width,
            int warmup, int repeats) {
        YoloV5n net = YoloV5n.create(compute.root());
        MixedPrecision mixed = MixedPrecision.of(compute, precision);
        Shape s = new Shape(1, 3, roundUp(height, YoloV5n.SIZE_MULTIPLE), roundUp(width, YoloV5n.SIZE_MULTIPLE));
        return time(warmup, repeats, () -> {
            try (NDManager step = compute.newStep()) {
                NDArray x = step.randomUniform(0, 1, s);
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDList raw = mixed.output(net.raw(mixed.weights(step), mixed.input(x), true));
                    NDArray loss = raw.get(0).square().mean().add(raw.get(1).square().mean())
                            .add(raw.get(2).square().mean());
                    gc.backward(loss);
                }
                x.getGradient().sum().getFloat();
            }
        });
    }

    /** MFNet forward to float32 logits on the host, as {@link MfNetSegmenter} runs it in {@code precision}. */
    public static double[] mfnetForwardSeconds(Compute compute, Precision precision, int height, int width,
            int warmup, int repeats) {
        MfNet net = MfNet.create(compute.root());
        net.freezeParameters(true);
        Shape s = new Shape(1, 4, roundUp(height, MfNet.SIZE_MULTIPLE), roundUp(width, MfNet.SIZE_MULTIPLE));
        try (InferencePrecision inference = new InferencePrecision(compute, precision)) {
            return time(warmup, repeats, () -> {
                try (NDManager step = compute.newStep()) {
                    net.logits(inference, step.randomUniform(0, 1, s)).toFloatArray();
                }
            });
        }
    }

    private static double[] time(int warmup, int repeats, Runnable body) {
        double[] times = new double[repeats];
        for (int i = 0; i < warmup + repeats; i++) {
            long t0 = System.nanoTime();
            body.run();
            if (i >= warmup) {
                times[i - warmup] = (System.nanoTime() - t0) / 1e9;
            }
        }
        return times;
    }

    static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }

    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
