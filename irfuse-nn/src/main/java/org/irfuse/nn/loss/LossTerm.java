package org.irfuse.nn.loss;

import ai.djl.ndarray.NDArray;

/**
 * One named term of a {@link FusionLoss}: a scalar, differentiable in {@link LossInputs#fused()}, that is a mean
 * over pixels (so its size does not depend on the crop size and weights carry over between crop sizes).
 */
public interface LossTerm {
    /** The name used in {@code --loss} specs and as {@code loss.<name>} in a run's log. */
    String name();

    /** The term's value for a batch. */
    NDArray of(LossInputs in);
}
