package org.irfuse.core.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;

/**
 * Fusion metrics of several methods' fused images against their infrared and visible sources, matched by image
 * name, evaluated in parallel: what {@code irfuse eval} runs. Each name is one task that reads its sources once,
 * prepares their metric statistics once ({@link Evaluator#pair}) and evaluates every method's fused image.
 * Names missing somewhere and size mismatches are collected as problems (one line each, naming the file); an
 * unreadable image stops the evaluation.
 */
public final class FolderEvaluation {
    /** The rows (method by method, then images in name order) and the problems met. */
    public record Result(List<MetricRow> rows, List<String> problems) {
    }

    private FolderEvaluation() {
    }

    /** Names present in every folder; every other name is added to {@code problems} with where it is missing. */
    public static List<String> completeNames(Map<String, Path> ir, Map<String, Path> vis,
            Map<String, Map<String, Path>> fused, List<String> problems) {
        TreeSet<String> all = new TreeSet<>(ir.keySet());
        all.addAll(vis.keySet());
        fused.values().forEach(m -> all.addAll(m.keySet()));
        List<String> complete = new ArrayList<>();
        for (String name : all) {
            List<String> missing = new ArrayList<>();
            if (!ir.containsKey(name)) {
                missing.add("infrared");
            }
            if (!vis.containsKey(name)) {
                missing.add("visible");
            }
            fused.forEach((method, files) -> {
                if (!files.containsKey(name)) {
                    missing.add("fused " + method);
                }
            });
            if (missing.isEmpty()) {
                complete.add(name);
            } else {
                Path present = Optional.ofNullable(ir.get(name)).or(() -> Optional.ofNullable(vis.get(name)))
                        .orElseGet(() -> fused.values().stream().map(m -> m.get(name))
                                .filter(p -> p != null).findFirst().orElseThrow());
                problems.add(present + ": no counterpart in " + String.join(", ", missing));
            }
        }
        return complete;
    }

    /**
     * Evaluates every name on {@code threads} threads; {@code fused} maps method → image name → file, in method
     * order; {@code progress} is told of each fused image done (also of those skipped for a size mismatch).
     *
     * @throws IOException for an unreadable image
     * @throws IllegalArgumentException naming the fused file when a metric cannot be computed on it
     */
    public static Result evaluate(Evaluator evaluator, List<String> names, Map<String, Path> ir,
            Map<String, Path> vis, Map<String, Map<String, Path>> fused, int threads, LongConsumer progress)
            throws IOException {
        List<String> sizeProblems = Collections.synchronizedList(new ArrayList<>());
        List<String> methods = List.copyOf(fused.keySet());
        String profileId = evaluator.profile().id();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, names.size())));
        try {
            List<Future<List<MetricRow>>> futures = new ArrayList<>();
            for (String name : names) {
                futures.add(pool.submit(() -> {
                    Image a = ImageReader.read(ir.get(name));
                    Image b = ImageReader.read(vis.get(name));
                    List<MetricRow> rows = new ArrayList<>();
                    if (!a.sameSize(b)) {
                        sizeProblems.add(vis.get(name) + ": size " + b.sizeString() + " differs from infrared "
                                + ir.get(name) + " (" + a.sizeString() + ")");
                        progress.accept(methods.size());
                        return rows;
                    }
                    // Source-side metric work (gray planes, filtered statistics, Sobel maps) once per scene.
                    Evaluator.Pair pair = evaluator.pair(a, b);
                    for (String method : methods) {
                        Path fp = fused.get(method).get(name);
                        Image f = ImageReader.read(fp);
                        if (!f.sameSize(a)) {
                            sizeProblems.add(fp + ": size " + f.sizeString() + " differs from its sources ("
                                    + a.sizeString() + ")");
                        } else {
                            Map<Metric, Double> values;
                            try {
                                values = pair.evaluate(f);
                            } catch (IllegalArgumentException e) {
                                throw new IllegalArgumentException(fp + ": cannot evaluate (" + e.getMessage() + ")",
                                        e);
                            }
                            values.forEach((metric, v) ->
                                    rows.add(new MetricRow(method, name, metric.label(), profileId, v)));
                        }
                        progress.accept(1);
                    }
                    return rows;
                }));
            }
            List<List<MetricRow>> perName = new ArrayList<>();
            for (Future<List<MetricRow>> f : futures) {
                try {
                    perName.add(f.get());
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("evaluation interrupted", e);
                }
            }
            List<MetricRow> rows = new ArrayList<>();
            for (String method : methods) {
                for (List<MetricRow> list : perName) {
                    list.stream().filter(r -> r.method().equals(method)).forEach(rows::add);
                }
            }
            List<String> problems = new ArrayList<>(sizeProblems);
            Collections.sort(problems);
            return new Result(rows, problems);
        } finally {
            pool.shutdownNow();
        }
    }
}
