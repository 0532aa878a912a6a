package org.irfuse.core.segmentation;

/**
 * Segmentation scores from one confusion matrix over the whole test set (METRICS.md, Downstream):
 *
 * <ul>
 *   <li>IoU_c = TP_c / (TP_c + FP_c + FN_c), with TP_c = M[c][c], FP_c = Σ_t M[t][c] − TP_c (column),
 *       FN_c = Σ_p M[c][p] − TP_c (row);
 *   <li>mIoU = mean of IoU_c over the classes, undefined ones handled by the {@link AbsentClassPolicy};
 *   <li>pixel accuracy = Σ_c TP_c / Σ M (all counted pixels);
 *   <li>class accuracy_c = TP_c / (TP_c + FN_c) (recall of class c), and its mean under the same policy.
 * </ul>
 *
 * Undefined per-class values are reported as 0 under {@code COUNT_AS_ZERO} and NaN under {@code DROP_ABSENT}.
 *
 * @param iou per-class IoU
 * @param meanIou mIoU
 * @param pixelAccuracy overall pixel accuracy (NaN when no pixel was counted)
 * @param classAccuracy per-class accuracy (recall)
 * @param meanClassAccuracy mean class accuracy
 * @param iouDefined whether class c occurred in labels or predictions (its IoU is not 0/0)
 * @param classesInMean how many classes the mIoU averages over
 */
public record SegmentationMetrics(double[] iou, double meanIou, double pixelAccuracy, double[] classAccuracy,
        double meanClassAccuracy, boolean[] iouDefined, int classesInMean, AbsentClassPolicy policy) {

    public static SegmentationMetrics of(ConfusionMatrix matrix, AbsentClassPolicy policy) {
        long[][] m = matrix.counts();
        int k = m.length;
        double[] iou = new double[k];
        double[] acc = new double[k];
        boolean[] defined = new boolean[k];
        double iouSum = 0;
        int iouCount = 0;
        double accSum = 0;
        int accCount = 0;
        long diagonal = 0;
        long total = 0;
        for (int c = 0; c < k; c++) {
            long tp = m[c][c];
            long row = 0;
            long col = 0;
            for (int j = 0; j < k; j++) {
                row += m[c][j];
                col += m[j][c];
                total += m[c][j];
            }
            diagonal += tp;
            long fn = row - tp;
            long fp = col - tp;
            long union = tp + fp + fn;
            defined[c] = union > 0;
            if (union > 0) {
                iou[c] = (double) tp / union;
                iouSum += iou[c];
                iouCount++;
            } else if (policy == AbsentClassPolicy.COUNT_AS_ZERO) {
                iou[c] = 0;
                iouCount++;
            } else {
                iou[c] = Double.NaN;
            }
            if (row > 0) {
                acc[c] = (double) tp / row;
                accSum += acc[c];
                accCount++;
            } else if (policy == AbsentClassPolicy.COUNT_AS_ZERO) {
                acc[c] = 0;
                accCount++;
            } else {
                acc[c] = Double.NaN;
            }
        }
        double meanIou = iouCount == 0 ? Double.NaN : iouSum / iouCount;
        double meanAcc = accCount == 0 ? Double.NaN : accSum / accCount;
        double pixelAccuracy = total == 0 ? Double.NaN : (double) diagonal / total;
        return new SegmentationMetrics(iou, meanIou, pixelAccuracy, acc, meanAcc, defined, iouCount, policy);
    }
}
