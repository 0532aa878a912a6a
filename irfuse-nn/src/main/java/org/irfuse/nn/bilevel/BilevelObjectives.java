package org.irfuse.nn.bilevel;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.irfuse.nn.loss.FusionLoss;
import org.irfuse.nn.loss.LossInputs;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.modules.PixelDiscriminator;
import org.irfuse.nn.runtime.MixedPrecision;
import org.irfuse.nn.runtime.Scalars;
import org.irfuse.nn.task.ColourComposite;
import org.irfuse.nn.task.SemanticTask;

/**
 * The objectives of METHOD.md ("Losses"), written once for the trainer, the hypergradient and the tests:
 *
 * <ul>
 *   <li>{@code f_D = L_fus + 0.25·(mean D(Ŷ) − mean D(M))} — lower, discriminator;
 *   <li>{@code f̃_D = L_fus − 0.5·mean D(Ŷ)} — generator side of the discriminator; {@code F_D} is f̃_D on the
 *       upper batch;
 *   <li>{@code f_T = L_task(ω_T; C(Ŷ, V)) − 0.01·mean D(Ŷ)} — lower, task. Its generator side is the same
 *       expression ({@code f̃_T = f_T}, as in the release, whose task branch uses one loss for both) and
 *       {@code F_T} is it on the upper batch.
 * </ul>
 *
 * In the lower task objective D's score is detached: it does not depend on ω_T, so this changes neither the
 * value nor ∇_ω f_T, and it keeps D's gradient buffers untouched by the task's lower update.
 *
 * <p>Precision ({@link MixedPrecision}): the fusion network θ and the discriminator ω_D run in the run's precision
 * — in bf16 on per-pass bf16 casts of their float32 weights, outputs promoted to float32. The discriminator's
 * BatchNorm runs in training mode and updates its running statistics in place, so it keeps its float32 γ, β and
 * statistics ({@link MixedPrecision#weightsWithFloat32Norm}); its 1×1 convolutions are about a quarter of a lower
 * step in float32 (docs/benchmarks.md), so they are worth bf16. The task network ω_T always runs in float32
 * here, because that is faster: at the bi-level crops (144 px, batch 2) YOLOv5n in bf16 made a step slower, not
 * faster (bin/bench-train, docs/benchmarks.md; not profiled). In bf16 it was reproducible and within the
 * accuracy bounds of MixedPrecisionTrainingTest (the 15× variation once seen with θ and YOLOv5n in bf16 was the
 * scalar use-after-free fixed by runtime/Scalars, docs/reliability.md). Every loss, and so every gradient the
 * hypergradient combines, is float32.
 */
public final class BilevelObjectives {
    /** Weight of the critic term in f_D. */
    public static final double LOWER_D_WEIGHT = 0.25;
    /** Weight of the adversarial term in f̃_D. */
    public static final double GENERATOR_D_WEIGHT = 0.5;
    /** Weight of the adversarial term in f_T. */
    public static final double TASK_D_WEIGHT = 0.01;

    private final FusionNetwork fusion;
    private final PixelDiscriminator discriminator;
    private final SemanticTask task;
    private final MixedPrecision precision;
    private final FusionLoss loss;

    /** The objectives with METHOD.md's {@code L_fus} ({@link FusionLoss#DEFAULT_SPEC}). */
    public BilevelObjectives(FusionNetwork fusion, PixelDiscriminator discriminator, SemanticTask task,
            MixedPrecision precision) {
        this(fusion, discriminator, task, precision, FusionLoss.defaults());
    }

    /** The objectives with {@code loss} as {@code L_fus} ({@code --loss}). */
    public BilevelObjectives(FusionNetwork fusion, PixelDiscriminator discriminator, SemanticTask task,
            MixedPrecision precision, FusionLoss loss) {
        this.fusion = fusion;
        this.discriminator = discriminator;
        this.task = task;
        this.precision = precision;
        this.loss = loss;
    }

    /** Ŷ = θ(I, Y), differentiable in θ. */
    public NDArray fused(TrainingBatch b) {
        return fusion.fuse(precision, b.scope(), b.arrays().infrared(), b.arrays().luminance(), true);
    }

    /**
     * {@code L_fus(Ŷ)}: the run's {@link FusionLoss}, by default {@code mean|Ŷ − M| + 1.1·(1 − SSIM(Ŷ, M))}.
     */
    public NDArray fusionLoss(NDArray fused, TrainingBatch b) {
        return loss.total(inputs(fused, b));
    }

    /** The unweighted values of L_fus's terms as {@code loss.<term>} (nothing for a single-term loss). */
    public Map<String, Double> fusionTerms(NDArray fused, TrainingBatch b) {
        return loss.terms().size() > 1 ? loss.evaluate(inputs(fused, b)).logged() : Map.of();
    }

    private static LossInputs inputs(NDArray fused, TrainingBatch b) {
        return new LossInputs(fused, b.arrays().infrared(), b.arrays().luminance(), b.arrays().target());
    }

    private NDArray meanScore(NDArray image, TrainingBatch b) {
        if (precision.precision() == org.irfuse.nn.runtime.Precision.FP32) {
            return discriminator.score(precision.parameters(), image, true).mean();
        }
        return precision.output(discriminator.score(precision.weightsWithFloat32Norm(b.scope()),
                precision.input(image), true)).mean();
    }

    /** {@code f_D = L_fus + 0.25·(mean D(Ŷ) − mean D(M))}. */
    public NDArray lowerDiscriminator(NDArray fused, TrainingBatch b) {
        NDArray critic = meanScore(fused, b).sub(meanScore(b.arrays().target(), b));
        return fusionLoss(fused, b).add(Scalars.mul(critic, LOWER_D_WEIGHT));
    }

    /** {@code f̃_D = L_fus − 0.5·mean D(Ŷ)} (also F_D, on the upper batch). */
    public NDArray generatorDiscriminator(NDArray fused, TrainingBatch b) {
        NDArray s = meanScore(fused, b);
        return fusionLoss(fused, b).sub(Scalars.mul(s, GENERATOR_D_WEIGHT));
    }

    /** {@code f_T = L_task(C(Ŷ, V)) − 0.01·mean D(Ŷ)} (also f̃_T, and F_T on the upper batch). */
    public NDArray taskObjective(NDArray fused, TrainingBatch b, boolean detachCritic) {
        NDArray s = meanScore(fused, b);
        if (detachCritic) {
            s = s.stopGradient();
        }
        return taskLoss(fused, b).sub(Scalars.mul(s, TASK_D_WEIGHT));
    }

    /** {@code L_task(ω_T; C(Ŷ, V))} alone. */
    public NDArray taskLoss(NDArray fused, TrainingBatch b) {
        NDArray colour = ColourComposite.of(fused, b.arrays().cb(), b.arrays().cr());
        return task.loss(precision.float32(), colour, b.raw(), b.scope(), true);
    }

    /** Module D of the hypergradient for a (training, upper) pair of batches. */
    public Hypergradient.Module discriminatorModule(List<Parameter> omega, TrainingBatch train,
            TrainingBatch upper) {
        return new Hypergradient.Module() {
            @Override
            public String name() {
                return "D";
            }

            @Override
            public List<Parameter> omega() {
                return omega;
            }

            @Override
            public NDArray lower() {
                return lowerDiscriminator(train.fusedDetached(), train);
            }

            @Override
            public NDArray generator() {
                return generatorDiscriminator(fused(train), train);
            }

            @Override
            public NDArray upper() {
                return generatorDiscriminator(fused(upper), upper);
            }
        };
    }

    /** Module T of the hypergradient for a (training, upper) pair of batches. */
    public Hypergradient.Module taskModule(List<Parameter> omega, TrainingBatch train, TrainingBatch upper) {
        return new Hypergradient.Module() {
            @Override
            public String name() {
                return "T";
            }

            @Override
            public List<Parameter> omega() {
                return omega;
            }

            @Override
            public NDArray lower() {
                return taskObjective(train.fusedDetached(), train, true);
            }

            @Override
            public NDArray generator() {
                return taskObjective(fused(train), train, false);
            }

            @Override
            public NDArray upper() {
                return taskObjective(fused(upper), upper, false);
            }
        };
    }
}
