package org.irfuse.core.detection;

/**
 * Average precision from a precision/recall curve (detections sorted by decreasing score, cumulative).
 *
 * <p>Both methods first make precision monotone: p̂(i) = max_{j ≥ i} p(j) (the "envelope").
 * <ul>
 *   <li>{@link #vocAllPoint}: VOC devkit 2010+ ({@code VOCevalcls}/{@code voc_ap(use_07_metric=False)}): the
 *       area under the envelope, Σ_i (r_i − r_{i−1}) · p̂_i over the points where recall changes, with r_0 = 0.
 *   <li>{@link #coco101}: COCO ({@code cocoeval.accumulate}): mean of p̂ sampled at the 101 recall levels
 *       0, 0.01, …, 1 — at each level the envelope at the first point whose recall ≥ the level
 *       ({@code np.searchsorted(rc, recThrs, side='left')}), 0 when no point reaches it.
 * </ul>
 */
public final class AveragePrecision {
    /** The 101 COCO recall levels, computed as {@code np.linspace(0, 1, 101)} does (i · 0.01). */
    static final double[] COCO_RECALL_LEVELS = linspace(0.0, 1.0, 101);

    private AveragePrecision() {
    }

    public static double vocAllPoint(double[] recall, double[] precision) {
        check(recall, precision);
        int n = recall.length;
        double[] mrec = new double[n + 2];
        double[] mpre = new double[n + 2];
        mrec[0] = 0;
        mpre[0] = 0;
        for (int i = 0; i < n; i++) {
            mrec[i + 1] = recall[i];
            mpre[i + 1] = precision[i];
        }
        mrec[n + 1] = 1;
        mpre[n + 1] = 0;
        for (int i = mpre.length - 2; i >= 0; i--) {
            mpre[i] = Math.max(mpre[i], mpre[i + 1]);
        }
        double ap = 0;
        for (int i = 1; i < mrec.length; i++) {
            if (mrec[i] != mrec[i - 1]) {
                ap += (mrec[i] - mrec[i - 1]) * mpre[i];
            }
        }
        return ap;
    }

    public static double coco101(double[] recall, double[] precision) {
        check(recall, precision);
        int n = recall.length;
        double[] envelope = precision.clone();
        for (int i = n - 2; i >= 0; i--) {
            envelope[i] = Math.max(envelope[i], envelope[i + 1]);
        }
        double sum = 0;
        int idx = 0;
        for (double level : COCO_RECALL_LEVELS) {
            while (idx < n && recall[idx] < level) {
                idx++;
            }
            sum += idx < n ? envelope[idx] : 0;
        }
        return sum / COCO_RECALL_LEVELS.length;
    }

    /** {@code np.linspace(start, stop, num)}: start + i·step with step = (stop − start)/(num − 1). */
    static double[] linspace(double start, double stop, int num) {
        double[] out = new double[num];
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            out[i] = start + i * step;
        }
        out[num - 1] = stop;
        return out;
    }

    private static void check(double[] recall, double[] precision) {
        if (recall.length != precision.length) {
            throw new IllegalArgumentException(recall.length + " recall values but " + precision.length
                    + " precision values");
        }
        for (int i = 1; i < recall.length; i++) {
            if (recall[i] < recall[i - 1]) {
                throw new IllegalArgumentException("recall must be non-decreasing (index " + i + ")");
            }
        }
    }
}
