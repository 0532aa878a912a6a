package org.irfuse.core.segmentation;

import java.io.Serializable;

/**
 * A K×K confusion matrix accumulated over a whole test set, as the MFNet/RTFNet/SeAFusion evaluation scripts
 * do ({@code conf_total += confusion_matrix(label, prediction)}): row = ground-truth class, column = predicted
 * class, one count per pixel. Pixels whose label is outside 0..K-1 (e.g. an ignore value 255) are skipped; a
 * prediction outside 0..K-1 is an error (a prediction must name a class).
 *
 * <p>Thread-safe: {@link #add} counts an image into a private matrix and merges it under this object's lock, so
 * several threads may add images to one matrix; {@link #merge} adds another matrix the same way. Serializable so a
 * Spark job can count images on its executors and merge the matrices on the driver.
 */
public final class ConfusionMatrix implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int classes;
    private final long[] counts;
    private long ignoredPixels;

    public ConfusionMatrix(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("a confusion matrix needs at least one class, got " + classes);
        }
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    /** A matrix with given counts, {@code counts[truth][predicted]} (tests, and reloading saved matrices). */
    public static ConfusionMatrix of(long[][] counts) {
        ConfusionMatrix m = new ConfusionMatrix(counts.length);
        for (int t = 0; t < counts.length; t++) {
            if (counts[t].length != counts.length) {
                throw new IllegalArgumentException("confusion matrix must be square, row " + t + " has "
                        + counts[t].length + " columns for " + counts.length + " rows");
            }
            for (int p = 0; p < counts.length; p++) {
                if (counts[t][p] < 0) {
                    throw new IllegalArgumentException("negative count at (" + t + "," + p + ")");
                }
                m.counts[t * counts.length + p] = counts[t][p];
            }
        }
        return m;
    }

    /**
     * Counts one image: {@code truth[i]} against {@code predicted[i]} for every pixel i.
     *
     * @throws IllegalArgumentException when the lengths differ or a prediction is outside 0..K-1
     */
    public void add(int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("label has " + truth.length + " pixels but prediction has "
                    + predicted.length);
        }
        long[] local = new long[counts.length];
        long ignored = 0;
        for (int i = 0; i < truth.length; i++) {
            int p = predicted[i];
            if (p < 0 || p >= classes) {
                throw new IllegalArgumentException("predicted class " + p + " at pixel " + i + " is outside 0.."
                        + (classes - 1));
            }
            int t = truth[i];
            if (t < 0 || t >= classes) {
                ignored++;
                continue;
            }
            local[t * classes + p]++;
        }
        synchronized (this) {
            for (int i = 0; i < local.length; i++) {
                counts[i] += local[i];
            }
            ignoredPixels += ignored;
        }
    }

    /** Counts one image given as label maps of the same size. */
    public void add(LabelMap truth, LabelMap predicted) {
        if (truth.width() != predicted.width() || truth.height() != predicted.height()) {
            throw new IllegalArgumentException("label is " + truth.sizeString() + " but prediction is "
                    + predicted.sizeString());
        }
        add(truth.classes(), predicted.classes());
    }

    /** Adds all counts of {@code other} (same number of classes) to this matrix. */
    public void merge(ConfusionMatrix other) {
        if (other.classes != classes) {
            throw new IllegalArgumentException("cannot merge a " + other.classes + "-class matrix into a "
                    + classes + "-class one");
        }
        long[] theirs;
        long theirIgnored;
        synchronized (other) {
            theirs = other.counts.clone();
            theirIgnored = other.ignoredPixels;
        }
        synchronized (this) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += theirs[i];
            }
            ignoredPixels += theirIgnored;
        }
    }

    public int classes() {
        return classes;
    }

    /** Pixels of ground-truth class {@code truth} predicted as {@code predicted}. */
    public synchronized long get(int truth, int predicted) {
        return counts[truth * classes + predicted];
    }

    /** A copy of the counts, {@code [truth][predicted]}. */
    public synchronized long[][] counts() {
        long[][] out = new long[classes][classes];
        for (int t = 0; t < classes; t++) {
            System.arraycopy(counts, t * classes, out[t], 0, classes);
        }
        return out;
    }

    /** Pixels counted (labels inside 0..K-1). */
    public synchronized long total() {
        long s = 0;
        for (long c : counts) {
            s += c;
        }
        return s;
    }

    /** Pixels skipped because their label was outside 0..K-1. */
    public synchronized long ignoredPixels() {
        return ignoredPixels;
    }
}
