package org.irfuse.core.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
     * Reads a table written by {@link #write}.
     *
     * @throws IOException naming the file and line when the header or a row is malformed
     */
    public static List<MetricRow> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new IOException(file + ": not an evaluation table (expected the header '" + HEADER + "')");
        }
        List<MetricRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = split(lines.get(i));
            if (f.size() != 5) {
                throw new IOException(file + ":" + (i + 1) + ": expected 5 fields, found " + f.size());
            }
            double v;
            try {
                v = Double.parseDouble(f.get(4));
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": value '" + f.get(4) + "' is not a number");
            }
            rows.add(new MetricRow(f.get(0), f.get(1), f.get(2), f.get(3), v));
        }
        return rows;
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static List<String> split(String line) {
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
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
