package org.irfuse.nn.detection;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairDataset;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.core.detection.DetectionEvaluator;
import org.irfuse.core.pairs.ImagePair;
import org.irfuse.nn.model.DetectorModel;
import org.irfuse.nn.optim.Adam;
import org.irfuse.nn.optim.Optimizer;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Gradients;
import org.irfuse.nn.train.BatchArrays;
import org.irfuse.nn.train.LearningRateSchedule;
import org.irfuse.nn.train.RunFolder;
import org.irfuse.nn.train.TrainingSession;

/**
 * Trains a detector on one kind of image ({@link DetectorInput}: fused, infrared or visible) of a box-labelled
 * dataset, as {@link org.irfuse.nn.train.WarmupTrainer} trains the fusion network: random square crops and flips
 * that move the boxes with the image ({@link CropSampler}), batches drawn from per-step seeds (exact resume), Adam
 * with the scaled warm-up/decay schedule, atomic checkpoints, {@code log.jsonl}, and the final detector with its
 * card in the run folder's {@code model/}.
 */
public final class DetectorTrainer {
    /** Options of a detector run (also written to the run's config.json). */
    public static final class Config {
        public String stage = "detector";
        public String input = DetectorInput.FUSED.id();
        public List<String> classes = new ArrayList<>(DetectionDataset.MSRS_CLASSES);
        public int width = 16;
        public int levels = 3;
        public List<String> data = new ArrayList<>();
        public String fusionModel;
        public int steps = 1000;
        public int batch = 4;
        public int minCrop = 192;
        public int maxCrop = 320;
        public double lr = 1e-3;
        public double weightDecay = 1e-4;
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
            org.irfuse.nn.train.SettingChecks.atLeast("width", width, 1);
        }
    }

    private DetectorTrainer() {
    }

    /**
     * Runs (or resumes) a detector run on {@code samples} (already {@linkplain DetectorInput#prepare prepared}
     * for the input, each with its boxes) and saves the detector in the run folder.
     */
    public static DetectorModel run(Config cfg, List<PairSample> samples, RunFolder run, boolean resume,
            boolean overwrite, Compute compute, TrainingSession.Listener listener) throws IOException {
        cfg.validate();
        DetectorInput input = DetectorInput.parse(cfg.input);
        for (PairSample s : samples) {
            if (!s.hasBoxes()) {
                throw new IllegalArgumentException(s.name() + ": training a detector needs boxes for every sample");
            }
        }
        TrainingSession session = TrainingSession.open(run, cfg, cfg.seed, cfg.steps, resume, overwrite);
        DetectorModel model = DetectorModel.initialise(cfg.classes, cfg.width, cfg.levels, input, compute);
        DetectionTask task = new DetectionTask(model.network());
        List<Parameter> params = new ArrayList<>();
        for (Pair<String, Parameter> p : model.network().getParameters()) {
            params.add(p.getValue());
        }
        Adam adam = new Adam(compute.root(), cfg.weightDecay);
        Map<String, Block> blocks = Map.of("detector", model.network());
        Map<String, Optimizer> optimizers = Map.of("detector", adam);
        long start = session.restore(compute, blocks, optimizers);
        CropSampler sampler = new CropSampler(samples, cfg.minCrop, cfg.maxCrop);
        LearningRateSchedule schedule = LearningRateSchedule.scaled(cfg.lr, cfg.steps);
        long t0 = System.nanoTime();
        for (long step = start + 1; step <= cfg.steps; step++) {
            double lr = schedule.at(step);
            CropSampler.Batch batch = sampler.next(CropSampler.forStep(cfg.seed, step), cfg.batch);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("step", step);
            values.put("stage", "detector");
            values.put("lr", lr);
            try (NDManager scope = compute.newStep()) {
                BatchArrays b = BatchArrays.of(batch, scope, DataType.FLOAT32);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    FcosLoss.Parts parts = task.parts(compute.parameters(), input.image(b), batch, scope, true);
                    gc.backward(parts.total());
                    values.put("loss.detection", (double) parts.total().getFloat());
                    values.put("loss.classification", (double) parts.classification().getFloat());
                    values.put("loss.box", (double) parts.box().getFloat());
                    values.put("loss.centerness", (double) parts.centerness().getFloat());
                    values.put("positives", parts.positives());
                }
                NDList grads = Gradients.takeAndZero(params, scope);
                double norm = Math.sqrt(Gradients.squaredNorm(grads));
                if (!Double.isFinite(norm) || !Double.isFinite((Double) values.get("loss.detection"))) {
                    throw new org.irfuse.nn.train.TrainingDivergedException("training diverged: the loss or "
                            + "gradient became non-finite at step " + step
                            + " (loss " + values.get("loss.detection") + "); lower --lr");
                }
                values.put("gradnorm.detector", norm);
                adam.step(params, grads, lr);
            }
            values.put("seconds", (System.nanoTime() - t0) / 1e9);
            session.endStep(step, values, step % cfg.logEvery == 0, cfg.checkpointEvery, listener);
        }
        model.card().stage = "detector";
        model.card().trainingSteps = cfg.steps;
        model.card().trainingData = new ArrayList<>(cfg.data);
        model.card().command = cfg.command;
        model.card().date = LocalDate.now().toString();
        if (cfg.fusionModel != null) {
            model.card().notes = "trained on images fused by " + cfg.fusionModel;
        }
        model.save(run.model(), true);
        return model;
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

    /** mAP of a detector over whole (prepared) samples against their boxes. */
    public static DetectionEvaluator.Result evaluate(Detector detector, List<PairSample> samples,
            DetectorInput input) {
        DetectionEvaluator eval = new DetectionEvaluator(detector.network().numClasses());
        for (PairSample s : samples) {
            List<Box> det = detector.detect(input.image(s));
            eval.add(s.name(), s.boxes(), det);
        }
        return eval.evaluate();
    }
}
