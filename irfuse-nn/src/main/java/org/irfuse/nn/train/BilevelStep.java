package org.irfuse.nn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.nn.bilevel.Aggregation;
import org.irfuse.nn.bilevel.BilevelObjectives;
import org.irfuse.nn.bilevel.Hypergradient;
import org.irfuse.nn.bilevel.TrainingBatch;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.loss.FusionLoss;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.modules.PixelDiscriminator;
import org.irfuse.nn.optim.Optimizer;
import org.irfuse.nn.optim.Sgd;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Gradients;
import org.irfuse.nn.runtime.MixedPrecision;
import org.irfuse.nn.runtime.Precision;
import org.irfuse.nn.task.SemanticTask;
import org.irfuse.nn.task.YoloDetectionTask;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.YCbCr;
import org.irfuse.nn.train.BilevelTrainer.Config;

/**
 * One step of bi-level dynamic learning, the engine {@link BilevelTrainer} runs on its {@link TrainingLoop}
 * (METHOD.md, Schedule 2–4): every step one lower update of the discriminator ω_D on f_D and then of the task
 * network ω_T on f_T, on the same training batch (SGD, momentum 0.9, weight decay 1e-4; ω_D at {@code lower-lr},
 * ω_T at {@code task-lr}); every K-th step one upper update of the fusion network θ with the aggregated
 * first-order hypergradient ({@link Hypergradient}, {@link Aggregation}) computed against a batch drawn from the
 * held-out upper split (plain SGD, weight decay 1e-3). Every batch, upper batch and random aggregation weight
 * comes from a per-step seed, so a step depends only on its number and the state a checkpoint holds.
 */
public final class BilevelStep {
    /** The three learning-rate schedules of a run: θ ({@code lr}), ω_D ({@code lower-lr}), ω_T ({@code task-lr}). */
    public record Schedules(LearningRateSchedule upper, LearningRateSchedule lower, LearningRateSchedule task) {
        /** Each peak rate under the scaled warm-up/decay schedule over the run's steps. */
        public static Schedules of(Config cfg) {
            return new Schedules(LearningRateSchedule.scaled(cfg.lr, cfg.steps),
                    LearningRateSchedule.scaled(cfg.lowerLr, cfg.steps), LearningRateSchedule.scaled(cfg.taskLr(),
                            cfg.steps));
        }
    }

    /** What a lower step did: the loss values before the updates. */
    public record LowerResult(double fusionLoss, double discriminatorLoss, double taskLoss) {
    }

    /** An upper step's gradients, before it is applied (arrays in the caller's manager). */
    public record UpperStep(Hypergradient.Result discriminator, Hypergradient.Result task,
            Aggregation.Weights weights, NDList aggregated, double aggregatedNorm) {
    }

    private final Config cfg;
    private final Compute compute;
    private final DataType dataType;
    private final FusionNetwork fusion;
    private final PixelDiscriminator discriminator;
    private final SemanticTask task;
    private final MixedPrecision precision;
    private final BilevelObjectives objectives;
    private final Hypergradient.Mode mode;
    private final Aggregation aggregation;
    private final List<Parameter> theta;
    private final List<Parameter> omegaD;
    private final List<Parameter> omegaT;
    private final List<Parameter> all;
    private final Sgd upperOptimizer;
    private final Sgd discriminatorOptimizer;
    private final Sgd taskOptimizer;

    /** The engine over given, initialised networks (tests build float64 ones). */
    public BilevelStep(Config cfg, FusionNetwork fusion, PixelDiscriminator discriminator, SemanticTask task,
            Compute compute, DataType dataType) {
        cfg.validateSettings();
        this.cfg = cfg;
        this.compute = compute;
        this.dataType = dataType;
        this.fusion = fusion;
        this.discriminator = discriminator;
        this.task = task;
        Precision p = Precision.resolve(cfg.precision, compute.device());
        if (p != Precision.FP32 && dataType != DataType.FLOAT32) {
            throw new IllegalArgumentException("--precision bf16 trains float32 networks, not " + dataType);
        }
        // fp32: the networks' own parameters, unchanged (the exact path); bf16: θ and ω_D in mixed precision
        // (BilevelObjectives says which parts stay float32 and why).
        this.precision = MixedPrecision.of(compute, p);
        this.objectives = new BilevelObjectives(fusion, discriminator, task, precision, FusionLoss.parse(cfg.loss));
        this.mode = Hypergradient.Mode.parse(cfg.mode);
        this.aggregation = Aggregation.byName(cfg.aggregation);
        this.theta = trainable(fusion);
        this.omegaD = trainable(discriminator);
        this.omegaT = task instanceof YoloDetectionTask yolo && cfg.taskFreezeBackbone
                ? YoloDetectionTask.trainable(yolo.network(), true) : trainable(task.network());
        this.all = new ArrayList<>(theta);
        all.addAll(omegaD);
        all.addAll(omegaT);
        this.upperOptimizer = new Sgd(compute.root(), 0, cfg.upperWeightDecay);
        this.discriminatorOptimizer = new Sgd(compute.root(), cfg.lowerMomentum, cfg.lowerWeightDecay);
        this.taskOptimizer = new Sgd(compute.root(), cfg.lowerMomentum, cfg.lowerWeightDecay);
    }

    /** Trainable parameters of a block (gradients switched on). */
    public static List<Parameter> trainable(Block block) {
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
                out.add(p.getValue());
            }
        }
        return out;
    }

    public List<Parameter> theta() {
        return theta;
    }

    public List<Parameter> omegaD() {
        return omegaD;
    }

    public List<Parameter> omegaT() {
        return omegaT;
    }

    public BilevelObjectives objectives() {
        return objectives;
    }

    public FusionNetwork fusion() {
        return fusion;
    }

    public PixelDiscriminator discriminator() {
        return discriminator;
    }

    public SemanticTask task() {
        return task;
    }

    /** The batch as tensors in {@code scope}, with the detached Ŷ of the current θ. */
    public TrainingBatch tensors(CropSampler.Batch raw, NDManager scope) {
        return TrainingBatch.of(raw, scope, dataType, fusion, precision);
    }

    /**
     * METHOD.md Schedule 2: one update of ω_D on f_D, then one of ω_T on f_T, on the same batch (θ fixed).
     * Gradients are copied out right after each backward pass and the buffers zeroed (in {@code release-compat}
     * the ω buffers keep the gradient, as the release leaves them).
     */
    public LowerResult lowerStep(TrainingBatch b, double lrD, double lrT) {
        NDManager scope = b.scope();
        double fusionLoss = scalar(objectives.fusionLoss(b.fusedDetached(), b));
        boolean keepBuffers = mode == Hypergradient.Mode.RELEASE_COMPAT;

        Gradients.zero(all);
        double fD = backward(() -> objectives.lowerDiscriminator(b.fusedDetached(), b));
        NDList gD = keepBuffers ? Gradients.copy(omegaD, scope) : Gradients.takeAndZero(omegaD, scope);
        discriminatorOptimizer.step(omegaD, gD, lrD);

        Gradients.zero(theta);
        Gradients.zero(omegaT);
        double fT = backward(() -> objectives.taskObjective(b.fusedDetached(), b, true));
        NDList gT = keepBuffers ? Gradients.copy(omegaT, scope) : Gradients.takeAndZero(omegaT, scope);
        taskOptimizer.step(omegaT, gT, lrT);
        if (!keepBuffers) {
            Gradients.zero(all);
        }
        return new LowerResult(fusionLoss, fD, fT);
    }

    /** The aggregated hypergradient of this upper step (θ unchanged); see {@link Hypergradient}. */
    public UpperStep upperGradients(TrainingBatch train, TrainingBatch upper, long step, double lr,
            NDManager scope) {
        Hypergradient.Result d = Hypergradient.compute(objectives.discriminatorModule(omegaD, train, upper), theta,
                all, mode, lr, scope);
        Hypergradient.Result t = Hypergradient.compute(objectives.taskModule(omegaT, train, upper), theta, all,
                mode, lr, scope);
        Aggregation.Weights w = mode == Hypergradient.Mode.RELEASE_COMPAT
                // The release's two branches write one shared buffer: always ½(G_D + G_T).
                ? new Aggregation.Weights(0.5, 0.5)
                : aggregation.weights(Aggregation.Geometry.of(d.g(), t.g()), aggregationRandom(step));
        NDList g = Aggregation.apply(w, d.g(), t.g(), scope);
        return new UpperStep(d, t, w, g, Math.sqrt(Gradients.squaredNorm(g)));
    }

    /**
     * Applies an upper step to θ (plain SGD with the upper weight decay), after the optional norm clip; returns the
     * factor the gradient was scaled by (1 without clipping).
     */
    /** What a checkpoint holds besides the networks: the three optimizers, by name. */
    public Map<String, Optimizer> optimizers() {
        Map<String, Optimizer> out = new LinkedHashMap<>();
        out.put("upper", upperOptimizer);
        out.put("lower.D", discriminatorOptimizer);
        out.put("lower.T", taskOptimizer);
        return out;
    }

    public double applyUpper(UpperStep u, double lr, NDManager scope) {
        double scale = 1;
        NDList g = u.aggregated();
        if (cfg.upperClip > 0 && u.aggregatedNorm() > cfg.upperClip) {
            scale = cfg.upperClip / u.aggregatedNorm();
            g = Gradients.combine(scale, g, 0, g, scope);
        }
        upperOptimizer.step(theta, g, lr);
        return scale;
    }

    private Random aggregationRandom(long step) {
        return new Random(CropSampler.forStep(cfg.seed ^ 0x5DEECE66DL, step).nextLong());
    }

    /** The batch of training step {@code step} (per-step seed: exact resume). */
    public static CropSampler.Batch trainingBatch(CropSampler sampler, Config cfg, long step) {
        return sampler.next(CropSampler.forStep(cfg.seed, step), cfg.batch);
    }

    /** The upper batch of step {@code step}, from its own seed stream. */
    public static CropSampler.Batch upperBatch(CropSampler sampler, Config cfg, long step) {
        return sampler.next(CropSampler.forStep(cfg.seed + 0x2545F4914F6CDD1DL, step), cfg.upperBatch);
    }

    /**
     * One whole step: the lower updates, and on every K-th step the upper update. Returns the values logged for
     * it (upper-step keys only on upper steps).
     */
    public Map<String, Object> step(long step, CropSampler sampler, CropSampler upperSampler, Schedules schedules) {
        long t0 = System.nanoTime();
        double lr = schedules.upper().at(step);
        double lowerLr = schedules.lower().at(step);
        double taskLr = schedules.task().at(step);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("step", step);
        v.put("stage", "bilevel");
        v.put("lr", lr);
        v.put("lr.lower", lowerLr);
        v.put("lr.task", taskLr);
        try (NDManager scope = compute.newStep()) {
            TrainingBatch train = tensors(trainingBatch(sampler, cfg, step), scope);
            LowerResult lower = lowerStep(train, lowerLr, taskLr);
            v.put("loss.fusion", lower.fusionLoss());
            v.putAll(objectives.fusionTerms(train.fusedDetached(), train));
            v.put("loss.D", lower.discriminatorLoss());
            v.put("loss.T", lower.taskLoss());
            if (step % cfg.upperEvery == 0) {
                TrainingBatch upper = tensors(upperBatch(upperSampler, cfg, step), scope);
                UpperStep u = upperGradients(train, upper, step, lr, scope);
                double scale = applyUpper(u, lr, scope);
                v.put("loss.upper.D", u.discriminator().upperLoss());
                v.put("loss.upper.T", u.task().upperLoss());
                v.put("r.D", u.discriminator().r());
                v.put("r.T", u.task().r());
                v.put("weight.D", u.weights().d());
                v.put("weight.T", u.weights().t());
                v.put("gradnorm.D", u.discriminator().gradNorm());
                v.put("gradnorm.T", u.task().gradNorm());
                v.put("gradnorm.agg", u.aggregatedNorm());
                v.put("clip.scale", scale);
            }
        }
        v.put("mode", mode.id);
        v.put("aggregation", aggregation.name());
        v.put("step.seconds", (System.nanoTime() - t0) / 1e9);
        return v;
    }

    private static double scalar(NDArray a) {
        return a.toType(DataType.FLOAT64, false).getDouble();
    }

    private static double backward(java.util.function.Supplier<NDArray> loss) {
        try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.get();
            gc.backward(l);
            return scalar(l);
        }
    }

    /**
     * Fuses each whole sample (halo-tiled {@link Fuser}) and reports the mean fusion loss with the task's own
     * held-out scores ({@link SemanticTask#score}: mIoU over one confusion matrix for MFNet, mAP@0.5 and
     * mAP@0.5:0.95 for YOLOv5n).
     */
    public Map<String, Object> evaluate(List<PairSample> samples) {
        List<Image> colour = new ArrayList<>();
        double fusionLoss = 0;
        try (Fuser fuser = new Fuser(fusion, compute)) {
            for (PairSample s : samples) {
                float[] fused = fuser.fuseLuminance(s.ir(), s.y(), s.width(), s.height());
                try (NDManager scope = compute.newStep()) {
                    Shape shape = new Shape(1, 1, s.height(), s.width());
                    fusionLoss += scalar(FusionLoss.of(scope.create(fused, shape).toType(dataType, false),
                            scope.create(s.target(), shape).toType(dataType, false)));
                }
                colour.add(YCbCr.merge(s.width(), s.height(), fused, s.cb(), s.cr()));
            }
        }
        Map<String, Object> scores = task.score(samples, colour);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heldout.images", samples.size());
        out.put("heldout.loss.fusion", fusionLoss / Math.max(1, samples.size()));
        out.putAll(scores);
        return out;
    }
}
