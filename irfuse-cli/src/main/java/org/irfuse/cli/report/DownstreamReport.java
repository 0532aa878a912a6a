package org.irfuse.cli.report;

import static org.irfuse.cli.report.Html.esc;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.BoxDrawing;
import org.irfuse.core.detection.DetectionEvaluator;
import org.irfuse.core.image.Image;
import org.irfuse.core.segmentation.LabelMap;
import org.irfuse.nn.downstream.DownstreamEvaluation;
import org.irfuse.nn.downstream.DownstreamResults;

/**
 * The HTML page of {@code irfuse eval downstream}: the per-class AP table (best per column highlighted), a bar
 * chart of mAP@0.5 per source, and for a few pairs the detections of every source drawn side by side after the
 * ground truth, with the zoom of the evaluation report (same page frame, CSS and script).
 */
public final class DownstreamReport {
    /** Boxes drawn from this score up (YOLOv5's display threshold). */
    public static final double DRAW_THRESHOLD = 0.25;

    private DownstreamReport() {
    }

    /** Keeps the drawings of the chosen pairs while the evaluation runs. */
    public static final class Collector implements DownstreamEvaluation.Listener {
        private final Set<String> ids;
        private final List<String> classNames;
        private final Map<String, Map<String, Image>> drawn = new LinkedHashMap<>();

        public Collector(List<String> ids, List<String> classNames) {
            this.ids = Set.copyOf(ids);
            this.classNames = classNames;
        }

        @Override
        public void image(String id, String source, Image seen, List<Box> truth, List<Box> boxes,
                LabelMap segmentation) {
            if (!ids.contains(id)) {
                return;
            }
            Map<String, Image> row = drawn.computeIfAbsent(id, k -> new LinkedHashMap<>());
            if (source.equals("visible")) {
                row.put("ground truth", BoxDrawing.draw(seen, truth, classNames));
            }
            row.put(source, BoxDrawing.draw(seen, boxes.stream().filter(b -> b.score() >= DRAW_THRESHOLD).toList(),
                    classNames));
        }
    }

    /** Writes the page atomically (nothing is left behind on failure). */
    public static void write(Path out, boolean overwrite, List<DownstreamEvaluation.SourceScore> scores,
            List<String> classes, DownstreamResults.References refs, Map<String, Object> settings, int images,
            Collector drawings) throws IOException {
        try (PageOutput page = new PageOutput(out, overwrite)) {
            // A drawn 640×480 PNG is about 0.6 MB: up to a dozen inline keeps the page near the evaluation
            // report's 12 MB budget; more go to the page's _files folder.
            int count = drawings.drawn.values().stream().mapToInt(Map::size).sum();
            ReportImages img = new ReportImages(page, count <= 12);
            page.write(w -> body(w, scores, classes, refs, settings, images, drawings, img));
        }
    }

    private static void body(Writer w, List<DownstreamEvaluation.SourceScore> scores, List<String> classes,
            DownstreamResults.References refs, Map<String, Object> settings, int images, Collector drawings,
            ReportImages img) throws IOException {
        HtmlPage.open(w, "irfuse downstream evaluation");
        w.write("<p class=\"meta\">" + images + " pairs · " + scores.size() + " sources · frozen YOLOv5n"
                + (scores.get(0).segmentation() == null ? "" : " and MFNet") + " · boxes: " + esc(refs.boxes())
                + "</p>\n");
        w.write("<nav><a href=\"#ap\">AP table</a><a href=\"#bars\">mAP chart</a>"
                + (drawings.drawn.isEmpty() ? "" : "<a href=\"#images\">Detections</a>") + "</nav>\n");
        apTable(w, scores, classes);
        w.write("<h2 id=\"bars\">mAP@0.5 per source</h2>\n<div class=\"charts\">");
        double[] map = scores.stream().mapToDouble(s -> s.detection().map50(false)).toArray();
        double best = java.util.Arrays.stream(map).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
        boolean[] isBest = new boolean[map.length];
        double[] std = new double[map.length];
        for (int i = 0; i < map.length; i++) {
            isBest[i] = map[i] == best;
            std[i] = Double.NaN;
        }
        w.write(Svg.barChart("mAP@0.5 (VOC all-point)", "↑ higher is better",
                scores.stream().map(DownstreamEvaluation.SourceScore::name).toList(), map, std, isBest));
        w.write("</div>\n<h3>Settings</h3>\n<pre class=\"config\">");
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            w.write(esc(e.getKey() + ": " + e.getValue()) + "\n");
        }
        w.write("</pre>\n");
        if (!drawings.drawn.isEmpty()) {
            images(w, drawings, img);
        }
        HtmlPage.close(w);
    }

    private static void apTable(Writer w, List<DownstreamEvaluation.SourceScore> scores, List<String> classes)
            throws IOException {
        boolean seg = scores.get(0).segmentation() != null;
        List<String> headers = new ArrayList<>();
        List<double[]> columns = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            final int k = c;
            headers.add("AP50 " + classes.get(c));
            columns.add(scores.stream().mapToDouble(s -> s.detection().ap50(false)[k]).toArray());
        }
        headers.add("mAP50");
        columns.add(scores.stream().mapToDouble(s -> s.detection().map50(false)).toArray());
        headers.add("mAP50:95");
        columns.add(scores.stream().mapToDouble(s -> s.detection().map50to95(false)).toArray());
        headers.add("mAP50 COCO");
        columns.add(scores.stream().mapToDouble(s -> s.detection().map50(true)).toArray());
        String segRef = "";
        if (seg) {
            DownstreamEvaluation.SegmentationScore first = scores.get(0).segmentation();
            boolean pseudo = first.pseudoLabelledImages() > 0;
            headers.add(pseudo ? "mIoU (pseudo)" : "mIoU");
            columns.add(scores.stream().mapToDouble(s -> s.segmentation().metrics().meanIou()).toArray());
            segRef = pseudo ? " mIoU is measured against " + DownstreamResults.PSEUDO + " — not ground truth; the "
                    + "visible column scores itself against its own output." : " mIoU against the given labels.";
        }
        DetectionEvaluator.Result r0 = scores.get(0).detection();
        StringBuilder boxes = new StringBuilder();
        for (int c = 0; c < classes.size(); c++) {
            boxes.append(c == 0 ? "" : ", ").append(classes.get(c)).append(' ').append(r0.groundTruthPerClass()[c]);
        }
        w.write("<h2 id=\"ap\">Average precision</h2>\n<table class=\"metrics sortable\">\n<caption>AP@0.5 per class "
                + "and mAP (VOC all-point interpolation; mAP over classes with boxes; COCO 101-point for comparison), "
                + "fractions. Ground-truth boxes: " + esc(boxes.toString()) + ". Best per column highlighted; click "
                + "a header to sort." + esc(segRef) + "</caption>\n<thead><tr><th>Source</th>");
        for (String h : headers) {
            w.write("<th data-type=\"number\">" + esc(h) + "</th>");
        }
        w.write("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < scores.size(); i++) {
            w.write("<tr><td>" + esc(scores.get(i).name()) + "</td>");
            for (double[] col : columns) {
                double best = java.util.Arrays.stream(col).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
                double v = col[i];
                w.write("<td" + (v == best ? " class=\"best\"" : "") + " data-value=\"" + Html.raw(v) + "\">"
                        + (Double.isNaN(v) ? "—" : String.format(java.util.Locale.ROOT, "%.3f", v)) + "</td>");
            }
            w.write("</tr>\n");
        }
        w.write("</tbody>\n</table>\n");
    }

    private static void images(Writer w, Collector drawings, ReportImages img) throws IOException {
        w.write("<h2 id=\"images\">Detections</h2>\n<p class=\"hint\">Ground truth on the visible image, then each "
                + "source with the detector's boxes of score ≥ " + DRAW_THRESHOLD + ". Click or drag on any image "
                + "to see that region of every column enlarged. Esc closes.</p>\n");
        for (Map.Entry<String, Map<String, Image>> pair : drawings.drawn.entrySet()) {
            Map<String, Image> row = new LinkedHashMap<>();
            Image gt = pair.getValue().get("ground truth");
            if (gt != null) {
                row.put("ground truth", gt);
            }
            pair.getValue().forEach((k, v) -> row.putIfAbsent(k, v));
            int cols = row.size();
            w.write("<section class=\"pair\" data-pair=\"" + esc(pair.getKey()) + "\">\n<h3>" + esc(pair.getKey())
                    + "</h3>\n<div class=\"strip\" style=\"--cols:" + cols + "\">\n");
            for (Map.Entry<String, Image> e : row.entrySet()) {
                ReportImages.Embedded em = img.embed(e.getValue(), pair.getKey() + "-" + e.getKey());
                w.write("<figure class=\"cell\"><div class=\"frame\"><img src=\"" + em.thumbUrl() + "\" data-full=\""
                        + esc(em.fullUrl()) + "\" data-w=\"" + em.width() + "\" data-h=\"" + em.height() + "\" alt=\""
                        + esc(pair.getKey() + " " + e.getKey()) + "\"><div class=\"sel\"></div></div><figcaption>"
                        + esc(e.getKey()) + "</figcaption></figure>\n");
            }
            w.write("</div>\n<div class=\"zoomrow\" hidden style=\"--cols:" + cols + "\">\n<div class=\"zoominfo\">"
                    + "<span class=\"zoomtext\"></span><button type=\"button\" class=\"zoomclose\">close zoom"
                    + "</button></div>\n");
            for (int i = 0; i < cols; i++) {
                w.write("<div class=\"zoombox\"></div>");
            }
            w.write("\n</div>\n</section>\n");
        }
    }
}
