package org.irfuse.nn.loss;

import ai.djl.ndarray.NDArray;
import org.irfuse.nn.runtime.Scalars;

/**
 * {@code saliency}: the fusion content loss of METHOD.md (the paper's and its release's only fusion loss),
 * {@code L_fus(Ŷ) = mean|Ŷ − M| + 1.1·(1 − SSIM(Ŷ, M))} with M the saliency target. Both parts are means, so the
 * loss does not depend on the crop size. Its arithmetic is the one the project always used, so runs with the
 * default {@code --loss saliency=1} give the same bits as before the loss became composable (tested).
 */
public final class SaliencyTargetLoss implements LossTerm {
    public static final String NAME = "saliency";
    /** Weight of the structural part. */
    public static final double SSIM_WEIGHT = 1.1;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray of(LossInputs in) {
        return of(in.fused(), in.target());
    }

    /** The loss for fused luminance and targets, N×1×H×W. */
    public static NDArray of(NDArray fused, NDArray target) {
        NDArray l1 = fused.sub(target).abs().mean();
        NDArray ssim = Ssim.mean(fused, target);
        return l1.add(Scalars.mul(Scalars.add(ssim.neg(), 1), SSIM_WEIGHT));
    }
}
