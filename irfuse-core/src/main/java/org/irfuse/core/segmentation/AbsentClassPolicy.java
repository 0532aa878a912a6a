package org.irfuse.core.segmentation;

/**
 * What the mean over classes does with a class whose score is undefined (0/0): for IoU, a class that occurs
 * neither in the labels nor in the predictions of the whole test set; for class accuracy, a class absent from
 * the labels.
 */
public enum AbsentClassPolicy {
    /**
     * The papers' default (MFNet/RTFNet/SeAFusion scripts, METRICS.md): the class scores 0 and stays in the mean,
     * so mIoU is always a mean over all K classes (9 for MSRS, "unlabelled" included).
     */
    COUNT_AS_ZERO,
    /** The other convention (e.g. mmsegmentation's nanmean): the class is left out of the mean. */
    DROP_ABSENT
}
