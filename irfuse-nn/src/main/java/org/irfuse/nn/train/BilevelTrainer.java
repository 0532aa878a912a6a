package org.irfuse.nn.train;

import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.util.Pair;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.nn.bilevel.Aggregation;
import org.irfuse.nn.bilevel.Hypergradient;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.loss.FusionLoss;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.modules.PixelDiscriminator;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;
import org.irfuse.nn.task.SemanticTask;
import org.irfuse.nn.task.MfNetSegmentationTask;
import org.irfuse.nn.task.YoloDetectionTask;

/**
 * A bi-level training run (METHOD.md, Schedule 2–4): its settings ({@link Config}), the networks (θ from the
 * warm-start model, ω_D fresh, ω_T pretrained from {@link SemanticTasks}), the {@link BilevelStep} engine on a
 * {@link TrainingLoop} with the standard listeners, and what the run leaves behind (model, task and discriminator
 * parameters, held-out evaluation). All levels follow the scaled warm-up/decay schedule
 * ({@link LearningRateSchedule}). Checkpoints hold all three networks (BatchNorm statistics included) and all three
 * optimizers, so {@code --resume} continues exactly as an uninterrupted run.
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
         * Peak learning rate of the pretrained task network ω_T (lower level); null: {@link #defaultTaskLr} of the
         * task, stored resolved in config.json. SGD with momentum 0.9 moves a weight by about 10·lr·|g| per step,
         * Adam by about lr whatever the gradient; Adam at 1e-4 on all layers destroyed YOLOv5n, 1e-5 with a frozen
         * backbone helped (docs/experiments.md). The defaults put the SGD step near that 1e-5 for each network's
         * gradients on MSRS crops (median |g| about 4e-4 for YOLOv5n, 1e-2 for MFNet; docs/bilevel.md).
         */
        public Double taskLr;
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
        /**
         * fp32, or bf16: mixed precision for θ and ω_D (their convolutions forward and backward in bfloat16 on
         * per-pass casts of the float32 weights); ω_T, ω_D's BatchNorm, every loss, gradient, r_k, aggregation and
         * SGD state stay float32 ({@link org.irfuse.nn.bilevel.BilevelObjectives} says why). Resolved before the
         * run starts; auto is not stored.
         */
        public String precision = "fp32";
        /** The fusion loss L_fus in f_D, f̃_D and F_D ({@link FusionLoss#parse}; default METHOD.md's). */
        public String loss = FusionLoss.DEFAULT_SPEC;
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
            if (taskLr != null) {
                SettingChecks.positive("task-lr", taskLr);
            }
            SettingChecks.notNegative("upper-clip", upperClip);
            SettingChecks.precision(precision);
            // Stored canonical, so --resume sees saliency=1.0 and saliency=1 as the same setting.
            loss = FusionLoss.parse(loss).spec();
        }

        /** {@link #taskLr}, or the task's default when none is set. */
        public double taskLr() {
            return taskLr != null ? taskLr : defaultTaskLr(task);
        }

        /** SGD peak rate of a pretrained task network: YOLOv5n 1e-3, MFNet 1e-4 (see {@link #taskLr}). */
        public static double defaultTaskLr(String task) {
            return task.equals("detection") ? 1e-3 : 1e-4;
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

    // ---------------------------------------------------------------------------------------------- whole runs

    private BilevelTrainer() {
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
    public static Outcome run(Config cfg, HeldOutSplit split, FusionModel init, RunFolder run, boolean resume,
            boolean overwrite, Compute compute, TrainingSession.Listener listener) throws IOException {
        cfg.validate();
        // Stored resolved, so config.json says which rate the task trained at (and a resumed run keeps it).
        cfg.taskLr = cfg.taskLr();
        // Stored resolved, so a resumed run keeps the precision it started with on any machine.
        cfg.precision = Precision.resolve(cfg.precision, compute.device()).id();
        TrainingSession session = TrainingSession.open(run, cfg, cfg.seed, resume, overwrite);
        FusionModel model = init != null ? init
                : FusionModel.initialise(Width.parse(cfg.width), compute, DataType.FLOAT32);
        PixelDiscriminator disc = new PixelDiscriminator();
        disc.initialize(compute.root(), DataType.FLOAT32, PixelDiscriminator.initShape());
        SemanticTasks.Prepared prepared = SemanticTasks.prepare(cfg, split, compute);
        SemanticTask task = prepared.task();
        HeldOutSplit data = prepared.data();
        BilevelStep engine = new BilevelStep(cfg, model.network(), disc, task, compute, DataType.FLOAT32);

        Map<String, Block> blocks = new LinkedHashMap<>();
        blocks.put("fusion", model.network());
        blocks.put("discriminator", disc);
        blocks.put("task", task.network());
        long start = session.restore(compute, blocks, engine.optimizers());
        CropSampler sampler = new CropSampler(data.train(), cfg.minCrop, cfg.maxCrop);
        CropSampler upperSampler = new CropSampler(data.upper(), cfg.minCrop, cfg.maxCrop);
        BilevelStep.Schedules schedules = BilevelStep.Schedules.of(cfg);
        List<PairSample> previews = data.upper().subList(0, Math.min(2, data.upper().size()));
        new TrainingLoop()
                // r_k may be infinite when ‖∇ωf_k‖ is 0 (logged as such); everything else must stay finite.
                .listen(TrainingListeners.divergence(key -> !key.startsWith("r."),
                        "lower the learning rates (--lr, --lower-lr, --task-lr)"))
                .listen(TrainingListeners.samples(run, cfg.sampleEvery, previews, model, compute))
                // Every upper step is logged; wall-clock times stay out so a resumed log equals an uninterrupted one.
                .listen(TrainingListeners.log(run, cfg.logEvery, step -> step % cfg.upperEvery == 0,
                        Set.of("step.seconds")))
                .listen(TrainingListeners.checkpoint(run, cfg.checkpointEvery, blocks, engine.optimizers()))
                .listen(TrainingListeners.progress(listener))
                .run(start, cfg.steps, step -> engine.step(step, sampler, upperSampler, schedules));
        Map<String, Object> evaluation = engine.evaluate(data.upper());
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

    /** The held-out task scores of an {@code evaluation.json} map as one line (mAP or mIoU). */
    public static String taskScores(Map<String, Object> evaluation) {
        if (evaluation.containsKey("heldout.mAP50")) {
            return String.format(Locale.ROOT, "mAP@0.5 %.4f, mAP@0.5:0.95 %.4f (VOC all-point)",
                    (Double) evaluation.get("heldout.mAP50"), (Double) evaluation.get("heldout.mAP50to95"));
        }
        return String.format(Locale.ROOT, "mIoU %.4f", (Double) evaluation.get("heldout.mIoU"))
                + (evaluation.containsKey("heldout.labels") ? " against " + evaluation.get("heldout.labels") : "");
    }
}
