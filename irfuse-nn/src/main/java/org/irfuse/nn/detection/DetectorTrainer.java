package org.irfuse.nn.detection;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairDataset;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.core.detection.DetectionEvaluator;
import org.irfuse.core.pairs.ImagePair;
import org.irfuse.nn.optim.Adam;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Gradients;
import org.irfuse.nn.runtime.MixedPrecision;
import org.irfuse.nn.runtime.Precision;
import org.irfuse.nn.train.BatchArrays;
import org.irfuse.nn.train.LearningRateSchedule;
import org.irfuse.nn.train.RunFolder;
import org.irfuse.nn.train.TrainingListeners;
import org.irfuse.nn.train.TrainingLoop;
import org.irfuse.nn.train.TrainingSession;
import ai.djl.ndarray.NDArray;
import java.nio.file.Files;
import java.nio.file.Path;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.nn.model.ModelCard;
import org.irfuse.nn.model.ModelFolder;
import org.irfuse.nn.pretrained.ClassMapping;
import org.irfuse.nn.pretrained.NpzWeights;
import org.irfuse.nn.pretrained.YoloLoss;
import org.irfuse.nn.pretrained.YoloV5n;
import org.irfuse.nn.task.YoloDetectionTask;

/**
 * Trains a detector on one kind of image ({@link DetectorInput}: fused, infrared or visible) of a box-labelled
 * dataset, as {@link org.irfuse.nn.train.WarmupTrainer} trains the fusion network: random square crops and flips
 * that move the boxes with the image ({@link CropSampler}), batches drawn from per-step seeds (exact resume), Adam
 * with the scaled warm-up/decay schedule, atomic checkpoints, {@code log.jsonl}, and the final detector with its
 * card in the run folder's {@code model/}. The detector is the pretrained YOLOv5n, fine-tuned (a light FCOS-style
 * detector trained from scratch was removed: it reached held-out mAP@0.5 ≈ 0.01, docs/experiments.md).
 */
public final class DetectorTrainer {
    /** Options of a detector run (also written to the run's config.json). */
    public static final class Config {
        public String stage = "detector";
        /** The detector: {@code yolov5n}, fine-tuned from pretrained weights (the only one). */
        public String detector = "yolov5n";
        /** The pretrained weights (.npz) to start from. */
        public String initWeights;
        /** Keep the backbone (layers 0–9, YOLOv5's {@code --freeze 10}) fixed. */
        public boolean freezeBackbone;
        /** Detector class → dataset class map (default: by name). */
        public String classMap;
        public String input = DetectorInput.FUSED.id();
        public List<String> classes = new ArrayList<>(DetectionDataset.MSRS_CLASSES);
        public List<String> data = new ArrayList<>();
        public String fusionModel;
        public int steps = 1000;
        public int batch = 4;
        public int minCrop = 192;
        public int maxCrop = 320;
        /** Adam's peak rate: small, the network is pretrained (docs/experiments.md, "Fine-tuning YOLOv5n"). */
        public double lr = 1e-5;
        public double weightDecay = 1e-4;
        /**
         * fp32, or bf16: mixed precision (YOLOv5n's convolutions forward and backward in bfloat16 on per-step casts
         * of the float32 weights; the YOLOv5 loss, gradients and Adam in float32). Resolved before the run starts.
         */
        public String precision = "fp32";
        public int checkpointEvery = 100;
        public int logEvery = 10;
        public long seed = 1;
        public String command = "";

        /** Checks ranges ({@link org.irfuse.nn.train.SettingChecks}), naming the option. */
        public void validate() {
            org.irfuse.nn.train.SettingChecks.schedule(steps, batch, checkpointEvery, logEvery, 1);
            org.irfuse.nn.train.SettingChecks.crop(minCrop, maxCrop);
            org.irfuse.nn.train.SettingChecks.positive("lr", lr);
            org.irfuse.nn.train.SettingChecks.notNegative("weight-decay", weightDecay);
            org.irfuse.nn.train.SettingChecks.precision(precision);
        }
    }

    private DetectorTrainer() {
    }

    /**
     * The loss terms of one batch: {@code loss.detection} (the total, an NDArray, first) and any other terms
     * (NDArrays or numbers), all logged.
     */
    @FunctionalInterface
    interface BatchLoss {
        Map<String, Object> terms(NDArray image, CropSampler.Batch batch, NDManager scope);
    }

    /**
     * The detector's training loop: per-step batches, Adam on {@code params}, then the standard listeners
     * (divergence of the loss or gradient, log, checkpoints, progress).
     */
    private static void loop(Config cfg, List<PairSample> samples, RunFolder run, long start,
            List<Parameter> params, Map<String, Block> blocks, Adam adam, Compute compute,
            TrainingSession.Listener listener, BatchLoss loss) throws IOException {
        DetectorInput input = DetectorInput.parse(cfg.input);
        CropSampler sampler = new CropSampler(samples, cfg.minCrop, cfg.maxCrop);
        LearningRateSchedule schedule = LearningRateSchedule.scaled(cfg.lr, cfg.steps);
        long t0 = System.nanoTime();
        new TrainingLoop()
                .listen(TrainingListeners.divergence(k -> k.equals("loss.detection") || k.equals("gradnorm.detector"),
                        "lower --lr"))
                .listen(TrainingListeners.log(run, cfg.logEvery, step -> false, Set.of()))
                .listen(TrainingListeners.checkpoint(run, cfg.checkpointEvery, blocks, Map.of("detector", adam)))
                .listen(TrainingListeners.progress(listener))
                .run(start, cfg.steps, step -> {
                    double lr = schedule.at(step);
                    CropSampler.Batch batch = sampler.next(CropSampler.forStep(cfg.seed, step), cfg.batch);
                    Map<String, Object> values = new LinkedHashMap<>();
                    values.put("step", step);
                    values.put("stage", "detector");
                    values.put("lr", lr);
                    try (NDManager scope = compute.newStep()) {
                        BatchArrays b = BatchArrays.of(batch, scope, DataType.FLOAT32);
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            Map<String, Object> terms = loss.terms(input.image(b), batch, scope);
                            gc.backward((NDArray) terms.get("loss.detection"));
                            terms.forEach((k, v) -> values.put(k, v instanceof NDArray a ? (Object) (double) a.getFloat()
                                    : v));
                        }
                        NDList grads = Gradients.takeAndZero(params, scope);
                        double norm = Math.sqrt(Gradients.squaredNorm(grads));
                        values.put("gradnorm.detector", norm);
                        if (Double.isFinite(norm)) {
                            adam.step(params, grads, lr);
                        }
                    }
                    values.put("seconds", (System.nanoTime() - t0) / 1e9);
                    return values;
                });
    }

    /** A fine-tuned YOLOv5n: the network and the card saved beside its weights. */
    public record YoloRun(YoloV5n network, ClassMapping classes, ModelCard card, Path weights) {
    }

    /**
     * Fine-tunes YOLOv5n from {@code cfg.initWeights} with {@link YoloLoss} (via {@link YoloDetectionTask}) on
     * {@code samples} (prepared for the input, with boxes), with per-step batches, checkpoints and exact resume; BatchNorm stays frozen at the checkpoint's running statistics (batches of a few crops would make
     * batch statistics noise; γ and β train). With {@code freezeBackbone} layers 0–9 take no gradient. Saves
     * {@code model/yolov5n.npz} (the original array names: {@code --detector-weights} loads it) and its card.
     */
    public static YoloRun fineTuneYolo(Config cfg, List<PairSample> samples, RunFolder run, boolean resume,
            boolean overwrite, Compute compute, TrainingSession.Listener listener) throws IOException {
        if (cfg.initWeights == null || cfg.initWeights.isBlank()) {
            throw new IllegalArgumentException("--detector yolov5n needs --init-weights FILE.npz (the pretrained "
                    + "YOLOv5n weights)");
        }
        for (PairSample s : samples) {
            if (!s.hasBoxes()) {
                throw new IllegalArgumentException(s.name() + ": training a detector needs boxes for every sample");
            }
        }
        cfg.validate();
        // Stored resolved, so a resumed run keeps the precision it started with on any machine.
        Precision resolved = Precision.resolve(cfg.precision, compute.device());
        cfg.precision = resolved.id();
        MixedPrecision precision = MixedPrecision.of(compute, resolved);
        TrainingSession session = TrainingSession.open(run, cfg, cfg.seed, resume, overwrite);
        YoloV5n net = YoloV5n.load(Path.of(cfg.initWeights), compute.root());
        ClassMapping classes = ClassMapping.parse(cfg.classMap, ClassMapping.COCO, cfg.classes);
        YoloDetectionTask task = new YoloDetectionTask(net, classes, YoloDetectionTask.imageSize(cfg.maxCrop),
                compute);
        Adam adam = new Adam(compute.root(), cfg.weightDecay);
        Map<String, Block> blocks = Map.of("detector", net);
        long start = session.restore(compute, blocks, Map.of("detector", adam));
        List<Parameter> params = YoloDetectionTask.trainable(net, cfg.freezeBackbone);
        loop(cfg, samples, run, start, params, blocks, adam, compute, listener, (image, batch, scope) -> {
            YoloLoss.Parts parts = task.parts(precision, image, batch, scope, true);
            Map<String, Object> terms = new LinkedHashMap<>();
            terms.put("loss.detection", parts.total());
            terms.put("loss.box", parts.box());
            terms.put("loss.objectness", parts.objectness());
            terms.put("loss.classification", parts.classification());
            terms.put("targets", parts.targets());
            return terms;
        });
        Path weights = run.model().resolve(YOLO_WEIGHTS_FILE);
        NpzWeights.save(net, weights, true);
        ModelCard card = new ModelCard();
        card.architecture = "yolov5n";
        card.parametersFile = YOLO_WEIGHTS_FILE;
        card.parameters = ModelFolder.parameterCount(net);
        card.parametersSha256 = ModelFolder.sha256(Files.readAllBytes(weights));
        card.stage = "detector";
        card.classes = new ArrayList<>(cfg.classes);
        card.input = cfg.input;
        card.trainingSteps = cfg.steps;
        card.trainingData = new ArrayList<>(cfg.data);
        card.command = cfg.command;
        card.date = LocalDate.now().toString();
        card.notes = "YOLOv5n fine-tuned from " + cfg.initWeights + " with the YOLOv5 loss (CIoU box, IoU-target "
                + "objectness, class BCE; hyp.scratch-low gains), Adam; classes " + classes + "; "
                + (cfg.freezeBackbone ? "backbone (layers 0-9) frozen; " : "all layers trained; ")
                + "BatchNorm frozen at the pretrained running statistics"
                + (cfg.fusionModel != null ? "; trained on images fused by " + cfg.fusionModel : "")
                + ". Load with --detector-weights " + YOLO_WEIGHTS_FILE + ".";
        AtomicFiles.writeString(run.model().resolve(ModelCard.FILE_NAME), true, card.toJson());
        return new YoloRun(net, classes, card, weights);
    }

    /** The weights file of a fine-tuned YOLOv5n in the run's {@code model/} folder. */
    public static final String YOLO_WEIGHTS_FILE = "yolov5n.npz";

    /** mAP of any detector over whole (prepared) samples against their boxes. */
    public static DetectionEvaluator.Result evaluate(java.util.function.Function<org.irfuse.core.image.Image,
            List<Box>> detector, int classes, List<PairSample> samples, DetectorInput input) {
        DetectionEvaluator eval = new DetectionEvaluator(classes);
        for (PairSample s : samples) {
            eval.add(s.name(), s.boxes(), detector.apply(input.image(s)));
        }
        return eval.evaluate();
    }

    /** The pairs of a detection dataset in memory, each with its boxes (pixel coordinates). */
    public static List<PairSample> load(DetectionDataset dataset) throws IOException {
        List<PairSample> out = new ArrayList<>();
        for (DetectionDataset.Sample s : dataset.samples()) {
            PairSample pair = PairDataset.load(new ImagePair(s.id(), s.infrared(), s.visible()), s.id());
            out.add(pair.withTruth(null, dataset.boxes(s)));
        }
        return out;
    }
}
