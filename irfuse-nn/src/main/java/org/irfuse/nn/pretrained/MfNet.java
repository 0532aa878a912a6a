package org.irfuse.nn.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Path;
import org.irfuse.nn.runtime.InferencePrecision;

/**
 * MFNet (Ha et al., "MFNet: Towards real-time semantic segmentation for autonomous vehicles with multi-spectral
 * scenes", IROS 2017), as haqishen/MFNet-pytorch implements it, written from the specification in
 * {@code ../shared/models/README.md}. Input N×4×H×W: RGB in [0, 1] then thermal in [0, 1], H and W multiples of
 * 16; output the class logits N×9×H×W (0 unlabelled, 1 car, 2 person, 3 bike, 4 curve, 5 car_stop, 6 guardrail,
 * 7 color_cone, 8 bump).
 *
 * <p>CBL = 3×3 convolution with bias (padding = dilation), BatchNorm (ε = 1e−5, frozen: see {@link ConvBnAct}),
 * LeakyReLU 0.2. Two encoders of the same shape, RGB (16, 48, 48, 96, 96 channels) and thermal (16, 16, 16, 36,
 * 36): {@code conv1 → pool → conv2_1 → conv2_2 (p2) → pool → conv3_1 → conv3_2 (p3) → pool → conv4 (p4) → pool →
 * conv5}, conv4 and conv5 {@link Inception}; max-pools 2×2. Decoder: {@code x = cat(rgb5, inf5)}; for k = 4, 3, 2
 * {@code x = decode_k(up(x) + cat(rgb_pk, inf_pk))}; then {@code decode1(up(x))}, itself a CBL (BN and LeakyReLU
 * on the logits too, as trained); up = nearest ×2.
 */
public final class MfNet extends PretrainedBlock {
    public static final int CLASSES = 9;
    /** The input size multiple: four 2×2 poolings. */
    public static final int SIZE_MULTIPLE = 16;
    static final float BN_EPS = 1e-5f;
    private static final Shape POOL = new Shape(2, 2);

    private final Encoder rgb;
    private final Encoder inf;
    private final ConvBnAct decode4;
    private final ConvBnAct decode3;
    private final ConvBnAct decode2;
    private final ConvBnAct decode1;

    public MfNet() {
        rgb = addChildBlock("rgb", new Encoder("rgb", 3, new int[] {16, 48, 48, 96, 96}));
        inf = addChildBlock("inf", new Encoder("inf", 1, new int[] {16, 16, 16, 36, 36}));
        decode4 = addChildBlock("decode4", cbl("decode4", 96 + 36, 64, 1));
        decode3 = addChildBlock("decode3", cbl("decode3", 64, 64, 1));
        decode2 = addChildBlock("decode2", cbl("decode2", 64, 32, 1));
        decode1 = addChildBlock("decode1", cbl("decode1", 32, CLASSES, 1));
    }

    static ConvBnAct cbl(String name, int in, int out, int dilation) {
        return ConvBnAct.builder(name, in, out, 3).dilation(dilation).bias(true).batchNorm(BN_EPS)
                .act(ConvBnAct.Act.LEAKY_0_2).build();
    }

    public static MfNet create(NDManager manager) {
        MfNet net = new MfNet();
        net.initialize(manager);
        return net;
    }

    /** An MFNet with the weights of a {@code .npz} (array names as the MFNet-pytorch state dict). */
    public static MfNet load(Path npz, NDManager manager) throws IOException {
        MfNet net = create(manager);
        NpzWeights.load(net, npz);
        return net;
    }

    /** Logits N×9×H×W of an N×4×H×W batch (RGB, thermal). */
    public NDArray logits(ParameterStore ps, NDArray x, boolean training) {
        return forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /**
     * Inference in a given precision: channels-last, in {@code inference}'s precision; float32 logits flattened in
     * row-major N×9×H×W order whatever layout they were computed in. {@code x} is N×4×H×W float32.
     */
    public NDArray logits(InferencePrecision inference, NDArray x) {
        NDArray logits = logits(inference.weights(), inference.input(InferencePrecision.channelsLast(x)), false);
        return inference.output(logits).reshape(-1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != 4 || s.get(2) % SIZE_MULTIPLE != 0 || s.get(3) % SIZE_MULTIPLE != 0) {
            throw new IllegalArgumentException("MFNet wants N×4×H×W (RGB, thermal) with H and W multiples of "
                    + SIZE_MULTIPLE + " (pad first), got " + s);
        }
        NDList r = rgb.forward(ps, new NDList(x.get(":, 0:3")), training);
        NDList t = inf.forward(ps, new NDList(x.get(":, 3:4")), training);
        NDArray y = r.get(3).concat(t.get(3), 1);
        y = decode4.apply(ps, Resampling.nearest2x(y).add(r.get(2).concat(t.get(2), 1)), training);
        y = decode3.apply(ps, Resampling.nearest2x(y).add(r.get(1).concat(t.get(1), 1)), training);
        y = decode2.apply(ps, Resampling.nearest2x(y).add(r.get(0).concat(t.get(0), 1)), training);
        return new NDList(decode1.apply(ps, Resampling.nearest2x(y), training));
    }

    static NDArray pool(NDArray x) {
        return Pool.maxPool2d(x, POOL, POOL, new Shape(0, 0), false);
    }

    /** One modality's encoder; outputs the skips p2, p3, p4 and the last stage (conv5). */
    static final class Encoder extends PretrainedBlock {
        private final ConvBnAct conv1;
        private final ConvBnAct conv21;
        private final ConvBnAct conv22;
        private final ConvBnAct conv31;
        private final ConvBnAct conv32;
        private final Inception conv4;
        private final Inception conv5;

        Encoder(String suffix, int in, int[] c) {
            conv1 = addChildBlock("conv1", cbl("conv1_" + suffix, in, c[0], 1));
            conv21 = addChildBlock("conv2_1", cbl("conv2_1_" + suffix, c[0], c[1], 1));
            conv22 = addChildBlock("conv2_2", cbl("conv2_2_" + suffix, c[1], c[1], 1));
            conv31 = addChildBlock("conv3_1", cbl("conv3_1_" + suffix, c[1], c[2], 1));
            conv32 = addChildBlock("conv3_2", cbl("conv3_2_" + suffix, c[2], c[2], 1));
            conv4 = addChildBlock("conv4", new Inception("conv4_" + suffix, c[2], c[3]));
            conv5 = addChildBlock("conv5", new Inception("conv5_" + suffix, c[3], c[4]));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            boolean t = training;
            NDArray x = pool(conv1.apply(ps, inputs.singletonOrThrow(), t));
            NDArray p2 = conv22.apply(ps, conv21.apply(ps, x, t), t);
            NDArray p3 = conv32.apply(ps, conv31.apply(ps, pool(p2), t), t);
            NDArray p4 = conv4.forward(ps, new NDList(pool(p3)), t).singletonOrThrow();
            NDArray p5 = conv5.forward(ps, new NDList(pool(p4)), t).singletonOrThrow();
            return new NDList(p2, p3, p4, p5);
        }
    }

    /**
     * MFNet's mini-inception: three stages, each {@code cat(CBL_d1(x), CBL_d2(x))} with c/2 channels per branch
     * (names {@code convJ_left}, {@code convJ_right}), the right branch dilated by 2.
     */
    static final class Inception extends PretrainedBlock {
        private final ConvBnAct[][] stages = new ConvBnAct[3][];

        Inception(String name, int in, int out) {
            int half = out / 2;
            for (int j = 0; j < 3; j++) {
                int cin = j == 0 ? in : out;
                stages[j] = new ConvBnAct[] {
                    addChildBlock("conv" + (j + 1) + "_left", cbl(name + ".conv" + (j + 1) + "_left", cin, half, 1)),
                    addChildBlock("conv" + (j + 1) + "_right", cbl(name + ".conv" + (j + 1) + "_right", cin, half,
                            2))};
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            for (ConvBnAct[] s : stages) {
                x = s[0].apply(ps, x, training).concat(s[1].apply(ps, x, training), 1);
            }
            return new NDList(x);
        }
    }
}
