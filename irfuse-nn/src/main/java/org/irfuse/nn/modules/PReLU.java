package org.irfuse.nn.modules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import org.irfuse.nn.runtime.InferenceKernels;
import org.irfuse.nn.runtime.Intermediates;
import org.irfuse.nn.runtime.Scalars;

/**
 * PReLU with one learnable slope shared by all channels (PyTorch {@code nn.PReLU()}, initial slope 0.25).
 * Written as {@code max(0,x) + a·min(0,x)} because DJL's PyTorch engine has no {@code prelu} op (STACK.md).
 */
public final class PReLU extends AbstractBlock {
    private static final float INITIAL_SLOPE = 0.25f;
    private final Parameter slope;

    public PReLU() {
        slope = addParameter(Parameter.builder()
                .setName("slope")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1))
                .optInitializer(new ConstantInitializer(INITIAL_SLOPE))
                .build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray a = ps.getValue(slope, x.getDevice(), training);
        NDArray positive = Scalars.maximum(x, 0);
        NDArray negative = Scalars.minimum(x, 0);
        NDArray scaled = negative.mul(a);
        NDArray out = positive.add(scaled);
        Intermediates.release(positive, negative, scaled);
        return new NDList(out);
    }

    /**
     * The inference form: {@code x} replaced by PReLU(x) in place, in one pass ({@link InferenceKernels#preluInPlace};
     * the same values as {@link #forward}).
     */
    public void inferInPlace(ParameterStore ps, NDArray x, InferenceKernels kernels) {
        kernels.preluInPlace(x, ps.getValue(slope, x.getDevice(), false));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
