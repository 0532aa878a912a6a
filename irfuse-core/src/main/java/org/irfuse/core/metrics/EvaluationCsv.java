package org.irfuse.core.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import org.irfuse.core.io.AtomicFiles;

/**
 * The per-image CSV of {@code irfuse eval}: header {@code method,image,metric,profile,value}, one row per value,
 * fields quoted (RFC 4180) only when they contain a comma, quote or line break, values in Java's shortest
 * round-trip decimal form.
 */
public final class EvaluationCsv {
    public static final String HEADER = "method,image,metric,profile,value";

    private EvaluationCsv() {
    }

    public static String format(List<MetricRow> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (MetricRow r : rows) {
            sb.append(quote(r.method())).append(',').append(quote(r.image())).append(',')
                    .append(quote(r.metric())).append(',').append(quote(r.profile())).append(',')
                    .append(r.value()).append('\n');
        }
        return sb.toString();
    }

    /** Writes the table atomically; refuses to replace an existing file unless {@code overwrite}. */
    public static void write(Path file, List<MetricRow> rows, boolean overwrite) throws IOException {
        AtomicFiles.writeString(file, overwrite, format(rows));
    }

    /**
     * Reads a table written by {@link #write} (or by hand, or by another tool): header first (a UTF-8 byte-order
     * mark is tolerated), RFC 4180 quoting. Values may be {@code NaN} (a metric undefined on an image).
     *
     * @throws IOException naming the file and line when the file is missing or empty, the header is not
     *                     {@value #HEADER}, a row has another number of fields, an empty key field, a value that
     *                     is not a number, an unclosed quote, or repeats an earlier row's key
     */
    public static List<MetricRow> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    Files.isDirectory(file) ? "is a folder, expected a CSV file" : "CSV file not found");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty file, expected the header " + HEADER);
        }
        String header = lines.get(0).replace("\uFEFF", "").strip();
        if (!header.equals(HEADER)) {
            throw new IOException(file + ": line 1: header is '" + header + "', expected '" + HEADER + "'");
        }
        String[] names = HEADER.split(",");
        List<MetricRow> rows = new ArrayList<>();
        Map<String, Integer> lineOf = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            int lineNo = i + 1;
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = split(lines.get(i), file, lineNo);
            if (f.size() != 5) {
                throw new IOException(file + ": line " + lineNo + ": expected 5 fields (" + HEADER + "), found "
                        + f.size());
            }
            for (int k = 0; k < 4; k++) {
                if (f.get(k).isEmpty()) {
                    throw new IOException(file + ": line " + lineNo + ": empty " + names[k]);
                }
            }
            double v;
            try {
                v = Double.parseDouble(f.get(4));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": line " + lineNo + ": value '" + f.get(4) + "' is not a number");
            }
            MetricRow r = new MetricRow(f.get(0), f.get(1), f.get(2), f.get(3), v);
            Integer previous = lineOf.put(key(r), lineNo);
            if (previous != null) {
                throw new IOException(file + ": line " + lineNo + ": duplicate of line " + previous + " (same "
                        + "method, image, metric and profile)");
            }
            rows.add(r);
        }
        if (rows.isEmpty()) {
            throw new IOException(file + ": no values after the header");
        }
        return rows;
    }

    /** The identity of a row: one value per (method, image, metric, profile). */
    public static String key(MetricRow r) {
        return r.method() + '\u0000' + r.image() + '\u0000' + r.metric() + '\u0000' + r.profile();
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static List<String> split(String line, Path file, int lineNo) throws IOException {
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
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new IOException(file + ": line " + lineNo + ": unclosed double quote");
        }
        out.add(cur.toString().strip());
        return out;
    }
}
