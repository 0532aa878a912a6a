package org.irfuse.cli.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.irfuse.core.metrics.EvaluationCsv;
import org.irfuse.core.metrics.Metric;
import org.irfuse.core.metrics.MetricRow;

/**
 * Evaluation results as the report lays them out: rows of the evaluator's long-form table
 * ({@link EvaluationCsv}, header {@code method,image,metric,profile,value}), indexed by method, image and
 * column, where a column is one (metric, profile) combination — the same metric differs between profiles.
 */
public final class EvaluationTable {
    /** One metric as computed under one profile. */
    public record Column(String metric, String profile) {
        public boolean lowerIsBetter() {
            return EvaluationTable.lowerIsBetter(metric);
        }
    }

    private final List<MetricRow> rows;
    private final List<String> methods;
    private final List<String> images;
    private final List<Column> columns;
    private final Map<String, Double> byKey = new HashMap<>();

    private EvaluationTable(List<MetricRow> rows) {
        this.rows = List.copyOf(rows);
        Set<String> m = new LinkedHashSet<>();
        Set<String> im = new LinkedHashSet<>();
        Set<Column> cols = new LinkedHashSet<>();
        for (MetricRow r : rows) {
            m.add(r.method());
            im.add(r.image());
            cols.add(new Column(r.metric(), r.profile()));
            byKey.put(EvaluationCsv.key(r), r.value());
        }
        methods = List.copyOf(m);
        images = List.copyOf(im);
        columns = List.copyOf(cols);
    }

    /** Direction by the evaluator's own {@link Metric}; names it does not know are taken as higher-is-better. */
    public static boolean lowerIsBetter(String metric) {
        return Metric.byLabel(metric).map(x -> !x.higherIsBetter()).orElse(false);
    }

    /** A table from rows already in memory (the evaluator's own results). Duplicate keys are an error. */
    public static EvaluationTable of(List<MetricRow> rows) {
        Set<String> seen = new HashSet<>();
        for (MetricRow r : rows) {
            if (!seen.add(EvaluationCsv.key(r))) {
                throw new IllegalArgumentException("duplicate value for method " + r.method() + ", image "
                        + r.image() + ", metric " + r.metric() + ", profile " + r.profile());
            }
        }
        return new EvaluationTable(rows);
    }

    /** Reads the evaluator's CSV; every problem is an {@link IOException} naming the file and line. */
    public static EvaluationTable read(Path csv) throws IOException {
        return new EvaluationTable(EvaluationCsv.read(csv));
    }

    public List<MetricRow> rows() {
        return rows;
    }

    /** Methods in order of first appearance. */
    public List<String> methods() {
        return methods;
    }

    /** Images (names without extension) in order of first appearance. */
    public List<String> images() {
        return images;
    }

    /** (metric, profile) columns in order of first appearance. */
    public List<Column> columns() {
        return columns;
    }

    public List<String> profiles() {
        Set<String> p = new LinkedHashSet<>();
        columns.forEach(c -> p.add(c.profile()));
        return List.copyOf(p);
    }

    /** The value of one cell, NaN when absent. */
    public double value(String method, String image, Column column) {
        Double v = byKey.get(EvaluationCsv.key(new MetricRow(method, image, column.metric(), column.profile(), 0)));
        return v == null ? Double.NaN : v;
    }
}
