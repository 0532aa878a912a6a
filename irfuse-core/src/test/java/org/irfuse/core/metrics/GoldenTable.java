package org.irfuse.core.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Helpers shared by the golden tests: read a long-form reference CSV and compare recomputed values with it. */
final class GoldenTable {
    /** One reference value: image/scene, method, metric name as in the table, value. */
    record Reference(String image, String method, String metric, double value) {
    }

    /** One comparison result. */
    record Outcome(Reference ref, double actual, boolean matched) {
    }

    private GoldenTable() {
    }

    /** Rows of a 4-column CSV with a header (image or scene, method, metric, value). */
    static List<Reference> read(Path csv) {
        try {
            List<String> lines = Files.readAllLines(csv);
            List<Reference> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                out.add(new Reference(f[0], f[1], f[2], Double.parseDouble(f[3])));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Groups references by (image, method), keeping order. */
    static Map<String, List<Reference>> byTriple(List<Reference> refs) {
        Map<String, List<Reference>> m = new LinkedHashMap<>();
        for (Reference r : refs) {
            m.computeIfAbsent(r.image() + "|" + r.method(), k -> new ArrayList<>()).add(r);
        }
        return m;
    }

    /**
     * Evaluates every triple on a small thread pool ({@code compute} maps the triple's references to its recomputed
     * values by metric name) and compares each value within {@code relTol}.
     */
    static List<Outcome> compare(Map<String, List<Reference>> triples,
            Function<List<Reference>, Map<String, Double>> compute, double relTol) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(2,
                Runtime.getRuntime().availableProcessors())));
        try {
            List<Future<List<Outcome>>> futures = new ArrayList<>();
            for (List<Reference> refs : triples.values()) {
                futures.add(pool.submit(() -> {
                    Map<String, Double> actual = compute.apply(refs);
                    List<Outcome> out = new ArrayList<>();
                    for (Reference r : refs) {
                        Double a = actual.get(r.metric());
                        double v = a == null ? Double.NaN : a;
                        boolean ok = Math.abs(v - r.value()) <= relTol * Math.abs(r.value());
                        out.add(new Outcome(r, v, ok));
                    }
                    return out;
                }));
            }
            List<Outcome> all = new ArrayList<>();
            for (Future<List<Outcome>> f : futures) {
                all.addAll(f.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** "metric: matched/total" per metric, sorted by metric name. */
    static Map<String, int[]> perMetric(List<Outcome> outcomes) {
        Map<String, int[]> m = new TreeMap<>();
        for (Outcome o : outcomes) {
            int[] c = m.computeIfAbsent(o.ref().metric(), k -> new int[2]);
            c[1]++;
            if (o.matched()) {
                c[0]++;
            }
        }
        return m;
    }

    static String report(String title, List<Outcome> outcomes, int examples) {
        StringBuilder sb = new StringBuilder(title).append('\n');
        for (Entry<String, int[]> e : perMetric(outcomes).entrySet()) {
            sb.append(String.format("  %-18s %4d/%4d matched (%.1f %%)%n", e.getKey(), e.getValue()[0],
                    e.getValue()[1], 100.0 * e.getValue()[0] / e.getValue()[1]));
        }
        Map<String, Integer> shown = new ConcurrentHashMap<>();
        for (Outcome o : outcomes) {
            if (!o.matched() && shown.merge(o.ref().metric(), 1, Integer::sum) <= examples) {
                sb.append(String.format("  mismatch %s %s %s: expected %.17g, got %.17g (rel %.3g)%n",
                        o.ref().image(), o.ref().method(), o.ref().metric(), o.ref().value(), o.actual(),
                        Math.abs(o.actual() - o.ref().value()) / Math.abs(o.ref().value())));
            }
        }
        return sb.toString();
    }
}
