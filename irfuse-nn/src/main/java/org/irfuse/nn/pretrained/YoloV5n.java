package org.irfuse.nn.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Path;
import org.irfuse.nn.runtime.InferencePrecision;

/**
 * YOLOv5n (Ultralytics v6.x layout, yolov5n.yaml: depth 0.33, width 0.25), written from the specification in
 * {@code ../shared/models/README.md} so the published COCO weights load by array name ({@code layers.<i>...}).
 * Input N×3×H×W RGB in [0, 1], H and W multiples of 32. {@link #forward} returns the three raw Detect outputs
 * (N×3×ny×nx×85 at strides 8, 16, 32 — what a training loss needs); {@link #predict} the decoded N×boxes×85.
 *
 * <p>Backbone and neck, with CBS = convolution without bias, BatchNorm (ε = 1e−3, frozen: see
 * {@link ConvBnAct}), SiLU; C3 = {@link CrossStagePartial}; SPPF = {@link Sppf}; upsampling nearest ×2:
 * <pre>
 *  0 CBS 6×6/2 p2 16   1 CBS 3×3/2 32   2 C3×1 32   3 CBS/2 64   4 C3×2 64 (P3)   5 CBS/2 128   6 C3×3 128 (P4)
 *  7 CBS/2 256   8 C3×1 256   9 SPPF 256   10 CBS 1×1 128   11–12 up, cat 6   13 C3×1 128 (no shortcut)
 * 14 CBS 1×1 64   15–16 up, cat 4   17 C3 64 → P3 out   18 CBS/2 64, 19 cat 14   20 C3 128 → P4 out
 * 21 CBS/2 128, 22 cat 10   23 C3 256 → P5 out   24 Detect
 * </pre>
 */
public final class YoloV5n extends PretrainedBlock {
    public static final int COCO_CLASSES = 80;
    public static final int[] STRIDES = {8, 16, 32};
    /** The input size multiple: the largest stride. */
    public static final int SIZE_MULTIPLE = 32;
    static final float BN_EPS = 1e-3f;

    private final ConvBnAct l0;
    private final ConvBnAct l1;
    private final CrossStagePartial l2;
    private final ConvBnAct l3;
    private final CrossStagePartial l4;
    private final ConvBnAct l5;
    private final CrossStagePartial l6;
    private final ConvBnAct l7;
    private final CrossStagePartial l8;
    private final Sppf l9;
    private final ConvBnAct l10;
    private final CrossStagePartial l13;
    private final ConvBnAct l14;
    private final CrossStagePartial l17;
    private final ConvBnAct l18;
    private final CrossStagePartial l20;
    private final ConvBnAct l21;
    private final CrossStagePartial l23;
    private final YoloDetect detect;

    public YoloV5n() {
        l0 = addChildBlock("l0", ConvBnAct.builder("layers.0", 3, 16, 6).stride(2).padding(2).batchNorm(BN_EPS)
                .act(ConvBnAct.Act.SILU).build());
        l1 = addChildBlock("l1", cbs("layers.1", 16, 32, 3, 2));
        l2 = addChildBlock("l2", new CrossStagePartial("layers.2", 32, 32, 1, true));
        l3 = addChildBlock("l3", cbs("layers.3", 32, 64, 3, 2));
        l4 = addChildBlock("l4", new CrossStagePartial("layers.4", 64, 64, 2, true));
        l5 = addChildBlock("l5", cbs("layers.5", 64, 128, 3, 2));
        l6 = addChildBlock("l6", new CrossStagePartial("layers.6", 128, 128, 3, true));
        l7 = addChildBlock("l7", cbs("layers.7", 128, 256, 3, 2));
        l8 = addChildBlock("l8", new CrossStagePartial("layers.8", 256, 256, 1, true));
        l9 = addChildBlock("l9", new Sppf("layers.9", 256, 256));
        l10 = addChildBlock("l10", cbs("layers.10", 256, 128, 1, 1));
        l13 = addChildBlock("l13", new CrossStagePartial("layers.13", 256, 128, 1, false));
        l14 = addChildBlock("l14", cbs("layers.14", 128, 64, 1, 1));
        l17 = addChildBlock("l17", new CrossStagePartial("layers.17", 128, 64, 1, false));
        l18 = addChildBlock("l18", cbs("layers.18", 64, 64, 3, 2));
        l20 = addChildBlock("l20", new CrossStagePartial("layers.20", 128, 128, 1, false));
        l21 = addChildBlock("l21", cbs("layers.21", 128, 128, 3, 2));
        l23 = addChildBlock("l23", new CrossStagePartial("layers.23", 256, 256, 1, false));
        detect = addChildBlock("detect", new YoloDetect("layers.24", new int[] {64, 128, 256}, STRIDES, 3,
                COCO_CLASSES));
    }

    /** CBS: k×k convolution without bias, padding k/2, BatchNorm ε 1e−3, SiLU. */
    static ConvBnAct cbs(String name, int in, int out, int kernel, int stride) {
        return ConvBnAct.builder(name, in, out, kernel).stride(stride).padding(kernel / 2).batchNorm(BN_EPS)
                .act(ConvBnAct.Act.SILU).build();
    }

    /** A YOLOv5n with the architecture's default initialisation (tests, shapes). */
    public static YoloV5n create(NDManager manager) {
        YoloV5n net = new YoloV5n();
        net.initialize(manager);
        return net;
    }

    /** A YOLOv5n with the weights of a {@code .npz} (array names as the Ultralytics state dict, "model." cut). */
    public static YoloV5n load(Path npz, NDManager manager) throws IOException {
        YoloV5n net = create(manager);
        NpzWeights.load(net, npz);
        return net;
    }

    public int classes() {
        return detect.outputsPerAnchor() - 5;
    }

    public YoloDetect head() {
        return detect;
    }

    /** The raw Detect outputs of an N×3×H×W batch (see the class comment). */
    public NDList raw(ParameterStore ps, NDArray x, boolean training) {
        return forward(ps, new NDList(x), training);
    }

    /** Decoded predictions N×boxes×85: centre x, y, width, height (input pixels), objectness, class probabilities. */
    public NDArray predict(ParameterStore ps, NDArray x, boolean training) {
        return detect.decode(ps, raw(ps, x, training));
    }

    /**
     * Inference in a given precision: the network runs channels-last in {@code inference}'s precision, the raw
     * head outputs come back as float32 and are decoded in float32 with the float32 anchors of {@code ps} (bf16
     * box coordinates would be off by up to 2 px at 640). {@code x} is N×3×H×W float32.
     */
    public NDArray predict(InferencePrecision inference, ParameterStore ps, NDArray x) {
        NDList raw = new NDList();
        for (NDArray level : raw(inference.weights(), inference.input(InferencePrecision.channelsLast(x)), false)) {
            raw.add(inference.output(level));
        }
        return detect.decode(ps, raw);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) % SIZE_MULTIPLE != 0 || s.get(3) % SIZE_MULTIPLE != 0) {
            throw new IllegalArgumentException("YOLOv5n wants N×3×H×W with H and W multiples of " + SIZE_MULTIPLE
                    + " (pad first), got " + s);
        }
        boolean t = training;
        NDArray x2 = l2.forward(ps, new NDList(l1.apply(ps, l0.apply(ps, x, t), t)), t).singletonOrThrow();
        NDArray p3 = l4.forward(ps, new NDList(l3.apply(ps, x2, t)), t).singletonOrThrow();
        NDArray p4 = l6.forward(ps, new NDList(l5.apply(ps, p3, t)), t).singletonOrThrow();
        NDArray x8 = l8.forward(ps, new NDList(l7.apply(ps, p4, t)), t).singletonOrThrow();
        NDArray x10 = l10.apply(ps, l9.forward(ps, new NDList(x8), t).singletonOrThrow(), t);
        NDArray x13 = l13.forward(ps, new NDList(Resampling.nearest2x(x10).concat(p4, 1)), t).singletonOrThrow();
        NDArray x14 = l14.apply(ps, x13, t);
        NDArray out3 = l17.forward(ps, new NDList(Resampling.nearest2x(x14).concat(p3, 1)), t).singletonOrThrow();
        NDArray out4 = l20.forward(ps, new NDList(l18.apply(ps, out3, t).concat(x14, 1)), t).singletonOrThrow();
        NDArray out5 = l23.forward(ps, new NDList(l21.apply(ps, out4, t).concat(x10, 1)), t).singletonOrThrow();
        return detect.forward(ps, new NDList(out3, out4, out5), t);
    }
}
