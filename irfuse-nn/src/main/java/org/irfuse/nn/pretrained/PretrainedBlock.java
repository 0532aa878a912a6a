package org.irfuse.nn.pretrained;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * A block of a network re-implemented from a published checkpoint. Every parameter is declared with the shape
 * the architecture gives it (so a fresh block initialises without a sample input) and is known under the name
 * its array has in the original state dict ({@link #collect}), which is how {@link NpzWeights} loads it.
 */
public abstract class PretrainedBlock extends AbstractBlock {
    protected PretrainedBlock() {
        super((byte) 1);
    }

    /** Adds this block's parameters (and its children's) to {@code out}, keyed by checkpoint array name. */
    public void collect(Map<String, Parameter> out) {
        for (Block child : getChildren().values()) {
            ((PretrainedBlock) child).collect(out);
        }
    }

    /** Initialises every parameter (shapes are declared, so any input shape does). */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, 1, 32, 32));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + ": shapes follow the forward pass");
    }
}
