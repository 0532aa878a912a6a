package org.irfuse.core.datasets;

import java.util.List;
import java.util.Random;

/**
 * Draws training batches: random samples, random square crops (one side per batch, between {@code minCrop} and
 * {@code maxCrop}, clipped to the smallest image), random horizontal and vertical flips — the same geometry for
 * every plane of a sample (METHOD.md, Schedule 5). Deterministic for a given {@link Random}: trainers seed it per
 * step, so a resumed run draws exactly the batches an uninterrupted run would.
 */
public final class CropSampler {
    /** A batch as N×H×W planes (row-major per sample, concatenated). Labels are null without ground truth. */
    public record Batch(int size, int height, int width, float[] ir, float[] y, float[] cb, float[] cr,
            float[] target, int[] labels, String[] names) {
    }

    private final List<PairSample> samples;
    private final int minCrop;
    private final int maxCrop;

    public CropSampler(List<PairSample> samples, int minCrop, int maxCrop) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no training samples");
        }
        if (minCrop < 8 || maxCrop < minCrop) {
            throw new IllegalArgumentException("crop range must satisfy 8 <= min <= max, got " + minCrop + ":"
                    + maxCrop);
        }
        int smallest = Integer.MAX_VALUE;
        for (PairSample s : samples) {
            smallest = Math.min(smallest, Math.min(s.width(), s.height()));
        }
        this.samples = samples;
        this.minCrop = Math.min(minCrop, smallest);
        this.maxCrop = Math.min(maxCrop, smallest);
    }

    public Batch next(Random rnd, int batchSize) {
        int side = minCrop + rnd.nextInt(maxCrop - minCrop + 1);
        int n = side * side;
        boolean withLabels = samples.get(0).hasLabels();
        float[] ir = new float[batchSize * n];
        float[] y = new float[batchSize * n];
        float[] cb = new float[batchSize * n];
        float[] cr = new float[batchSize * n];
        float[] target = new float[batchSize * n];
        int[] labels = withLabels ? new int[batchSize * n] : null;
        String[] names = new String[batchSize];
        for (int b = 0; b < batchSize; b++) {
            PairSample s = samples.get(rnd.nextInt(samples.size()));
            names[b] = s.name();
            int x0 = rnd.nextInt(s.width() - side + 1);
            int y0 = rnd.nextInt(s.height() - side + 1);
            boolean flipX = rnd.nextBoolean();
            boolean flipY = rnd.nextBoolean();
            int off = b * n;
            for (int yy = 0; yy < side; yy++) {
                int sy = y0 + (flipY ? side - 1 - yy : yy);
                for (int xx = 0; xx < side; xx++) {
                    int sx = x0 + (flipX ? side - 1 - xx : xx);
                    int src = sy * s.width() + sx;
                    int dst = off + yy * side + xx;
                    ir[dst] = s.ir()[src];
                    y[dst] = s.y()[src];
                    cb[dst] = s.cb()[src];
                    cr[dst] = s.cr()[src];
                    target[dst] = s.target()[src];
                    if (withLabels) {
                        labels[dst] = s.hasLabels() ? s.labels()[src] : 0;
                    }
                }
            }
        }
        return new Batch(batchSize, side, side, ir, y, cb, cr, target, labels, names);
    }

    /** A per-step random source: the same (seed, step) always gives the same batch. */
    public static Random forStep(long seed, long step) {
        return new Random(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L);
    }
}
