package org.irfuse.core.metrics;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Plane-sized {@code double[]} arrays reused on one thread. A cold triple ({@link Evaluator#evaluate}) allocated
 * ≈ 55 MB of them at 640×480 (gray planes, VIF's and SSIM's filtered source statistics, Qabf's Sobel and angle
 * planes), and a fresh 2.4 MB array costs ≈ 0.23 ms to hand out (the JVM zeroes it; measured on this project's
 * machine, about 7 % of a cold triple in all), while every user of these arrays writes each element before
 * reading it. The cold path gives its arrays back when the triple is done, and the next triple on that thread
 * takes them again. Contents of a taken array are unspecified. At most {@link #MAX_BYTES} per thread are kept
 * (a 640×480 cold triple fits), so a long-lived thread holds at most that much.
 */
final class Scratch {
    /** The most bytes of free arrays one thread keeps. */
    static final long MAX_BYTES = 64L << 20;
    private static final ThreadLocal<Scratch> FREE = ThreadLocal.withInitial(Scratch::new);

    private final ArrayDeque<double[]> free = new ArrayDeque<>();
    private long bytes;

    private Scratch() {
    }

    /** An array of length n: one given back earlier on this thread (contents unspecified), else a new one. */
    static double[] take(int n) {
        Scratch s = FREE.get();
        for (Iterator<double[]> it = s.free.iterator(); it.hasNext();) {
            double[] a = it.next();
            if (a.length == n) {
                it.remove();
                s.bytes -= 8L * n;
                return a;
            }
        }
        return new double[n];
    }

    /**
     * Gives arrays back for reuse on this thread (null entries are skipped). The caller must own them and drop
     * every reference: an array given back is handed out again.
     */
    static void give(double[]... arrays) {
        Scratch s = FREE.get();
        for (double[] a : arrays) {
            if (a != null && s.bytes + 8L * a.length <= MAX_BYTES) {
                s.free.addLast(a);
                s.bytes += 8L * a.length;
            }
        }
    }
}
