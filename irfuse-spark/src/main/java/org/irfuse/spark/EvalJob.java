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
     * @param methods method name → folder of its fused images (URIs or paths), in the order the CSV lists them
     * @param metrics metric labels, or null for all the profile defines
     */
    public static Result run(SparkSession spark, HadoopFiles files, String irDir, String visDir,
            Map<String, String> methods, String profile, List<String> metrics, int partitions) throws IOException {
        Profile prof = Profile.parse(profile);
        List<Metric> chosen = metrics == null ? prof.metrics() : metrics.stream().map(Metric::parse).toList();
        new Evaluator(prof, chosen); // refuses a metric the profile does not define, before any task runs
        Map<String, String> ir = files.index(files.qualify(irDir));
        Map<String, String> vis = files.index(files.qualify(visDir));
        Map<String, Map<String, String>> fused = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : methods.entrySet()) {
            fused.put(m.getKey(), files.index(files.qualify(m.getValue())));
        }
        TreeSet<String> names = new TreeSet<>(ir.keySet());
        names.addAll(vis.keySet());
        fused.values().forEach(f -> names.addAll(f.keySet()));
        List<Scene> scenes = new ArrayList<>();
        for (String n : names) {
            List<String> f = new ArrayList<>();
            fused.values().forEach(m -> f.add(m.get(n)));
            scenes.add(new Scene(n, ir.get(n), vis.get(n), f));
        }
        List<String> methodNames = List.copyOf(methods.keySet());
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
