package org.irfuse.nn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.irfuse.nn.runtime.Scalars;

/**
 * The fusion loss of a run: a weighted sum {@code Σ w_k·L_k} of named {@link LossTerm}s, written as a spec such
 * as {@code saliency=1,intensity=0.5,texture=1} ({@code irfuse train --loss}, stored in the run's config.json).
 * Terms:
 *
 * <ul>
 *   <li>{@code saliency} — METHOD.md's {@code L_fus = mean|Ŷ − M| + 1.1·(1 − SSIM(Ŷ, M))} towards the saliency
 *       target M ({@link SaliencyTargetLoss}); the paper's loss and the default ({@value #DEFAULT_SPEC});
 *   <li>{@code intensity} — {@code mean|Ŷ − max(I, Y)|} (SeAFusion eq. 5, {@link IntensityLoss});
 *   <li>{@code texture} — {@code mean| |∇Ŷ| − max(|∇I|, |∇Y|) |}, Sobel (SeAFusion eq. 6, {@link TextureLoss}).
 * </ul>
 *
 * There is no separate SSIM term: the saliency term already holds SSIM towards M, which mixes both sources.
 * A weight of 0 keeps a term out of the gradient but still computes and logs it (monitoring). The default
 * composition is exactly the legacy loss: a single term of weight 1 is returned as it is, not multiplied or added
 * to anything, so its value and gradient keep their bits (tested against the legacy formula).
 */
public final class FusionLoss {
    /** The paper's loss alone. */
    public static final String DEFAULT_SPEC = "saliency=1";

    private static final Map<String, Supplier<LossTerm>> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put(SaliencyTargetLoss.NAME, SaliencyTargetLoss::new);
        KNOWN.put(IntensityLoss.NAME, IntensityLoss::new);
        KNOWN.put(TextureLoss.NAME, TextureLoss::new);
    }

    /** A term and its weight. */
    public record Weighted(LossTerm term, double weight) {
    }

    /** A loss evaluated on one batch: the weighted total and each term's unweighted value. */
    public record Evaluation(NDArray total, Map<String, NDArray> terms) {
        /**
         * The unweighted term values as {@code loss.<name>} for a run's log, or nothing when the loss has a single
         * term (its value is the logged {@code loss.fusion} already).
         */
        public Map<String, Double> logged() {
            Map<String, Double> out = new LinkedHashMap<>();
            if (terms.size() > 1) {
                terms.forEach((name, v) -> out.put("loss." + name, v.toType(DataType.FLOAT64, false).getDouble()));
            }
            return out;
        }
    }

    private final List<Weighted> terms;

    private FusionLoss(List<Weighted> terms) {
        this.terms = List.copyOf(terms);
    }

    /** The default: {@value #DEFAULT_SPEC}. */
    public static FusionLoss defaults() {
        return parse(DEFAULT_SPEC);
    }

    /** METHOD.md's {@code L_fus(Ŷ)} towards the saliency target alone (the default composition's value). */
    public static NDArray of(NDArray fused, NDArray target) {
        return SaliencyTargetLoss.of(fused, target);
    }

    /** The known term names, in the order the docs list them. */
    public static List<String> known() {
        return List.copyOf(KNOWN.keySet());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses {@code NAME=WEIGHT[,NAME=WEIGHT...]} (names case-insensitive, spaces ignored). Throws
     * IllegalArgumentException naming {@code --loss} and the problem: empty spec, unknown term (listing the known
     * ones), a term twice, a missing, non-numeric, negative or non-finite weight, or no positive weight.
     */
    public static FusionLoss parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--loss is empty; give NAME=WEIGHT[,NAME=WEIGHT...], e.g. "
                    + "saliency=1,intensity=0.5,texture=1 (terms: " + String.join(", ", KNOWN.keySet()) + ")");
        }
        Builder b = builder();
        for (String part : spec.split(",", -1)) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--loss: '" + p + "' needs a weight (NAME=WEIGHT, e.g. "
                        + (p.isEmpty() ? "texture" : p) + "=1) in '" + spec + "'");
            }
            String name = p.substring(0, eq).trim();
            String w = p.substring(eq + 1).trim();
            double weight;
            try {
                weight = Double.parseDouble(w);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--loss: the weight of '" + name + "' is not a number: '" + w
                        + "'");
            }
            b.add(name, weight);
        }
        return b.build();
    }

    /** Composes terms in the order they are added. */
    public static final class Builder {
        private final Map<String, Weighted> terms = new LinkedHashMap<>();

        /** Adds a known term by name (see {@link FusionLoss#known()}). */
        public Builder add(String name, double weight) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            Supplier<LossTerm> make = KNOWN.get(key);
            if (make == null) {
                throw new IllegalArgumentException("--loss: unknown term '" + name + "' (known: "
                        + String.join(", ", KNOWN.keySet()) + ")");
            }
            return add(make.get(), weight);
        }

        /** Adds a term (tests and programs may bring their own). */
        public Builder add(LossTerm term, double weight) {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("--loss: the weight of '" + term.name()
                        + "' must be 0 or a positive number, got " + weight);
            }
            if (terms.containsKey(term.name())) {
                throw new IllegalArgumentException("--loss: term '" + term.name() + "' is given twice");
            }
            terms.put(term.name(), new Weighted(term, weight));
            return this;
        }

        public FusionLoss build() {
            if (terms.values().stream().noneMatch(t -> t.weight() > 0)) {
                throw new IllegalArgumentException("--loss needs at least one term with a positive weight, got "
                        + (terms.isEmpty() ? "none" : new FusionLoss(new ArrayList<>(terms.values())).spec()));
            }
            return new FusionLoss(new ArrayList<>(terms.values()));
        }
    }

    public List<Weighted> terms() {
        return Collections.unmodifiableList(terms);
    }

    /**
     * The canonical spec: terms in their order, weights in their shortest decimal form ({@code 1}, {@code 0.5}),
     * so {@code saliency=1.0} and {@code saliency=1} are the same setting for {@code --resume}.
     */
    public String spec() {
        List<String> parts = new ArrayList<>();
        for (Weighted w : terms) {
            parts.add(w.term().name() + "=" + BigDecimal.valueOf(w.weight()).stripTrailingZeros().toPlainString());
        }
        return String.join(",", parts);
    }

    /** The weighted total {@code Σ w_k·L_k}, differentiable in the fused image. */
    public NDArray total(LossInputs in) {
        return evaluate(in).total();
    }

    /** The total and each term's unweighted value. */
    public Evaluation evaluate(LossInputs in) {
        Map<String, NDArray> values = new LinkedHashMap<>();
        NDArray total = null;
        for (Weighted w : terms) {
            NDArray v = w.term().of(in);
            values.put(w.term().name(), v);
            // A weight of 1 is used as is, so the default single term keeps the legacy loss's bits.
            NDArray weighted = w.weight() == 1 ? v : Scalars.mul(v, w.weight());
            total = total == null ? weighted : total.add(weighted);
        }
        return new Evaluation(total, values);
    }

    @Override
    public String toString() {
        return spec();
    }
}
