package org.irfuse.nn.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/**
 * How a network runs in a <em>training</em> forward pass in a given {@link Precision} — the training counterpart
 * of {@link InferencePrecision}, shared by the warm-start, bi-level and detector trainers. In {@link Precision#FP32}
 * it changes nothing: the network gets the float32 parameters and its input and output pass unchanged (the exact
 * float32 path). In {@link Precision#BF16} (mixed precision): the input is laid out channels-last and cast to
 * bfloat16, the weights are bf16 casts of the float32 master weights made for this forward pass
 * ({@link Bfloat16#trainingWeights}: recorded by autograd, so gradients reach the float32 parameters in float32),
 * and the output is promoted back to float32 ({@link Bfloat16#toFloat32}, recorded). Losses, gradients and
 * optimizer state therefore stay float32 and a trainer reads gradients exactly as in float32; only the network's
 * own arithmetic (forward and backward convolutions) runs in bf16.
 *
 * <p>Weights are cast per forward pass, never kept: a bi-level step runs several backward passes, each in its own
 * gradient collector, and updates some networks between them, so a cast made for one pass would be stale (and its
 * autograd graph already freed) in the next.
 */
public final class MixedPrecision {
    private final Precision precision;
    private final ParameterStore parameters;
    private final Compute compute;

    private MixedPrecision(Precision precision, ParameterStore parameters, Compute compute) {
        this.precision = precision;
        this.parameters = parameters;
        this.compute = compute;
    }

    /** Training in {@code precision} on the float32 parameters of {@code compute}. */
    public static MixedPrecision of(Compute compute, Precision precision) {
        return new MixedPrecision(precision, compute.parameters(), compute);
    }

    public Precision precision() {
        return precision;
    }

    /** Plain float32 training on the same parameters (a network a mixed-precision run keeps in float32). */
    public MixedPrecision float32() {
        return precision == Precision.FP32 ? this : new MixedPrecision(Precision.FP32, parameters, compute);
    }

    /** The parameter store of the float32 (master) parameters, for networks that always train in float32. */
    public ParameterStore parameters() {
        return parameters;
    }

    /**
     * The weights for one forward pass: the parameters themselves in float32; in bf16 a new store of recorded bf16
     * casts kept in {@code scope} (ask for one per forward pass).
     */
    public ParameterStore weights(NDManager scope) {
        return precision == Precision.BF16 ? compute.bfloat16().trainingWeights(scope) : parameters;
    }

    /**
     * {@link #weights} for a network whose BatchNorm runs in training mode (the pixel discriminator): in bf16 its
     * convolutions get bf16 casts while BatchNorm keeps its float32 γ, β and running statistics
     * ({@link Bfloat16#trainingWeightsWithFloat32Norm}), so the running statistics update the float32 masters.
     */
    public ParameterStore weightsWithFloat32Norm(NDManager scope) {
        return precision == Precision.BF16 ? compute.bfloat16().trainingWeightsWithFloat32Norm(scope) : parameters;
    }

    /** A float32 N×C×H×W network input in this precision: unchanged, or channels-last bf16 (recorded). */
    public NDArray input(NDArray x) {
        return precision == Precision.BF16 ? compute.bfloat16().cast(InferencePrecision.channelsLast(x)) : x;
    }

    /** An already channels-last float32 input in this precision: unchanged, or cast to bf16 (recorded). */
    public NDArray cast(NDArray x) {
        return precision == Precision.BF16 ? compute.bfloat16().cast(x) : x;
    }

    /** A network output as float32 (recorded). */
    public NDArray output(NDArray y) {
        return precision == Precision.BF16 ? Bfloat16.toFloat32(y) : y;
    }

    /** Every output as float32 (recorded). */
    public NDList output(NDList ys) {
        if (precision != Precision.BF16) {
            return ys;
        }
        NDList out = new NDList(ys.size());
        for (NDArray y : ys) {
            out.add(Bfloat16.toFloat32(y));
        }
        return out;
    }
}
