package org.irfuse.nn.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import org.irfuse.core.image.YCbCr;
import org.irfuse.nn.runtime.Scalars;

/**
 * {@code C(Ŷ, V)} of METHOD.md as a differentiable tensor op: the inverse BT.601 transform of (Ŷ, Cb, Cr) with the
 * coefficients of {@link YCbCr}, with Ŷ clamped first and the result clamped to [0,1] — exactly what
 * {@link YCbCr#merge} does for saved images. Input N×1×H×W planes, output N×3×H×W (R, G, B).
 */
public final class ColourComposite {
    private ColourComposite() {
    }

    public static NDArray of(NDArray fusedLuminance, NDArray cb, NDArray cr) {
        NDArray fusedY = fusedLuminance.clip(0, 1);
        NDArray dcb = Scalars.sub(cb, 0.5);
        NDArray dcr = Scalars.sub(cr, 0.5);
        NDArray r = fusedY.add(Scalars.mul(dcr, 1.403));
        NDArray g = fusedY.sub(Scalars.mul(dcr, 0.714)).sub(Scalars.mul(dcb, 0.344));
        NDArray b = fusedY.add(Scalars.mul(dcb, 1.773));
        return NDArrays.concat(new ai.djl.ndarray.NDList(r, g, b), 1).clip(0, 1);
    }
}
