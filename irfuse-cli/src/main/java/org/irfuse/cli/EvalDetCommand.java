package org.irfuse.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.CocoJson;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.core.detection.DetectionEvaluator;
import org.irfuse.core.detection.DetectionsJson;
import org.irfuse.core.detection.VocAnnotations;
import org.irfuse.core.detection.YoloLabels;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.core.pairs.FolderPairing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse eval det}: per-class AP and mAP@0.5, mAP@0.5:0.95 of detections against ground truth, under VOC
 * all-point and COCO 101-point interpolation ({@link DetectionEvaluator}). Every ground-truth file is one image;
 * an image without predictions has no detections.
 */
@Command(name = "det", mixinStandardHelpOptions = true,
        description = {"Detection scores: per-class AP, mAP@0.5 and mAP@0.5:0.95, VOC all-point and COCO 101-point.",
            "Ground truth as YOLO txt, VOC XML or COCO JSON; predictions as irfuse detections JSON, COCO JSON or "
                    + "YOLO txt with a score column."})
public final class EvalDetCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ImageLimits imageLimits;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--pred", required = true, paramLabel = "FILE|DIR",
            description = "Predictions: an irfuse detections .json, a COCO .json (dataset with scored annotations, "
                    + "or a results array with --gt-format coco), or a folder of YOLO <id>.txt 'cls cx cy w h score'.")
    Path pred;

    @Option(names = {"--gt-dir", "--gt"}, required = true, paramLabel = "DIR|FILE",
            description = "Ground truth: a folder of <id>.txt (YOLO) or <id>.xml (VOC), one file per image; with "
                    + "--gt-format coco a COCO dataset .json.")
    Path gtDir;

    @Option(names = "--gt-format", required = true, paramLabel = "yolo|voc|coco", description = "Ground-truth format.")
    String format;

    @Option(names = "--images-dir", paramLabel = "DIR",
            description = "Images named like the ground truth; their sizes denormalise YOLO boxes (required for "
                    + "YOLO ground truth or YOLO predictions without VOC sizes).")
    Path imagesDir;

    @Option(names = "--classes", paramLabel = "SET",
            description = "msrs (person, bicycle, car), m3fd (People, Car, Bus, Motorcycle, Lamp, Truck), a "
                    + "classes.txt file, or comma-separated names. Default: msrs for yolo, m3fd for voc, the "
                    + "file's categories for coco.")
    String classes;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the scores as JSON (atomically).")
    Path out;

    @Option(names = "--coco-gt-out", paramLabel = "FILE",
            description = "Also write the ground truth as read (any --gt-format) as a COCO dataset .json.")
    Path cocoGtOut;

    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!List.of("yolo", "voc", "coco").contains(fmt)) {
            throw new UserException("--gt-format must be yolo, voc or coco, got '" + format + "'");
        }
        boolean voc = fmt.equals("voc");
        boolean cocoGt = fmt.equals("coco");
        UserException.refuseInput(out, pred, gtDir, imagesDir);
        UserException.refuseInput(cocoGtOut, pred, gtDir, imagesDir);
        UserException.refuseExisting(out, overwriteOption.overwrite);
        UserException.refuseExisting(cocoGtOut, overwriteOption.overwrite);
        CocoJson.Dataset coco = null;
        List<String> classNames;
        Map<String, Path> gtFiles;
        if (cocoGt) {
            if (!Files.isRegularFile(gtDir)) {
                throw new UserException(gtDir + ": not a file (--gt-format coco takes a COCO dataset .json as --gt)");
            }
            coco = CocoJson.readDataset(gtDir, classes == null ? null : classList(classes));
            classNames = coco.categories();
            gtFiles = new TreeMap<>();
            for (String id : coco.boxes().keySet()) {
                gtFiles.put(id, gtDir);
            }
        } else {
            classNames = classList(classes == null ? (voc ? "m3fd" : "msrs") : classes);
            gtFiles = filesWithExtension(gtDir, voc ? ".xml" : ".txt");
            gtFiles.remove("classes");   // a YOLO classes.txt beside the labels is not an image
        }
        if (gtFiles.isEmpty()) {
            throw new UserException(gtDir + ": no " + (cocoGt ? "images" : voc ? ".xml" : ".txt")
                    + " ground-truth files");
        }
        Map<String, Path> images = imagesDir == null ? Map.of() : FolderPairing.index(imagesDir);
        boolean jsonPredictions = Files.isRegularFile(pred);
        if (!jsonPredictions && !Files.isDirectory(pred)) {
            throw new UserException(pred + ": not found (expected a detections .json file or a folder of YOLO txt)");
        }
        if (fmt.equals("yolo") && imagesDir == null) {
            throw new UserException("--images-dir is required with --gt-format yolo (YOLO boxes are normalised by the "
                    + "image size)");
        }
        Map<String, List<Box>> jsonDets = jsonPredictions ? readJsonPredictions(classNames, coco) : Map.of();
        Map<String, Path> yoloDets = jsonPredictions ? Map.of() : filesWithExtension(pred, ".txt");

        List<String> noPrediction = new ArrayList<>();
        for (String id : gtFiles.keySet()) {
            if (!(jsonPredictions ? jsonDets : yoloDets).containsKey(id)) {
                noPrediction.add(id);
            }
        }
        if (!noPrediction.isEmpty()) {
            stderr.println("irfuse: warning: " + noPrediction.size() + " of " + gtFiles.size() + " images have no "
                    + (jsonPredictions ? "entry in " + pred : "prediction file in " + pred) + " and are scored as "
                    + "having no detections, e.g. " + String.join(", ", noPrediction.subList(0,
                    Math.min(5, noPrediction.size()))));
        }
        DetectionEvaluator evaluator = new DetectionEvaluator(classNames.size());
        Map<String, List<Box>> truthById = new LinkedHashMap<>();
        Map<String, int[]> sizes = new LinkedHashMap<>();
        int detections = 0;
        try (Progress progress = Progress.start("eval det", gtFiles.size(), "img")) {
            for (Map.Entry<String, Path> e : gtFiles.entrySet()) {
                String id = e.getKey();
                int[] size = null;
                List<Box> truth;
                if (cocoGt) {
                    truth = checkClasses(coco.boxes().get(id), classNames, gtDir);
                    int[] s = coco.sizes().get(id);
                    size = s[0] > 0 && s[1] > 0 ? s : null;
                } else if (voc) {
                    VocAnnotations.Annotation a = VocAnnotations.read(e.getValue(), classNames);
                    truth = a.boxes();
                    if (a.width() > 0 && a.height() > 0) {
                        size = new int[] {a.width(), a.height()};
                    }
                } else {
                    size = imageSize(images, id, e.getValue());
                    truth = checkClasses(YoloLabels.read(e.getValue(), size[0], size[1]), classNames, e.getValue());
                }
                List<Box> dets;
                if (jsonPredictions) {
                    dets = jsonDets.getOrDefault(id, List.of());
                } else if (yoloDets.containsKey(id)) {
                    if (size == null) {
                        size = imageSize(images, id, e.getValue());
                    }
                    dets = YoloLabels.readDetections(yoloDets.get(id), size[0], size[1]);
                } else {
                    dets = List.of();
                }
                Path where = jsonPredictions ? pred : yoloDets.get(id);
                checkClasses(dets, classNames, where);
                detections += dets.size();
                evaluator.add(id, truth, dets);
                truthById.put(id, truth);
                sizes.put(id, size == null ? new int[2] : size);
                progress.step();
            }
        }
        List<String> orphans = new ArrayList<>();
        (jsonPredictions ? jsonDets.keySet() : yoloDets.keySet()).forEach(id -> {
            if (!gtFiles.containsKey(id)) {
                orphans.add(id);
            }
        });
        if (!orphans.isEmpty()) {
            stderr.println("irfuse: note: predictions for " + orphans.size() + " images without ground truth are "
                    + "not scored, e.g. " + String.join(", ", orphans.subList(0, Math.min(5, orphans.size()))));
        }
        DetectionEvaluator.Result r = evaluator.evaluate();
        printTable(stdout, classNames, r, gtFiles.size(), detections);
        if (out != null) {
            AtomicFiles.writeString(out, overwriteOption.overwrite, json(classNames, r, gtFiles.size(), detections));
            stdout.println("wrote " + out);
        }
        if (cocoGtOut != null) {
            CocoJson.write(cocoGtOut, truthById, sizes, Map.of(), classNames, false, overwriteOption.overwrite);
            stdout.println("wrote " + cocoGtOut);
        }
        stdout.flush();
        return 0;
    }

    /** A JSON predictions file: COCO (dataset or, against COCO ground truth, results array) or irfuse's layout. */
    private Map<String, List<Box>> readJsonPredictions(List<String> classNames, CocoJson.Dataset cocoTruth)
            throws IOException {
        if (!CocoJson.isCoco(pred)) {
            return DetectionsJson.read(pred, classNames);
        }
        if (Files.readString(pred).stripLeading().startsWith("[")) {
            if (cocoTruth == null) {
                throw new UserException(pred + ": a COCO results array refers to image and category ids of a COCO "
                        + "dataset; pass that file with --gt-format coco --gt FILE");
            }
            return CocoJson.readResults(pred, cocoTruth);
        }
        return CocoJson.readDataset(pred, classNames).boxes();
    }

    /** {@code msrs}, {@code m3fd}, a classes.txt file, or comma-separated names. */
    static List<String> classList(String spec) throws IOException {
        try {
            return DetectionDataset.classes(spec);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }

    private static int[] imageSize(Map<String, Path> images, String id, Path labelFile) throws IOException {
        Path img = images.get(id);
        if (img == null) {
            throw new UserException(labelFile + ": no image named '" + id + "' in --images-dir to take its size from");
        }
        return ImageReader.size(img);
    }

    private static List<Box> checkClasses(List<Box> boxes, List<String> classNames, Path file) {
        for (Box b : boxes) {
            if (b.classId() >= classNames.size()) {
                throw new UserException(file + ": class " + b.classId() + " outside 0.." + (classNames.size() - 1)
                        + " " + classNames + " (see --classes)");
            }
        }
        return boxes;
    }

    private static Map<String, Path> filesWithExtension(Path dir, String ext) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + ": folder not found");
        }
        Map<String, Path> byId = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                String name = f.getFileName().toString();
                if (Files.isRegularFile(f) && name.toLowerCase(Locale.ROOT).endsWith(ext) && !name.startsWith(".")) {
                    byId.put(name.substring(0, name.length() - ext.length()), f);
                }
            }
        }
        return byId;
    }

    private static void printTable(PrintWriter o, List<String> classNames, DetectionEvaluator.Result r, int images,
            int detections) {
        double[] v50 = r.ap50(false);
        double[] c50 = r.ap50(true);
        double[] v5095 = r.ap50to95(false);
        double[] c5095 = r.ap50to95(true);
        o.println("AP in percent (0-100); the JSON output holds fractions (0-1)");
        o.printf(Locale.ROOT, "%-12s %6s %10s %10s %14s %14s%n", "class", "boxes", "AP50 VOC", "AP50 COCO",
                "AP50:95 VOC", "AP50:95 COCO");
        for (int c = 0; c < classNames.size(); c++) {
            o.printf(Locale.ROOT, "%-12s %6d %10s %10s %14s %14s%n", classNames.get(c), r.groundTruthPerClass()[c],
                    pct(v50[c]), pct(c50[c]), pct(v5095[c]), pct(c5095[c]));
        }
        o.printf(Locale.ROOT, "%-12s %6s %10s %10s %14s %14s%n", "mAP", "", pct(r.map50(false)), pct(r.map50(true)),
                pct(r.map50to95(false)), pct(r.map50to95(true)));
        o.printf(Locale.ROOT, "%d images, %d detections; mean over the %d classes with ground truth (n/a: no boxes)%n",
                images, detections, r.classesEvaluated());
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }

    static String json(List<String> classNames, DetectionEvaluator.Result r, int images, int detections) {
        JsonObject root = new JsonObject();
        root.addProperty("task", "detection");
        root.addProperty("images", images);
        root.addProperty("detections", detections);
        root.addProperty("classes_evaluated", r.classesEvaluated());
        Map<String, double[]> perClass = new LinkedHashMap<>();
        for (boolean coco : new boolean[] {false, true}) {
            String interp = coco ? "coco101" : "voc_all_point";
            JsonObject m = new JsonObject();
            m.addProperty("map50", EvalSegCommand.nullable(r.map50(coco)));
            m.addProperty("map50_95", EvalSegCommand.nullable(r.map50to95(coco)));
            root.add(interp, m);
            perClass.put(interp + "_ap50", r.ap50(coco));
            perClass.put(interp + "_ap50_95", r.ap50to95(coco));
        }
        JsonArray classesJson = new JsonArray();
        for (int c = 0; c < classNames.size(); c++) {
            JsonObject o = new JsonObject();
            o.addProperty("index", c);
            o.addProperty("name", classNames.get(c));
            o.addProperty("ground_truth_boxes", r.groundTruthPerClass()[c]);
            for (Map.Entry<String, double[]> e : perClass.entrySet()) {
                o.addProperty(e.getKey(), EvalSegCommand.nullable(e.getValue()[c]));
            }
            classesJson.add(o);
        }
        root.add("per_class", classesJson);
        JsonArray thresholds = new JsonArray();
        for (double t : DetectionEvaluator.COCO_IOU_THRESHOLDS) {
            thresholds.add(t);
        }
        root.add("iou_thresholds", thresholds);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root) + "\n";
    }
}
