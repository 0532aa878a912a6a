package org.irfuse.nn.loss;

import ai.djl.ndarray.NDArray;

/**
 * {@code intensity}: {@code L_int = mean|Ŷ − max(I, Y)|} (L1 towards the brighter source at every pixel) — the
 * intensity loss of SeAFusion (L. Tang, J. Yuan, J. Ma, "Image fusion in the loop of high-level vision tasks: a
 * semantic-aware real-time infrared and visible image fusion network", Information Fusion 82, 2022, eq. 5; its
 * code: {@code F.l1_loss(torch.max(image_y, image_ir), generate_img)}). It pulls the fused image towards the
 * salient, usually warm, targets of the infrared image without a precomputed saliency map.
 * Gradient with respect to Ŷ: {@code sign(Ŷ − max(I, Y)) / n} for n pixels (tested).
 */
public final class IntensityLoss implements LossTerm {
    public static final String NAME = "intensity";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray of(LossInputs in) {
        NDArray brighter = in.infrared().maximum(in.luminance());
        return in.fused().sub(brighter).abs().mean();
    }
}
