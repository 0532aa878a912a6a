package org.irfuse.cli.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Evaluation results in the long form the evaluator writes: one value per row, header
 * {@code method,image,metric,profile,value}. A column of the report is one (metric, profile) combination.
 */
public final class EvaluationTable {
    public static final String HEADER = "method,image,metric,profile,value";

    /** Metrics where a smaller value is better; every other metric is higher-is-better. */
    private static final Set<String> LOWER_IS_BETTER = Set.of("nabf", "mse", "rmse", "cross_entropy");

    public record Row(String method, String image, String metric, String profile, double value) {
    }

    /** One metric as computed under one profile (the same metric differs between profiles). */
    public record Column(String metric, String profile) {
        public boolean lowerIsBetter() {
            return EvaluationTable.lowerIsBetter(metric);
        }
    }

    private final List<Row> rows;
    private final List<String> methods;
    private final List<String> images;
    private final List<Column> columns;
    private final Map<String, Double> byKey;

    private EvaluationTable(List<Row> rows) {
        this.rows = List.copyOf(rows);
        Set<String> m = new LinkedHashSet<>();
        Set<String> im = new LinkedHashSet<>();
        Set<Column> cols = new LinkedHashSet<>();
        byKey = new HashMap<>();
        for (Row r : rows) {
            m.add(r.method());
            im.add(r.image());
            cols.add(new Column(r.metric(), r.profile()));
            byKey.put(key(r.method(), r.image(), r.metric(), r.profile()), r.value());
        }
        methods = List.copyOf(m);
        images = List.copyOf(im);
        columns = List.copyOf(cols);
    }

    public static boolean lowerIsBetter(String metric) {
        return LOWER_IS_BETTER.contains(metric.toLowerCase(Locale.ROOT));
    }

    /** A table from rows already in memory (the evaluator's own results). Duplicate keys are an error. */
    public static EvaluationTable of(List<Row> rows) {
        Set<String> seen = new java.util.HashSet<>();
        for (Row r : rows) {
            if (!seen.add(key(r.method(), r.image(), r.metric(), r.profile()))) {
                throw new IllegalArgumentException("duplicate value for method " + r.method() + ", image "
                        + r.image() + ", metric " + r.metric() + ", profile " + r.profile());
            }
        }
        return new EvaluationTable(rows);
    }

    /**
     * Reads the CSV. Values may be {@code NaN} (a metric undefined on an image): they are kept and left out of
     * means. Every other problem is an {@link IOException} naming the file and line.
     */
    public static EvaluationTable read(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new NoSuchFileException(csv.toString(), null,
                    Files.isDirectory(csv) ? "is a folder, expected a CSV file" : "CSV file not found");
        }
        List<Row> rows = new ArrayList<>();
        Map<String, Integer> lineOf = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IOException(csv + ": empty file, expected the header " + HEADER);
            }
            header = header.replace("\uFEFF", "").trim();
            if (!header.equals(HEADER)) {
                throw new IOException(csv + ": line 1: header is '" + header + "', expected '" + HEADER + "'");
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> f = splitCsv(line, csv, lineNo);
                if (f.size() != 5) {
                    throw new IOException(csv + ": line " + lineNo + ": expected 5 fields (" + HEADER + "), found "
                            + f.size());
                }
                for (int i = 0; i < 4; i++) {
                    if (f.get(i).isEmpty()) {
                        throw new IOException(csv + ": line " + lineNo + ": empty " + HEADER.split(",")[i]);
                    }
                }
                double value;
                try {
                    value = Double.parseDouble(f.get(4));
                } catch (NumberFormatException e) {
                    throw new IOException(csv + ": line " + lineNo + ": value '" + f.get(4) + "' is not a number");
                }
                Row r = new Row(f.get(0), f.get(1), f.get(2), f.get(3), value);
                Integer previous = lineOf.put(key(r.method(), r.image(), r.metric(), r.profile()), lineNo);
                if (previous != null) {
                    throw new IOException(csv + ": line " + lineNo + ": duplicate of line " + previous + " (same "
                            + "method, image, metric and profile)");
                }
                rows.add(r);
            }
        }
        if (rows.isEmpty()) {
            throw new IOException(csv + ": no values after the header");
        }
        return new EvaluationTable(rows);
    }

    /** RFC 4180 fields: commas inside double quotes, "" for a quote. */
    private static List<String> splitCsv(String line, Path csv, int lineNo) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new IOException(csv + ": line " + lineNo + ": unclosed double quote");
        }
        out.add(cur.toString().trim());
        return out;
    }

    private static String key(String method, String image, String metric, String profile) {
        return method + '\u0000' + image + '\u0000' + metric + '\u0000' + profile;
    }

    public List<Row> rows() {
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
        Double v = byKey.get(key(method, image, column.metric(), column.profile()));
        return v == null ? Double.NaN : v;
    }
}
