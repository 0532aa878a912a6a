package org.irfuse.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.irfuse.core.pairs.FolderPairing;

/**
 * Builds the list of pairs on the driver, the one way every job ({@code spark fuse}, {@code eval},
 * {@code downstream}) reads it: two folders paired by name (the rule of {@code irfuse fuse}), or a table (CSV
 * with a header, or Parquet) with columns {@code infrared}, {@code visible}, optionally {@code label} and
 * {@code name}, and whatever path columns the job asks for (a method's fused images, a label file). Relative paths
 * in a table are taken relative to the table's folder; a missing name is the infrared file's name without
 * extension. A table that cannot be used (not found, unreadable, a missing column, an empty path cell, a repeated
 * name) is refused as a whole, naming the file (and row and column); a path that names a missing file is only
 * found by the task that reads it, and fails that row alone.
 */
final class PairInputs {
    /** The columns every table has. */
    static final String INFRARED = "infrared";
    static final String VISIBLE = "visible";
    /** Optional columns: the box-label file (downstream) and the pair's name (names outputs and result rows). */
    static final String LABEL = "label";
    static final String NAME = "name";

    /**
     * The pairs, the files that had no counterpart (folder mode), for a warning, and each path column the job
     * asked of a table as pair name → qualified URI (in table order).
     */
    record Listing(List<PairTask> pairs, List<String> unmatched, Map<String, Map<String, String>> columns) {
        Listing(List<PairTask> pairs, List<String> unmatched) {
            this(pairs, unmatched, Map.of());
        }

        /** Pair name → URI of a path column asked for when the table was read. */
        Map<String, String> column(String column) {
            Map<String, String> c = columns.get(column);
            if (c == null) {
                throw new IllegalStateException("column '" + column + "' was not read");
            }
            return c;
        }
    }

    /** Where the pairs come from: two folders ({@code --ir-dir}, {@code --vis-dir}) or a {@code --table}. */
    record Source(String irDir, String visDir, String table) implements Serializable {
        boolean isTable() {
            return table != null;
        }

        /**
         * The pairs; {@code pathColumns} are further columns the table must have (each cell a path, resolved as
         * the infrared and visible ones are). Folders have no columns: asking for one is a usage error.
         */
        Listing list(SparkSession spark, HadoopFiles files, List<String> pathColumns) throws IOException {
            if (isTable()) {
                return PairInputs.table(spark, files, table, pathColumns);
            }
            if (!pathColumns.isEmpty()) {
                throw new IllegalArgumentException("column " + pathColumns.get(0) + ": columns need --table "
                        + "(with --ir-dir/--vis-dir give folders)");
            }
            return folders(files, irDir, visDir);
        }

        /** The input as the user named it, for messages. */
        String describe() {
            return isTable() ? table : irDir + " and " + visDir;
        }
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
        return table(spark, files, table, List.of());
    }

    /**
     * @param pathColumns columns the job needs beyond infrared and visible (each must exist, every cell a path)
     */
    static Listing table(SparkSession spark, HadoopFiles files, String table, List<String> pathColumns)
            throws IOException {
        String uri = files.qualify(table);
        String lower = uri.toLowerCase(Locale.ROOT);
        if (!files.exists(uri)) {
            throw new IOException(table + ": table not found");
        }
        List<String> required = new ArrayList<>(List.of(INFRARED, VISIBLE));
        pathColumns.stream().filter(c -> !required.contains(c)).forEach(required::add);
        String expected = "expected " + String.join(", ", required) + " and optionally "
                + (required.contains(LABEL) ? "" : LABEL + ", ") + NAME;
        String format;
        if (lower.endsWith(".csv")) {
            format = "CSV";
        } else if (lower.endsWith(".parquet")) {
            format = "Parquet";
        } else {
            throw new IOException(table + ": expected a .csv or .parquet table (" + expected + ")");
        }
        if (format.equals("Parquet") && !files.isDirectory(uri) && !files.hasParquetMagic(uri)) {
            // Checked here, in two small reads: Spark would run a failing job and log its stack traces first.
            throw new IOException(table + ": not a Parquet file (no PAR1 magic at its start and end)");
        }
        List<String> cols;
        List<Row> rows;
        try {
            Dataset<Row> df = format.equals("CSV") ? spark.read().option("header", "true").csv(uri)
                    : spark.read().parquet(uri);
            cols = Arrays.asList(df.columns());
            for (String need : required) {
                if (!cols.contains(need)) {
                    throw new IOException(table + ": no column '" + need + "' (columns: " + String.join(", ", cols)
                            + "; " + expected + ")");
                }
            }
            rows = df.collectAsList();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            // Spark's own message names its internals; one line naming the table says what is wrong.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String m = String.valueOf(root.getMessage()).lines().findFirst().orElse(root.getClass().getSimpleName());
            throw new IOException(table + ": cannot read it as " + format + " (" + m + ")", e);
        }
        Path base = new Path(uri).getParent();
        List<PairTask> pairs = new ArrayList<>();
        Map<String, Map<String, String>> columns = new LinkedHashMap<>();
        pathColumns.forEach(c -> columns.put(c, new LinkedHashMap<>()));
        Map<String, Integer> rowOf = new HashMap<>();
        int rowNo = 0;
        for (Row r : rows) {
            rowNo++;
            Map<String, String> cells = new HashMap<>();
            for (String c : required) {
                String v = cell(r, c);
                if (v == null || v.isBlank()) {
                    throw new IOException(table + ": row " + rowNo + ": empty '" + c + "' path");
                }
                cells.put(c, v);
            }
            String label = cols.contains(LABEL) ? cell(r, LABEL) : null;
            String name = cols.contains(NAME) ? cell(r, NAME) : null;
            String irUri = resolve(files, base, cells.get(INFRARED));
            if (name == null || name.isBlank()) {
                name = FolderPairing.stem(new Path(irUri).getName());
            }
            Integer previous = rowOf.put(name, rowNo);
            if (previous != null) {
                throw new IOException(table + ": row " + rowNo + ": name '" + name + "' repeats row " + previous
                        + " (outputs and result rows are named by it; add a unique 'name' column)");
            }
            pairs.add(new PairTask(name, irUri, resolve(files, base, cells.get(VISIBLE)),
                    label == null || label.isBlank() ? null : resolve(files, base, label)));
            for (String c : pathColumns) {
                columns.get(c).put(name, resolve(files, base, cells.get(c)));
            }
        }
        if (pairs.isEmpty()) {
            throw new IOException(table + ": no rows");
        }
        return new Listing(pairs, List.of(), columns);
    }

    /** A cell as text (a Parquet column may hold another type), null when empty. */
    private static String cell(Row r, String column) {
        Object v = r.get(r.fieldIndex(column));
        return v == null ? null : v.toString();
    }

    /**
     * Each method's fused images as pair name → URI, in order: the {@code --fused-dir} folders (listed once, by the
     * pairing rule), then the {@code --fused-column} columns of the table (asked of {@link Source#list} before).
     * A name used twice is refused.
     */
    static Map<String, Map<String, String>> methods(HadoopFiles files, Listing listing, Map<String, String> dirs,
            Map<String, String> columns) throws IOException {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : dirs.entrySet()) {
            out.put(m.getKey(), files.index(files.qualify(m.getValue())));
        }
        for (Map.Entry<String, String> m : columns.entrySet()) {
            if (out.put(m.getKey(), listing.column(m.getValue())) != null) {
                throw new IllegalArgumentException("method name '" + m.getKey() + "' given by both --fused-dir and "
                        + "--fused-column");
            }
        }
        return out;
    }

    private static String resolve(HadoopFiles files, Path base, String p) throws IOException {
        Path path = new Path(p);
        return path.isAbsolute() || path.toUri().getScheme() != null ? files.qualify(p)
                : files.qualify(new Path(base, path).toString());
    }
}
