package org.irfuse.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.irfuse.core.datasets.LabelledPairs;
import org.irfuse.core.datasets.PairDataset;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.segmentation.ClassPalette;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.train.BilevelTrainer;
import org.irfuse.nn.train.HeldOutSplit;
import org.irfuse.nn.train.RunConfig;
import org.irfuse.nn.train.RunFolder;
import org.irfuse.nn.train.WarmupTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse train}: trains a fusion model into a run folder (config, log, checkpoints, samples, model).
 * {@code --stage warmup} trains θ alone on the fusion loss; {@code --stage bilevel} runs bi-level dynamic learning
 * (METHOD.md) against a pixel discriminator and a pretrained segmentation (MFNet) or detection (YOLOv5n) network.
 * Settings are layered by {@link RunConfig}: the built-in defaults (on {@code --resume}: the run's config.json),
 * then {@code --config run.yaml|json}, then the options given on the command line.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a fusion model.",
            "  --stage warmup: the fusion network alone on the fusion loss.",
            "  --stage bilevel: bi-level training against a pixel discriminator and a pretrained segmentation "
                + "network (MFNet, --segmenter-weights) or detector (YOLOv5n, --task detection --detector-weights), with "
                + "labelled data: --synthetic N (generated scenes, exact masks), --msrs-weak DIR (real MSRS pairs, "
                + "weak labels = filled detection boxes), --seg-data ROOT[:SPLIT] (MSRS/MFNet layout, real masks)."})
public final class TrainCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ImageLimits imageLimits;

    @Option(names = "--stage", paramLabel = "warmup|bilevel", description = "warmup (default) or bilevel") String stage;
    @Option(names = "--config", paramLabel = "FILE", description = "run settings in YAML or JSON; options override")
    Path config;

    @Option(names = "--data", paramLabel = "DIR",
            description = "warmup: a folder with ir/ and vi/ sub-folders of paired images; repeat for several")
    List<Path> data;
    @Option(names = "--synthetic", paramLabel = "N",
            description = "N generated scenes (320x240, exact labels)") Integer synthetic;
    @Option(names = "--msrs-weak", paramLabel = "DIR",
            description = "bilevel: MSRS-layout pairs (ir/, vi/, det_labels/fusion/) with weak box labels")
    List<String> msrsWeak;
    @Option(names = "--seg-data", paramLabel = "ROOT[:SPLIT]",
            description = "bilevel: MSRS/MFNet-layout segmentation dataset (split default train)")
    List<String> segmentation;

    @Option(names = "--width", paramLabel = "paper|lite|nano",
            description = "network width: paper (64/32), lite (32/16), nano (16/8)") String width;
    @Option(names = "--init-model", paramLabel = "DIR", description = "start θ from this saved model (bilevel: the "
            + "warm-start model; warmup: fine-tune or continue a model, whose width is used)")
    String initModel;
    @Option(names = "--steps", paramLabel = "N",
            description = "training steps (default: warmup 2000, bilevel 1000)") Integer steps;
    @Option(names = "--batch", paramLabel = "N",
            description = "crops per step (default: warmup 4, bilevel 2)") Integer batch;
    @Option(names = "--crop", paramLabel = "MIN:MAX",
            description = "random crop side range MIN:MAX (pixels)") String crop;
    @Option(names = "--lr", paramLabel = "LR",
            description = "peak learning rate (warmup: Adam; bilevel: upper SGD for θ)") Double lr;
    @Option(names = "--lower-lr", paramLabel = "LR",
            description = "bilevel: peak learning rate of the discriminator's SGD (ω_D, "
            + "from scratch; default 1e-2)")
    Double lowerLr;
    @Option(names = "--task-lr", paramLabel = "LR",
            description = "bilevel: peak learning rate of the pretrained task network's SGD "
            + "(ω_T; default: YOLOv5n 1e-3, MFNet 1e-4, see docs/bilevel.md)")
    Double taskLr;
    @Option(names = "--task-freeze-backbone", paramLabel = "BOOL",
            description = "bilevel, --task detection: keep YOLOv5n's backbone "
            + "(layers 0-9) fixed", arity = "0..1", fallbackValue = "true")
    Boolean taskFreezeBackbone;
    @Option(names = "--upper-every", paramLabel = "K", description = "bilevel: one upper step every K steps")
    Integer upperEvery;
    @Option(names = "--upper-batch", paramLabel = "N",
            description = "bilevel: crops per upper step (default: 2)") Integer upperBatch;
    @Option(names = "--upper-share", paramLabel = "F",
            description = "bilevel: share of each data source held out for upper batches")
    Double upperShare;
    @Option(names = "--aggregation", paramLabel = "mean|random|norm|mgda",
            description = "bilevel: mean, random, norm or mgda") String aggregation;
    @Option(names = "--mode", paramLabel = "MODE",
            description = "bilevel (METHOD.md), release-compat (the public release's gradients) "
            + "or alternating (no hypergradient)") String mode;
    @Option(names = "--upper-clip", paramLabel = "NORM",
            description = "bilevel: clip the upper gradient to this norm (0: off)")
    Double upperClip;
    @Option(names = "--task", paramLabel = "segmentation|detection",
            description = "bilevel: the semantic module, segmentation (default; pretrained MFNet, "
            + "--segmenter-weights) or detection (pretrained YOLOv5n, --detector-weights; needs boxes: --synthetic "
            + "or --msrs-weak)") String task;
    @Option(names = "--detector-weights", paramLabel = "FILE", description = "bilevel, --task detection (required): "
            + "pretrained YOLOv5n weights (.npz), fine-tuned with the YOLOv5 loss")
    String detectorWeights;
    @Option(names = "--class-map", paramLabel = "COCO=CLASS,...",
            description = "bilevel, YOLOv5n: detector=dataset classes (default: by name, "
            + "person, bicycle, car)") String classMap;
    @Option(names = "--segmenter-weights", paramLabel = "FILE", description = "bilevel, --task segmentation "
            + "(required): pretrained MFNet weights (.npz) fed (C(fused, vis), ir)")
    String segmenterWeights;
    @Option(names = "--segmentation-labels", paramLabel = "labels|pseudo",
            description = "bilevel, MFNet: labels (the data's, default) or "
            + "pseudo (MFNet's own predictions on the visible image)") String segmentationLabels;
    @Option(names = "--loss", paramLabel = "SPEC", description = "fusion loss as weighted terms NAME=WEIGHT,... "
            + "(default saliency=1: METHOD.md's L1 + 1.1(1 - SSIM) towards the saliency target); terms: saliency, "
            + "intensity (|F - max(I,Y)|), texture (Sobel |grad F| against max(|grad I|, |grad Y|)); "
            + "e.g. saliency=1,intensity=0.5,texture=1") String loss;
    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "save a checkpoint every N steps (default: 100)") Integer checkpointEvery;
    @Option(names = "--sample-every", paramLabel = "N",
            description = "write sample fusions every N steps (default: 500)") Integer sampleEvery;
    @Option(names = "--log-every", paramLabel = "N",
            description = "log losses every N steps (default: 10)") Integer logEvery;
    @Option(names = "--seed", paramLabel = "N",
            description = "random seed of crops and initialisation (default: 1)") Long seed;

    @Option(names = {"--run-dir", "-o"}, paramLabel = "DIR", required = true,
            description = "run folder (config, log, checkpoints, model)")
    Path runDir;
    @Option(names = "--resume", description = "continue from the run folder's last checkpoint") boolean resume;
    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;
    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;
    @picocli.CommandLine.Mixin
    SharedOptions.Device deviceOption;
    @Option(names = "--precision", paramLabel = "P", description = "fp32 (default), bf16 or auto: bf16 is mixed "
            + "precision (convolutions of the fusion network and, bilevel, of the discriminator in bf16; the task "
            + "network, losses, gradients and optimizers in float32); stored resolved, a resume keeps it")
    String precision;


    @Override
    public Integer call() throws Exception {
        JsonObject fromFile = config == null ? new JsonObject() : RunConfig.readFile(config);
        RunFolder resumeFrom = resume ? new RunFolder(runDir) : null;
        String chosen = RunConfig.stage(stage, fromFile, resumeFrom, "warmup");
        if (threadsOption.threads != null) {
            Compute.configureThreads(threadsOption.threads);
        }
        switch (chosen) {
            case "warmup":
                return warmup(RunConfig.layer(WarmupTrainer.Config.class, "warmup", fromFile, config, overrides(),
                        resumeFrom));
            case "bilevel":
                return bilevel(RunConfig.layer(BilevelTrainer.Config.class, "bilevel", fromFile, config, overrides(),
                        resumeFrom));
            default:
                throw new UserException("unknown --stage '" + chosen + "' (expected warmup or bilevel)");
        }
    }

    /** The options given on the command line, by config field name. */
    Map<String, Object> overrides() {
        Map<String, Object> o = new LinkedHashMap<>();
        put(o, "width", width);
        put(o, "initModel", initModel);
        put(o, "steps", steps);
        put(o, "batch", batch);
        if (crop != null) {
            int[] r = parseCrop(crop);
            o.put("minCrop", r[0]);
            o.put("maxCrop", r[1]);
        }
        put(o, "lr", lr);
        put(o, "lowerLr", lowerLr);
        put(o, "taskLr", taskLr);
        put(o, "taskFreezeBackbone", taskFreezeBackbone);
        put(o, "upperEvery", upperEvery);
        put(o, "upperBatch", upperBatch);
        put(o, "upperShare", upperShare);
        put(o, "aggregation", aggregation);
        put(o, "mode", mode);
        put(o, "upperClip", upperClip);
        put(o, "task", task);
        put(o, "detectorWeights", detectorWeights);
        put(o, "classMap", classMap);
        put(o, "segmenterWeights", segmenterWeights);
        put(o, "segmentationLabels", segmentationLabels);
        put(o, "loss", loss);
        put(o, "checkpointEvery", checkpointEvery);
        put(o, "sampleEvery", sampleEvery);
        put(o, "logEvery", logEvery);
        put(o, "seed", seed);
        put(o, "precision", precision);
        put(o, "synthetic", synthetic);
        if (data != null) {
            List<String> d = new ArrayList<>();
            data.forEach(p -> d.add(p.toString()));
            o.put("data", d);
        }
        put(o, "msrsWeak", msrsWeak);
        put(o, "segmentation", segmentation);
        return o;
    }

    private static void put(Map<String, Object> o, String key, Object value) {
        if (value instanceof Double d && !Double.isFinite(d)) {
            throw new UserException("--" + RunConfig.kebab(key) + " must be a finite number, got " + d);
        }
        if (value != null) {
            o.put(key, value);
        }
    }

    private Integer warmup(WarmupTrainer.Config cfg) throws IOException {
        cfg.command = "irfuse " + String.join(" ", CommandLines.current());
        UserException.refuseUnwritable(runDir);
        cfg.validate();
        if (cfg.data.isEmpty() && cfg.synthetic == 0) {
            throw new UserException("no training data: give --data DIR (with ir/ and vi/) or --synthetic N");
        }
        List<Path> roots = new ArrayList<>();
        cfg.data.forEach(d -> roots.add(Path.of(d)));
        refuseInputs(roots, cfg.initModel);
        List<PairSample> samples = new ArrayList<>(PairDataset.load(roots));
        if (cfg.synthetic > 0) {
            samples.addAll(PairDataset.synthetic(cfg.synthetic, 320, 240, cfg.seed));
        }
        System.err.printf("irfuse train: %d pairs, width %s, %d steps, batch %d, crops %d-%d px%n", samples.size(),
                cfg.width, cfg.steps, cfg.batch, cfg.minCrop, cfg.maxCrop);
        try (Compute compute = Compute.open(deviceOption.device)) {
            FusionModel model;
            try (Progress bar = Progress.start("warmup", cfg.steps, "step")) {
                model = WarmupTrainer.run(cfg, samples, new RunFolder(runDir), resume, overwriteOption.overwrite,
                        compute,
                        (step, total, values) -> {
                            bar.stepTo(step);
                            bar.message(String.format(Locale.ROOT, "loss %.4f lr %.2e",
                                    ((Number) values.get("loss.fusion")).doubleValue(),
                                    ((Number) values.get("lr")).doubleValue()));
                        });
            }
            System.out.println("model saved to " + new RunFolder(runDir).model() + " (" + model.card().parameters
                    + " parameters, width " + model.card().width + ")");
        }
        return 0;
    }

    private Integer bilevel(BilevelTrainer.Config cfg) throws IOException {
        cfg.command = "irfuse " + String.join(" ", CommandLines.current());
        UserException.refuseUnwritable(runDir);
        if (cfg.msrsWeak.isEmpty() && cfg.segmentation.isEmpty() && cfg.synthetic == 0) {
            throw new UserException("no labelled training data: give --synthetic N, --msrs-weak DIR or "
                    + "--seg-data ROOT[:SPLIT]");
        }
        cfg.validate();
        List<Path> inputs = new ArrayList<>();
        cfg.msrsWeak.forEach(d -> inputs.add(Path.of(d)));
        cfg.segmentation.forEach(d -> inputs.add(Path.of(d.replaceFirst(":[^:/\\\\]*$", ""))));
        refuseInputs(inputs, cfg.initModel);
        ClassPalette palette = ClassPalette.MSRS;
        List<List<PairSample>> sources = new ArrayList<>();
        for (String d : cfg.msrsWeak) {
            sources.add(LabelledPairs.msrsWeak(Path.of(d)));
        }
        for (String s : cfg.segmentation) {
            sources.add(LabelledPairs.segmentation(s, palette));
        }
        if (cfg.synthetic > 0) {
            sources.add(PairDataset.synthetic(cfg.synthetic, 320, 240, cfg.seed));
        }
        HeldOutSplit split = HeldOutSplit.ofEach(sources, cfg.upperShare, cfg.seed);
        System.err.printf(Locale.ROOT, "irfuse train --stage bilevel: %d training pairs, %d held out for upper "
                + "batches; mode %s, aggregation %s, K=%d, width %s, %d steps, crops %d-%d px%n", split.train().size(),
                split.upper().size(), cfg.mode, cfg.aggregation, cfg.upperEvery, cfg.width, cfg.steps, cfg.minCrop,
                cfg.maxCrop);
        try (Compute compute = Compute.open(deviceOption.device)) {
            FusionModel init = null;
            if (cfg.initModel != null && !cfg.initModel.isBlank()) {
                init = FusionModel.load(Path.of(cfg.initModel), compute);
                cfg.width = init.card().width;
            }
            BilevelTrainer.Outcome out;
            Map<String, Object> lastUpper = new LinkedHashMap<>();
            try (Progress bar = Progress.start("bilevel", cfg.steps, "step")) {
                out = BilevelTrainer.run(cfg, split, init, new RunFolder(runDir),
                        resume, overwriteOption.overwrite, compute, (step, total, v) -> {
                            bar.stepTo(step);
                            if (v.containsKey("r.D")) {
                                lastUpper.putAll(v);
                            }
                            bar.message(progressLine(v, lastUpper));
                        });
            }
            System.out.println("model saved to " + new RunFolder(runDir).model() + " (" + out.model().card().parameters
                    + " parameters, width " + out.model().card().width + "); held-out "
                    + BilevelTrainer.taskScores(out.evaluation()));
        }
        return 0;
    }

    /** The run folder (and the model saved in it) must not be a data folder or the model training starts from. */
    private void refuseInputs(List<Path> data, String initModel) {
        for (Path d : data) {
            UserException.refuseInput(runDir, d);
        }
        if (initModel != null && !initModel.isBlank()) {
            UserException.refuseInput(runDir, Path.of(initModel));
            UserException.refuseInput(new RunFolder(runDir).model(), Path.of(initModel));
        }
    }

    static String progressLine(Map<String, Object> v, Map<String, Object> upper) {
        String s = String.format(Locale.ROOT, "fus %.3f D %.3f T %.3f", d(v, "loss.fusion"), d(v, "loss.D"),
                d(v, "loss.T"));
        if (!upper.isEmpty()) {
            s += String.format(Locale.ROOT, " | r %.2g/%.2g w %.2f/%.2f |G| %.2g/%.2g", d(upper, "r.D"),
                    d(upper, "r.T"), d(upper, "weight.D"), d(upper, "weight.T"), d(upper, "gradnorm.D"),
                    d(upper, "gradnorm.T"));
        }
        return s;
    }

    private static double d(Map<String, Object> m, String key) {
        Object o = m.get(key);
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static int[] parseCrop(String s) {
        String[] parts = s.split(":");
        try {
            int min = Integer.parseInt(parts[0].trim());
            int max = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : min;
            if (parts.length > 2 || min < 8 || max < min) {
                throw new NumberFormatException();
            }
            return new int[] {min, max};
        } catch (NumberFormatException e) {
            throw new UserException("--crop must be MIN:MAX with 8 <= MIN <= MAX, got '" + s + "'");
        }
    }
}
