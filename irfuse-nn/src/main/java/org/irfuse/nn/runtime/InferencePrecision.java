package org.irfuse.nn.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * How a network with frozen weights runs at inference in a given {@link Precision}: the weights it is handed, how
 * an input goes in and how an output comes back. In float32 the network's own parameters are used and arrays pass
 * unchanged; in bf16 the weights are cast once ({@link Bfloat16#weights}, kept until {@link #close}), inputs are
 * cast to bf16 and outputs promoted back to float32. The one place the fuser and the pretrained judges
 * (YOLOv5n, MFNet) share this logic.
 */
public final class InferencePrecision implements AutoCloseable {
    private final Compute compute;
    private final Precision precision;
    private final NDManager copies;
    private final ParameterStore weights;

    public InferencePrecision(Compute compute, Precision precision) {
        this.compute = compute;
        this.precision = precision;
        if (precision == Precision.BF16) {
            copies = compute.root().newSubManager();
            weights = compute.bfloat16().weights(copies);
        } else {
            copies = null;
            weights = compute.parameters();
        }
    }

    public Precision precision() {
        return precision;
    }

    /** The weights to hand the network (bf16 copies made once: later changes to the parameters are not seen). */
    public ParameterStore weights() {
        return weights;
    }

    /** A float32 input in the network's precision (same shape and strides). */
    public NDArray input(NDArray x) {
        return precision == Precision.BF16 ? compute.bfloat16().cast(x) : x;
    }

    /** A network output as float32. */
    public NDArray output(NDArray y) {
        return precision == Precision.BF16 ? Bfloat16.toFloat32(y) : y;
    }

    /**
     * A contiguous N×C×H×W array as the same values in channels-last memory (N×H×W×C contiguous, viewed as
     * N×C×H×W), so that convolutions run NHWC (one copy). The fuser builds its NHWC input directly instead.
     */
    public static NDArray channelsLast(NDArray nchw) {
        Shape s = nchw.getShape();
        return nchw.transpose(0, 2, 3, 1).reshape(-1).reshape(s.get(0), s.get(2), s.get(3), s.get(1))
                .transpose(0, 3, 1, 2);
    }

    /** Frees the bf16 weight copies (nothing in float32). */
    @Override
    public void close() {
        if (copies != null) {
            copies.close();
        }
    }
}
