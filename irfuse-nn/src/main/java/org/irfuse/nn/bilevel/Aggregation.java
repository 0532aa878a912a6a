package org.irfuse.nn.bilevel;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.irfuse.nn.runtime.Gradients;

/**
 * Dynamic weighted aggregation of METHOD.md: the two modules' hypergradients G_D and G_T become one update
 * {@code G = w_D·G_D + w_T·G_T} with {@code w_D + w_T = 1}. A pluggable strategy; the trainer logs the weights of
 * every upper step. Strategies only need the geometry of the two vectors (‖G_D‖², ‖G_T‖², ⟨G_D, G_T⟩):
 *
 * <ul>
 *   <li>{@code mean}: ½, ½ — what the release effectively computes (its two branches share one buffer);
 *   <li>{@code random}: {@code w = softmax(z)}, {@code z ~ N(0, I)} drawn every upper step — the release's intent;
 *   <li>{@code norm}: {@code w_k ∝ 1/‖G_k‖}, normalised — each module moves θ by the same amount;
 *   <li>{@code mgda}: the minimum-norm convex combination, closed form for two vectors,
 *       {@code α = clip(⟨G_T − G_D, G_T⟩ / ‖G_D − G_T‖², 0, 1)}, {@code w = (α, 1 − α)}.
 * </ul>
 */
public interface Aggregation {
    /** The strategy names the command line accepts. */
    List<String> NAMES = List.of("mean", "random", "norm", "mgda");

    /** The geometry of (G_D, G_T). */
    record Geometry(double normSquaredD, double normSquaredT, double dot) {
        public static Geometry of(NDList gD, NDList gT) {
            return new Geometry(Gradients.squaredNorm(gD), Gradients.squaredNorm(gT), Gradients.dot(gD, gT));
        }
    }

    /** The weights (w_D, w_T). */
    record Weights(double d, double t) {
    }

    String name();

    /** The weights for this upper step; {@code random} is the step's own seeded source (exact resume). */
    Weights weights(Geometry geometry, Random random);

    /** {@code w_D·G_D + w_T·G_T}. */
    static NDList apply(Weights w, NDList gD, NDList gT, NDManager into) {
        return Gradients.combine(w.d(), gD, w.t(), gT, into);
    }

    static Aggregation byName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "mean" -> new Mean();
            case "random" -> new RandomSoftmax();
            case "norm" -> new InverseNorm();
            case "mgda" -> new MinimumNorm();
            default -> throw new IllegalArgumentException("unknown aggregation '" + name + "' (expected "
                    + String.join(", ", NAMES) + ")");
        };
    }

    /** ½(G_D + G_T). */
    final class Mean implements Aggregation {
        @Override
        public String name() {
            return "mean";
        }

        @Override
        public Weights weights(Geometry g, Random random) {
            return new Weights(0.5, 0.5);
        }
    }

    /** softmax of two standard normal draws. */
    final class RandomSoftmax implements Aggregation {
        @Override
        public String name() {
            return "random";
        }

        @Override
        public Weights weights(Geometry g, Random random) {
            double zD = random.nextGaussian();
            double zT = random.nextGaussian();
            double m = Math.max(zD, zT);
            double eD = Math.exp(zD - m);
            double eT = Math.exp(zT - m);
            return new Weights(eD / (eD + eT), eT / (eD + eT));
        }
    }

    /** w_k ∝ 1/‖G_k‖; a zero gradient takes all the weight it cannot spoil (equal weights if both are zero). */
    final class InverseNorm implements Aggregation {
        @Override
        public String name() {
            return "norm";
        }

        @Override
        public Weights weights(Geometry g, Random random) {
            double nD = Math.sqrt(g.normSquaredD());
            double nT = Math.sqrt(g.normSquaredT());
            if (nD == 0 && nT == 0) {
                return new Weights(0.5, 0.5);
            }
            if (nD == 0) {
                return new Weights(1, 0);
            }
            if (nT == 0) {
                return new Weights(0, 1);
            }
            double iD = 1 / nD;
            double iT = 1 / nT;
            return new Weights(iD / (iD + iT), iT / (iD + iT));
        }
    }

    /** MGDA for two tasks: α = clip(⟨G_T − G_D, G_T⟩ / ‖G_D − G_T‖², 0, 1). */
    final class MinimumNorm implements Aggregation {
        @Override
        public String name() {
            return "mgda";
        }

        @Override
        public Weights weights(Geometry g, Random random) {
            // ‖G_D − G_T‖² = ‖G_D‖² − 2⟨G_D,G_T⟩ + ‖G_T‖²;  ⟨G_T − G_D, G_T⟩ = ‖G_T‖² − ⟨G_D,G_T⟩.
            double diff = g.normSquaredD() - 2 * g.dot() + g.normSquaredT();
            if (!(diff > 0)) {
                return new Weights(0.5, 0.5);
            }
            double alpha = Math.min(1, Math.max(0, (g.normSquaredT() - g.dot()) / diff));
            return new Weights(alpha, 1 - alpha);
        }
    }
}
