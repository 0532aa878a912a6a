package org.irfuse.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.irfuse.core.metrics.EvaluationCsv;
import org.irfuse.core.metrics.MetricRow;

/**
 * Writes a job's tables on the driver: the per-pair results (one CSV file, written atomically, and one Parquet
 * folder) and, for evaluations, the metric rows in {@code irfuse eval}'s CSV format and as Parquet. The rows are
 * collected to the driver first (one short row per pair; 15,488 LLVIP pairs are a few MB), so the fusion is never
 * recomputed to write a second table.
 */
final class ResultTables {
    private ResultTables() {
    }

    static final StructType PAIR_SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("name", DataTypes.StringType, false),
        DataTypes.createStructField("infrared", DataTypes.StringType, true),
        DataTypes.createStructField("visible", DataTypes.StringType, true),
        DataTypes.createStructField("output", DataTypes.StringType, true),
        DataTypes.createStructField("status", DataTypes.StringType, false),
        DataTypes.createStructField("error", DataTypes.StringType, true),
        DataTypes.createStructField("seconds", DataTypes.DoubleType, false),
        DataTypes.createStructField("precision", DataTypes.StringType, true)});

    static final StructType METRIC_SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("method", DataTypes.StringType, false),
        DataTypes.createStructField("image", DataTypes.StringType, false),
        DataTypes.createStructField("metric", DataTypes.StringType, false),
        DataTypes.createStructField("profile", DataTypes.StringType, false),
        DataTypes.createStructField("value", DataTypes.DoubleType, false)});

    /** {@code <dir>/<stem>.csv} and {@code <dir>/<stem>.parquet/}, replacing earlier ones. */
    static void writePairs(SparkSession spark, HadoopFiles files, String dir, String stem, List<PairResult> results)
            throws IOException {
        writePairs(spark, files, dir, stem, results, List.of());
    }

    /**
     * As {@link #writePairs(SparkSession, HadoopFiles, String, String, List)} with one more column per metric
     * label (the values of {@link PairResult#metrics}; empty where a pair has none: failed or skipped).
     */
    static void writePairs(SparkSession spark, HadoopFiles files, String dir, String stem, List<PairResult> results,
            List<String> metricLabels) throws IOException {
        files.writeAtomically(dir + "/" + stem + ".csv", pairCsv(results, metricLabels)
                .getBytes(StandardCharsets.UTF_8), true);
        StructType schema = PAIR_SCHEMA;
        for (String m : metricLabels) {
            schema = schema.add(DataTypes.createStructField(m, DataTypes.DoubleType, true));
        }
        List<Row> rows = new ArrayList<>(results.size());
        results.forEach(r -> rows.add(RowFactory.create(values(r, metricLabels.size()))));
        spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite)
                .parquet(dir + "/" + stem + ".parquet");
    }

    /** A row's values: the pair columns, then its metrics (nulls when it has none). */
    private static Object[] values(PairResult r, int metrics) {
        Object[] base = r.values();
        Object[] v = java.util.Arrays.copyOf(base, base.length + metrics);
        for (int i = 0; i < metrics && r.metrics() != null; i++) {
            v[base.length + i] = r.metrics()[i];
        }
        return v;
    }

    /** The metric rows as Parquet beside the CSV that {@link EvaluationCsv} writes. */
    static void writeMetrics(SparkSession spark, String parquetUri, List<MetricRow> metricRows) {
        List<Row> rows = new ArrayList<>(metricRows.size());
        metricRows.forEach(r -> rows.add(RowFactory.create(r.method(), r.image(), r.metric(), r.profile(),
                r.value())));
        spark.createDataFrame(rows, METRIC_SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite).parquet(parquetUri);
    }

    /**
     * RFC 4180 CSV of the per-pair results, header {@link PairResult#COLUMNS} then the metric labels; empty fields
     * for nulls; metric values as {@link EvaluationCsv} writes them ({@code Double.toString}, exact).
     */
    static String pairCsv(List<PairResult> results, List<String> metricLabels) {
        List<String> header = new ArrayList<>(List.of(PairResult.COLUMNS));
        metricLabels.forEach(m -> header.add(quote(m)));
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (PairResult r : results) {
            Object[] v = values(r, metricLabels.size());
            for (int i = 0; i < v.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(v[i] == null ? "" : quote(v[i].toString()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
