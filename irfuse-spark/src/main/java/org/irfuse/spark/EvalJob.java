package org.irfuse.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.irfuse.core.image.Image;
import org.irfuse.core.metrics.Evaluator;
import org.irfuse.core.metrics.Metric;
import org.irfuse.core.metrics.MetricRow;
import org.irfuse.core.metrics.Profile;

/**
 * {@code irfuse spark eval}: the fusion metrics of {@code irfuse eval}, partitioned over scenes. Each task reads a
 * scene's sources once, prepares their metric statistics once ({@link Evaluator#pair}) and scores every method's
 * fused image, exactly as the CLI does, so the rows are equal to its rows. A scene that cannot be scored (a
 * missing counterpart, a size mismatch, an unreadable file) is a {@code failed} row naming the file, and the other
 * scenes are still scored.
 */
public final class EvalJob {
    /** A scene: its sources and each method's fused file (null where the method has none). */
    record Scene(String name, String infrared, String visible, List<String> fused) implements Serializable {
    }

    /** What a task returns per scene. */
    record Outcome(PairResult result, List<MetricRow> rows) implements Serializable {
    }

    /** The job's result: one pair row per scene (name order) and the metric rows in {@code irfuse eval}'s order. */
    public record Result(List<PairResult> pairs, List<MetricRow> rows) {
    }

    private EvalJob() {
    }

    /**
     * The scenes to score, by name (irfuse eval's order). From folders: every name in any folder (the infrared,
     * visible and each method's), so an image without a counterpart is a failed row, as before. From a table: its
     * rows; each method's image from its {@code --fused-dir} folder by the row's name, or from its
     * {@code --fused-column}.
     *
     * @param dirs method name → folder of its fused images (URIs or paths), in the order the CSV lists them
     * @param columns method name → table column of its fused images, listed after the folders' methods
     */
    static List<Scene> scenes(SparkSession spark, HadoopFiles files, PairInputs.Source source,
            Map<String, String> dirs, Map<String, String> columns) throws IOException {
        Map<String, String> ir = new LinkedHashMap<>();
        Map<String, String> vis = new LinkedHashMap<>();
        Map<String, Map<String, String>> fused;
        TreeSet<String> names;
        if (source.isTable()) {
            PairInputs.Listing listing = source.list(spark, files, List.copyOf(new TreeSet<>(columns.values())));
            listing.pairs().forEach(p -> {
                ir.put(p.name(), p.infrared());
                vis.put(p.name(), p.visible());
            });
            fused = PairInputs.methods(files, listing, dirs, columns);
            names = new TreeSet<>(ir.keySet());
        } else {
            if (!columns.isEmpty()) {
                throw new IllegalArgumentException("--fused-column needs --table (with folders use --fused-dir)");
            }
            ir.putAll(files.index(files.qualify(source.irDir())));
            vis.putAll(files.index(files.qualify(source.visDir())));
            fused = PairInputs.methods(files, new PairInputs.Listing(List.of(), List.of()), dirs, Map.of());
            names = new TreeSet<>(ir.keySet());
            names.addAll(vis.keySet());
            fused.values().forEach(f -> names.addAll(f.keySet()));
        }
        List<Scene> scenes = new ArrayList<>();
        for (String n : names) {
            List<String> f = new ArrayList<>();
            fused.values().forEach(m -> f.add(m.get(n)));
            scenes.add(new Scene(n, ir.get(n), vis.get(n), f));
        }
        return scenes;
    }

    /**
     * Scores {@code scenes} (from {@link #scenes}) in {@code partitions} tasks.
     *
     * @param methodNames the methods in the order each scene lists its fused files
     * @param metrics metric labels, or null for all the profile defines
     */
    static Result run(SparkSession spark, HadoopFiles files, List<Scene> scenes, List<String> methodNames,
            String profile, List<String> metrics, int partitions) {
        Profile prof = Profile.parse(profile);
        List<Metric> chosen = metrics == null ? prof.metrics() : metrics.stream().map(Metric::parse).toList();
        new Evaluator(prof, chosen); // refuses a metric the profile does not define, before any task runs
        List<String> metricLabels = chosen.stream().map(Metric::label).toList();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Outcome> outcomes = sc.parallelize(scenes, Math.max(1, Math.min(partitions, scenes.size())))
                .mapPartitions(it -> {
                    Evaluator evaluator = new Evaluator(Profile.parse(profile),
                            metricLabels.stream().map(Metric::parse).toList());
                    return FuseJob.stream(it, s -> evaluate(s, files, evaluator, methodNames));
                })
                .collect();
        List<PairResult> pairs = new ArrayList<>();
        List<MetricRow> rows = new ArrayList<>();
        outcomes.forEach(o -> pairs.add(o.result()));
        // irfuse eval's order: method by method, scenes by name within each.
        for (String m : methodNames) {
            for (Outcome o : outcomes) {
                o.rows().stream().filter(r -> r.method().equals(m)).forEach(rows::add);
            }
        }
        return new Result(pairs, rows);
    }

    static Outcome evaluate(Scene s, HadoopFiles files, Evaluator evaluator, List<String> methods) {
        long t0 = System.nanoTime();
        String where = s.infrared() != null ? s.infrared() : s.visible();
        PairTask task = new PairTask(s.name(), s.infrared(), s.visible(), null);
        try {
            List<String> missing = new ArrayList<>();
            if (s.infrared() == null) {
                missing.add("infrared");
            }
            if (s.visible() == null) {
                missing.add("visible");
            }
            for (int i = 0; i < methods.size(); i++) {
                if (s.fused().get(i) == null) {
                    missing.add("fused " + methods.get(i));
                }
            }
            if (!missing.isEmpty()) {
                String present = where != null ? where
                        : s.fused().stream().filter(f -> f != null).findFirst().orElse(s.name());
                throw new IOException(present + ": no counterpart in " + String.join(", ", missing));
            }
            Image a = files.readImage(s.infrared(), false);
            Image b = files.readImage(s.visible(), false);
            if (!a.sameSize(b)) {
                throw new IOException(s.visible() + ": size " + b.sizeString() + " differs from infrared "
                        + s.infrared() + " (" + a.sizeString() + ")");
            }
            Evaluator.Pair pair = evaluator.pair(a, b);
            List<MetricRow> rows = new ArrayList<>();
            String profileId = evaluator.profile().id();
            for (int i = 0; i < methods.size(); i++) {
                String fp = s.fused().get(i);
                Image f = files.readImage(fp, false);
                if (!f.sameSize(a)) {
                    throw new IOException(fp + ": size " + f.sizeString() + " differs from its sources ("
                            + a.sizeString() + ")");
                }
                String method = methods.get(i);
                pair.evaluate(f).forEach((metric, v) ->
                        rows.add(new MetricRow(method, s.name(), metric.label(), profileId, v)));
            }
            return new Outcome(new PairResult(s.name(), s.infrared(), s.visible(), null, PairResult.OK, null,
                    PairResult.since(t0), null), rows);
        } catch (IOException | RuntimeException e) {
            PairResult failed = PairResult.failed(task, null, e, t0);
            return new Outcome(failed, List.of());
        }
    }
}
