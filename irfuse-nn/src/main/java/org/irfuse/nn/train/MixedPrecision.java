package org.irfuse.nn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.runtime.Bfloat16;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;

/**
 * The fusion network's training forward pass in a chosen precision. In {@link Precision#BF16} (mixed precision):
 * the input is laid out channels-last and cast to bfloat16, the weights are bf16 casts of the float32 master
 * weights made for the step ({@link Bfloat16#trainingWeights}, recorded by autograd), and the output comes back as
 * float32 ({@link Bfloat16#toFloat32}, recorded), so the loss, the gradients and the optimizer stay in float32 and
 * the trainer reads gradients exactly as in float32. In {@link Precision#FP32} it is the plain forward.
 */
final class MixedPrecision {
    private MixedPrecision() {
    }

    /** Ŷ (float32, N×1×H×W) for the batch, recorded for backward; call inside the gradient collector. */
    static NDArray fuse(FusionNetwork network, Compute compute, Precision precision, NDManager scope,
            BatchArrays b) {
        if (precision == Precision.FP32) {
            return network.fuse(compute.parameters(), b.infrared(), b.luminance(), true);
        }
        Bfloat16 bf16 = compute.bfloat16();
        Shape s = b.infrared().getShape();
        Shape nhwc = new Shape(s.get(0), s.get(2), s.get(3), 1);
        // N×H×W×2 contiguous viewed as N×2×H×W: channels-last, as in inference (Fuser).
        NDArray x = b.infrared().reshape(nhwc).concat(b.luminance().reshape(nhwc), 3).transpose(0, 3, 1, 2);
        NDArray out = network.forward(bf16.trainingWeights(scope), new NDList(bf16.cast(x)), true)
                .singletonOrThrow();
        return Bfloat16.toFloat32(out);
    }
}
