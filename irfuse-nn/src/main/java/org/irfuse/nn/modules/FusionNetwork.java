package org.irfuse.nn.modules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.irfuse.nn.runtime.Intermediates;
import org.irfuse.nn.runtime.MixedPrecision;
import org.irfuse.nn.runtime.Precision;
import org.irfuse.nn.runtime.Workspace;
import java.util.Locale;

/**
 * The fusion network θ of METHOD.md: input concat(I, Y) (2 channels), 3×3 conv 2→C, two dilated residual dense
 * blocks (growth C/2), 3×3 conv C→C/2, 3×3 conv C/2→1. One PReLU module — the same learnable slope — after the
 * first conv and after each of the last two. The output (fused luminance Ŷ) is not bounded. Fully convolutional.
 *
 * <p>Paper size ({@link Width#PAPER}, 64/32): 417,730 parameters, about 0.42 M multiply-adds per pixel.
 */
public final class FusionNetwork extends AbstractBlock {
    /**
     * Side of the receptive field in pixels: every output pixel sees 23 pixels around it (Fuser's tiling relies on
     * it). In a smaller image every pixel's context is mostly zero padding, unlike anything seen in training.
     */
    public static final int RECEPTIVE_FIELD = 2 * 23 + 1;

    /** Widths of the same shape: first-conv channels C; the second-to-last conv has C/2, the dense growth C/2. */
    public enum Width {
        PAPER(64), LITE(32), NANO(16);

        public final int channels;

        Width(int channels) {
            this.channels = channels;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Width parse(String name) {
            for (Width w : values()) {
                if (w.id().equalsIgnoreCase(name.trim())) {
                    return w;
                }
            }
            throw new IllegalArgumentException("unknown network width '" + name + "' (expected paper, lite or nano)");
        }

        /** Multiply-adds per output pixel of one forward pass. */
        public long macsPerPixel() {
            long c = channels;
            long g = c / 2;
            long dense = 0;
            for (int i = 0; i < DilatedResidualDenseBlock.LAYERS; i++) {
                dense += (c + i * g) * g * 9;
            }
            dense += (c + DilatedResidualDenseBlock.LAYERS * g) * c;
            return 2 * c * 9 + 2 * dense + c * (c / 2) * 9 + (c / 2) * 9;
        }
    }

    private final Width width;
    private final Block head;
    private final DilatedResidualDenseBlock block1;
    private final DilatedResidualDenseBlock block2;
    private final Block reduce;
    private final Block out;
    private final PReLU prelu;

    public FusionNetwork(Width width) {
        this.width = width;
        int c = width.channels;
        head = addChildBlock("head", Convolutions.same(c, 3));
        block1 = addChildBlock("drdb1", new DilatedResidualDenseBlock(c, c / 2));
        block2 = addChildBlock("drdb2", new DilatedResidualDenseBlock(c, c / 2));
        reduce = addChildBlock("reduce", Convolutions.same(c / 2, 3));
        out = addChildBlock("out", Convolutions.same(1, 3));
        prelu = addChildBlock("prelu", new PReLU());
    }

    public Width width() {
        return width;
    }

    /** Forward pass: {@code inputs} is (infrared N×1×H×W, luminance N×1×H×W); returns Ŷ, N×1×H×W. */
    public NDArray fuse(ParameterStore ps, NDArray infrared, NDArray luminance, boolean training) {
        return forward(ps, new NDList(infrared, luminance), training).singletonOrThrow();
    }

    /**
     * The training forward pass in {@code precision}'s number format: the plain {@link #fuse} in float32; in bf16
     * the two inputs are laid out channels-last in one N×H×W×2 array (viewed as N×2×H×W, as in inference:
     * {@code Fuser}), the network runs on bf16 casts of its weights and Ŷ comes back as float32.
     */
    public NDArray fuse(MixedPrecision precision, NDManager scope, NDArray infrared, NDArray luminance,
            boolean training) {
        if (precision.precision() != Precision.BF16) {
            return fuse(precision.parameters(), infrared, luminance, training);
        }
        Shape s = infrared.getShape();
        Shape nhwc = new Shape(s.get(0), s.get(2), s.get(3), 1);
        NDArray x = infrared.reshape(nhwc).concat(luminance.reshape(nhwc), 3).transpose(0, 3, 1, 2);
        NDArray out = forward(precision.weights(scope), new NDList(precision.cast(x)), training).singletonOrThrow();
        return precision.output(out);
    }

    /**
     * The inference pass (no gradient may be recording): {@link #forward}'s result bit for bit
     * ({@code FusionNetworkInferenceTest}), 1.3–1.5× faster with 2 threads and 1.4–2.2× with 1 (measured under load,
     * docs/benchmarks.md, "Where the time goes"), because PReLU, ReLU and the residual additions run in place and the
     * dense blocks' concatenations reuse {@code workspace}'s buffers 0 and 1 instead of fresh arrays.
     *
     * @param x the 2-channel input concat(I, Y), N×2×H×W (channels-last memory keeps every layer NHWC)
     * @return Ŷ, N×1×H×W, in {@code x}'s manager
     */
    public NDArray infer(ParameterStore ps, NDArray x, Workspace workspace) {
        // Under a gradient collector the in-place kernels refuse (InferenceKernels' own check): use forward there.
        NDArray y = head.forward(ps, new NDList(x), false).singletonOrThrow();
        prelu.inferInPlace(ps, y, workspace.kernels());
        NDArray z = block1.infer(ps, y, workspace);
        y.close();
        y = block2.infer(ps, z, workspace);
        z.close();
        z = reduce.forward(ps, new NDList(y), false).singletonOrThrow();
        y.close();
        prelu.inferInPlace(ps, z, workspace.kernels());
        y = out.forward(ps, new NDList(z), false).singletonOrThrow();
        z.close();
        prelu.inferInPlace(ps, y, workspace.kernels());
        return y;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.size() == 1 ? inputs.get(0) : inputs.get(0).concat(inputs.get(1), 1);
        for (Block b : new Block[] {head, prelu, block1, block2, reduce, prelu, out, prelu}) {
            NDArray next = b.forward(ps, new NDList(x), training).singletonOrThrow();
            // The caller's arrays stay; everything made here is freed as soon as it is consumed.
            if (x != inputs.get(0)) {
                Intermediates.release(x);
            }
            x = next;
        }
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), 1, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        long n = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        int c = width.channels;
        head.initialize(manager, dataType, new Shape(n, 2, h, w));
        prelu.initialize(manager, dataType, new Shape(n, c, h, w));
        block1.initialize(manager, dataType, new Shape(n, c, h, w));
        block2.initialize(manager, dataType, new Shape(n, c, h, w));
        reduce.initialize(manager, dataType, new Shape(n, c, h, w));
        out.initialize(manager, dataType, new Shape(n, c / 2, h, w));
    }

    /** Input shape used to initialise: one 2-channel image (any size works afterwards). */
    public static Shape initShape() {
        return new Shape(1, 2, 32, 32);
    }
}
