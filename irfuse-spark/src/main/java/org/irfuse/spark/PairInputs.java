package org.irfuse.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.irfuse.core.pairs.FolderPairing;

/**
 * Builds the list of pairs on the driver: two folders paired by name (the rule of {@code irfuse fuse}), or a
 * table (CSV with a header, or Parquet) with columns {@code infrared}, {@code visible} and optionally
 * {@code label} and {@code name}. Relative paths in a table are taken relative to the table's folder; a missing
 * name is the infrared file's name without extension.
 */
final class PairInputs {
    /** The pairs and the files that had no counterpart (folder mode), for a warning. */
    record Listing(List<PairTask> pairs, List<String> unmatched) {
    }

    private PairInputs() {
    }

    static Listing folders(HadoopFiles files, String irDir, String visDir) throws IOException {
        Map<String, String> ir = files.index(files.qualify(irDir));
        Map<String, String> vis = files.index(files.qualify(visDir));
        List<PairTask> pairs = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        ir.forEach((name, f) -> {
            String v = vis.get(name);
            if (v == null) {
                unmatched.add(f + ": no visible counterpart (skipped)");
            } else {
                pairs.add(new PairTask(name, f, v, null));
            }
        });
        vis.forEach((name, f) -> {
            if (!ir.containsKey(name)) {
                unmatched.add(f + ": no infrared counterpart (skipped)");
            }
        });
        return new Listing(pairs, unmatched);
    }

    static Listing table(SparkSession spark, HadoopFiles files, String table) throws IOException {
        String uri = files.qualify(table);
        String lower = uri.toLowerCase(Locale.ROOT);
        if (!files.exists(uri)) {
            throw new IOException(table + ": table not found");
        }
        Dataset<Row> df;
        if (lower.endsWith(".csv")) {
            df = spark.read().option("header", "true").csv(uri);
        } else if (lower.endsWith(".parquet")) {
            df = spark.read().parquet(uri);
        } else {
            throw new IOException(table + ": expected a .csv or .parquet table of infrared, visible (and optional "
                    + "label, name) paths");
        }
        List<String> cols = Arrays.asList(df.columns());
        for (String need : new String[] {"infrared", "visible"}) {
            if (!cols.contains(need)) {
                throw new IOException(table + ": no column '" + need + "' (columns: " + String.join(", ", cols)
                        + "; expected infrared, visible and optionally label, name)");
            }
        }
        Path base = new Path(uri).getParent();
        List<PairTask> pairs = new ArrayList<>();
        Map<String, Integer> rowOf = new HashMap<>();
        int rowNo = 0;
        for (Row r : df.collectAsList()) {
            rowNo++;
            String ir = r.getAs("infrared");
            String vis = r.getAs("visible");
            if (ir == null || ir.isBlank() || vis == null || vis.isBlank()) {
                throw new IOException(table + ": row " + rowNo + ": empty infrared or visible path");
            }
            String label = cols.contains("label") ? r.getAs("label") : null;
            String name = cols.contains("name") ? r.getAs("name") : null;
            String irUri = resolve(files, base, ir);
            if (name == null || name.isBlank()) {
                name = FolderPairing.stem(new Path(irUri).getName());
            }
            Integer previous = rowOf.put(name, rowNo);
            if (previous != null) {
                throw new IOException(table + ": row " + rowNo + ": name '" + name + "' repeats row " + previous
                        + " (outputs are named by it; add a unique 'name' column)");
            }
            pairs.add(new PairTask(name, irUri, resolve(files, base, vis),
                    label == null || label.isBlank() ? null : resolve(files, base, label)));
        }
        if (pairs.isEmpty()) {
            throw new IOException(table + ": no rows");
        }
        return new Listing(pairs, List.of());
    }

    private static String resolve(HadoopFiles files, Path base, String p) throws IOException {
        Path path = new Path(p);
        return path.isAbsolute() || path.toUri().getScheme() != null ? files.qualify(p)
                : files.qualify(new Path(base, path).toString());
    }
}
