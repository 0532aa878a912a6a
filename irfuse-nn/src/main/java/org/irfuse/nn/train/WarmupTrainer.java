package org.irfuse.nn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.image.YCbCr;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.loss.FusionLoss;
import org.irfuse.nn.loss.LossInputs;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.optim.Adam;
import org.irfuse.nn.optim.Optimizer;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Gradients;
import org.irfuse.nn.runtime.MixedPrecision;
import org.irfuse.nn.runtime.Precision;

/**
 * Stage 1 of METHOD.md's schedule: the fusion network alone on {@code L_fus}, with random crops and flips, Adam,
 * the scaled warm-up/decay learning-rate schedule, periodic atomic checkpoints and exact resume.
 */
public final class WarmupTrainer {
    /** Options of a warm-start run (also written to the run's config.json). */
    public static final class Config {
        public String stage = "warmup";
        public String width = Width.LITE.id();
        /** A saved model to start from (fine-tuning, or continuing a warm start); its width replaces {@link #width}. */
        public String initModel;
        public List<String> data = new ArrayList<>();
        public int steps = 2000;
        public int batch = 4;
        public int minCrop = 96;
        public int maxCrop = 160;
        public double lr = 1e-3;
        public int checkpointEvery = 100;
        public int logEvery = 10;
        public int sampleEvery = 500;
        public long seed = 1;
        /**
         * fp32, or bf16: mixed precision (forward and backward convolutions in bfloat16, loss, gradients and Adam
         * on float32 master weights). Resolved before the run starts; auto is not stored.
         */
        public String precision = "fp32";
        /** Number of synthetic scenes added to (or, without data, used as) the training set. */
        public int synthetic = 0;
        /** The fusion loss ({@link FusionLoss#parse}: weighted named terms; default METHOD.md's L_fus). */
        public String loss = FusionLoss.DEFAULT_SPEC;
        public String command = "";

        /** Checks ranges and names ({@link SettingChecks}); throws IllegalArgumentException naming the option. */
        public void validate() {
            Width.parse(width);
            SettingChecks.schedule(steps, batch, checkpointEvery, logEvery, sampleEvery);
            SettingChecks.crop(minCrop, maxCrop);
            SettingChecks.positive("lr", lr);
            SettingChecks.atLeast("synthetic", synthetic, 0);
            // Stored canonical, so --resume sees saliency=1.0 and saliency=1 as the same setting.
            loss = FusionLoss.parse(loss).spec();
            SettingChecks.precision(precision);
        }
    }

    private WarmupTrainer() {
    }

    /** Runs (or resumes) a warm start and saves the final model in the run folder. */
    public static FusionModel run(Config cfg, List<PairSample> samples, RunFolder run, boolean resume,
            boolean overwrite, Compute compute, TrainingSession.Listener listener) throws IOException {
        cfg.validate();
        // Stored resolved, so a resumed run keeps the precision it started with on any machine.
        cfg.precision = Precision.resolve(cfg.precision, compute.device()).id();
        FusionModel init = null;
        if (cfg.initModel != null && !cfg.initModel.isBlank()) {
            init = FusionModel.load(Path.of(cfg.initModel), compute);
            cfg.width = init.card().width;
        }
        TrainingSession session = TrainingSession.open(run, cfg, cfg.seed, resume, overwrite);
        FusionModel model = init != null ? init
                : FusionModel.initialise(Width.parse(cfg.width), compute, DataType.FLOAT32);
        List<Parameter> params = new ArrayList<>();
        for (Pair<String, Parameter> p : model.network().getParameters()) {
            params.add(p.getValue());
        }
        Adam adam = new Adam(compute.root(), 0);
        Map<String, Block> blocks = Map.of("fusion", model.network());
        Map<String, Optimizer> optimizers = Map.of("fusion", adam);
        long start = session.restore(compute, blocks, optimizers);
        CropSampler sampler = new CropSampler(samples, cfg.minCrop, cfg.maxCrop);
        LearningRateSchedule schedule = LearningRateSchedule.scaled(cfg.lr, cfg.steps);
        List<PairSample> previews = samples.subList(0, Math.min(2, samples.size()));
        MixedPrecision mixed = MixedPrecision.of(compute, Precision.resolve(cfg.precision, compute.device()));
        FusionLoss fusionLoss = FusionLoss.parse(cfg.loss);
        long t0 = System.nanoTime();
        new TrainingLoop()
                .listen(TrainingListeners.divergence("loss.fusion"::equals, "lower --lr"))
                .listen(TrainingListeners.samples(run, cfg.sampleEvery, previews, model, compute))
                .listen(TrainingListeners.log(run, cfg.logEvery, step -> false, Set.of()))
                .listen(TrainingListeners.checkpoint(run, cfg.checkpointEvery, blocks, optimizers))
                .listen(TrainingListeners.progress(listener))
                .run(start, cfg.steps, step -> {
                    double lr = schedule.at(step);
                    CropSampler.Batch batch = sampler.next(CropSampler.forStep(cfg.seed, step), cfg.batch);
                    double loss;
                    Map<String, Double> terms;
                    try (NDManager scope = compute.newStep()) {
                        BatchArrays b = BatchArrays.of(batch, scope, DataType.FLOAT32);
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray fused = model.network().fuse(mixed, scope, b.infrared(), b.luminance(), true);
                            FusionLoss.Evaluation l = fusionLoss.evaluate(
                                    new LossInputs(fused, b.infrared(), b.luminance(), b.target()));
                            gc.backward(l.total());
                            loss = l.total().getFloat();
                            terms = l.logged();
                        }
                        NDList grads = Gradients.takeAndZero(params, scope);
                        adam.step(params, grads, lr);
                    }
                    Map<String, Object> values = new LinkedHashMap<>();
                    values.put("step", step);
                    values.put("stage", "warmup");
                    values.put("lr", lr);
                    values.put("loss.fusion", loss);
                    values.putAll(terms);
                    values.put("seconds", (System.nanoTime() - t0) / 1e9);
                    return values;
                });
        model.card().stage = "warmup";
        // A card inherited from --init-model describes the old parameters: its metrics and notes no longer hold.
        model.card().metrics.clear();
        model.card().notes = init == null ? null : "warm start continued from " + cfg.initModel;
        model.card().trainingSteps = cfg.steps;
        model.card().trainingData = new ArrayList<>(cfg.data);
        if (cfg.synthetic > 0) {
            model.card().trainingData.add(cfg.synthetic + " synthetic scenes");
        }
        model.card().command = cfg.command;
        model.card().date = LocalDate.now().toString();
        model.save(run.model(), true);
        return model;
    }

    /** Fuses the first preview pairs (centre crop at most 256 px) into {@code samples/step-N/}. */
    static void writeSamples(RunFolder run, long step, List<PairSample> previews, FusionModel model, Compute compute)
            throws IOException {
        try (Fuser fuser = new Fuser(model.network(), compute)) {
            for (PairSample s : previews) {
                int side = Math.min(256, Math.min(s.width(), s.height()));
                int x0 = (s.width() - side) / 2;
                int y0 = (s.height() - side) / 2;
                float[] ir = Fuser.crop(s.ir(), s.width(), x0, y0, side, side);
                float[] y = Fuser.crop(s.y(), s.width(), x0, y0, side, side);
                float[] fused = fuser.fuseLuminance(ir, y, side, side);
                float[] cb = Fuser.crop(s.cb(), s.width(), x0, y0, side, side);
                float[] cr = Fuser.crop(s.cr(), s.width(), x0, y0, side, side);
                run.writeSample(step, s.name(), YCbCr.merge(side, side, fused, cb, cr));
            }
        }
    }
}
