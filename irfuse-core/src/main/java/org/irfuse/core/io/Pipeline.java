package org.irfuse.core.io;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A small bounded three-stage pipeline for folder jobs: items are read (decoded) on one background thread up to
 * {@code depth} items ahead, computed on the caller's thread (where the network and its native memory live), and
 * written (encoded) on another background thread with at most {@code depth} writes pending. Decoding and encoding
 * so overlap with the computation while memory stays bounded by about 2·depth + 1 items.
 *
 * <p>A failing item does not stop the run: its exception is collected, in item order of occurrence, and the other
 * items go on.
 */
public final class Pipeline {
    private Pipeline() {
    }

    /** One stage's work on an item. */
    @FunctionalInterface
    public interface Stage<I, X, Y> {
        Y apply(I item, X input) throws Exception;
    }

    /** An item that failed, and why. */
    public record Failure<I>(I item, Exception error) {
    }

    /**
     * Runs every item through read → compute → write.
     *
     * @param computed called on the caller's thread after each item's computation (or failure), e.g. a progress bar
     * @return the items that failed in any stage, with their exceptions
     */
    public static <I, A, B> List<Failure<I>> run(List<I> items, int depth, Stage<I, Void, A> read,
            Stage<I, A, B> compute, Stage<I, B, Void> write, java.util.function.Consumer<I> computed)
            throws InterruptedException {
        if (depth < 1) {
            throw new IllegalArgumentException("pipeline depth must be at least 1, got " + depth);
        }
        List<Failure<I>> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService reader = Executors.newSingleThreadExecutor(daemon("irfuse-read"));
        ExecutorService writer = Executors.newSingleThreadExecutor(daemon("irfuse-write"));
        try {
            Deque<Future<A>> ahead = new ArrayDeque<>();
            Deque<Future<?>> pendingWrites = new ArrayDeque<>();
            int next = 0;
            for (I item : items) {
                while (next < items.size() && ahead.size() <= depth) {
                    I toRead = items.get(next++);
                    ahead.add(reader.submit(() -> read.apply(toRead, null)));
                }
                A input;
                try {
                    input = ahead.removeFirst().get();
                } catch (ExecutionException e) {
                    failures.add(new Failure<>(item, cause(e)));
                    computed.accept(item);
                    continue;
                }
                B output;
                try {
                    output = compute.apply(item, input);
                } catch (Exception e) {
                    failures.add(new Failure<>(item, e));
                    computed.accept(item);
                    continue;
                }
                computed.accept(item);
                while (pendingWrites.size() >= depth) {
                    awaitQuietly(pendingWrites.removeFirst());
                }
                pendingWrites.add(writer.submit(() -> {
                    try {
                        write.apply(item, output);
                    } catch (Exception e) {
                        failures.add(new Failure<>(item, e));
                    }
                    return null;
                }));
            }
            while (!pendingWrites.isEmpty()) {
                awaitQuietly(pendingWrites.removeFirst());
            }
        } finally {
            reader.shutdownNow();
            writer.shutdown();
        }
        return new ArrayList<>(failures);
    }

    private static void awaitQuietly(Future<?> f) throws InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            // the write task records its own failure; nothing else can throw here
        }
    }

    private static Exception cause(ExecutionException e) {
        return e.getCause() instanceof Exception ex ? ex : e;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
