package org.irfuse.nn.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.Map;

/**
 * bfloat16 arrays through DJL 0.32, which cannot make them itself: its PyTorch JNI maps only the first data types,
 * so {@code toType(BFLOAT16)}, {@code create(..., BFLOAT16)}, {@code zeros(..., BFLOAT16)} and
 * {@code toType(getDataType())} on a bf16 array abort the JVM (STACK.md; a bf16 array reports {@code UNKNOWN}).
 * A weight-free TorchScript module ({@code tools/torchscript/to_bfloat16.py}) does the cast instead, keeping the
 * memory format; after it DJL's ordinary ops (conv2d, relu, concat, add, maximum with a float scalar) run in bf16
 * on the CPU's matrix units. {@link #toFloat32} brings a result back.
 *
 * <p>Rules for code handed bf16 arrays: never ask DJL to create an array "like" one (zerosLike, onesLike,
 * {@code toType(x.getDataType())}), and cast back to float32 before reading values into Java.
 */
public final class Bfloat16 {
    static final String RESOURCE = "/irfuse/torchscript/to_bfloat16.torchscript";

    private final PtSymbolBlock cast;
    private final ParameterStore unused;

    private Bfloat16(PtSymbolBlock cast, ParameterStore unused) {
        this.cast = cast;
        this.unused = unused;
    }

    /** Loads the cast module into {@code manager}; it is freed when the manager closes. */
    static Bfloat16 load(NDManager manager) {
        return new Bfloat16(TorchScripts.load(manager, RESOURCE, "bf16 precision"), new ParameterStore(manager, false));
    }

    /**
     * {@code x} (float32 or float64) as bfloat16 with the same shape and strides, in {@code x}'s manager. Under a
     * gradient collector the cast is recorded, so gradients flow back to {@code x} in its own type.
     */
    public NDArray cast(NDArray x) {
        // Outside a gradient collector the module runs as inference (no autograd record); inside, it is recorded.
        return cast.forward(unused, new NDList(x), Intermediates.recording()).singletonOrThrow();
    }

    /**
     * A parameter store that hands blocks bfloat16 copies of their parameters, cast once on first use and kept in
     * {@code owner} (close it to free them). For inference: later changes to the float32 parameters are not seen
     * (a training step makes a new store each step, {@link #trainingWeights}).
     */
    public ParameterStore weights(NDManager owner) {
        return new Weights(this, owner, true);
    }

    /**
     * {@code x} (bfloat16) as float32. Written as {@code x + 0} with a float32 zero of {@code x}'s rank: PyTorch's
     * type promotion then gives float32, and unlike DJL's {@code toType} (which autograd does not record — a
     * float64→float32 {@code toType} cuts the graph, tested) the addition is recorded, so a float32 loss
     * back-propagates into the bf16 network.
     */
    public static NDArray toFloat32(NDArray x) {
        long[] ones = new long[x.getShape().dimension()];
        java.util.Arrays.fill(ones, 1);
        try (NDArray zero = x.getManager().zeros(new Shape(ones), DataType.FLOAT32)) {
            return x.add(zero);
        }
    }

    /**
     * A parameter store for one mixed-precision training step: bf16 casts of the float32 (master) parameters, made
     * under the gradient collector so the casts are recorded and the gradients reach the float32 parameters,
     * which the optimizer updates as usual. Each parameter is cast once per store; make one per forward pass (a
     * cast belongs to one gradient collector's graph and goes stale when the optimizer moves its parameter), in
     * the step's manager, and the casts are freed with it ({@link MixedPrecision#weights}).
     */
    public ParameterStore trainingWeights(NDManager step) {
        return new Weights(this, step, true);
    }

    /**
     * {@link #trainingWeights} for a network whose BatchNorm runs in training mode (batch statistics, running
     * statistics updated in place): BatchNorm's γ, β and running statistics are handed over as the float32
     * parameters themselves, every other parameter as a bf16 cast. PyTorch's CPU batch norm takes a bf16 input with
     * float32 parameters ("mixed type": statistics in float32, output bf16), so the running statistics keep
     * updating the float32 masters, which a bf16 copy would not carry back.
     */
    public ParameterStore trainingWeightsWithFloat32Norm(NDManager step) {
        return new Weights(this, step, false);
    }

    private static final java.util.Set<Parameter.Type> NORM = java.util.EnumSet.of(Parameter.Type.GAMMA,
            Parameter.Type.BETA, Parameter.Type.RUNNING_MEAN, Parameter.Type.RUNNING_VAR);

    private static final class Weights extends ParameterStore {
        private final Bfloat16 bf16;
        private final NDManager owner;
        private final boolean castNorm;
        private final Map<String, NDArray> copies = new HashMap<>();

        Weights(Bfloat16 bf16, NDManager owner, boolean castNorm) {
            super(owner, false);
            this.bf16 = bf16;
            this.owner = owner;
            this.castNorm = castNorm;
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            if (parameter == null) {
                // An absent parameter (a convolution without bias), as DJL's own store answers.
                return null;
            }
            if (!castNorm && NORM.contains(parameter.getType())) {
                return parameter.getArray();
            }
            return copies.computeIfAbsent(parameter.getId(), id -> {
                NDArray source = parameter.getArray();
                if (source.getDataType() != DataType.FLOAT32) {
                    throw new IllegalStateException("parameter " + parameter.getName() + " is "
                            + source.getDataType() + "; bf16 copies are made from float32 parameters");
                }
                NDArray copy = bf16.cast(source);
                copy.attach(owner);
                return copy;
            });
        }
    }
}
