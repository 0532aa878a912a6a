package org.irfuse.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.core.detection.DetectionEvaluator;
import org.irfuse.nn.detection.DetectorInput;
import org.irfuse.nn.detection.DetectorTrainer;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.train.RunFolder;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.nn.model.ModelCard;
import org.irfuse.nn.pretrained.YoloDetector;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse train-detector}: fine-tunes the pretrained YOLOv5n on fused, infrared or visible images of a
 * box-labelled dataset, optionally scoring it on held-out pairs (mAP@0.5 and mAP@0.5:0.95, COCO 101-point),
 * which are then recorded in the detector's card.
 */
@Command(name = "train-detector", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune the pretrained YOLOv5n detector on fused, infrared or visible images.",
            "  irfuse train-detector --init-weights yolov5n_coco.npz --input fused --ir-dir msrs/ir "
                    + "--vis-dir msrs/vi --labels msrs/det_labels/fusion --freeze-backbone --lr 1e-5 --run-dir runs/yolo",
            "  irfuse train-detector --init-weights yolov5n_coco.npz --input ir --m3fd M3FD "
                    + "--train-list M3FD/Main/train.txt --eval-list M3FD/Main/test.txt --run-dir runs/det-ir"})
public final class TrainDetectorCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ImageLimits imageLimits;

    @Option(names = "--input", paramLabel = "ir|vis|fused", defaultValue = "fused",
            description = "what the detector sees: fused (the colour fused image), ir or vis")
    String input;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Layout layout;

    static final class Layout {
        @ArgGroup(exclusive = false)
        Yolo yolo;
        @Option(names = "--m3fd", paramLabel = "ROOT",
                description = "M3FD/VOC layout: ROOT/Ir, ROOT/Vis, ROOT/Annotation (6 classes)")
        Path m3fd;
    }

    static final class Yolo {
        @Option(names = "--ir-dir", required = true, paramLabel = "DIR", description = SharedOptions.IR_DIR) Path irDir;
        @Option(names = "--vis-dir", required = true, paramLabel = "DIR",
                description = SharedOptions.VIS_DIR) Path visDir;
        @Option(names = "--labels", required = true, paramLabel = "DIR",
                description = "YOLO label folder (<id>.txt: cls cx cy w h, normalised)") Path labels;
        @Option(names = "--classes", paramLabel = "SET", defaultValue = "msrs",
                description = "the label classes: msrs (person, bicycle, car), m3fd, a classes.txt file, or "
                        + "comma-separated names") String classes;
    }

    @Option(names = "--train-list", paramLabel = "FILE", description = "ids to train on, one a line (default: all)")
    Path trainList;

    @Option(names = "--eval-list", paramLabel = "FILE",
            description = "held-out ids to score after training (mAP@0.5, mAP@0.5:0.95)")
    Path evalList;

    @Option(names = "--fusion-model", paramLabel = "default|DIR",
            description = "fusion model for --input fused (default: the shipped model)")
    Path fusionModel;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1000", description = "training steps") int steps;
    @Option(names = "--batch", paramLabel = "N", defaultValue = "4", description = "crops per step") int batch;
    @Option(names = "--crop", paramLabel = "MIN:MAX", defaultValue = "192:320",
            description = "random crop side range MIN:MAX (pixels)")
    String crop;
    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-5",
            description = "peak learning rate (Adam; 1e-4 on all layers made "
            + "the pretrained detector worse, 1e-5 with --freeze-backbone helped: docs/experiments.md)") double lr;
    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "100",
            description = "save a checkpoint every N steps") int checkpointEvery;
    @Option(names = "--log-every", paramLabel = "N", defaultValue = "10",
            description = "log losses every N steps") int logEvery;
    @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32",
            description = "fp32, bf16 or auto: bf16 is mixed precision (YOLOv5n's convolutions in bf16; the loss, "
            + "gradients and Adam in float32; 1.1-1.3x faster here); stored resolved, a resume must give the same")
    String precision;
    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "random seed of crops and order") long seed;

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

    @Option(names = "--detector", paramLabel = "yolov5n", defaultValue = "yolov5n",
            description = "the detector: yolov5n (the only one; "
            + "fine-tuned from --init-weights)")
    String detector;

    @Option(names = "--init-weights", paramLabel = "FILE", description = "the pretrained weights to start from "
            + "(.npz, e.g. ../shared/models/yolov5n_coco.npz; required)")
    Path initWeights;

    @Option(names = "--freeze-backbone", description = "keep layers 0-9 fixed (YOLOv5's --freeze 10)")
    boolean freezeBackbone;

    @Option(names = "--class-map", paramLabel = "COCO=CLASS,...",
            description = "detector=dataset classes (default: by name)")
    String classMap;

    @Override
    public Integer call() throws Exception {
        if (threadsOption.threads != null) {
            Compute.configureThreads(threadsOption.threads);
        }
        UserException.refuseUnwritable(runDir);
        DetectorInput kind = DetectorInput.parse(input);
        int[] range = TrainCommand.parseCrop(crop);
        DetectionDataset dataset = dataset();
        List<DetectionDataset.Sample> all = dataset.samples();
        List<PairSample> train = DetectorTrainer.load(select(dataset, all, trainList));
        List<PairSample> held = evalList == null ? List.of() : DetectorTrainer.load(select(dataset, all, evalList));
        if (train.isEmpty()) {
            throw new UserException("no training pairs" + (trainList == null ? "" : " listed in " + trainList));
        }
        if (!detector.strip().equalsIgnoreCase("yolov5n")) {
            throw new UserException("unknown --detector '" + detector + "' (expected yolov5n; the FCOS detector "
                    + "from scratch was removed)");
        }
        if (initWeights == null) {
            throw new UserException("train-detector needs --init-weights FILE.npz (the pretrained YOLOv5n weights)");
        }
        DetectorTrainer.Config cfg = new DetectorTrainer.Config();
        cfg.detector = "yolov5n";
        cfg.initWeights = initWeights == null ? null : initWeights.toString();
        cfg.freezeBackbone = freezeBackbone;
        cfg.classMap = classMap;
        cfg.input = kind.id();
        cfg.classes = new ArrayList<>(dataset.classNames());
        cfg.steps = steps;
        cfg.batch = batch;
        cfg.minCrop = range[0];
        cfg.maxCrop = range[1];
        cfg.lr = lr;
        cfg.checkpointEvery = checkpointEvery;
        cfg.logEvery = logEvery;
        cfg.precision = precision.trim().toLowerCase(Locale.ROOT);
        cfg.seed = seed;
        cfg.data.add(describe() + " (" + train.size() + " pairs" + (trainList == null ? "" : ", " + trainList)
                + ")");
        cfg.command = "irfuse " + String.join(" ", CommandLines.current());
        System.err.printf("irfuse train-detector: %d training pairs, %d held out, input %s, %d classes, %d steps%n",
                train.size(), held.size(), kind.id(), cfg.classes.size(), steps);
        try (Compute compute = Compute.open(deviceOption.device)) {
            if (kind == DetectorInput.FUSED) {
                FusionModel fm = TrainDetectorCommand.fusionModel(fusionModel, compute);
                cfg.fusionModel = fusionModel == null ? "the shipped default fusion model" : fusionModel.toString();
                try (Fuser fuser = new Fuser(fm.network(), compute)) {
                    train = kind.prepare(train, fuser);
                    held = kind.prepare(held, fuser);
                }
            }
            RunFolder run = new RunFolder(runDir);
            return fineTuneYolo(cfg, train, held, kind, run, compute);
        }
    }

    private Integer fineTuneYolo(DetectorTrainer.Config cfg, List<PairSample> train, List<PairSample> held,
            DetectorInput kind, RunFolder run, Compute compute) throws IOException {
        DetectorTrainer.YoloRun out;
        try (Progress bar = Progress.start("yolov5n", steps, "step")) {
            out = DetectorTrainer.fineTuneYolo(cfg, train, run, resume, overwriteOption.overwrite, compute, (step,
                    total, values) -> {
                bar.stepTo(step);
                bar.message(String.format(Locale.ROOT, "loss %.4f (box %.4f obj %.4f cls %.4f) lr %.2e",
                        ((Number) values.get("loss.detection")).doubleValue(),
                        ((Number) values.get("loss.box")).doubleValue(),
                        ((Number) values.get("loss.objectness")).doubleValue(),
                        ((Number) values.get("loss.classification")).doubleValue(),
                        ((Number) values.get("lr")).doubleValue()));
            });
        }
        if (!held.isEmpty()) {
            YoloDetector detector = new YoloDetector(out.network(), compute, out.classes(),
                    YoloDetector.Settings.evaluation());
            DetectionEvaluator.Result r = DetectorTrainer.evaluate(detector::detect, cfg.classes.size(), held, kind);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("mAP50", r.map50(true));
            m.put("mAP50-95", r.map50to95(true));
            m.put("pairs", (double) held.size());
            out.card().metrics.put("heldout " + evalList, m);
            AtomicFiles.writeString(run.model().resolve(ModelCard.FILE_NAME), true, out.card().toJson());
            System.out.printf(Locale.ROOT, "held-out %d pairs: mAP@0.5 %.4f  mAP@0.5:0.95 %.4f (COCO 101-point, "
                    + "%d classes with ground truth)%n", held.size(), r.map50(true), r.map50to95(true),
                    r.classesEvaluated());
        }
        System.out.println("YOLOv5n weights saved to " + out.weights() + " (" + out.card().parameters + " values; "
                + "use them with --detector-weights)");
        return 0;
    }

    /** The fusion model of {@code --fusion-model}, or the shipped default (a clear error when the build has none). */
    static FusionModel fusionModel(Path dir, Compute compute) throws IOException {
        if (dir != null) {
            return FusionModel.load(dir, compute);
        }
        try {
            return FusionModel.loadDefault(compute);
        } catch (IOException e) {
            throw new UserException("detection on fused images needs a fusion model: this build has no default "
                    + "model, pass --fusion-model DIR (" + e.getMessage() + ")");
        }
    }

    private DetectionDataset dataset() throws IOException {
        if (layout.m3fd != null) {
            return DetectionDataset.m3fd(layout.m3fd, null);
        }
        Yolo y = layout.yolo;
        return DetectionDataset.yolo(y.irDir, y.visDir, y.labels, EvalDetCommand.classList(y.classes));
    }

    private String describe() {
        return layout.m3fd != null ? layout.m3fd.toString() : layout.yolo.irDir + " + " + layout.yolo.visDir
                + " + " + layout.yolo.labels;
    }

    /** The dataset restricted to the ids of a list (all when {@code list} is null); unknown ids are an error. */
    static DetectionDataset select(DetectionDataset dataset, List<DetectionDataset.Sample> all, Path list)
            throws IOException {
        if (list == null) {
            return dataset;
        }
        Set<String> wanted = new LinkedHashSet<>(DetectionDataset.readIdList(list));
        List<DetectionDataset.Sample> chosen = new ArrayList<>();
        for (DetectionDataset.Sample s : all) {
            if (wanted.remove(s.id())) {
                chosen.add(s);
            }
        }
        if (!wanted.isEmpty()) {
            throw new UserException(list + ": " + wanted.size() + " listed ids have no pair in the dataset, e.g. "
                    + wanted.iterator().next());
        }
        return dataset.subset(chosen);
    }
}
