package org.irfuse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.BoxDrawing;
import org.irfuse.core.detection.CocoJson;
import org.irfuse.core.detection.DetectionsJson;
import org.irfuse.core.detection.YoloLabels;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.core.pairs.ImagePair;
import org.irfuse.nn.detection.DetectorInput;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.pretrained.ClassMapping;
import org.irfuse.nn.pretrained.Padding;
import org.irfuse.nn.pretrained.YoloDetector;
import org.irfuse.nn.pretrained.YoloV5n;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse detect}: runs a trained detector on images (already fused, or single-modality) or on
 * infrared/visible pairs (fused first when the detector was trained on fused images), writing detections as one
 * JSON file or YOLO txt files with a score column, and optionally the images with their boxes drawn.
 */
@Command(name = "detect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Detect objects with YOLOv5n (pretrained, or fine-tuned by train-detector); write detections "
                + "(JSON or YOLO txt) and drawings.",
            "  irfuse detect --detector-weights yolov5n_coco.npz --images fused/ -o out --draw",
            "  irfuse detect --detector-weights yolov5n_coco.npz --ir-dir IR --vis-dir VIS --input ir -o out",
            "  irfuse detect --detector-weights runs/yolo/model/yolov5n.npz --ir-dir IR --vis-dir VIS -o out "
                    + "--det-format yolo"})
public final class DetectCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ImageLimits imageLimits;

    @Option(names = "--detector", paramLabel = "yolov5n", defaultValue = "yolov5n",
            description = "the detector: yolov5n (the only one; needs --detector-weights)")
    String detector;

    @Option(names = "--detector-weights", paramLabel = "FILE",
            description = "YOLOv5n weights as .npz (see README: where to get them, how to convert a .pt)")
    Path detectorWeights;

    @Option(names = "--classes", paramLabel = "SET",
            description = "the dataset classes to report (msrs (default), m3fd, a classes.txt, or a comma "
                    + "list)")
    String classes;

    @Option(names = "--class-map", paramLabel = "COCO=CLASS,...",
            description = "COCO classes counted as dataset classes (default: the same names)")
    String classMap;

    @Option(names = "--input", paramLabel = "ir|vis|fused",
            description = "with --ir-dir/--vis-dir: which image to detect on (default fused)")
    String input;

    @Option(names = "--pad", defaultValue = "bottom-right", paramLabel = "WHERE",
            description = "pad to a multiple of 32 with gray 114 at the bottom-right (default) or center")
    String pad;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--images", paramLabel = "DIR|FILE",
                description = "images to run on as they are (gray images are replicated to 3 channels)")
        Path images;
        @ArgGroup(exclusive = false)
        Pairs pairs;
    }

    static final class Pairs {
        @Option(names = "--ir-dir", required = true, paramLabel = "DIR", description = SharedOptions.IR_DIR) Path irDir;
        @Option(names = "--vis-dir", required = true, paramLabel = "DIR",
                description = SharedOptions.VIS_DIR) Path visDir;
    }

    @Option(names = "--fusion-model", paramLabel = "default|DIR",
            description = "with --ir-dir/--vis-dir and --input fused: the fusion model (default: the shipped model)")
    Path fusionModel;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "output folder") Path out;

    @Option(names = "--det-format", defaultValue = "json", paramLabel = "json|coco|yolo",
            description = "json (OUT/detections.json), coco (OUT/detections.coco.json: a COCO dataset with scored "
                    + "annotations) or yolo (OUT/labels/<id>.txt: cls cx cy w h score)")
    String format;

    @Option(names = "--draw", description = "also write OUT/drawn/<id>.png with the boxes drawn") boolean draw;

    @Option(names = "--score-threshold", paramLabel = "S",
            description = "keep detections above this score (default 0.001: mAP wants low thresholds)")
    Double scoreThreshold;

    @Option(names = "--draw-threshold", paramLabel = "S",
            description = "draw only boxes above this score (default 0.25)")
    Double drawThreshold;

    @Option(names = "--nms-iou", paramLabel = "IOU", description = "class-wise NMS IoU threshold (default 0.45)")
    Double nmsIou;

    @Option(names = "--max-detections", paramLabel = "N", description = "boxes kept per class (default 300)")
    Integer maxDetections;
    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;
    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;
    @picocli.CommandLine.Mixin
    SharedOptions.Device deviceOption;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "P",
            description = "fp32, bf16 or auto (bf16 where the CPU has native bf16) for yolov5n")
    String precision;


    /** What {@code --det-format coco} writes in the output folder. */
    static final String COCO_FILE = "detections.coco.json";

    /** One image to run on: its id, and how to make the detector's input. */
    private record Item(String id, Path first, Path second) {
    }

    @Override
    public Integer call() throws Exception {
        if (threadsOption.threads != null) {
            Compute.configureThreads(threadsOption.threads);
        }
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("json") && !fmt.equals("yolo") && !fmt.equals("coco")) {
            throw new UserException("--det-format must be json, coco or yolo, got '" + format + "'");
        }
        checkDetector();
        List<Item> items = items();
        if (items.isEmpty()) {
            throw new UserException("no images to run on");
        }
        refuseExisting(items, fmt);
        double score = scoreThreshold != null ? scoreThreshold : 0.001;
        double drawAbove = drawThreshold != null ? drawThreshold : 0.25;
        UserException.refuseUnwritable(out);
        Map<String, List<Box>> all = new LinkedHashMap<>();
        Map<String, int[]> sizes = new LinkedHashMap<>();
        Map<String, String> fileNames = new LinkedHashMap<>();
        try (Compute compute = Compute.open(deviceOption.device)) {
            List<String> classNames = EvalDetCommand.classList(classes == null ? "msrs" : classes);
            YoloDetector.Settings settings = new YoloDetector.Settings(score, nmsIou == null ? 0.45 : nmsIou,
                    maxDetections == null ? 300 : maxDetections, Padding.parse(pad));
            ClassMapping mapping = ClassMapping.parse(classMap, ClassMapping.COCO, classNames);
            YoloV5n net = YoloV5n.load(detectorWeights, compute.root());
            net.freezeParameters(true);
            YoloDetector d = new YoloDetector(net, compute, mapping, settings,
                    Precision.resolve(precision, compute.device()));
            DetectorInput kind = input == null ? DetectorInput.FUSED : DetectorInput.parse(input);
            Function<Image, List<Box>> run = d::detect;
            Fuser fuser = null;
            if (source.pairs != null && kind == DetectorInput.FUSED) {
                FusionModel fm = TrainDetectorCommand.fusionModel(fusionModel, compute);
                fuser = new Fuser(fm.network(), compute);
            }
            Files.createDirectories(out);
            int objects = 0;
            try (Progress bar = Progress.start("detect", items.size(), "image")) {
                for (Item it : items) {
                    bar.message(it.id());
                    Image img = input(it, kind, fuser);
                    List<Box> boxes = run.apply(img);
                    all.put(it.id(), boxes);
                    sizes.put(it.id(), new int[] {img.width(), img.height()});
                    fileNames.put(it.id(), it.first().getFileName().toString());
                    objects += boxes.size();
                    if (fmt.equals("yolo")) {
                        YoloLabels.write(out.resolve("labels").resolve(it.id() + ".txt"), boxes, img.width(),
                                img.height(), true, overwriteOption.overwrite);
                    }
                    if (draw) {
                        List<Box> shown = boxes.stream().filter(b -> b.score() >= drawAbove).toList();
                        ImageWriter.write(BoxDrawing.draw(img, shown, classNames),
                                out.resolve("drawn").resolve(it.id() + ".png"), overwriteOption.overwrite);
                    }
                    bar.step();
                }
            }
            if (fmt.equals("json")) {
                DetectionsJson.write(out.resolve("detections.json"), all, classNames, overwriteOption.overwrite);
            } else if (fmt.equals("coco")) {
                CocoJson.write(out.resolve(COCO_FILE), all, sizes, fileNames, classNames, true,
                        overwriteOption.overwrite);
            }
            System.err.printf("detected %d objects (score >= %s) in %d images into %s%n", objects,
                    score, items.size(), out);
        }
        return 0;
    }

    /** YOLOv5n is the only detector; it needs its weights. */
    private void checkDetector() {
        if (!detector.strip().equalsIgnoreCase("yolov5n")) {
            throw new UserException("--detector must be yolov5n, got '" + detector + "' (the FCOS detector from "
                    + "scratch was removed)");
        }
        if (detectorWeights == null) {
            throw new UserException("--detector yolov5n needs --detector-weights FILE.npz (README: pretrained "
                    + "detector)");
        }
    }

    private Image input(Item it, DetectorInput kind, Fuser fuser) throws IOException {
        if (it.second() == null) {
            return ImageReader.read(it.first());
        }
        Image ir = ImageReader.readInfrared(it.first());
        Image vis = ImageReader.read(it.second());
        if (!ir.sameSize(vis)) {
            throw new UserException(it.first() + ": size " + ir.sizeString() + " differs from " + it.second()
                    + " (" + vis.sizeString() + ")");
        }
        return switch (kind) {
            case IR -> ir;
            case VIS -> vis;
            case FUSED -> fuser.fuse(ir, vis);
        };
    }

    private List<Item> items() throws IOException {
        List<Item> items = new ArrayList<>();
        if (source.images != null) {
            Path p = source.images;
            if (Files.isRegularFile(p)) {
                items.add(new Item(FolderPairing.stem(p), p, null));
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    files.filter(f -> Files.isRegularFile(f) && ImageReader.hasImageExtension(f)).sorted()
                            .forEach(f -> items.add(new Item(FolderPairing.stem(f), f, null)));
                }
            } else {
                throw new UserException(p + ": no such image or folder");
            }
            return items;
        }
        FolderPairing.Result r = FolderPairing.pair(source.pairs.irDir, source.pairs.visDir);
        for (Path lonely : r.onlyInFirst()) {
            System.err.println("irfuse: no visible counterpart for " + lonely + " (skipped)");
        }
        for (Path lonely : r.onlyInSecond()) {
            System.err.println("irfuse: no infrared counterpart for " + lonely + " (skipped)");
        }
        for (ImagePair p : r.pairs()) {
            items.add(new Item(p.name(), p.infrared(), p.visible()));
        }
        return items;
    }

    private void refuseExisting(List<Item> items, String fmt) {
        if (overwriteOption.overwrite) {
            return;
        }
        List<Path> planned = new ArrayList<>();
        if (fmt.equals("json")) {
            planned.add(out.resolve("detections.json"));
        }
        if (fmt.equals("coco")) {
            planned.add(out.resolve(COCO_FILE));
        }
        for (Item it : items) {
            if (fmt.equals("yolo")) {
                planned.add(out.resolve("labels").resolve(it.id() + ".txt"));
            }
            if (draw) {
                planned.add(out.resolve("drawn").resolve(it.id() + ".png"));
            }
        }
        for (Path p : planned) {
            UserException.refuseExisting(p, false);
        }
    }
}
