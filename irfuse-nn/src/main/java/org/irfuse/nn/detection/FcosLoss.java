package org.irfuse.nn.detection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.List;
import org.irfuse.core.detection.Box;
import org.irfuse.nn.runtime.Scalars;

/**
 * The FCOS training loss (Tian et al. 2019, eq. 2) of a batch:
 *
 * <ul>
 *   <li>classification: sigmoid focal loss (Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017),
 *       FL = −α_t (1 − p_t)^γ log p_t with α = 0.25, γ = 2, summed over all locations and classes (one-hot targets,
 *       background all zeros) and divided by the number of positive locations N_pos (at least 1);
 *   <li>boxes: GIoU loss 1 − GIoU (Rezatofighi et al., CVPR 2019), GIoU = IoU − |C \ (A ∪ B)| / |C| with C the
 *       smallest enclosing box, computed from the distances of one location, where for (l, t, r, b) and
 *       (l*, t*, r*, b*) seen from the same point the intersection is (min(l,l*) + min(r,r*))·(min(t,t*) +
 *       min(b,b*)) and C is (max(l,l*) + max(r,r*))·(max(t,t*) + max(b,b*)); over positive locations, weighted by
 *       their centerness target and divided by the sum of those weights (as FCOS's released code);
 *   <li>centerness: binary cross-entropy of the centerness logit against the centerness target, over positive
 *       locations, divided by N_pos.
 * </ul>
 *
 * Total = classification + boxes + centerness. Everything is a tensor op of the network outputs, so the gradient
 * reaches the network and (for the bi-level trainer) the image it was fed.
 */
public final class FcosLoss {
    /** Focal loss α and γ (Lin et al. 2017, §5). */
    public static final double ALPHA = 0.25;
    public static final double GAMMA = 2.0;

    /** The three terms and their sum (scalars). */
    public record Parts(NDArray total, NDArray classification, NDArray box, NDArray centerness, int positives) {
    }

    private FcosLoss() {
    }

    /**
     * The loss of a batch. {@code boxes} has one list per sample in the image's pixel coordinates (images all
     * {@code height×width}); target tensors are made in {@code scope}.
     */
    public static Parts of(DetectorNetwork.Outputs out, List<List<Box>> boxes, int height, int width,
            int numClasses, int[] strides, NDManager scope) {
        Locations loc = Locations.of(height, width, strides);
        int n = boxes.size();
        int l = loc.size();
        float[] oneHot = new float[n * l * numClasses];
        float[] dist = new float[n * l * 4];
        float[] ctr = new float[n * l];
        float[] positive = new float[n * l];
        int positives = 0;
        double centernessSum = 0;
        for (int b = 0; b < n; b++) {
            FcosTargets t = FcosTargets.assign(boxes.get(b), loc, numClasses);
            for (int k = 0; k < l; k++) {
                int c = t.classOf()[k];
                int idx = b * l + k;
                if (c < 0) {
                    // Background: distances of 1 keep the GIoU of masked-out locations finite.
                    for (int d = 0; d < 4; d++) {
                        dist[4 * idx + d] = 1f;
                    }
                    continue;
                }
                oneHot[idx * numClasses + c] = 1f;
                for (int d = 0; d < 4; d++) {
                    dist[4 * idx + d] = (float) t.distances()[4 * k + d];
                }
                ctr[idx] = (float) t.centerness()[k];
                positive[idx] = 1f;
                positives++;
                centernessSum += t.centerness()[k];
            }
        }
        DataType type = out.classLogits().getDataType();
        NDArray classTarget = typed(scope.create(oneHot, new Shape(n, l, numClasses)), type);
        NDArray distTarget = typed(scope.create(dist, new Shape(n, l, 4)), type);
        NDArray ctrTarget = typed(scope.create(ctr, new Shape(n, l)), type);
        NDArray posMask = typed(scope.create(positive, new Shape(n, l)), type);
        double norm = Math.max(1, positives);

        NDArray cls = focal(out.classLogits(), classTarget).sum();
        cls = cls.div(Scalars.of(cls, norm));
        NDArray giouLoss = giouLoss(out.distances(), distTarget);
        NDArray box = giouLoss.mul(ctrTarget).sum();
        box = box.div(Scalars.of(box, Math.max(centernessSum, 1e-6)));
        NDArray ctrLoss = bceWithLogits(out.centernessLogits(), ctrTarget).mul(posMask).sum();
        ctrLoss = ctrLoss.div(Scalars.of(ctrLoss, norm));
        return new Parts(cls.add(box).add(ctrLoss), cls, box, ctrLoss, positives);
    }

    private static NDArray typed(NDArray a, DataType t) {
        return t == DataType.FLOAT32 ? a : a.toType(t, false);
    }

    /** Element-wise sigmoid focal loss of logits x against targets y ∈ {0, 1}. */
    static NDArray focal(NDArray x, NDArray y) {
        NDArray p = Activation.sigmoid(x);
        NDArray ce = bceWithLogits(x, y);
        NDArray oneMinusY = y.neg().add(Scalars.of(y, 1));
        // p_t = p·y + (1 − p)(1 − y); α_t = α·y + (1 − α)(1 − y)
        NDArray pt = p.mul(y).add(p.neg().add(Scalars.of(p, 1)).mul(oneMinusY));
        NDArray alphaT = y.mul(Scalars.of(y, ALPHA)).add(oneMinusY.mul(Scalars.of(y, 1 - ALPHA)));
        NDArray modulating = pt.neg().add(Scalars.of(pt, 1)).pow(Scalars.of(pt, GAMMA));
        return alphaT.mul(modulating).mul(ce);
    }

    /** Numerically stable BCE with logits: max(x, 0) − x·y + log(1 + exp(−|x|)). */
    static NDArray bceWithLogits(NDArray x, NDArray y) {
        NDArray softplusNegAbs = x.abs().neg().exp().add(Scalars.of(x, 1)).log();
        return x.maximum(Scalars.of(x, 0)).sub(x.mul(y)).add(softplusNegAbs);
    }

    /** 1 − GIoU per location of predicted and target distances (…×4, l, t, r, b). */
    static NDArray giouLoss(NDArray pred, NDArray target) {
        NDArray pl = pred.get("..., 0");
        NDArray pt = pred.get("..., 1");
        NDArray pr = pred.get("..., 2");
        NDArray pb = pred.get("..., 3");
        NDArray tl = target.get("..., 0");
        NDArray tt = target.get("..., 1");
        NDArray tr = target.get("..., 2");
        NDArray tb = target.get("..., 3");
        NDArray predArea = pl.add(pr).mul(pt.add(pb));
        NDArray targetArea = tl.add(tr).mul(tt.add(tb));
        NDArray inter = pl.minimum(tl).add(pr.minimum(tr)).mul(pt.minimum(tt).add(pb.minimum(tb)));
        NDArray union = predArea.add(targetArea).sub(inter);
        NDArray enclosing = pl.maximum(tl).add(pr.maximum(tr)).mul(pt.maximum(tt).add(pb.maximum(tb)));
        NDArray iou = inter.div(union.add(Scalars.of(union, 1e-7)));
        NDArray giou = iou.sub(enclosing.sub(union).div(enclosing.add(Scalars.of(enclosing, 1e-7))));
        return giou.neg().add(Scalars.of(giou, 1));
    }
}
