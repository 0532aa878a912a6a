package org.irfuse.cli.report;

import static org.irfuse.cli.report.Html.esc;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.irfuse.cli.report.TrainingRun.LogEntry;
import org.irfuse.cli.report.TrainingRun.Sample;

/**
 * The training page: one line chart per field group (the name before the first dot: {@code loss}, {@code r},
 * {@code weight}, {@code gradnorm}, {@code lr}, and any other group the log has), warm-up steps shaded, the
 * run's config, and the fused samples of every checkpoint in step order.
 *
 * <p>Entry point for {@code irfuse report run} and the trainer: {@link #write(Path, Path, boolean)}.
 */
public final class TrainingReport {
    /** Known groups first, in the order a reader wants them; unknown groups follow alphabetically. */
    private static final List<String> GROUP_ORDER = List.of("loss", "r", "weight", "gradnorm", "lr");
    private static final Map<String, String> GROUP_TITLES = Map.of("loss", "Losses", "r", "r_k (per task)",
            "weight", "Aggregation weights", "gradnorm", "Gradient norms", "lr", "Learning rate");

    private TrainingReport() {
    }

    /** Writes the page for a run folder; full-size samples inline up to the default budget. */
    public static void write(Path runDir, Path out, boolean overwrite) throws IOException {
        write(TrainingRun.read(runDir), out, overwrite, EvaluationReport.DEFAULT_INLINE_BUDGET_BYTES);
    }

    public static void write(TrainingRun run, Path out, boolean overwrite, long inlineBudgetBytes) throws IOException {
        try (PageOutput page = new PageOutput(out, overwrite)) {
            List<Path> all = new ArrayList<>();
            run.samples().values().forEach(l -> l.forEach(s -> all.add(s.file())));
            ReportImages images = new ReportImages(page, ReportImages.fitsInline(all, inlineBudgetBytes));
            page.write(w -> body(w, run, images));
        }
    }

    /** Field name → group: the part before the first dot. */
    static String group(String field) {
        int dot = field.indexOf('.');
        return dot < 0 ? field : field.substring(0, dot);
    }

    /** Fields grouped for charts, groups in display order, fields in log order. */
    static Map<String, List<String>> groups(List<String> fields) {
        Map<String, List<String>> unordered = new LinkedHashMap<>();
        for (String f : fields) {
            unordered.computeIfAbsent(group(f), k -> new ArrayList<>()).add(f);
        }
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        for (String g : GROUP_ORDER) {
            if (unordered.containsKey(g)) {
                ordered.put(g, unordered.get(g));
            }
        }
        unordered.keySet().stream().filter(g -> !ordered.containsKey(g)).sorted()
                .forEach(g -> ordered.put(g, unordered.get(g)));
        return ordered;
    }

    /** Consecutive log ranges with the same stage, for shading (only stages other than the last one shown). */
    static List<Svg.Band> stageBands(List<LogEntry> log) {
        List<Svg.Band> bands = new ArrayList<>();
        String stage = null;
        long from = 0;
        long prev = 0;
        for (LogEntry e : log) {
            if (e.stage() != null && !e.stage().equals(stage)) {
                if (stage != null) {
                    bands.add(new Svg.Band(from, e.step(), stage));
                }
                stage = e.stage();
                from = e.step();
            }
            prev = e.step();
        }
        if (stage != null && !bands.isEmpty()) {
            bands.add(new Svg.Band(from, prev, stage));
        }
        // Shade every other stage so neighbouring stages stay distinguishable; label all of them.
        List<Svg.Band> shaded = new ArrayList<>();
        for (int i = 0; i < bands.size(); i += 2) {
            shaded.add(bands.get(i));
        }
        return shaded;
    }

    private static void body(Writer w, TrainingRun run, ReportImages images) throws IOException {
        String title = "Training: " + run.dir().toAbsolutePath().normalize().getFileName();
        HtmlPage.open(w, title);
        List<LogEntry> log = run.log();
        // Resumed runs may log steps out of order; the axis spans all of them.
        long firstStep = log.stream().mapToLong(LogEntry::step).min().orElse(0);
        long lastStep = log.stream().mapToLong(LogEntry::step).max().orElse(0);
        w.write("<p class=\"meta\">" + log.size() + " log entries · steps " + firstStep + "–" + lastStep + " · "
                + run.samples().size() + " sample images tracked · "
                + esc(run.dir().toAbsolutePath().normalize().toString()) + "</p>\n");
        for (String warning : run.warnings()) {
            w.write("<p class=\"hint\">Note: " + esc(warning) + "</p>\n");
        }
        w.write("<nav><a href=\"#curves\">Curves</a><a href=\"#samples\">Samples</a><a href=\"#config\">Config"
                + "</a></nav>\n<h2 id=\"curves\">Curves</h2>\n");
        List<Svg.Band> bands = stageBands(log);
        w.write("<div class=\"charts\">\n");
        for (Map.Entry<String, List<String>> g : groups(run.fields()).entrySet()) {
            List<Svg.Series> series = new ArrayList<>();
            for (String field : g.getValue()) {
                double[] x = new double[log.size()];
                double[] y = new double[log.size()];
                for (int i = 0; i < log.size(); i++) {
                    x[i] = log.get(i).step();
                    Double v = log.get(i).values().get(field);
                    y[i] = v == null ? Double.NaN : v;
                }
                series.add(new Svg.Series(field, x, y));
            }
            String t = GROUP_TITLES.getOrDefault(g.getKey(), g.getKey());
            w.write("<div class=\"chartbox\" data-group=\"" + esc(g.getKey()) + "\">");
            w.write(Svg.lineChart(t, "step", series, bands, firstStep, lastStep));
            w.write("</div>\n");
        }
        w.write("</div>\n<h2 id=\"samples\">Fused samples at checkpoints</h2>\n");
        if (run.samples().isEmpty()) {
            w.write("<p class=\"hint\">No samples in " + esc(run.dir().resolve("samples").toString()) + ".</p>\n");
        } else {
            w.write("<p class=\"hint\">In step order; click an image for full size.</p>\n");
        }
        for (Map.Entry<String, List<Sample>> e : run.samples().entrySet()) {
            w.write("<h3>" + esc(e.getKey()) + "</h3>\n<div class=\"samples\" data-sample=\"" + esc(e.getKey())
                    + "\">\n");
            for (Sample s : e.getValue()) {
                ReportImages.Embedded em = images.embed(s.file());
                w.write("<figure><img class=\"lightbox\" src=\"" + em.thumbUrl() + "\" data-full=\""
                        + esc(em.fullUrl()) + "\" alt=\"" + esc(e.getKey() + " at step " + s.step()) + "\">"
                        + "<figcaption>step " + s.step() + "</figcaption></figure>\n");
            }
            w.write("</div>\n");
        }
        w.write("<h2 id=\"config\">Config</h2>\n");
        if (run.configJson() == null) {
            w.write("<p class=\"hint\">This run has no config.json.</p>\n");
        } else {
            w.write("<pre class=\"config\">" + esc(run.configJson()) + "</pre>\n");
        }
        HtmlPage.close(w);
    }
}
