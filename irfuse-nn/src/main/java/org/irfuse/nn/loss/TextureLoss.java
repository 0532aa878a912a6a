package org.irfuse.nn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * {@code texture}: {@code L_text = mean| |∇Ŷ| − max(|∇I|, |∇Y|) |} — the texture (gradient) loss of SeAFusion
 * (Tang et al., Information Fusion 82, 2022, eq. 6): the fused image should carry the stronger of the two
 * sources' edges at every pixel. ∇ is the Sobel operator as in SeAFusion's code ({@code Sobelxy}):
 * {@code |∇X| = |Sx ⋆ X| + |Sy ⋆ X|} with {@code Sx = [[-1,0,1],[-2,0,2],[-1,0,1]]},
 * {@code Sy = [[1,2,1],[0,0,0],[-1,-2,-1]]}, cross-correlation with zero padding 1 (same size; the border
 * pixels see the zero frame, as in the reference). SeAFusion weights this term 10 against the intensity term.
 */
public final class TextureLoss implements LossTerm {
    public static final String NAME = "texture";

    /** Sx and Sy as one 2-output-channel 3×3 kernel, so both come from one convolution. */
    private static final float[] SOBEL = {
        -1, 0, 1, -2, 0, 2, -1, 0, 1,
        1, 2, 1, 0, 0, 0, -1, -2, -1};

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray of(LossInputs in) {
        NDArray strongest = gradient(in.infrared()).maximum(gradient(in.luminance()));
        return gradient(in.fused()).sub(strongest).abs().mean();
    }

    /** {@code |Sx ⋆ X| + |Sy ⋆ X|} of an N×1×H×W tensor, N×1×H×W. */
    public static NDArray gradient(NDArray x) {
        NDArray kernel = x.getManager().create(SOBEL, new Shape(2, 1, 3, 3)).toType(x.getDataType(), false);
        NDArray both = Conv2d.conv2d(x, kernel, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                .singletonOrThrow();
        return both.abs().sum(new int[] {1}, true);
    }
}
