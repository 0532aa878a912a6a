package org.irfuse.nn.modules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The pixel critic ω_D of METHOD.md (Modules → discriminator): 1×1 conv 1→64 (bias) → LeakyReLU 0.2 → 1×1 conv
 * 64→128 (no bias) → BatchNorm → LeakyReLU 0.2 → 1×1 conv 128→1 (no bias). Input a one-channel image N×1×H×W
 * (Ŷ is "fake", the saliency target M is "real"); output a per-pixel score map N×1×H×W, no sigmoid.
 *
 * <p>8,704 trainable parameters: 64 + 64 (first conv), 8,192 (second), 128 + 128 (BatchNorm γ, β), 128 (last).
 * BatchNorm's running mean and variance are state, not trainable parameters (they are saved in checkpoints).
 */
public final class PixelDiscriminator extends AbstractBlock {
    public static final float NEGATIVE_SLOPE = 0.2f;

    private final Block first;
    private final Block second;
    private final Block norm;
    private final Block score;

    public PixelDiscriminator() {
        first = addChildBlock("conv1", Convolutions.pointwise(64, true));
        second = addChildBlock("conv2", Convolutions.pointwise(128, false));
        norm = addChildBlock("bn", BatchNorm.builder().build());
        score = addChildBlock("conv3", Convolutions.pointwise(1, false));
    }

    /** The per-pixel score map of an N×1×H×W image. */
    public NDArray score(ParameterStore ps, NDArray image, boolean training) {
        return forward(ps, new NDList(image), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = first.forward(ps, inputs, training).singletonOrThrow();
        x = Activation.leakyRelu(x, NEGATIVE_SLOPE);
        x = second.forward(ps, new NDList(x), training).singletonOrThrow();
        x = norm.forward(ps, new NDList(x), training).singletonOrThrow();
        x = Activation.leakyRelu(x, NEGATIVE_SLOPE);
        return score.forward(ps, new NDList(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), 1, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        first.initialize(manager, dataType, new Shape(s.get(0), 1, s.get(2), s.get(3)));
        second.initialize(manager, dataType, new Shape(s.get(0), 64, s.get(2), s.get(3)));
        norm.initialize(manager, dataType, new Shape(s.get(0), 128, s.get(2), s.get(3)));
        score.initialize(manager, dataType, new Shape(s.get(0), 128, s.get(2), s.get(3)));
    }

    /** Input shape used to initialise (any size works afterwards). */
    public static Shape initShape() {
        return new Shape(1, 1, 8, 8);
    }
}
