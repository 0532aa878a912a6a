package org.irfuse.core.metrics;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A long-form table of evaluation values (what {@code irfuse eval} writes and {@link EvaluationCsv#read} gives
 * back) with its per-method summary: mean, sample standard deviation and count per method and metric, and the
 * best method per metric by the metric's direction. Methods and metrics keep their first-seen order.
 *
 * <p>The spread over images is the <b>sample</b> standard deviation, √(Σ(x − x̄)² / (n − 1)): the images are a
 * sample of the scenes a method meets, and it is what the papers' "mean ± std" tables and NumPy's
 * {@code std(ddof=1)} give. One image has no spread (NaN, written as null). {@link #meanAndStd} is the one place it
 * is computed; the console table, the JSON summary and the HTML report all use it.
 */
public final class MetricTable {
    /** Summary of one (method, metric) cell. {@code std} is the sample standard deviation (n − 1). */
    public record Stats(String method, String metric, String profile, double mean, double std, int n) {
    }

    private final List<MetricRow> rows;
    private final Map<String, Map<String, Stats>> stats = new LinkedHashMap<>();

    public MetricTable(List<MetricRow> rows) {
        this.rows = List.copyOf(rows);
        Map<String, Map<String, List<MetricRow>>> groups = new LinkedHashMap<>();
        for (MetricRow r : rows) {
            groups.computeIfAbsent(r.method(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.metric(), k -> new ArrayList<>()).add(r);
        }
        groups.forEach((method, byMetric) -> byMetric.forEach((metric, list) -> {
            double[] ms = meanAndStd(list.stream().mapToDouble(MetricRow::value).toArray());
            Set<String> profiles = new LinkedHashSet<>();
            list.forEach(r -> profiles.add(r.profile()));
            stats.computeIfAbsent(method, k -> new LinkedHashMap<>()).put(metric, new Stats(method, metric,
                    String.join("+", profiles), ms[0], ms[1], list.size()));
        }));
    }

    /**
     * {mean, sample standard deviation (n − 1)} of {@code values}; the std is NaN for fewer than two values, and
     * both are NaN for none. A non-finite value makes both non-finite (callers decide whether to filter first).
     */
    public static double[] meanAndStd(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new double[] {mean, n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1))};
    }

    public List<MetricRow> rows() {
        return rows;
    }

    public List<String> methods() {
        return List.copyOf(stats.keySet());
    }

    public List<String> metrics() {
        Set<String> m = new LinkedHashSet<>();
        stats.values().forEach(byMetric -> m.addAll(byMetric.keySet()));
        return List.copyOf(m);
    }

    /** The profiles the values were computed under (normally one). */
    public List<String> profiles() {
        Set<String> p = new LinkedHashSet<>();
        rows.forEach(r -> p.add(r.profile()));
        return List.copyOf(p);
    }

    public Optional<Stats> stats(String method, String metric) {
        return Optional.ofNullable(stats.getOrDefault(method, Map.of()).get(metric));
    }

    /**
     * The method with the best mean for a metric, by {@link Metric#higherIsBetter()}; empty when the metric's
     * direction is unknown (not a fusion metric) or no method has a finite mean.
     */
    public Optional<String> best(String metric) {
        Optional<Metric> m = Metric.byLabel(metric);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        String best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (String method : methods()) {
            Optional<Stats> s = stats(method, metric);
            if (s.isPresent() && Double.isFinite(s.get().mean())) {
                double score = m.get().direction() * s.get().mean();
                if (best == null || score > bestScore) {
                    best = method;
                    bestScore = score;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The JSON summary: {@code {"profiles": [...], "methods": {method: {metric: {mean, std, n, profile}}},
     * "best": {metric: {"method": ..., "direction": "higher"|"lower"}}}}.
     */
    public String summaryJson() {
        JsonObject root = new JsonObject();
        JsonArray profiles = new JsonArray();
        profiles().forEach(profiles::add);
        root.add("profiles", profiles);
        root.addProperty("std", "sample standard deviation over images (n - 1); null for one image");
        // JSON has no NaN or Infinity (most parsers reject them): a non-finite mean or std is written as null,
        // with the count of non-finite per-image values that made it so, per cell and in total.
        Map<String, Integer> nonFinite = new LinkedHashMap<>();
        for (MetricRow r : rows) {
            if (!Double.isFinite(r.value())) {
                nonFinite.merge(r.method() + "\u0000" + r.metric(), 1, Integer::sum);
            }
        }
        root.addProperty("non_finite_values", nonFinite.values().stream().mapToInt(Integer::intValue).sum());
        JsonObject methods = new JsonObject();
        stats.forEach((method, byMetric) -> {
            JsonObject o = new JsonObject();
            byMetric.forEach((metric, s) -> {
                JsonObject cell = new JsonObject();
                cell.addProperty("mean", Double.isFinite(s.mean()) ? s.mean() : null);
                cell.addProperty("std", Double.isFinite(s.std()) ? s.std() : null);
                cell.addProperty("n", s.n());
                cell.addProperty("non_finite", nonFinite.getOrDefault(method + "\u0000" + metric, 0));
                cell.addProperty("profile", s.profile());
                o.add(metric, cell);
            });
            methods.add(method, o);
        });
        root.add("methods", methods);
        JsonObject best = new JsonObject();
        for (String metric : metrics()) {
            Optional<Metric> m = Metric.byLabel(metric);
            Optional<String> b = best(metric);
            if (m.isPresent() && b.isPresent()) {
                JsonObject o = new JsonObject();
                o.addProperty("method", b.get());
                o.addProperty("direction", m.get().higherIsBetter() ? "higher" : "lower");
                best.add(metric, o);
            }
        }
        root.add("best", best);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root) + "\n";
    }
}
