package org.irfuse.nn.loss;

import ai.djl.ndarray.NDArray;
import org.irfuse.nn.runtime.Scalars;

/**
 * Fusion content loss of METHOD.md: {@code L_fus(Ŷ) = mean|Ŷ − M| + 1.1·(1 − SSIM(Ŷ, M))}, with M the saliency
 * target. Both terms are means, so the loss does not depend on the crop size.
 */
public final class FusionLoss {
    /** Weight of the structural term. */
    public static final double SSIM_WEIGHT = 1.1;

    private FusionLoss() {
    }

    /** The scalar loss for a batch N×1×H×W of fused luminance and targets. */
    public static NDArray of(NDArray fused, NDArray target) {
        NDArray l1 = fused.sub(target).abs().mean();
        NDArray ssim = Ssim.mean(fused, target);
        return l1.add(ssim.neg().add(1).mul(Scalars.of(fused, SSIM_WEIGHT)));
    }
}
