package org.irfuse.core.datasets;

import java.util.ArrayList;
import java.util.List;
import org.irfuse.core.detection.Box;
import java.util.Random;

/**
 * Draws training batches: random samples, random square crops (one side per batch, between {@code minCrop} and
 * {@code maxCrop}, clipped to the smallest image), random horizontal and vertical flips — the same geometry for
 * every plane of a sample (METHOD.md, Schedule 5). Deterministic for a given {@link Random}: trainers seed it per
 * step, so a resumed run draws exactly the batches an uninterrupted run would.
 */
public final class CropSampler {
    /**
     * A batch as N×H×W planes (row-major per sample, concatenated). Labels are null without per-pixel ground
     * truth; {@code boxes} is null without boxes, else one list per sample in crop coordinates.
     */
    public record Batch(int size, int height, int width, float[] ir, float[] y, float[] cb, float[] cr,
            float[] target, int[] labels, List<List<Box>> boxes, String[] names) {
    }

    /** A box keeps to a crop only if at least this share of its area is inside (else it is dropped). */
    public static final double MIN_VISIBLE_SHARE = 0.3;

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
        boolean withBoxes = samples.get(0).hasBoxes();
        List<List<Box>> boxes = withBoxes ? new ArrayList<>() : null;
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
            if (withBoxes) {
                boxes.add(cropBoxes(s.hasBoxes() ? s.boxes() : List.of(), x0, y0, side, flipX, flipY));
            }
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
        return new Batch(batchSize, side, side, ir, y, cb, cr, target, labels, boxes, names);
    }

    /**
     * Boxes moved into a crop's coordinates, clipped to it and flipped with it; boxes with less than
     * {@link #MIN_VISIBLE_SHARE} of their area inside are dropped.
     */
    static List<Box> cropBoxes(List<Box> in, int x0, int y0, int side, boolean flipX, boolean flipY) {
        List<Box> out = new ArrayList<>();
        for (Box b : in) {
            double cx0 = Math.max(0, b.x0() - x0);
            double cy0 = Math.max(0, b.y0() - y0);
            double cx1 = Math.min(side, b.x1() - x0);
            double cy1 = Math.min(side, b.y1() - y0);
            if (cx1 <= cx0 || cy1 <= cy0 || (cx1 - cx0) * (cy1 - cy0) < MIN_VISIBLE_SHARE * b.area()) {
                continue;
            }
            if (flipX) {
                double t = side - cx1;
                cx1 = side - cx0;
                cx0 = t;
            }
            if (flipY) {
                double t = side - cy1;
                cy1 = side - cy0;
                cy0 = t;
            }
            out.add(new Box(cx0, cy0, cx1, cy1, b.classId(), b.score()));
        }
        return out;
    }

    /** A per-step random source: the same (seed, step) always gives the same batch. */
    public static Random forStep(long seed, long step) {
        return new Random(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L);
    }
}
