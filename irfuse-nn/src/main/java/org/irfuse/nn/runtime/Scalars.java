package org.irfuse.nn.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.function.BinaryOperator;

/**
 * Arithmetic of an array with a Java scalar. Every such operation goes through here, for two reasons:
 *
 * <ol>
 *   <li><b>Memory the autograd graph can keep.</b> DJL's {@code NDArray.mul(Number)} (likewise {@code div},
 *       {@code add}, {@code sub}, {@code maximum}, {@code minimum}, {@code pow} and the in-place forms) makes the
 *       scalar with {@code manager.create(n)}, which in the PyTorch engine is a {@code torch::from_blob} tensor
 *       on the memory of a Java direct buffer, and closes it as soon as the operation returns. Operations whose
 *       backward needs the scalar (mul, div, maximum, minimum, pow) keep the tensor in the autograd graph, but
 *       not the Java buffer: once the garbage collector has run, the JVM frees that memory and the backward
 *       pass reads whatever is there (freed, it holds allocator pointers, which read as values near 1e-310). So
 *       a gradient depended on whether a collection happened between a forward and its backward pass — the
 *       intermittent hypergradient deviation of docs/bilevel.md, "Known issues", reproduced deterministically by
 *       {@code HypergradientTest.aGarbageCollectionBetweenForwardAndBackwardChangesNoGradient}. Here the scalar
 *       is copied into memory libtorch owns, which the graph keeps alive by reference count however long it
 *       needs it; the Java side closes its handle right away, so nothing accumulates in any manager.</li>
 *   <li><b>The array's own type.</b> DJL turns a {@code double} into a float64 tensor, which silently promotes a
 *       float32 computation to float64, so the scalar takes the array's type (float32 in training, float64 in
 *       the exactness tests).</li>
 * </ol>
 */
public final class Scalars {
    private Scalars() {
    }

    /** {@code x · k}. */
    public static NDArray mul(NDArray x, double k) {
        return apply(x, k, NDArray::mul);
    }

    /** {@code x / k}. */
    public static NDArray div(NDArray x, double k) {
        return apply(x, k, NDArray::div);
    }

    /** {@code x + k}. */
    public static NDArray add(NDArray x, double k) {
        return apply(x, k, NDArray::add);
    }

    /** {@code x − k}. */
    public static NDArray sub(NDArray x, double k) {
        return apply(x, k, NDArray::sub);
    }

    /** {@code max(x, k)}, element-wise. */
    public static NDArray maximum(NDArray x, double k) {
        return apply(x, k, NDArray::maximum);
    }

    /** {@code min(x, k)}, element-wise. */
    public static NDArray minimum(NDArray x, double k) {
        return apply(x, k, NDArray::minimum);
    }

    /** {@code x ← x · k} in place (optimizer state; never inside a recorded graph); returns {@code x}. */
    public static NDArray muli(NDArray x, double k) {
        return apply(x, k, NDArray::muli);
    }

    private static NDArray apply(NDArray x, double k, BinaryOperator<NDArray> op) {
        try (NDArray s = scalar(x, k)) {
            return op.apply(x, s);
        }
    }

    /**
     * A 0-d tensor of {@code like}'s type holding {@code value}, in memory libtorch allocated (a clone of DJL's
     * Java-backed scalar), so an autograd graph holding it stays valid after the caller closes it.
     */
    static NDArray scalar(NDArray like, double value) {
        NDManager m = like.getManager();
        try (NDArray onJavaMemory = like.getDataType() == DataType.FLOAT64 ? m.create(value)
                : m.create((float) value)) {
            return onJavaMemory.duplicate();
        }
    }
}
