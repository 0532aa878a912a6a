package org.irfuse.core.align;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Row-parallel loops. They run on the fork-join pool of the calling task: {@link Aligner} runs each alignment in a
 * pool of its own thread count, so a parallel loop here never uses more threads than the user asked for.
 * Reductions sum per-row partial results in row order, so results do not depend on the thread count.
 */
final class Parallel {
    /** Below this many rows a loop runs sequentially (forking costs more than it saves on small levels). */
    private static final int MIN_PARALLEL_ROWS = 48;

    private Parallel() {
    }

    static void rows(int h, IntConsumer row) {
        rows(h, MIN_PARALLEL_ROWS, row);
    }

    /** As {@link #rows(int, IntConsumer)} for loops whose iterations are heavy: parallel from {@code min} on. */
    static void rows(int h, int min, IntConsumer row) {
        IntStream rows = IntStream.range(0, h);
        (h >= min ? rows.parallel() : rows).forEach(row);
    }

    /** A per-row accumulator: fills {@code acc} (length k, zeroed) with the row's sums. */
    @FunctionalInterface
    interface RowSum {
        void accumulate(int y, double[] acc);
    }

    /** Sums {@code k} quantities over all rows; deterministic (rows are summed in order). */
    static double[] sum(int h, int k, RowSum body) {
        double[][] partial = new double[h][k];
        rows(h, y -> body.accumulate(y, partial[y]));
        double[] total = new double[k];
        for (double[] p : partial) {
            for (int i = 0; i < k; i++) {
                total[i] += p[i];
            }
        }
        return total;
    }
}
