package org.irfuse.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.irfuse.cli.report.DownstreamReport;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.core.pairs.ImagePair;
import org.irfuse.nn.downstream.DownstreamEvaluation;
import org.irfuse.nn.downstream.DownstreamResults;
import org.irfuse.nn.downstream.ImageSource;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.pretrained.ClassMapping;
import org.irfuse.nn.pretrained.MfNet;
import org.irfuse.nn.pretrained.MfNetSegmenter;
import org.irfuse.nn.pretrained.Padding;
import org.irfuse.nn.pretrained.YoloDetector;
import org.irfuse.nn.pretrained.YoloV5n;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse eval downstream}: the frozen pretrained YOLOv5n (and MFNet) judge the infrared images, the visible
 * images, two built-in baselines (mean and max luminance) and every fused method; per-class AP@0.5, mAP@0.5,
 * mAP@0.5:0.95 and mIoU as CSV, JSON, a printed table and optionally an HTML page.
 */
@Command(name = "downstream", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Downstream score of fusion: frozen pretrained YOLOv5n (and MFNet) on infrared, visible, "
                + "mean/max baselines and each fused method; per-class AP@0.5, mAP@0.5, mAP@0.5:0.95 (and mIoU).",
            "  irfuse eval downstream --ir-dir msrs/ir --vis-dir msrs/vi --labels msrs/det_labels/fusion \\",
            "      --detector-weights yolov5n_coco.npz --fused-dir Ours=out/ --fusion-model default"})
public final class EvalDownstreamCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--ir-dir", required = true, paramLabel = "DIR", description = "Infrared images.")
    Path irDir;

    @Option(names = "--vis-dir", required = true, paramLabel = "DIR", description = "Visible images (paired by name).")
    Path visDir;

    @Option(names = "--labels", required = true, paramLabel = "DIR",
            description = "YOLO box labels <id>.txt (cls cx cy w h, normalised), one per pair.")
    Path labels;

    @Option(names = "--classes", defaultValue = "msrs", paramLabel = "SET",
            description = "Dataset classes: msrs (person, bicycle, car), m3fd, a classes.txt, or a comma list.")
    String classes;

    @Option(names = "--class-map", paramLabel = "COCO=CLASS,...",
            description = "COCO classes counted as dataset classes, e.g. person=People,car=Car (default: same "
                    + "names).")
    String classMap;

    @Option(names = "--detector-weights", required = true, paramLabel = "FILE",
            description = "YOLOv5n weights as .npz (README: where to get them, how to convert a .pt).")
    Path detectorWeights;

    @Option(names = "--segmenter-weights", paramLabel = "FILE",
            description = "MFNet weights as .npz: also score segmentation (mIoU).")
    Path segmenterWeights;

    @Option(names = "--seg-labels", paramLabel = "DIR",
            description = "9-class label PNGs <id>.png; without them mIoU is against pseudo-labels "
                    + "MFNet(visible, infrared), and says so.")
    Path segLabels;

    @Option(names = "--fused-dir", paramLabel = "NAME=DIR",
            showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "A method's fused images (repeatable).")
    List<String> fusedDirs = new ArrayList<>();

    @Option(names = "--fusion-model", paramLabel = "default|DIR",
            description = "Also fuse on the fly with this model (the shipped one: default), as source 'irfuse'.")
    String fusionModel;

    @Option(names = "--pad", defaultValue = "bottom-right", paramLabel = "WHERE",
            description = "Padding to a multiple of 32 (gray 114): bottom-right (default) or center.")
    String pad;

    @Option(names = "--score-threshold", paramLabel = "S", defaultValue = "0.001",
            description = "Keep detections above this score (low: mAP wants low thresholds).")
    double scoreThreshold;

    @Option(names = "--nms-iou", paramLabel = "IOU", defaultValue = "0.45", description = "Class-wise NMS IoU.")
    double nmsIou;

    @Option(names = "--max-per-class", paramLabel = "N", defaultValue = "300", description = "Boxes kept per class.")
    int maxPerClass;

    @Option(names = {"-o", "--out"}, defaultValue = "downstream.csv", paramLabel = "FILE",
            description = "Long-form CSV; the JSON summary goes beside it (.json).")
    Path out;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write an HTML page with drawn detections.")
    Path report;

    @Option(names = "--report-pairs", paramLabel = "N", defaultValue = "4", description = "Pairs drawn in the report.")
    int reportPairs;

    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;

    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;

    @picocli.CommandLine.Mixin
    SharedOptions.Device deviceOption;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "P",
            description = "fp32, bf16 or auto (bf16 where the CPU has native bf16) for the frozen judges; fp32 "
                    + "by default so scores are exact and comparable")
    String precision;


    @Override
    public Integer call() throws Exception {
        if (threadsOption.threads != null) {
            Compute.configureThreads(threadsOption.threads);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        List<String> classNames = EvalDetCommand.classList(classes);
        ClassMapping mapping = ClassMapping.parse(classMap, ClassMapping.COCO, classNames);
        YoloDetector.Settings settings = new YoloDetector.Settings(scoreThreshold, nmsIou, maxPerClass,
                Padding.parse(pad));
        Path summary = jsonBeside(out);
        UserException.refuseExisting(out, overwriteOption.overwrite);
        UserException.refuseExisting(summary, overwriteOption.overwrite);
        UserException.refuseExisting(report, overwriteOption.overwrite);
        if (segLabels != null && segmenterWeights == null) {
            throw new UserException("--seg-labels needs --segmenter-weights");
        }
        List<DownstreamEvaluation.Sample> samples = samples();
        Map<String, Path> fused = new LinkedHashMap<>();
        EvalCommand.parseMethods(fusedDirs).forEach(m -> fused.put(m.name(), m.dir()));
        try (Compute compute = Compute.open(deviceOption.device)) {
            YoloV5n yolo = YoloV5n.load(detectorWeights, compute.root());
            yolo.freezeParameters(true);
            Precision judges = Precision.resolve(precision, compute.device());
            YoloDetector detector = new YoloDetector(yolo, compute, mapping, settings, judges);
            MfNetSegmenter segmenter = null;
            if (segmenterWeights != null) {
                MfNet mfnet = MfNet.load(segmenterWeights, compute.root());
                mfnet.freezeParameters(true);
                segmenter = new MfNetSegmenter(mfnet, compute, judges);
            }
            List<ImageSource> sources = new ArrayList<>(List.of(ImageSource.infrared(), ImageSource.visible(),
                    ImageSource.mean(), ImageSource.max()));
            for (Map.Entry<String, Path> e : fused.entrySet()) {
                sources.add(ImageSource.folder(e.getKey(), e.getValue()));
            }
            if (fusionModel != null) {
                FusionModel fm = FusionModel.resolve(fusionModel, compute);
                sources.add(ImageSource.fusion(ImageSource.ON_THE_FLY, new Fuser(fm.network(), compute)));
            }
            DownstreamReport.Collector drawings = report == null ? null
                    : new DownstreamReport.Collector(samples.stream().limit(Math.max(0, reportPairs))
                            .map(DownstreamEvaluation.Sample::id).toList(), classNames);
            List<DownstreamEvaluation.SourceScore> scores;
            try (Progress bar = Progress.start("eval downstream", samples.size(), "pair")) {
                scores = new DownstreamEvaluation(detector, segmenter).run(samples, sources, drawings, bar::step);
            }
            DownstreamResults.References refs = new DownstreamResults.References(labels.toString(),
                    segLabels == null ? "" : segLabels.toString());
            Map<String, Object> set = DownstreamResults.settings(detectorWeights.toString(),
                    segmenterWeights == null ? null : segmenterWeights.toString(), mapping, settings);
            AtomicFiles.writeString(out, overwriteOption.overwrite, DownstreamResults.csv(scores, classNames, refs));
            AtomicFiles.writeString(summary, overwriteOption.overwrite, DownstreamResults.json(scores, classNames, refs,
                    samples.size(), set));
            stdout.print(DownstreamResults.table(scores, classNames));
            stdout.println("wrote " + out + " and " + summary);
            if (report != null) {
                DownstreamReport.write(report, overwriteOption.overwrite, scores, classNames, refs, set,
                        samples.size(), drawings);
                stdout.println("wrote " + report);
            }
        }
        stdout.flush();
        return 0;
    }

    static Path jsonBeside(Path csv) {
        String name = csv.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return csv.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
    }

    private List<DownstreamEvaluation.Sample> samples() throws IOException {
        FolderPairing.Result r = FolderPairing.pair(irDir, visDir);
        if (!r.onlyInFirst().isEmpty() || !r.onlyInSecond().isEmpty()) {
            List<Path> lonely = new ArrayList<>(r.onlyInFirst());
            lonely.addAll(r.onlyInSecond());
            throw new UserException(lonely.size() + " images without a counterpart, e.g. " + lonely.get(0));
        }
        if (!Files.isDirectory(labels)) {
            throw new UserException(labels + ": label folder not found");
        }
        if (segLabels != null && !Files.isDirectory(segLabels)) {
            throw new UserException(segLabels + ": segmentation label folder not found");
        }
        Map<String, Path> segIndex = segLabels == null ? Map.of() : FolderPairing.index(segLabels);
        List<DownstreamEvaluation.Sample> out = new ArrayList<>();
        for (ImagePair p : r.pairs()) {
            Path box = labels.resolve(p.name() + ".txt");
            if (!Files.isRegularFile(box)) {
                throw new UserException(box + ": no box labels for pair '" + p.name() + "' (an image without "
                        + "objects needs an empty file)");
            }
            Path seg = null;
            if (segLabels != null) {
                seg = segIndex.get(p.name());
                if (seg == null) {
                    throw new UserException(segLabels + ": no segmentation label for pair '" + p.name() + "'");
                }
            }
            out.add(new DownstreamEvaluation.Sample(p.name(), p.infrared(), p.visible(), box, seg));
        }
        if (out.isEmpty()) {
            throw new UserException(irDir + " and " + visDir + ": no pairs");
        }
        return out;
    }
}
