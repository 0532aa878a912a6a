package org.irfuse.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.core.metrics.EvaluationCsv;
import org.irfuse.core.metrics.Evaluator;
import org.irfuse.core.metrics.FolderEvaluation;
import org.irfuse.core.metrics.Metric;
import org.irfuse.core.metrics.MetricRow;
import org.irfuse.core.metrics.MetricTable;
import org.irfuse.core.metrics.Profile;
import org.irfuse.cli.report.EvaluationReport;
import org.irfuse.cli.report.EvaluationTable;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.core.pairs.ImagePair;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse eval}: fusion metrics of one or more methods' fused folders against the infrared and visible
 * sources, under a named profile. Runnable itself; downstream evaluations ({@code irfuse eval seg},
 * {@code irfuse eval det}) attach as picocli subcommands in {@code subcommands} below — none of this command's
 * options is required at parse time, so {@code irfuse eval seg ...} parses without them.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fusion metrics (EN, SD, SF, AG, MI, SCD, CC, VIF, Qabf, SSIM, PSNR, ...) of fused folders "
                + "against their infrared and visible sources, in the conventions of a named toolkit profile.",
                "Writes a long-form per-image CSV (method,image,metric,profile,value), a JSON summary, and prints "
                        + "a table of means ± std with the best method per metric marked."},
        subcommands = {EvalSegCommand.class, EvalDetCommand.class, EvalDownstreamCommand.class})
public final class EvalCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ImageLimits imageLimits;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--ir-dir", paramLabel = "DIR", description = "Folder of infrared images.")
    Path irDir;

    @Option(names = "--vis-dir", paramLabel = "DIR", description = "Folder of visible images.")
    Path visDir;

    @Option(names = "--fused-dir", paramLabel = "NAME=DIR",
            showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "A method's fused images (repeat for several methods), e.g. DenseFuse=out/densefuse.")
    List<String> fusedDirs = new ArrayList<>();

    @Option(names = "--fused-flat", paramLabel = "DIR",
            description = "One folder of <image>_<method>.<ext> files (VIFB's layout, e.g. carLight_NSCT_SR.jpg); "
                    + "every method in it is evaluated. May be combined with --fused-dir.")
    Path fusedFlat;

    @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "cddfuse",
            description = "Toolkit conventions: cddfuse (default), tang2022, tang2023, vifb (see METRICS.md).")
    String profile;

    @Option(names = "--metrics", paramLabel = "LIST", split = ",",
            description = "Metrics to compute (default: all the profile defines), e.g. EN,SD,MI,Qabf.")
    List<String> metrics;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "results.csv",
            description = "Per-image CSV.")
    Path out;

    @Option(names = "--summary", paramLabel = "FILE",
            description = "JSON summary (default: the CSV's name with .json).")
    Path summary;

    @Option(names = "--skip-missing",
            description = "Evaluate the images present everywhere and only warn about missing or size-mismatched ones.")
    boolean skipMissing;

    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;

    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Also write a self-contained HTML page: image grid per pair, metrics table, charts.")
    Path report;

    /** One method's fused folder. */
    record Method(String name, Path dir) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (irDir == null || visDir == null || (fusedDirs.isEmpty() && fusedFlat == null)) {
            throw new UserException("eval needs --ir-dir, --vis-dir and at least one --fused-dir NAME=DIR or "
                    + "--fused-flat DIR (see irfuse eval --help)");
        }
        org.irfuse.nn.runtime.Compute.checkThreads(threadsOption.count());
        List<Method> methods = parseMethods(fusedDirs);
        if (fusedFlat != null) {
            methods.add(new Method(null, fusedFlat));   // expanded into its methods once the sources are indexed
        }
        Profile prof = Profile.parse(profile);
        List<Metric> chosen = metrics == null ? prof.metrics() : metrics.stream().map(Metric::parse).toList();
        Evaluator evaluator = new Evaluator(prof, chosen);
        Path summaryPath = summary != null ? summary : defaultSummary(out);
        List<Path> outputs = new ArrayList<>(List.of(out, summaryPath));
        if (report != null) {
            outputs.add(report);
        }
        for (Path p : outputs) {
            UserException.refuseInput(p, irDir, visDir);
            methods.forEach(m -> UserException.refuseInput(p, m.dir()));
            UserException.refuseExisting(p, overwriteOption.overwrite);
        }

        Map<String, Path> ir = FolderPairing.index(irDir);
        Map<String, Path> vis = FolderPairing.index(visDir);
        Map<String, Map<String, Path>> fused = new LinkedHashMap<>();
        for (Method m : methods) {
            if (m.name() != null) {
                fused.put(m.name(), FolderPairing.index(m.dir()));
            }
        }
        if (fusedFlat != null) {
            java.util.Set<String> sources = new TreeSet<>(ir.keySet());
            sources.addAll(vis.keySet());
            for (Map.Entry<String, Map<String, Path>> e : FolderPairing.indexByMethod(fusedFlat, sources).entrySet()) {
                if (fused.put(e.getKey(), e.getValue()) != null) {
                    throw new UserException(fusedFlat + ": method '" + e.getKey() + "' is also given by --fused-dir");
                }
            }
            methods.removeIf(m -> m.name() == null);
            for (String name : fused.keySet()) {
                if (methods.stream().noneMatch(m -> m.name().equals(name))) {
                    methods.add(new Method(name, fusedFlat));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        List<String> names = FolderEvaluation.completeNames(ir, vis, fused, problems);
        if (!problems.isEmpty() && !skipMissing) {
            listProblems(err, problems);
            throw new UserException(problems.size() + " image(s) without a counterpart in every folder (listed "
                    + "above); pass --skip-missing to evaluate the rest");
        }
        if (names.isEmpty()) {
            throw new UserException("no image name is present in the infrared, visible and every fused folder");
        }

        FolderEvaluation.Result result;
        try (Progress progress = Progress.start("eval " + prof.id(), (long) names.size() * fused.size(), "images")) {
            result = FolderEvaluation.evaluate(evaluator, names, ir, vis, fused, threadsOption.count(),
                    progress::stepBy);
        }
        problems.addAll(result.problems());
        if (!problems.isEmpty()) {
            listProblems(err, problems);
            if (!skipMissing) {
                throw new UserException(problems.size() + " problem(s) listed above; nothing written (pass "
                        + "--skip-missing to evaluate the rest)");
            }
        }
        List<MetricRow> rows = result.rows();
        if (rows.isEmpty()) {
            throw new UserException("no image could be evaluated; nothing written");
        }
        MetricTable table = new MetricTable(rows);
        EvaluationCsv.write(out, rows, overwriteOption.overwrite);
        AtomicFiles.writeString(summaryPath, overwriteOption.overwrite, table.summaryJson());
        printTable(spec.commandLine().getOut(), table, prof);
        spec.commandLine().getOut().println("wrote " + out + " (" + rows.size() + " values) and " + summaryPath);
        if (report != null) {
            writeReport(rows, names, ir, vis, fused);
            spec.commandLine().getOut().println("wrote " + report);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The HTML page over the evaluated pairs (those present in every folder). */
    private void writeReport(List<MetricRow> rows, List<String> names, Map<String, Path> ir, Map<String, Path> vis,
            Map<String, Map<String, Path>> fused) throws java.io.IOException {
        Set<String> evaluated = new java.util.HashSet<>();
        rows.forEach(r -> evaluated.add(r.image()));
        List<ImagePair> pairs = new ArrayList<>();
        for (String n : names) {
            if (evaluated.contains(n)) {
                pairs.add(new ImagePair(n, ir.get(n), vis.get(n)));
            }
        }
        EvaluationReport.writeIndexed(EvaluationTable.of(rows), pairs, fused, report, overwriteOption.overwrite,
                EvaluationReport.Options.defaults());
    }

    static List<Method> parseMethods(List<String> specs) {
        List<Method> out = new ArrayList<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new UserException("--fused-dir expects NAME=DIR, got '" + s + "'");
            }
            String name = s.substring(0, eq).strip();
            if (out.stream().anyMatch(m -> m.name().equals(name))) {
                throw new UserException("--fused-dir: method name '" + name + "' given twice");
            }
            out.add(new Method(name, Path.of(s.substring(eq + 1))));
        }
        return out;
    }

    private static Path defaultSummary(Path csv) {
        String n = csv.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return csv.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ".json");
    }

    private void listProblems(PrintWriter err, List<String> problems) {
        err.println("irfuse eval: " + (skipMissing ? "skipped" : "problems") + ":");
        problems.forEach(p -> err.println("  " + p));
        err.flush();
    }

    /** Means ± std per method (rows) and metric (columns); '*' marks the best mean by the metric's direction. */
    static void printTable(PrintWriter w, MetricTable table, Profile profile) {
        List<String> metricNames = table.metrics();
        List<String> header = new ArrayList<>();
        header.add("method");
        for (String m : metricNames) {
            header.add(m + Metric.byLabel(m).map(x -> x.higherIsBetter() ? " ↑" : " ↓").orElse(""));
        }
        List<List<String>> cells = new ArrayList<>();
        for (String method : table.methods()) {
            List<String> row = new ArrayList<>();
            row.add(method);
            for (String metric : metricNames) {
                Optional<MetricTable.Stats> s = table.stats(method, metric);
                boolean best = table.best(metric).map(method::equals).orElse(false);
                row.add(s.map(x -> (Double.isNaN(x.std()) ? fmt(x.mean())
                        : String.format(Locale.ROOT, "%s ± %s", fmt(x.mean()), fmt(x.std())))
                        + (best ? " *" : "  ")).orElse("-"));
            }
            cells.add(row);
        }
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> r : cells) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        w.println("Fusion metrics, profile " + profile.id() + " (mean ± sample std over images; * best; ↑/↓ "
                + "higher/lower is better)");
        w.println(line(header, width));
        char[] rule = new char[Arrays.stream(width).sum() + 2 * (width.length - 1)];
        Arrays.fill(rule, '-');
        w.println(new String(rule));
        cells.forEach(r -> w.println(line(r, width)));
        w.flush();
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                sb.append("  ");
            }
            String s = cells.get(c);
            sb.append(c == 0 ? String.format("%-" + width[c] + "s", s) : String.format("%" + width[c] + "s", s));
        }
        return sb.toString().stripTrailing();
    }

    /** Four significant digits, plain notation for ordinary magnitudes. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        int decimals = a == 0 ? 3 : Math.max(0, 3 - (int) Math.floor(Math.log10(a)));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
