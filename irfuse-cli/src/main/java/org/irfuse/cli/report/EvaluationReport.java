package org.irfuse.cli.report;

import static org.irfuse.cli.report.Html.esc;
import static org.irfuse.cli.report.Html.num;
import static org.irfuse.cli.report.Html.raw;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.irfuse.cli.report.EvaluationTable.Column;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.core.pairs.ImagePair;

/**
 * The evaluation page: metrics table (mean ± std, best per metric, sortable), per-metric bar charts, a rank
 * radar, and per pair an image strip infrared | visible | each method with synchronized zoom.
 *
 * <p>Entry point for {@code irfuse report eval} and {@code irfuse eval --report}:
 * {@link #write(EvaluationTable, List, Map, Path, boolean)}.
 */
public final class EvaluationReport {
    /** Full-size images stay inline while their source files total at most this (above: {@code _files/}). */
    public static final long DEFAULT_INLINE_BUDGET_BYTES = 12L << 20;

    /**
     * @param title             page title
     * @param inlineBudgetBytes full-size images are embedded when their files total at most this many bytes,
     *                          else written beside the page in {@code <page>_files/}
     * @param onPairDone        called after each pair's images are embedded (progress bars)
     */
    public record Options(String title, long inlineBudgetBytes, Runnable onPairDone) {
        public static Options defaults() {
            return new Options("irfuse evaluation", DEFAULT_INLINE_BUDGET_BYTES, () -> { });
        }

        public Options withTitle(String t) {
            return new Options(t, inlineBudgetBytes, onPairDone);
        }

        public Options withInlineBudget(long bytes) {
            return new Options(title, bytes, onPairDone);
        }

        public Options withProgress(Runnable r) {
            return new Options(title, inlineBudgetBytes, r);
        }
    }

    private EvaluationReport() {
    }

    /** Writes the page with default options. See {@link #write(EvaluationTable, List, Map, Path, boolean, Options)}. */
    public static void write(EvaluationTable table, List<ImagePair> pairs, Map<String, Path> fusedDirs, Path out,
            boolean overwrite) throws IOException {
        write(table, pairs, fusedDirs, out, overwrite, Options.defaults());
    }

    /**
     * Writes the evaluation page.
     *
     * @param table     the evaluation results (required)
     * @param pairs     the source pairs to show (may be empty: then the page has no image grid)
     * @param fusedDirs method name → folder of its fused images, named like the pairs; in column order
     * @param out       the HTML file; on any failure nothing is left at this path or in its {@code _files/}
     * @throws java.nio.file.FileAlreadyExistsException when {@code out} exists and {@code overwrite} is false
     */
    public static void write(EvaluationTable table, List<ImagePair> pairs, Map<String, Path> fusedDirs, Path out,
            boolean overwrite, Options options) throws IOException {
        Map<String, Map<String, Path>> fused = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : fusedDirs.entrySet()) {
            fused.put(e.getKey(), FolderPairing.index(e.getValue()));
        }
        writeIndexed(table, pairs, fused, out, overwrite, options);
    }

    /** As {@link #write}, with each method's fused files already indexed by image name (any folder layout). */
    public static void writeIndexed(EvaluationTable table, List<ImagePair> pairs, Map<String, Map<String, Path>> fused,
            Path out, boolean overwrite, Options options) throws IOException {
        try (PageOutput page = new PageOutput(out, overwrite)) {
            List<Path> all = new ArrayList<>();
            for (ImagePair p : pairs) {
                all.add(p.infrared());
                all.add(p.visible());
                for (Map<String, Path> m : fused.values()) {
                    Path f = m.get(p.name());
                    if (f != null) {
                        all.add(f);
                    }
                }
            }
            ReportImages images = new ReportImages(page, ReportImages.fitsInline(all, options.inlineBudgetBytes()));
            MetricSummary summary = MetricSummary.of(table);
            page.write(w -> body(w, summary, pairs, fused, images, options));
        }
    }

    private static void body(Writer w, MetricSummary summary, List<ImagePair> pairs,
            Map<String, Map<String, Path>> fused, ReportImages images, Options options) throws IOException {
        EvaluationTable table = summary.table();
        HtmlPage.open(w, options.title());
        w.write("<p class=\"meta\">" + table.methods().size() + " methods · " + table.images().size()
                + " images in the table · " + table.columns().size() + " metrics · profile "
                + esc(String.join(", ", table.profiles())) + (pairs.isEmpty() ? "" : " · " + pairs.size()
                + " pairs shown") + "</p>\n");
        w.write("<nav><a href=\"#metrics\">Metrics</a><a href=\"#bars\">Bar charts</a><a href=\"#radar\">Rank "
                + "radar</a>" + (pairs.isEmpty() ? "" : "<a href=\"#images\">Images</a>") + "</nav>\n");
        metricsTable(w, summary);
        barCharts(w, summary);
        radar(w, summary);
        if (!pairs.isEmpty()) {
            imageGrid(w, table, pairs, fused, images, options);
        }
        HtmlPage.close(w);
    }

    static String columnLabel(Column c, boolean showProfile) {
        return c.metric() + (showProfile ? " (" + c.profile() + ")" : "");
    }

    /** ↑ or ↓ with its meaning, for headers and chart subtitles. */
    static String direction(Column c) {
        return c.lowerIsBetter() ? "↓ lower is better" : "↑ higher is better";
    }

    static void metricsTable(Writer w, MetricSummary summary) throws IOException {
        EvaluationTable table = summary.table();
        List<String> profiles = table.profiles();
        boolean manyProfiles = profiles.size() > 1;
        w.write("<h2 id=\"metrics\">Metrics</h2>\n<table class=\"metrics sortable\" id=\"metrics-table\">\n<caption>"
                + "Mean ± sample standard deviation over the images of each method; metrics computed with profile "
                + "<b>" + esc(String.join(", ", profiles)) + "</b>. Best per metric highlighted (↑ higher is "
                + "better, ↓ lower is better). Click a header to sort.</caption>\n<thead><tr><th>Method</th>"
                + "<th data-type=\"number\" data-lower=\"true\" title=\"mean of the method's ranks over all "
                + "metrics\">Mean rank ↓</th>");
        for (Column c : table.columns()) {
            w.write("<th data-type=\"number\" data-lower=\"" + c.lowerIsBetter() + "\" title=\""
                    + esc(direction(c)) + "\">" + esc(c.metric()) + (c.lowerIsBetter() ? " ↓" : " ↑")
                    + "<span class=\"profile\">" + esc(c.profile()) + "</span></th>");
        }
        w.write("</tr></thead>\n<tbody>\n");
        double bestMeanRank = Double.POSITIVE_INFINITY;
        for (String m : table.methods()) {
            double r = summary.meanRank(m);
            if (r < bestMeanRank) {
                bestMeanRank = r;
            }
        }
        for (String m : table.methods()) {
            double mr = summary.meanRank(m);
            w.write("<tr data-method=\"" + esc(m) + "\"><td>" + esc(m) + "</td><td data-value=\"" + raw(mr) + "\""
                    + (mr == bestMeanRank ? " class=\"best\"" : "") + ">" + esc(num(mr)) + "</td>");
            for (Column c : table.columns()) {
                MetricSummary.Stat s = summary.stat(m, c);
                boolean best = summary.best(c).contains(m);
                w.write("<td data-value=\"" + raw(s.mean()) + "\"" + (best ? " class=\"best\"" : "") + " title=\""
                        + esc(m + ", " + columnLabel(c, true) + ": n=" + s.count()) + "\">" + esc(num(s.mean())));
                if (!Double.isNaN(s.std())) {
                    w.write(" <span class=\"std\">± " + esc(num(s.std())) + "</span>");
                }
                w.write("</td>");
            }
            w.write("</tr>\n");
        }
        w.write("</tbody></table>\n");
        if (manyProfiles) {
            w.write("<p class=\"hint\">Several profiles: a metric's values are comparable only within one "
                    + "profile.</p>\n");
        }
    }

    static void barCharts(Writer w, MetricSummary summary) throws IOException {
        EvaluationTable table = summary.table();
        boolean manyProfiles = table.profiles().size() > 1;
        w.write("<h2 id=\"bars\">Per-metric bar charts</h2>\n<p class=\"hint\">Bars: mean; whiskers: ± one "
                + "standard deviation; ★ and outline: best.</p>\n<div class=\"charts\">\n");
        List<String> methods = table.methods();
        for (Column c : table.columns()) {
            double[] means = new double[methods.size()];
            double[] stds = new double[methods.size()];
            boolean[] best = new boolean[methods.size()];
            for (int i = 0; i < methods.size(); i++) {
                MetricSummary.Stat s = summary.stat(methods.get(i), c);
                means[i] = s.mean();
                stds[i] = s.std();
                best[i] = summary.best(c).contains(methods.get(i));
            }
            w.write(Svg.barChart(columnLabel(c, manyProfiles), direction(c), methods, means, stds, best));
            w.write('\n');
        }
        w.write("</div>\n");
    }

    static void radar(Writer w, MetricSummary summary) throws IOException {
        EvaluationTable table = summary.table();
        List<Column> cols = table.columns();
        List<String> methods = table.methods();
        w.write("<h2 id=\"radar\">Rank radar</h2>\n");
        if (cols.size() < 3 || methods.size() < 2) {
            w.write("<p class=\"hint\">The rank radar needs at least 3 metrics and 2 methods (this table has "
                    + cols.size() + " and " + methods.size() + ").</p>\n");
            return;
        }
        boolean manyProfiles = table.profiles().size() > 1;
        List<String> axes = new ArrayList<>();
        cols.forEach(c -> axes.add(columnLabel(c, manyProfiles)));
        double[][] ranks = new double[methods.size()][cols.size()];
        double[] meanRanks = new double[methods.size()];
        for (int m = 0; m < methods.size(); m++) {
            for (int c = 0; c < cols.size(); c++) {
                ranks[m][c] = summary.rank(methods.get(m), cols.get(c));
            }
            meanRanks[m] = summary.meanRank(methods.get(m));
        }
        w.write("<p class=\"hint\">Rank of each method on each metric: rank 1 on the outer ring, so the largest "
                + "area ranks best overall; ties share their average rank.</p>\n");
        w.write(Svg.rankRadar(axes, methods, ranks, meanRanks));
        w.write('\n');
    }

    private static void imageGrid(Writer w, EvaluationTable table, List<ImagePair> pairs,
            Map<String, Map<String, Path>> fused, ReportImages images, Options options) throws IOException {
        int cols = 2 + fused.size();
        w.write("<h2 id=\"images\">Images</h2>\n<p class=\"hint\">Click a point or drag a box on any image: the "
                + "same region of every column is shown enlarged below it at full resolution. Esc closes. "
                + (images.inlineFull() ? "Full-size images are embedded in this page."
                        : "Full-size images are in the folder beside this page; thumbnails are embedded.")
                + "</p>\n");
        for (ImagePair p : pairs) {
            w.write("<section class=\"pair\" data-pair=\"" + esc(p.name()) + "\">\n<h3>" + esc(p.name())
                    + "</h3>\n<div class=\"strip\" style=\"--cols:" + cols + "\">\n");
            cell(w, images, p.infrared(), "Infrared", p.name() + " infrared", null);
            cell(w, images, p.visible(), "Visible", p.name() + " visible", null);
            for (Map.Entry<String, Map<String, Path>> e : fused.entrySet()) {
                String method = e.getKey();
                cell(w, images, e.getValue().get(p.name()), method, p.name() + " " + method,
                        perImageValues(table, method, p.name()));
            }
            w.write("</div>\n<div class=\"zoomrow\" hidden style=\"--cols:" + cols + "\">\n<div class=\"zoominfo\">"
                    + "<span class=\"zoomtext\"></span><button type=\"button\" class=\"zoomclose\">close zoom"
                    + "</button></div>\n");
            for (int i = 0; i < cols; i++) {
                w.write("<div class=\"zoombox\"></div>");
            }
            w.write("\n</div>\n</section>\n");
            options.onPairDone().run();
        }
    }

    /** The method's values on one image, as a tooltip under its column. */
    private static String perImageValues(EvaluationTable table, String method, String image) {
        boolean manyProfiles = table.profiles().size() > 1;
        StringBuilder sb = new StringBuilder();
        for (Column c : table.columns()) {
            double v = table.value(method, image, c);
            if (!Double.isNaN(v)) {
                sb.append(sb.length() == 0 ? "" : "\n").append(columnLabel(c, manyProfiles)).append(" = ")
                        .append(num(v));
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static void cell(Writer w, ReportImages images, Path file, String caption, String alt, String tooltip)
            throws IOException {
        w.write("<figure class=\"cell\">");
        if (file == null) {
            w.write("<div class=\"missing\">no image</div>");
        } else {
            ReportImages.Embedded e = images.embed(file);
            w.write("<div class=\"frame\"><img src=\"" + e.thumbUrl() + "\" data-full=\"" + esc(e.fullUrl())
                    + "\" data-w=\"" + e.width() + "\" data-h=\"" + e.height() + "\" alt=\"" + esc(alt) + "\">"
                    + "<div class=\"sel\"></div></div>");
        }
        w.write("<figcaption" + (tooltip == null ? "" : " title=\"" + esc(tooltip) + "\"") + ">" + esc(caption)
                + "</figcaption></figure>\n");
    }
}
