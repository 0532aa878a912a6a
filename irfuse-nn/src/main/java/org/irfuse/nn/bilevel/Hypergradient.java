package org.irfuse.nn.bilevel;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Locale;
import org.irfuse.nn.runtime.Gradients;

/**
 * The first-order hypergradient of METHOD.md ("First-order hypergradient"), per lower-level module k ∈ {D, T}:
 *
 * <pre>
 *     G_k = ∇_θ F_k − r_k · ∇_θ f̃_k,        r_k = ⟨∇_ω f_k, ∇_ω F_k⟩ / (‖∇_ω f_k‖² + ε)
 * </pre>
 *
 * with θ the fusion network, ω the module's parameters, f_k its lower objective on the training batch, f̃_k the
 * generator-side objective on the training batch and F_k the upper objective on the held-out upper batch (the
 * objectives themselves are in {@link BilevelObjectives}). All four gradients are plain first-order gradients of
 * scalar losses, each from its own backward pass: <b>every buffer is zeroed before a backward pass and every
 * gradient is copied out right after it</b>, so no gradient of an earlier pass (in particular of the last lower
 * update) can leak in — the stale-gradient bug of the public release.
 *
 * <p>Three passes per module: (1) F_k on the upper batch gives ∇_θF_k and ∇_ωF_k; (2) f_k on the training batch,
 * with Ŷ detached (θ is fixed in the lower problem), gives ∇_ωf_k; (3) f̃_k on the training batch gives ∇_θf̃_k.
 *
 * <p>{@link Mode#RELEASE_COMPAT} reproduces what LiuZhu-CV/BDLFusion's {@code architect_average2.py} computes, for
 * comparison only: the ω buffers are not zeroed before pass (1), so "∇_ωF_k" also holds the gradient the last
 * lower update left there; and the correction is added scaled by the learning rate instead of subtracted,
 * {@code G_k = ∇_θF_k + lr · r_k · ∇_θf̃_k} (its {@code g.data.sub_(eta, ig)} with {@code ig = −r·∇_θf̃}).
 * {@link Mode#PLAIN} is the baseline without a hypergradient, {@code G_k = ∇_θF_k} (one pass).
 */
public final class Hypergradient {
    /** ε of the r_k denominator. */
    public static final double EPSILON = 1e-12;

    /** Which gradient the upper level receives. */
    public enum Mode {
        /** METHOD.md's formula (default). */
        FORMULA("bilevel"),
        /** The public release's behaviour: stale ω buffers, lr-scaled and sign-flipped correction. */
        RELEASE_COMPAT("release-compat"),
        /** No hypergradient: G_k = ∇_θF_k (plain alternating training, the cost baseline). */
        PLAIN("alternating");

        public final String id;

        Mode(String id) {
            this.id = id;
        }

        public static Mode parse(String name) {
            for (Mode m : values()) {
                if (m.id.equalsIgnoreCase(name.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown mode '" + name + "' (expected bilevel, release-compat or "
                    + "alternating)");
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** One lower-level module k as the hypergradient sees it; each method builds a scalar inside a collector. */
    public interface Module {
        /** {@code D} or {@code T} (used in log keys). */
        String name();

        /** ω_k: the module's trainable parameters. */
        List<Parameter> omega();

        /** f_k on the training batch, with Ŷ detached (only ∇_ω is used). */
        NDArray lower();

        /** f̃_k on the training batch. */
        NDArray generator();

        /** F_k on the upper batch. */
        NDArray upper();
    }

    /**
     * The hypergradient of one module with everything it was made of (all arrays in the caller's manager).
     *
     * @param g G_k, aligned with θ's parameter list
     * @param r r_k (0 in {@link Mode#PLAIN})
     * @param gradNorm ‖G_k‖
     */
    public record Result(String module, NDList g, double r, double gradNorm, double lowerLoss, double generatorLoss,
            double upperLoss, NDList upperTheta, NDList upperOmega, NDList lowerOmega, NDList generatorTheta) {
    }

    private Hypergradient() {
    }

    /**
     * Computes G_k for module {@code k}.
     *
     * @param theta θ's trainable parameters
     * @param all every trainable parameter of the system (θ, ω_D, ω_T): all are zeroed around each pass
     * @param lr the upper learning rate (used only by {@link Mode#RELEASE_COMPAT})
     */
    public static Result compute(Module k, List<Parameter> theta, List<Parameter> all, Mode mode, double lr,
            NDManager into) {
        // Buffers cleared around the passes: all of them; in release-compat only θ's and this module's, so the
        // other module's buffers keep what its last lower update left (as in the release).
        List<Parameter> cleared = all;
        if (mode == Mode.RELEASE_COMPAT) {
            cleared = new java.util.ArrayList<>(theta);
            cleared.addAll(k.omega());
        }
        // Pass 1: F_k on the upper batch -> ∇θ F_k, ∇ω F_k. The release zeroes only θ's buffers here.
        if (mode == Mode.RELEASE_COMPAT) {
            Gradients.zero(theta);
        } else {
            Gradients.zero(all);
        }
        double upperLoss = backward(k::upper);
        NDList upperTheta = Gradients.takeAndZero(theta, into);
        NDList upperOmega = Gradients.takeAndZero(k.omega(), into);
        Gradients.zero(cleared);
        if (mode == Mode.PLAIN) {
            return new Result(k.name(), upperTheta, 0, Math.sqrt(Gradients.squaredNorm(upperTheta)), Double.NaN,
                    Double.NaN, upperLoss, upperTheta, upperOmega, null, null);
        }
        // Pass 2: f_k on the training batch -> ∇ω f_k.
        double lowerLoss = backward(k::lower);
        NDList lowerOmega = Gradients.takeAndZero(k.omega(), into);
        Gradients.zero(cleared);
        // Pass 3: f̃_k on the training batch -> ∇θ f̃_k.
        double generatorLoss = backward(k::generator);
        NDList generatorTheta = Gradients.takeAndZero(theta, into);
        Gradients.zero(cleared);

        double r = ratio(lowerOmega, upperOmega);
        NDList g = mode == Mode.RELEASE_COMPAT
                ? Gradients.axpy(upperTheta, lr * r, generatorTheta, into)
                : combine(upperTheta, r, generatorTheta, into);
        return new Result(k.name(), g, r, Math.sqrt(Gradients.squaredNorm(g)), lowerLoss, generatorLoss, upperLoss,
                upperTheta, upperOmega, lowerOmega, generatorTheta);
    }

    /** {@code r_k = ⟨∇_ω f_k, ∇_ω F_k⟩ / (‖∇_ω f_k‖² + ε)}. */
    public static double ratio(NDList lowerOmega, NDList upperOmega) {
        return Gradients.dot(lowerOmega, upperOmega) / (Gradients.squaredNorm(lowerOmega) + EPSILON);
    }

    /** {@code G_k = ∇_θ F_k − r_k · ∇_θ f̃_k}. */
    public static NDList combine(NDList upperTheta, double r, NDList generatorTheta, NDManager into) {
        return Gradients.axpy(upperTheta, -r, generatorTheta, into);
    }

    /** Runs one backward pass of a scalar built inside a fresh gradient collector; returns its value. */
    static double backward(java.util.function.Supplier<NDArray> loss) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.get();
            gc.backward(l);
            return l.toType(DataType.FLOAT64, false).getDouble();
        }
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
