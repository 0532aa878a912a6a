package org.irfuse.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.core.segmentation.AbsentClassPolicy;
import org.irfuse.core.segmentation.ClassPalette;
import org.irfuse.core.segmentation.ConfusionMatrix;
import org.irfuse.core.segmentation.LabelMap;
import org.irfuse.core.segmentation.SegmentationLabels;
import org.irfuse.core.segmentation.SegmentationMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse eval seg}: mIoU of a folder of segmentation predictions against a folder of labels, with one
 * confusion matrix over the whole set (METRICS.md, Downstream). Files pair by name without extension; every label
 * needs a prediction.
 */
@Command(name = "seg", mixinStandardHelpOptions = true,
        description = {"Segmentation scores of predictions against labels: per-class IoU, mIoU, pixel accuracy.",
            "One confusion matrix over the whole set; predictions as class-index PNGs or RGB palette PNGs."})
public final class EvalSegCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ImageLimits imageLimits;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--pred-dir", required = true, paramLabel = "DIR",
            description = "Predictions: class-index PNGs or RGB PNGs in the class set's palette.")
    Path predDir;

    @Option(names = "--label-dir", required = true, paramLabel = "DIR",
            description = "Ground truth: class-index PNGs (MSRS Segmentation_labels); labels outside 0..K-1 are "
                    + "ignored.")
    Path labelDir;

    @Option(names = "--classes", defaultValue = "msrs", paramLabel = "SET",
            description = "msrs (9 MSRS/MFNet classes with palette), fmb (15, index PNGs only) or a number of "
                    + "classes")
    String classes;

    @Option(names = "--absent", defaultValue = "zero", paramLabel = "zero|drop",
            description = "A class absent from labels and predictions: zero = counts as IoU 0 (the papers' "
                    + "mIoU), drop = left out of the mean")
    String absent;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the scores as JSON (atomically).")
    Path out;

    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        ClassPalette palette = ClassPalette.forName(classes);
        AbsentClassPolicy policy = switch (absent.toLowerCase(Locale.ROOT)) {
            case "zero" -> AbsentClassPolicy.COUNT_AS_ZERO;
            case "drop" -> AbsentClassPolicy.DROP_ABSENT;
            default -> throw new UserException("--absent must be zero or drop, got '" + absent + "'");
        };
        UserException.refuseInput(out, predDir, labelDir);
        UserException.refuseExisting(out, overwriteOption.overwrite);
        Map<String, Path> labels = FolderPairing.index(labelDir);
        Map<String, Path> preds = FolderPairing.index(predDir);
        if (labels.isEmpty()) {
            throw new UserException(labelDir + ": no label images found");
        }
        List<String> missing = new ArrayList<>();
        for (String id : labels.keySet()) {
            if (!preds.containsKey(id)) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            throw new UserException(missing.size() + " labels in " + labelDir + " have no prediction in " + predDir
                    + ", e.g. " + String.join(", ", missing.subList(0, Math.min(5, missing.size()))));
        }
        long extra = preds.keySet().stream().filter(id -> !labels.containsKey(id)).count();
        if (extra > 0) {
            stderr.println("irfuse: note: " + extra + " predictions in " + predDir + " have no label and are not "
                    + "scored");
        }

        ConfusionMatrix matrix = new ConfusionMatrix(palette.size());
        try (Progress progress = Progress.start("eval seg", labels.size(), "img")) {
            for (Map.Entry<String, Path> e : labels.entrySet()) {
                Path labelFile = e.getValue();
                Path predFile = preds.get(e.getKey());
                LabelMap truth = SegmentationLabels.read(labelFile, palette);
                LabelMap pred = SegmentationLabels.read(predFile, palette);
                if (truth.width() != pred.width() || truth.height() != pred.height()) {
                    throw new UserException(predFile + ": prediction is " + pred.sizeString() + " but label "
                            + labelFile + " is " + truth.sizeString());
                }
                try {
                    matrix.add(truth, pred);
                } catch (IllegalArgumentException ex) {
                    throw new UserException(predFile + ": " + ex.getMessage());
                }
                progress.step();
            }
        }
        if (matrix.total() == 0) {
            throw new UserException("no pixel was scored: all " + matrix.ignoredPixels() + " label pixels in "
                    + labelDir + " are outside 0.." + (palette.size() - 1) + " (ignored); check --classes and the "
                    + "label format");
        }
        SegmentationMetrics m = SegmentationMetrics.of(matrix, policy);
        printTable(stdout, palette, m, labels.size(), matrix);
        if (out != null) {
            AtomicFiles.writeString(out, overwriteOption.overwrite, json(palette, m, labels.size(), matrix));
            stdout.println("wrote " + out);
        }
        stdout.flush();
        return 0;
    }

    private static void printTable(PrintWriter o, ClassPalette palette, SegmentationMetrics m, int images,
            ConfusionMatrix matrix) {
        o.println("scores in percent (0-100); the JSON output holds fractions (0-1)");
        o.printf(Locale.ROOT, "%-14s %8s %9s%n", "class", "IoU", "accuracy");
        for (int c = 0; c < palette.size(); c++) {
            o.printf(Locale.ROOT, "%-14s %8s %9s%s%n", palette.className(c), pct(m.iou()[c]),
                    pct(m.classAccuracy()[c]), m.iouDefined()[c] ? "" : "  (absent)");
        }
        o.printf(Locale.ROOT, "mIoU %s over %d classes (absent classes: %s), mean accuracy %s, pixel accuracy %s"
                + "%n", pct(m.meanIou()), m.classesInMean(),
                m.policy() == AbsentClassPolicy.COUNT_AS_ZERO ? "counted as 0" : "dropped",
                pct(m.meanClassAccuracy()), pct(m.pixelAccuracy()));
        o.printf(Locale.ROOT, "%d images, %d pixels scored, %d pixels with labels outside 0..%d ignored%n", images,
                matrix.total(), matrix.ignoredPixels(), palette.size() - 1);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }

    static String json(ClassPalette palette, SegmentationMetrics m, int images, ConfusionMatrix matrix) {
        JsonObject root = new JsonObject();
        root.addProperty("task", "segmentation");
        root.addProperty("classes", palette.name());
        root.addProperty("absent_policy", m.policy().name());
        root.addProperty("images", images);
        root.addProperty("pixels", matrix.total());
        root.addProperty("ignored_pixels", matrix.ignoredPixels());
        root.addProperty("miou", nullable(m.meanIou()));
        root.addProperty("classes_in_mean", m.classesInMean());
        root.addProperty("pixel_accuracy", nullable(m.pixelAccuracy()));
        root.addProperty("mean_class_accuracy", nullable(m.meanClassAccuracy()));
        JsonArray perClass = new JsonArray();
        for (int c = 0; c < palette.size(); c++) {
            JsonObject o = new JsonObject();
            o.addProperty("index", c);
            o.addProperty("name", palette.className(c));
            o.addProperty("iou", nullable(m.iou()[c]));
            o.addProperty("accuracy", nullable(m.classAccuracy()[c]));
            o.addProperty("present", m.iouDefined()[c]);
            perClass.add(o);
        }
        root.add("per_class", perClass);
        JsonArray rows = new JsonArray();
        for (long[] row : matrix.counts()) {
            JsonArray r = new JsonArray();
            for (long v : row) {
                r.add(v);
            }
            rows.add(r);
        }
        root.add("confusion_matrix_truth_by_prediction", rows);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root) + "\n";
    }

    /** JSON has no NaN: undefined scores are written as null. */
    static Double nullable(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
