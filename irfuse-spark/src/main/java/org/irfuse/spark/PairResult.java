package org.irfuse.spark;

import java.io.Serializable;
import java.util.Locale;

/**
 * One row of a job's per-pair result table. {@code status} is {@value #OK}, {@value #FAILED} (with the error: a
 * one-line message naming the file and the problem) or {@value #SKIPPED} (the output existed; reruns skip what is
 * done). {@code seconds} is the pair's wall time in its task, reading and writing included. {@code metrics}: the
 * fusion metrics of the written image when the fuse job computes them ({@code --profile}/{@code --metrics}), in
 * the job's metric order, else null.
 */
public record PairResult(String name, String infrared, String visible, String output, String status, String error,
        double seconds, String precision, double[] metrics) implements Serializable {
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";

    /** The CSV header of {@link ResultTables#pairCsv}; also the Parquet column names. */
    public static final String[] COLUMNS = {"name", "infrared", "visible", "output", "status", "error", "seconds",
        "precision"};

    public PairResult(String name, String infrared, String visible, String output, String status, String error,
            double seconds, String precision) {
        this(name, infrared, visible, output, status, error, seconds, precision, null);
    }

    static PairResult failed(PairTask t, String output, Throwable e, long t0) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new PairResult(t.name(), t.infrared(), t.visible(), output, FAILED, msg.replace('\n', ' '),
                since(t0), null);
    }

    static double since(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    Object[] values() {
        return new Object[] {name, infrared, visible, output, status, error, seconds, precision};
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s%s", name, status, error == null ? "" : ": " + error);
    }
}
