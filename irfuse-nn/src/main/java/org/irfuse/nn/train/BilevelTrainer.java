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
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.core.segmentation.AbsentClassPolicy;
import org.irfuse.core.segmentation.ConfusionMatrix;
import org.irfuse.core.segmentation.SegmentationMetrics;
import org.irfuse.nn.bilevel.Aggregation;
import org.irfuse.nn.bilevel.BilevelObjectives;
import org.irfuse.nn.bilevel.Hypergradient;
import org.irfuse.nn.bilevel.TrainingBatch;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.loss.FusionLoss;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.modules.PixelDiscriminator;
import org.irfuse.nn.optim.Optimizer;
import org.irfuse.nn.optim.Sgd;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Gradients;
import org.irfuse.nn.task.ColourComposite;
import org.irfuse.nn.task.SemanticTask;
import org.irfuse.nn.task.MfNetSegmentationTask;
import org.irfuse.nn.task.YoloDetectionTask;
import org.irfuse.nn.pretrained.ClassMapping;
import org.irfuse.nn.pretrained.MfNet;
import org.irfuse.nn.pretrained.MfNetSegmenter;
import org.irfuse.nn.pretrained.YoloV5n;
import org.irfuse.core.detection.DetectionEvaluator;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.YCbCr;

/**
 * Bi-level dynamic learning (METHOD.md, Schedule 2–4): every step one lower update of the discriminator ω_D on
 * f_D and then of the task network ω_T on f_T, on the same training batch (SGD, momentum 0.9, weight decay
 * 1e-4); every K-th step one upper update of the fusion network θ with the aggregated first-order hypergradient
 * ({@link Hypergradient}, {@link Aggregation}) computed against a batch drawn from a held-out upper split (plain
 * SGD, weight decay 1e-3). Both levels follow the scaled warm-up/decay schedule ({@link LearningRateSchedule}).
 *
 * <p>Every batch, upper batch and random aggregation weight comes from a per-step seed, and checkpoints hold
 * all three networks (BatchNorm statistics included) and all three optimizers, so {@code --resume} continues
 * exactly as an uninterrupted run.
 */
public final class BilevelTrainer {
    /** Options of a bi-level run (also written to the run's config.json; keys of --config files). */
    public static final class Config {
        public String stage = "bilevel";
        /** {@code bilevel} (METHOD.md), {@code release-compat} or {@code alternating} (no hypergradient). */
        public String mode = "bilevel";
        /** {@code mean}, {@code random}, {@code norm} or {@code mgda}. */
        public String aggregation = "mean";
        public String width = Width.LITE.id();
        /** Warm-start model folder for θ; null or empty: θ starts from scratch. */
        public String initModel;
        /**
         * The lower-level semantic module ω_T: {@code segmentation} (pretrained MFNet, {@link #segmenterWeights})
         * or {@code detection} (pretrained YOLOv5n, {@link #detectorWeights}, trained on boxes).
         */
        public String task = "segmentation";
        /**
         * Pretrained YOLOv5n weights (.npz), required for {@code detection}: YOLOv5n fine-tuned with the YOLOv5 loss
         * ({@link org.irfuse.nn.task.YoloDetectionTask}).
         */
        public String detectorWeights;
        /** Detector class → dataset class map for YOLOv5n ({@code person=person,...}; default: by name). */
        public String classMap;
        /**
         * Pretrained MFNet weights (.npz), required for {@code segmentation}: MFNet on (C(Ŷ, V), infrared)
         * ({@link org.irfuse.nn.task.MfNetSegmentationTask}, 9 MSRS/MFNet classes).
         */
        public String segmenterWeights;
        /** MFNet's targets: {@code labels} (the data's) or {@code pseudo} (MFNet's own predictions on the visible image). */
        public String segmentationLabels = "labels";
        /** Pair folders (ir/, vi/, det_labels/fusion/) given weak labels from their boxes. */
        public List<String> msrsWeak = new ArrayList<>();
        /** MSRS/MFNet-layout segmentation datasets, {@code ROOT} or {@code ROOT:SPLIT} (default split train). */
        public List<String> segmentation = new ArrayList<>();
        /** Generated scenes with exact labels (320×240). */
        public int synthetic = 0;
        /** Share of each data source held out for upper batches (never used for lower updates). */
        public double upperShare = 0.2;
        public int steps = 1000;
        /** K: one upper update every K steps. */
        public int upperEvery = 10;
        public int batch = 2;
        public int upperBatch = 2;
        public int minCrop = 96;
        public int maxCrop = 160;
        /** Peak learning rate of the upper level (θ). */
        public double lr = 2e-4;
        /** Peak learning rate of the discriminator ω_D (lower level, from scratch). */
        public double lowerLr = 1e-2;
        /**
         * Peak learning rate of the pretrained task network ω_T (lower level). SGD moves a parameter by lr·g (times
         * about 10 with momentum 0.9) where Adam moves it by about lr whatever the gradient: a network that already
         * fits the data has small gradients, so plain SGD at 1e-3 is a gentle update (the measured YOLOv5n smoke
         * run in docs/bilevel.md kept its held-out mAP), where Adam at 1e-4 on all layers destroyed the detector
         * (docs/experiments.md). 1e-2 (the discriminator's rate, once shared) is for networks from scratch.
         */
        public double taskLr = 1e-3;
        /** YOLOv5n as the task: keep its backbone (layers 0–9) fixed, as train-detector --freeze-backbone. */
        public boolean taskFreezeBackbone;
        public double lowerMomentum = 0.9;
        public double lowerWeightDecay = 1e-4;
        public double upperWeightDecay = 1e-3;
        /**
         * If positive, the aggregated upper gradient is scaled down to at most this norm before the update. Not part
         * of METHOD.md (0, off, by default): r_k grows without bound when ‖∇_ω f_k‖ is small, and at the large
         * learning rates of short CPU runs one such step can blow θ up. Logged as {@code clip.scale}.
         */
        public double upperClip = 0;
        public int checkpointEvery = 100;
        public int logEvery = 10;
        public int sampleEvery = 500;
        public long seed = 1;
        public String command = "";

        /**
         * Checks ranges, names and that the task's pretrained weights are given; throws IllegalArgumentException
         * naming the offending option.
         */
        public void validate() {
            validateSettings();
            require(!task.equals("detection") || present(detectorWeights),
                    "task detection needs --detector-weights FILE.npz (pretrained YOLOv5n)");
            require(!task.equals("segmentation") || present(segmenterWeights),
                    "task segmentation needs --segmenter-weights FILE.npz (pretrained MFNet)");
        }

        /** {@link #validate} without the weights (a trainer given a task network needs none). */
        public void validateSettings() {
            Hypergradient.Mode.parse(mode);
            Aggregation.byName(aggregation);
            Width.parse(width);
            SettingChecks.schedule(steps, batch, checkpointEvery, logEvery, sampleEvery);
            SettingChecks.atLeast("upper-every", upperEvery, 1);
            SettingChecks.atLeast("upper-batch", upperBatch, 1);
            SettingChecks.crop(minCrop, maxCrop);
            SettingChecks.atLeast("synthetic", synthetic, 0);
            require(task.equals("segmentation") || task.equals("detection"),
                    "task must be segmentation or detection, got '" + task + "'");
            require(!taskFreezeBackbone || task.equals("detection"),
                    "task-freeze-backbone is for task detection (YOLOv5n's backbone)");
            require(segmentationLabels.equals("labels") || segmentationLabels.equals("pseudo"),
                    "segmentation-labels must be labels or pseudo, got '" + segmentationLabels + "'");
            require(upperShare > 0 && upperShare < 1, "upper-share must be between 0 and 1");
            SettingChecks.positive("lr", lr);
            SettingChecks.positive("lower-lr", lowerLr);
            SettingChecks.positive("task-lr", taskLr);
            SettingChecks.notNegative("upper-clip", upperClip);
        }

        private static boolean present(String s) {
            return s != null && !s.isBlank();
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /** Called after every step with the values of that step (for progress lines). */

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

    /** A trainer over given, initialised networks (tests build float64 ones). */
    public BilevelTrainer(Config cfg, FusionNetwork fusion, PixelDiscriminator discriminator, SemanticTask task,
            Compute compute, DataType dataType) {
        cfg.validateSettings();
        this.cfg = cfg;
        this.compute = compute;
        this.dataType = dataType;
        this.fusion = fusion;
        this.discriminator = discriminator;
        this.task = task;
        this.objectives = new BilevelObjectives(fusion, discriminator, task, compute.parameters());
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
        return TrainingBatch.of(raw, scope, dataType, fusion, compute.parameters());
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
    public Map<String, Object> step(long step, CropSampler sampler, CropSampler upperSampler,
            LearningRateSchedule upperSchedule, LearningRateSchedule lowerSchedule, LearningRateSchedule taskSchedule) {
        long t0 = System.nanoTime();
        double lr = upperSchedule.at(step);
        double lowerLr = lowerSchedule.at(step);
        double taskLr = taskSchedule.at(step);
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
        for (Map.Entry<String, Object> e : v.entrySet()) {
            if (e.getValue() instanceof Double d && !Double.isFinite(d) && !e.getKey().startsWith("r.")) {
                throw new TrainingDivergedException("training diverged: " + e.getKey() + " became " + d
                        + " at step " + step + "; lower the learning rates (--lr, --lower-lr, --task-lr)");
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

    // ---------------------------------------------------------------------------------------------- whole runs

    /** Training and upper samples: a real held-out split of every data source. */
    public record Split(List<PairSample> train, List<PairSample> upper) {
    }

    /**
     * Holds out {@code share} of {@code samples} (at least one, shuffled by {@code seed}) for upper batches; the
     * rest trains the lower level. Needs at least two samples.
     */
    public static Split heldOut(List<PairSample> samples, double share, long seed) {
        if (samples.size() < 2) {
            throw new IllegalArgumentException("a bi-level run needs at least 2 samples per data source (one is "
                    + "held out for upper batches), got " + samples.size());
        }
        List<PairSample> shuffled = new ArrayList<>(samples);
        Collections.shuffle(shuffled, new Random(seed));
        int held = (int) Math.max(1, Math.min(samples.size() - 1, Math.round(share * samples.size())));
        return new Split(new ArrayList<>(shuffled.subList(held, shuffled.size())),
                new ArrayList<>(shuffled.subList(0, held)));
    }

    /** What a finished run produced. */
    public record Outcome(FusionModel model, Map<String, Object> evaluation) {
    }

    /**
     * Runs (or resumes) a bi-level training and saves the fusion model (with its card), the task network and the
     * discriminator in the run folder, plus {@code evaluation.json}: fusion loss and segmentation mIoU of the
     * trained pair on the whole held-out images.
     *
     * @param init the warm-start model, or null for θ from scratch
     */
    public static Outcome run(Config cfg, Split data, FusionModel init, RunFolder run, boolean resume,
            boolean overwrite, Compute compute, TrainingSession.Listener listener) throws IOException {
        cfg.validate();
        TrainingSession session = TrainingSession.open(run, cfg, cfg.seed, cfg.steps, resume, overwrite);
        FusionModel model = init != null ? init
                : FusionModel.initialise(Width.parse(cfg.width), compute, DataType.FLOAT32);
        PixelDiscriminator disc = new PixelDiscriminator();
        disc.initialize(compute.root(), DataType.FLOAT32, PixelDiscriminator.initShape());
        SemanticTask task = newTask(cfg, data, compute);
        if (task instanceof MfNetSegmentationTask && cfg.segmentationLabels.equals("pseudo")) {
            MfNetSegmenter pseudo = new MfNetSegmenter(((MfNetSegmentationTask) task).network(), compute);
            data = new Split(MfNetSegmentationTask.pseudoLabelled(data.train(), pseudo),
                    MfNetSegmentationTask.pseudoLabelled(data.upper(), pseudo));
        }
        BilevelTrainer trainer = new BilevelTrainer(cfg, model.network(), disc, task, compute, DataType.FLOAT32);

        Map<String, Block> blocks = new LinkedHashMap<>();
        blocks.put("fusion", model.network());
        blocks.put("discriminator", disc);
        blocks.put("task", task.network());
        Map<String, Optimizer> optimizers = new LinkedHashMap<>();
        optimizers.put("upper", trainer.upperOptimizer);
        optimizers.put("lower.D", trainer.discriminatorOptimizer);
        optimizers.put("lower.T", trainer.taskOptimizer);
        long start = session.restore(compute, blocks, optimizers);
        CropSampler sampler = new CropSampler(data.train(), cfg.minCrop, cfg.maxCrop);
        CropSampler upperSampler = new CropSampler(data.upper(), cfg.minCrop, cfg.maxCrop);
        LearningRateSchedule upperSchedule = LearningRateSchedule.scaled(cfg.lr, cfg.steps);
        LearningRateSchedule lowerSchedule = LearningRateSchedule.scaled(cfg.lowerLr, cfg.steps);
        LearningRateSchedule taskSchedule = LearningRateSchedule.scaled(cfg.taskLr, cfg.steps);
        List<PairSample> previews = data.upper().subList(0, Math.min(2, data.upper().size()));
        for (long step = start + 1; step <= cfg.steps; step++) {
            Map<String, Object> values = trainer.step(step, sampler, upperSampler, upperSchedule, lowerSchedule,
                    taskSchedule);
            if (step % cfg.sampleEvery == 0 || step == cfg.steps) {
                WarmupTrainer.writeSamples(run, step, previews, model, compute);
            }
            // Wall-clock times stay out of the log so a resumed run's log equals an uninterrupted one's.
            Map<String, Object> logged = new LinkedHashMap<>(values);
            logged.remove("step.seconds");
            session.endStep(step, logged, step % cfg.upperEvery == 0 || step % cfg.logEvery == 0,
                    cfg.checkpointEvery, listener);
        }
        Map<String, Object> evaluation = trainer.evaluate(data.upper());
        AtomicFiles.writeString(run.dir().resolve("evaluation.json"), true,
                new com.google.gson.GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                        .toJson(evaluation) + "\n");
        saveBlock(disc, run.dir().resolve("discriminator.params"));
        saveBlock(task.network(), run.dir().resolve("task.params"));

        model.card().stage = "bilevel";
        model.card().trainingSteps = cfg.steps;
        model.card().trainingData = describeData(cfg);
        model.card().command = cfg.command;
        model.card().date = LocalDate.now().toString();
        model.card().notes = String.format(Locale.ROOT, "bi-level (%s, aggregation %s, K=%d, task %s) over %s; "
                + "held-out scores of its lower-level task network on %d images: %s", cfg.mode, cfg.aggregation,
                cfg.upperEvery, cfg.task, init == null ? "a network trained from scratch"
                        : "the warm-start model " + cfg.initModel, data.upper().size(), taskScores(evaluation));
        model.save(run.model(), true);
        return new Outcome(model, evaluation);
    }

    static List<String> describeData(Config cfg) {
        List<String> out = new ArrayList<>();
        for (String d : cfg.msrsWeak) {
            out.add(d + " (weak labels from boxes)");
        }
        for (String d : cfg.segmentation) {
            out.add(d + " (segmentation labels)");
        }
        if (cfg.synthetic > 0) {
            out.add(cfg.synthetic + " synthetic scenes");
        }
        return out;
    }

    private static void saveBlock(Block block, java.nio.file.Path file) throws IOException {
        AtomicFiles.write(file, true, tmp -> {
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(tmp))) {
                block.saveParameters(out);
            }
        });
    }

    /** The configured lower-level task, checking that the data carries its kind of ground truth. */
    static SemanticTask newTask(Config cfg, Split data, Compute compute) throws IOException {
        if (cfg.task.equals("detection")) {
            for (PairSample s : data.train()) {
                if (!s.hasBoxes()) {
                    throw new IllegalArgumentException(s.name() + ": detection as the task needs boxes for every "
                            + "pair (use --synthetic or --msrs-weak; segmentation datasets carry no boxes)");
                }
            }
            YoloV5n yolo = YoloV5n.load(java.nio.file.Path.of(cfg.detectorWeights), compute.root());
            ClassMapping map = ClassMapping.parse(cfg.classMap, ClassMapping.COCO,
                    org.irfuse.core.detection.DetectionDataset.MSRS_CLASSES);
            return new YoloDetectionTask(yolo, map, YoloDetectionTask.imageSize(cfg.maxCrop), compute);
        }
        MfNet mfnet = MfNet.load(java.nio.file.Path.of(cfg.segmenterWeights), compute.root());
        return new MfNetSegmentationTask(mfnet, compute,
                cfg.segmentationLabels.equals("pseudo") ? "MFNet pseudo-labels" : "labels");
    }

    /** The held-out task scores of an {@code evaluation.json} map as one line (mAP or mIoU). */
    public static String taskScores(Map<String, Object> evaluation) {
        if (evaluation.containsKey("heldout.mAP50")) {
            return String.format(Locale.ROOT, "mAP@0.5 %.4f, mAP@0.5:0.95 %.4f (VOC all-point)",
                    (Double) evaluation.get("heldout.mAP50"), (Double) evaluation.get("heldout.mAP50to95"));
        }
        return String.format(Locale.ROOT, "mIoU %.4f", (Double) evaluation.get("heldout.mIoU"))
                + (evaluation.containsKey("heldout.labels") ? " against " + evaluation.get("heldout.labels") : "");
    }

    /**
     * Fuses each whole sample (halo-tiled {@link Fuser}), runs the task network on its colour composite, and
     * reports the mean fusion loss with the task's scores: for segmentation one confusion matrix over all samples
     * (classes that never occur count as 0, as the MFNet papers compute mIoU); for detection mAP@0.5 and
     * mAP@0.5:0.95 against the samples' boxes.
     */
    public Map<String, Object> evaluate(List<PairSample> samples) {
        Fuser fuser = new Fuser(fusion, compute);
        List<Image> colour = new ArrayList<>();
        double fusionLoss = 0;
        for (PairSample s : samples) {
            float[] fused = fuser.fuseLuminance(s.ir(), s.y(), s.width(), s.height());
            try (NDManager scope = compute.newStep()) {
                Shape shape = new Shape(1, 1, s.height(), s.width());
                fusionLoss += scalar(FusionLoss.of(scope.create(fused, shape).toType(dataType, false),
                        scope.create(s.target(), shape).toType(dataType, false)));
            }
            colour.add(YCbCr.merge(s.width(), s.height(), fused, s.cb(), s.cr()));
        }
        Map<String, Object> scores = task.score(samples, colour);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heldout.images", samples.size());
        out.put("heldout.loss.fusion", fusionLoss / Math.max(1, samples.size()));
        out.putAll(scores);
        return out;
    }
}
