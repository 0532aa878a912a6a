package org.irfuse.nn.modules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.irfuse.nn.runtime.Intermediates;
import org.irfuse.nn.runtime.Workspace;
import java.util.ArrayList;
import java.util.List;

/**
 * Dilated residual dense block of METHOD.md (Modules → fusion network): five 3×3 convolutions with dilation 2 and
 * padding 2, each followed by ReLU and concatenated onto its input (C → C+G → … → C+5G channels), then a 1×1
 * convolution back to C channels and ReLU, plus the block input. No normalisation layers.
 */
public final class DilatedResidualDenseBlock extends AbstractBlock {
    static final int LAYERS = 5;
    static final int DILATION = 2;

    private final int channels;
    private final int growth;
    private final List<Block> dense = new ArrayList<>();
    private final Block fuse;

    public DilatedResidualDenseBlock(int channels, int growth) {
        this.channels = channels;
        this.growth = growth;
        for (int i = 0; i < LAYERS; i++) {
            dense.add(addChildBlock("dense" + i, Convolutions.dilated(growth, 3, DILATION)));
        }
        fuse = addChildBlock("fuse", Convolutions.pointwise(channels, true));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray features = input;
        for (Block conv : dense) {
            NDArray raw = conv.forward(ps, new NDList(features), training).singletonOrThrow();
            NDArray out = Activation.relu(raw);
            NDArray grown = features.concat(out, 1);
            Intermediates.release(raw, out, features == input ? null : features);
            features = grown;
        }
        NDArray raw = fuse.forward(ps, new NDList(features), training).singletonOrThrow();
        NDArray fused = Activation.relu(raw);
        NDArray result = fused.add(input);
        Intermediates.release(features, raw, fused);
        return new NDList(result);
    }

    /**
     * The inference pass (no gradient recorded): {@link #forward}'s result bit for bit, with the concatenations
     * written into buffers 0 and 1 of {@code workspace} instead of fresh arrays, each convolution and its ReLU as
     * one oneDNN primitive, and the weights prepacked once per workspace
     * ({@link org.irfuse.nn.runtime.InferenceKernels#denseBlock},
     * {@link org.irfuse.nn.runtime.InferenceKernels#packDenseBlock}).
     */
    public NDArray infer(ParameterStore ps, NDArray x, Workspace workspace) {
        Shape s = x.getShape();
        long pixels = s.get(0) * s.get(2) * s.get(3);
        NDArray a = workspace.buffer(0, pixels * (channels + (long) LAYERS * growth), x);
        NDArray b = workspace.buffer(1, pixels * (channels + (long) (LAYERS - 1) * growth), x);
        NDList weights = new NDList();
        for (Block conv : dense) {
            weights.add(value(ps, conv, "weight", x));
            weights.add(value(ps, conv, "bias", x));
        }
        weights.add(value(ps, fuse, "weight", x));
        weights.add(value(ps, fuse, "bias", x));
        NDList packed = workspace.packed(this, weights,
                (raw, owner) -> workspace.kernels().packDenseBlock(DILATION, raw, owner));
        return workspace.kernels().denseBlock(x, a, b, DILATION, packed);
    }

    private static NDArray value(ParameterStore ps, Block conv, String name, NDArray x) {
        return ps.getValue(conv.getParameters().get(name), x.getDevice(), false);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        for (int i = 0; i < LAYERS; i++) {
            dense.get(i).initialize(manager, dataType, new Shape(s.get(0), channels + (long) i * growth, s.get(2),
                    s.get(3)));
        }
        fuse.initialize(manager, dataType, new Shape(s.get(0), channels + (long) LAYERS * growth, s.get(2), s.get(3)));
    }
}
