package org.irfuse.nn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.modules.PixelDiscriminator;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.MixedPrecision;
import org.irfuse.nn.runtime.Precision;
import org.irfuse.nn.task.SemanticTask;

/**
 * The cost of the bi-level approximation (issue 4, "Cost"): seconds per training step of the same three networks
 * on the same batches (same seeds) under three schedules:
 *
 * <ul>
 *   <li>{@code alternating K=1}: plain alternating training — every step one update of ω_D, ω_T and θ, θ on the
 *       plain gradient ∇_θF_D, ∇_θF_T (no hypergradient);
 *   <li>{@code bilevel K=1}: the hypergradient on every step (its worst case: three backward passes per module);
 *   <li>{@code bilevel K}: METHOD.md's schedule, the hypergradient every K-th step.
 * </ul>
 *
 * Each variant starts from the same initial networks; the first {@code warmupSteps} steps are not timed.
 */
public final class BilevelBenchmark {
    /** Timing of one variant. */
    public record Timing(String name, double medianStep, double meanStep, double medianLowerOnly,
            double medianUpper, int timedSteps) {
    }

    private BilevelBenchmark() {
    }

    /**
     * Only METHOD.md's schedule ({@code bilevel K}, or the base config's mode), in the base config's precision: the
     * mixed-precision comparison times this once per precision.
     */
    public static Timing schedule(BilevelTrainer.Config base, List<PairSample> train, List<PairSample> upper,
            int steps, int warmupSteps, Compute compute) throws java.io.IOException {
        return time(base.mode + " K=" + base.upperEvery + " " + base.precision, base, train, upper, steps,
                warmupSteps, compute);
    }

    /**
     * Seconds of one forward + backward pass of the pixel discriminator ω_D, as a lower step runs it (scores of Ŷ
     * and of M, a batch of {@code batch} crops of side {@code side}), after untimed warm-up repeats, in float32 or
     * in bf16 through {@link MixedPrecision} (timing only: the trainers keep ω_D in float32, see
     * {@link org.irfuse.nn.bilevel.BilevelObjectives}).
     */
    public static double[] discriminatorSeconds(Compute compute, Precision precision, int batch, int side,
            int warmup, int repeats) {
        MixedPrecision mixed = MixedPrecision.of(compute, precision);
        PixelDiscriminator disc = new PixelDiscriminator();
        disc.initialize(compute.root(), DataType.FLOAT32, PixelDiscriminator.initShape());
        List<ai.djl.nn.Parameter> params = BilevelStep.trainable(disc);
        double[] out = new double[repeats];
        for (int i = 0; i < warmup + repeats; i++) {
            long t0 = System.nanoTime();
            try (ai.djl.ndarray.NDManager step = compute.newStep()) {
                ai.djl.ndarray.types.Shape s = new ai.djl.ndarray.types.Shape(batch, 1, side, side);
                ai.djl.ndarray.NDArray fused = step.randomUniform(0, 1, s);
                ai.djl.ndarray.NDArray target = step.randomUniform(0, 1, s);
                try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    ai.djl.ndarray.NDArray l = mixed.output(disc.score(mixed.weightsWithFloat32Norm(step), mixed.input(fused), true))
                            .mean().sub(mixed.output(disc.score(mixed.weightsWithFloat32Norm(step), mixed.input(target), true))
                            .mean());
                    gc.backward(l);
                }
                org.irfuse.nn.runtime.Gradients.takeAndZero(params, step);
            }
            if (i >= warmup) {
                out[i - warmup] = (System.nanoTime() - t0) / 1e9;
            }
        }
        return out;
    }

    public static List<Timing> run(BilevelTrainer.Config base, List<PairSample> train, List<PairSample> upper,
            int steps, int warmupSteps, Compute compute) throws java.io.IOException {
        List<Timing> out = new ArrayList<>();
        out.add(time("alternating K=1", with(base, "alternating", 1), train, upper, steps, warmupSteps, compute));
        out.add(time("bilevel K=1", with(base, "bilevel", 1), train, upper, steps, warmupSteps, compute));
        out.add(time("bilevel K=" + base.upperEvery, with(base, "bilevel", base.upperEvery), train, upper, steps,
                warmupSteps, compute));
        return out;
    }

    private static BilevelTrainer.Config with(BilevelTrainer.Config base, String mode, int k) {
        BilevelTrainer.Config c = new com.google.gson.Gson().fromJson(new com.google.gson.Gson().toJson(base),
                BilevelTrainer.Config.class);
        c.mode = mode;
        c.upperEvery = k;
        return c;
    }

    static Timing time(String name, BilevelTrainer.Config cfg, List<PairSample> train, List<PairSample> upper,
            int steps, int warmupSteps, Compute compute) throws java.io.IOException {
        Engine.getInstance().setRandomSeed((int) cfg.seed);
        FusionModel model = FusionModel.initialise(Width.parse(cfg.width), compute, DataType.FLOAT32);
        PixelDiscriminator disc = new PixelDiscriminator();
        disc.initialize(compute.root(), DataType.FLOAT32, PixelDiscriminator.initShape());
        SemanticTask task = SemanticTasks.create(cfg, new HeldOutSplit(train, upper), compute);
        BilevelStep trainer = new BilevelStep(cfg, model.network(), disc, task, compute, DataType.FLOAT32);
        CropSampler sampler = new CropSampler(train, cfg.minCrop, cfg.maxCrop);
        CropSampler upperSampler = new CropSampler(upper, cfg.minCrop, cfg.maxCrop);
        BilevelStep.Schedules schedules = BilevelStep.Schedules.of(cfg);
        List<Double> all = new ArrayList<>();
        List<Double> lowerOnly = new ArrayList<>();
        List<Double> upperSteps = new ArrayList<>();
        for (long step = 1; step <= steps + warmupSteps; step++) {
            Map<String, Object> v = trainer.step(step, sampler, upperSampler, schedules);
            if (step <= warmupSteps) {
                continue;
            }
            double s = (Double) v.get("step.seconds");
            all.add(s);
            (v.containsKey("r.D") ? upperSteps : lowerOnly).add(s);
        }
        double mean = all.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return new Timing(name, median(all), mean, median(lowerOnly), median(upperSteps), all.size());
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
