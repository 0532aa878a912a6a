package org.irfuse.core.detection;

/** Overlap measures of two boxes (continuous coordinates, see {@link Box}). */
public final class BoxIou {
    private BoxIou() {
    }

    /** Area of the intersection of two boxes (0 when they do not overlap). */
    public static double intersection(Box a, Box b) {
        double w = Math.min(a.x1(), b.x1()) - Math.max(a.x0(), b.x0());
        double h = Math.min(a.y1(), b.y1()) - Math.max(a.y0(), b.y0());
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    /** IoU = |A ∩ B| / |A ∪ B|; 0 when the union is empty (two degenerate boxes). */
    public static double iou(Box a, Box b) {
        double inter = intersection(a, b);
        double union = a.area() + b.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /**
     * Generalized IoU (Rezatofighi et al., CVPR 2019): GIoU = IoU − |C \ (A ∪ B)| / |C|, with C the smallest box
     * enclosing both; in [−1, 1], equal to IoU when C = A ∪ B. The loss used by FCOS-style detectors is 1 − GIoU.
     */
    public static double giou(Box a, Box b) {
        double inter = intersection(a, b);
        double union = a.area() + b.area() - inter;
        double iou = union <= 0 ? 0 : inter / union;
        double cw = Math.max(a.x1(), b.x1()) - Math.min(a.x0(), b.x0());
        double ch = Math.max(a.y1(), b.y1()) - Math.min(a.y0(), b.y0());
        double enclosing = cw * ch;
        return enclosing <= 0 ? iou : iou - (enclosing - union) / enclosing;
    }
}
