package org.irfuse.cli.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.irfuse.cli.report.EvaluationTable.Column;
import org.irfuse.core.metrics.MetricTable;

/**
 * Per-method statistics of an {@link EvaluationTable}: mean and sample standard deviation over images, the best
 * method(s) per column by the metric's direction, and ranks (1 = best, ties share their average rank).
 */
public final class MetricSummary {
    /** Mean and sample standard deviation (n-1) over the finite values; NaN when there are none (std: n < 2). */
    public record Stat(double mean, double std, int count) {
    }

    private final EvaluationTable table;
    private final Map<String, Stat> stats = new HashMap<>();
    private final Map<Column, Set<String>> best = new HashMap<>();
    private final Map<String, Double> ranks = new HashMap<>();

    private MetricSummary(EvaluationTable table) {
        this.table = table;
        for (Column c : table.columns()) {
            List<String> ranked = new ArrayList<>();
            for (String m : table.methods()) {
                Stat s = compute(m, c);
                stats.put(key(m, c), s);
                if (!Double.isNaN(s.mean())) {
                    ranked.add(m);
                }
            }
            // Sort best first according to the metric's direction.
            ranked.sort((a, b) -> {
                double va = stats.get(key(a, c)).mean();
                double vb = stats.get(key(b, c)).mean();
                return c.lowerIsBetter() ? Double.compare(va, vb) : Double.compare(vb, va);
            });
            int i = 0;
            while (i < ranked.size()) {
                int j = i;
                double v = stats.get(key(ranked.get(i), c)).mean();
                while (j + 1 < ranked.size() && stats.get(key(ranked.get(j + 1), c)).mean() == v) {
                    j++;
                }
                double shared = (i + j) / 2.0 + 1;
                for (int k = i; k <= j; k++) {
                    ranks.put(key(ranked.get(k), c), shared);
                }
                if (i == 0) {
                    best.put(c, new HashSet<>(ranked.subList(i, j + 1)));
                }
                i = j + 1;
            }
            best.putIfAbsent(c, Set.of());
        }
    }

    public static MetricSummary of(EvaluationTable table) {
        return new MetricSummary(table);
    }

    public EvaluationTable table() {
        return table;
    }

    public Stat stat(String method, Column column) {
        return stats.get(key(method, column));
    }

    /** The method(s) with the best mean on a column (several on an exact tie). */
    public Set<String> best(Column column) {
        return best.get(column);
    }

    /** The rank (1 = best) of a method on a column; NaN when the method has no value there. */
    public double rank(String method, Column column) {
        Double r = ranks.get(key(method, column));
        return r == null ? Double.NaN : r;
    }

    /** The mean of a method's ranks over the columns where it has values; NaN when none. */
    public double meanRank(String method) {
        double sum = 0;
        int n = 0;
        for (Column c : table.columns()) {
            double r = rank(method, c);
            if (!Double.isNaN(r)) {
                sum += r;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Over the finite values (a page shows what it can), with the one statistic of {@link MetricTable#meanAndStd}. */
    private Stat compute(String method, Column c) {
        double[] finite = table.images().stream().mapToDouble(image -> table.value(method, image, c))
                .filter(Double::isFinite).toArray();
        double[] ms = MetricTable.meanAndStd(finite);
        return new Stat(ms[0], ms[1], finite.length);
    }

    private static String key(String method, Column c) {
        return method + '\u0000' + c.metric() + '\u0000' + c.profile();
    }
}
