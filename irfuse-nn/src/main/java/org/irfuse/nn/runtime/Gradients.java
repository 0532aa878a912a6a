package org.irfuse.nn.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient buffers, handled explicitly: the gradient collector does not zero them when it opens (STACK.md), and
 * keeping references to live buffers is the stale-gradient bug of the public release (METHOD.md). So every
 * backward pass is followed by {@link #takeAndZero}: copy each gradient out, then zero the buffer.
 */
public final class Gradients {
    private Gradients() {
    }

    /** Parameters that take gradients (not frozen). */
    public static List<Parameter> trainable(List<Parameter> params) {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : params) {
            if (p.requiresGradient()) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Copies the current gradient of every parameter into {@code into} (owned by the caller) and zeroes the
     * buffers. A parameter that received no gradient gives zeros of its shape.
     */
    public static NDList takeAndZero(List<Parameter> params, NDManager into) {
        NDList out = copy(params, into);
        zero(params);
        return out;
    }

    /**
     * Copies the current gradients into {@code into} <em>without</em> zeroing the buffers. Trainers use
     * {@link #takeAndZero}; on its own this serves the {@code release-compat} mode of the bi-level trainer, which
     * reproduces the release's stale buffers.
     */
    public static NDList copy(List<Parameter> params, NDManager into) {
        NDList out = new NDList(params.size());
        for (Parameter p : params) {
            NDArray w = p.getArray();
            if (!w.hasGradient()) {
                out.add(into.zeros(w.getShape(), w.getDataType()));
                continue;
            }
            try (NDArray g = w.getGradient()) {
                NDArray c = g.duplicate();
                c.attach(into);
                out.add(c);
            }
        }
        return out;
    }

    /** Zeroes every gradient buffer of {@code params}. */
    public static void zero(List<Parameter> params) {
        for (Parameter p : params) {
            NDArray w = p.getArray();
            if (w.hasGradient()) {
                try (NDArray g = w.getGradient()) {
                    g.subi(g);
                }
            }
        }
    }

    /** ⟨a, b⟩ over all tensors of two gradient lists, in double. */
    public static double dot(NDList a, NDList b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            try (NDArray prod = a.get(i).mul(b.get(i)); NDArray sum = prod.sum()) {
                s += sum.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            }
        }
        return s;
    }

    /** Squared L2 norm over all tensors. */
    public static double squaredNorm(NDList a) {
        return dot(a, a);
    }

    /** {@code a + k·b}, tensor by tensor, in {@code into}. */
    public static NDList axpy(NDList a, double k, NDList b, NDManager into) {
        NDList out = new NDList(a.size());
        for (int i = 0; i < a.size(); i++) {
            NDArray r = a.get(i).add(Scalars.mul(b.get(i), k));
            r.attach(into);
            out.add(r);
        }
        return out;
    }

    /** {@code ka·a + kb·b}, tensor by tensor, in {@code into}. */
    public static NDList combine(double ka, NDList a, double kb, NDList b, NDManager into) {
        NDList out = new NDList(a.size());
        for (int i = 0; i < a.size(); i++) {
            NDArray r = Scalars.mul(a.get(i), ka).add(Scalars.mul(b.get(i), kb));
            r.attach(into);
            out.add(r);
        }
        return out;
    }
}
