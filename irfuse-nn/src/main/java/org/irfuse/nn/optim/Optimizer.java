package org.irfuse.nn.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A first-order optimizer applying given gradients to parameters, with its state (moments, momentum buffers,
 * step count) saved in checkpoints so a resumed run continues exactly where it stopped. DJL's own optimizers
 * keep their state private, which rules out exact resume; these follow PyTorch's update rules (cited per class).
 */
public abstract class Optimizer {
    /**
     * Per parameter, the state tensors of that parameter (in the optimizer's manager), keyed by the parameter's
     * position in the list given to {@link #step} — not by {@code Parameter.getId()}, which is a fresh UUID per
     * network instance and would not survive a restart.
     */
    protected final Map<String, NDArray[]> state = new LinkedHashMap<>();
    protected final NDManager manager;
    protected long steps;

    protected Optimizer(NDManager manager) {
        this.manager = manager;
    }

    /** Applies one update with learning rate {@code lr}; {@code grads} align with {@code params}. */
    public final void step(List<Parameter> params, NDList grads, double lr) {
        if (params.size() != grads.size()) {
            throw new IllegalArgumentException(params.size() + " parameters but " + grads.size() + " gradients");
        }
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            NDArray w = p.getArray();
            try (NDManager scratch = manager.newSubManager()) {
                NDArray g = grads.get(i);
                NDArray[] s = state.computeIfAbsent("p" + i, k -> newState(w));
                if (s.length > 0 && !s[0].getShape().equals(w.getShape())) {
                    throw new IllegalStateException("optimizer state of parameter " + i + " has shape "
                            + s[0].getShape() + " but the parameter has " + w.getShape());
                }
                // Every array an update makes is placed in the manager of its operand, and the operands live in
                // long-lived managers (the parameter in the network's, the state in the optimizer's, the
                // gradient in the caller's step): attached temporarily to the scratch manager, they give it the
                // intermediates (w·λ, g², m/(1−β1^t), √v̂ + ε, …), which it frees when it closes and returns the
                // operands to their own managers. Without this each step left 1 array per parameter behind (SGD)
                // or 5–6 (Adam) until the run ended (OptimizerTest.aStepLeavesNoArrayBehind).
                NDList operands = new NDList(w, g);
                operands.addAll(java.util.Arrays.asList(s));
                scratch.tempAttachAll(operands);
                NDArray delta = update(w, g, s, lr, scratch);
                w.subi(delta);
            }
        }
    }

    public long steps() {
        return steps;
    }

    /** Fresh state tensors for a parameter. */
    protected abstract NDArray[] newState(NDArray weight);

    /**
     * Updates {@code s} in place and returns the amount to subtract from the weight. While it runs, {@code w},
     * {@code g} and {@code s} are attached to {@code scratch}, so every array made from them (the result too) is
     * freed after the step; state must be updated in place, never replaced.
     */
    protected abstract NDArray update(NDArray w, NDArray g, NDArray[] s, double lr, NDManager scratch);

    /** Writes the step count and every state tensor (float32/float64 values with shapes). */
    public void save(DataOutputStream out) throws IOException {
        out.writeLong(steps);
        out.writeInt(state.size());
        for (Map.Entry<String, NDArray[]> e : state.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (NDArray a : e.getValue()) {
                long[] shape = a.getShape().getShape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                double[] v = values(a);
                out.writeInt(v.length);
                for (double d : v) {
                    out.writeDouble(d);
                }
            }
        }
    }

    /**
     * The values of a state tensor in double. The float64 copy of a float32 state is closed here: made in the
     * optimizer's long-lived manager, it would otherwise stay there until the run ended, one per state tensor per
     * checkpoint (WarmupTrainerTest and BilevelTrainerTest count the arrays). A float64 state is read directly
     * ({@code toType} to its own type returns the array itself, which must not be closed).
     */
    private static double[] values(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        try (NDArray d = a.toType(DataType.FLOAT64, false)) {
            return d.toDoubleArray();
        }
    }

    private static int bounded(int n, int max, String what) {
        if (n < 0 || n > max) {
            throw new IllegalArgumentException(n + " " + what + " with " + max + " left");
        }
        return n;
    }

    /** Restores what {@link #save} wrote; parameters are matched by position. */
    public void load(DataInputStream in, DataType dataType) throws IOException {
        for (NDArray[] arrays : state.values()) {
            for (NDArray a : arrays) {
                a.close();
            }
        }
        state.clear();
        steps = in.readLong();
        // Every count is bounded by the bytes left, so a damaged file fails here instead of allocating gigabytes.
        int entries = bounded(in.readInt(), in.available(), "state entries");
        for (int e = 0; e < entries; e++) {
            String id = in.readUTF();
            NDArray[] arrays = new NDArray[bounded(in.readInt(), in.available(), "state arrays")];
            for (int k = 0; k < arrays.length; k++) {
                long[] shape = new long[bounded(in.readInt(), in.available() / 8, "dimensions")];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                }
                double[] v = new double[bounded(in.readInt(), in.available() / 8, "values")];
                if (new Shape(shape).size() != v.length) {
                    throw new IllegalArgumentException("shape " + new Shape(shape) + " for " + v.length + " values");
                }
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readDouble();
                }
                NDArray a = manager.create(v, new Shape(shape));
                arrays[k] = dataType == DataType.FLOAT64 ? a : a.toType(dataType, false);
                if (arrays[k] != a) {
                    a.close();
                }
            }
            state.put(id, arrays);
        }
    }
}
