package org.irfuse.nn.downstream;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.irfuse.core.detection.DetectionEvaluator;
import org.irfuse.core.segmentation.ClassPalette;
import org.irfuse.core.segmentation.SegmentationMetrics;
import org.irfuse.nn.pretrained.ClassMapping;
import org.irfuse.nn.pretrained.YoloDetector;

/**
 * The scores of a {@link DownstreamEvaluation} as a long-form CSV, a JSON summary and a text table. Every value
 * says what it was measured against: detection against the box labels, segmentation against labels or — when the
 * set has none — against {@value #PSEUDO} (never presented as ground truth).
 */
public final class DownstreamResults {
    public static final String CSV_HEADER = "source,task,class,metric,interpolation,reference,value";
    public static final String PSEUDO = "pseudo-labels MFNet(visible, infrared)";

    private DownstreamResults() {
    }

    /** What the run measured against, for the CSV's {@code reference} column and the JSON. */
    public record References(String boxes, String segmentation) {
    }

    public static String segmentationReference(DownstreamEvaluation.SegmentationScore s, String labelsName) {
        if (s.pseudoLabelledImages() == 0) {
            return labelsName;
        }
        return s.labelledImages() == 0 ? PSEUDO : labelsName + " (" + s.labelledImages() + " images) + " + PSEUDO
                + " (" + s.pseudoLabelledImages() + ")";
    }

    /**
     * The settings a summary records (the JSON's {@code settings}), one definition for every command that runs a
     * downstream evaluation.
     *
     * @param segmenterWeights {@code null} without segmentation
     */
    public static Map<String, Object> settings(String detectorWeights, String segmenterWeights, ClassMapping mapping,
            YoloDetector.Settings settings) {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("detector", "yolov5n");
        set.put("detector_weights", detectorWeights);
        set.put("segmenter_weights", segmenterWeights == null ? "none" : segmenterWeights);
        set.put("class_map", mapping.toString());
        set.put("padding", settings.padding().id() + " to a multiple of 32, gray 114/255");
        set.put("score_threshold", settings.scoreThreshold());
        set.put("nms_iou", settings.nmsIou());
        set.put("max_per_class", settings.maxPerClass());
        set.put("ap", "VOC all-point (primary) and COCO 101-point; mAP over classes with boxes");
        return set;
    }

    /** Long-form CSV: one row per source, task, class and metric; classes without ground truth are left out. */
    public static String csv(List<DownstreamEvaluation.SourceScore> scores, List<String> classes, References ref) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (DownstreamEvaluation.SourceScore s : scores) {
            DetectionEvaluator.Result r = s.detection();
            for (boolean coco : new boolean[] {false, true}) {
                String interp = coco ? "coco101" : "voc";
                double[] ap50 = r.ap50(coco);
                double[] ap5095 = r.ap50to95(coco);
                for (int c = 0; c < classes.size(); c++) {
                    if (r.hasGroundTruth(c)) {
                        row(sb, s.name(), "detection", classes.get(c), "AP50", interp, ref.boxes(), ap50[c]);
                        row(sb, s.name(), "detection", classes.get(c), "AP50:95", interp, ref.boxes(), ap5095[c]);
                    }
                }
                row(sb, s.name(), "detection", "all", "mAP50", interp, ref.boxes(), r.map50(coco));
                row(sb, s.name(), "detection", "all", "mAP50:95", interp, ref.boxes(), r.map50to95(coco));
            }
            if (s.segmentation() != null) {
                SegmentationMetrics m = s.segmentation().metrics();
                String sref = segmentationReference(s.segmentation(), ref.segmentation());
                List<String> names = ClassPalette.MSRS.classNames();
                for (int c = 0; c < names.size(); c++) {
                    row(sb, s.name(), "segmentation", names.get(c), "IoU", "", sref, m.iou()[c]);
                }
                row(sb, s.name(), "segmentation", "all", "mIoU", "", sref, m.meanIou());
                row(sb, s.name(), "segmentation", "all", "pixel_accuracy", "", sref, m.pixelAccuracy());
            }
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String source, String task, String cls, String metric, String interp,
            String ref, double v) {
        sb.append(quote(source)).append(',').append(task).append(',').append(quote(cls)).append(',').append(metric)
                .append(',').append(interp).append(',').append(quote(ref)).append(',')
                .append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v)).append('\n');
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** JSON summary: settings, per source per-class AP (VOC and COCO), mAPs, mIoU with its reference. */
    public static String json(List<DownstreamEvaluation.SourceScore> scores, List<String> classes, References ref,
            int images, Map<String, Object> settings) {
        JsonObject root = new JsonObject();
        root.addProperty("task", "downstream");
        root.addProperty("images", images);
        root.addProperty("boxes_reference", ref.boxes());
        JsonObject set = new JsonObject();
        settings.forEach((k, v) -> {
            if (v instanceof Number n) {
                set.addProperty(k, n);
            } else {
                set.addProperty(k, String.valueOf(v));
            }
        });
        root.add("settings", set);
        JsonArray sources = new JsonArray();
        for (DownstreamEvaluation.SourceScore s : scores) {
            JsonObject o = new JsonObject();
            o.addProperty("source", s.name());
            o.addProperty("detections", s.detections());
            DetectionEvaluator.Result r = s.detection();
            for (boolean coco : new boolean[] {false, true}) {
                JsonObject d = new JsonObject();
                d.addProperty("map50", nullable(r.map50(coco)));
                d.addProperty("map50_95", nullable(r.map50to95(coco)));
                JsonObject per = new JsonObject();
                for (int c = 0; c < classes.size(); c++) {
                    JsonObject pc = new JsonObject();
                    pc.addProperty("ground_truth_boxes", r.groundTruthPerClass()[c]);
                    pc.addProperty("ap50", nullable(r.ap50(coco)[c]));
                    pc.addProperty("ap50_95", nullable(r.ap50to95(coco)[c]));
                    per.add(classes.get(c), pc);
                }
                d.add("per_class", per);
                o.add(coco ? "detection_coco101" : "detection_voc", d);
            }
            if (s.segmentation() != null) {
                SegmentationMetrics m = s.segmentation().metrics();
                JsonObject g = new JsonObject();
                g.addProperty("reference", segmentationReference(s.segmentation(), ref.segmentation()));
                g.addProperty("pseudo_labels", s.segmentation().pseudoLabels());
                g.addProperty("miou", nullable(m.meanIou()));
                g.addProperty("pixel_accuracy", nullable(m.pixelAccuracy()));
                JsonObject iou = new JsonObject();
                List<String> names = ClassPalette.MSRS.classNames();
                for (int c = 0; c < names.size(); c++) {
                    iou.addProperty(names.get(c), nullable(m.iou()[c]));
                }
                g.add("iou", iou);
                o.add("segmentation", g);
            }
            sources.add(o);
        }
        root.add("sources", sources);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root) + "\n";
    }

    private static Double nullable(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /**
     * The table a user reads: one row per source, AP@0.5 per class, mAP@0.5 and mAP@0.5:0.95 (VOC all-point, the
     * reference protocol), and mIoU (marked {@code *} when against pseudo-labels).
     */
    public static String table(List<DownstreamEvaluation.SourceScore> scores, List<String> classes) {
        StringBuilder sb = new StringBuilder();
        int w = Math.max(10, scores.stream().mapToInt(s -> s.name().length()).max().orElse(0) + 1);
        boolean seg = scores.stream().anyMatch(s -> s.segmentation() != null);
        boolean pseudo = scores.stream().anyMatch(s -> s.segmentation() != null
                && s.segmentation().pseudoLabelledImages() > 0);
        sb.append(String.format(Locale.ROOT, "%-" + w + "s", "source"));
        for (String c : classes) {
            sb.append(String.format(Locale.ROOT, " %9s", trim(c, 9)));
        }
        sb.append(String.format(Locale.ROOT, " %7s %10s", "mAP50", "mAP50:95"));
        if (seg) {
            sb.append(String.format(Locale.ROOT, " %7s", pseudo ? "mIoU*" : "mIoU"));
        }
        sb.append('\n');
        for (DownstreamEvaluation.SourceScore s : scores) {
            DetectionEvaluator.Result r = s.detection();
            sb.append(String.format(Locale.ROOT, "%-" + w + "s", s.name()));
            double[] ap = r.ap50(false);
            for (int c = 0; c < classes.size(); c++) {
                sb.append(String.format(Locale.ROOT, " %9s", num(ap[c])));
            }
            sb.append(String.format(Locale.ROOT, " %7s %10s", num(r.map50(false)), num(r.map50to95(false))));
            if (seg) {
                sb.append(String.format(Locale.ROOT, " %7s", s.segmentation() == null ? "" :
                        num(s.segmentation().metrics().meanIou())));
            }
            sb.append('\n');
        }
        sb.append("AP@0.5 per class (VOC all-point), fractions; n/a: no boxes of that class");
        if (pseudo) {
            sb.append("\n* mIoU against ").append(PSEUDO).append(", not ground truth");
        }
        return sb.append('\n').toString();
    }

    private static String trim(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
