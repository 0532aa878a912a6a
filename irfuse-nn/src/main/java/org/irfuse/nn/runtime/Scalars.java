package org.irfuse.nn.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Java scalars in NDArray arithmetic: DJL turns a {@code double} into a float64 tensor, which silently promotes a
 * float32 computation to float64. Every constant goes through {@link #of} so it takes the array's own type
 * (float32 in training, float64 in the exactness tests).
 */
public final class Scalars {
    private Scalars() {
    }

    public static Number of(NDArray like, double value) {
        return like.getDataType() == DataType.FLOAT64 ? (Number) value : (Number) (float) value;
    }
}
