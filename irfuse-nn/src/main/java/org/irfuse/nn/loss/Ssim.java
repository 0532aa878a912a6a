package org.irfuse.nn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.irfuse.nn.runtime.Scalars;

/**
 * Differentiable SSIM (Wang et al. 2004) for the fusion loss of METHOD.md: 11×11 Gaussian window, σ = 1.5,
 * C1 = 0.01², C2 = 0.03² (data in [0,1]), mean of the SSIM map. The window is applied as two 1-D passes with
 * zero padding of 5 ('same' size, as the pytorch-ssim code behind the release) — separable filtering with zero
 * padding equals the 2-D filter exactly and costs 22 instead of 121 multiply-adds per pixel.
 */
public final class Ssim {
    public static final int WINDOW = 11;
    public static final double SIGMA = 1.5;
    public static final double C1 = 0.01 * 0.01;
    public static final double C2 = 0.03 * 0.03;

    private Ssim() {
    }

    /** Normalised 1-D Gaussian taps. */
    public static float[] gaussian(int size, double sigma) {
        float[] g = new float[size];
        double sum = 0;
        int c = size / 2;
        for (int i = 0; i < size; i++) {
            sum += Math.exp(-((i - c) * (i - c)) / (2 * sigma * sigma));
        }
        for (int i = 0; i < size; i++) {
            g[i] = (float) (Math.exp(-((i - c) * (i - c)) / (2 * sigma * sigma)) / sum);
        }
        return g;
    }

    /** Mean SSIM over the map of two N×1×H×W tensors; a scalar differentiable in both. */
    public static NDArray mean(NDArray x, NDArray y) {
        return map(x, y).mean();
    }

    /** The SSIM map, N×1×H×W. */
    public static NDArray map(NDArray x, NDArray y) {
        NDManager m = x.getManager();
        float[] g = gaussian(WINDOW, SIGMA);
        NDArray gx = m.create(g, new Shape(1, 1, 1, WINDOW)).toType(x.getDataType(), false);
        NDArray gy = m.create(g, new Shape(1, 1, WINDOW, 1)).toType(x.getDataType(), false);
        NDArray muX = blur(x, gx, gy);
        NDArray muY = blur(y, gx, gy);
        NDArray muX2 = muX.square();
        NDArray muY2 = muY.square();
        NDArray muXY = muX.mul(muY);
        NDArray sX = blur(x.square(), gx, gy).sub(muX2);
        NDArray sY = blur(y.square(), gx, gy).sub(muY2);
        NDArray sXY = blur(x.mul(y), gx, gy).sub(muXY);
        NDArray num = Scalars.add(Scalars.mul(muXY, 2), C1).mul(Scalars.add(Scalars.mul(sXY, 2), C2));
        NDArray den = Scalars.add(muX2.add(muY2), C1).mul(Scalars.add(sX.add(sY), C2));
        return num.div(den);
    }

    private static NDArray blur(NDArray x, NDArray gx, NDArray gy) {
        int r = WINDOW / 2;
        NDArray h = Conv2d.conv2d(x, gx, null, new Shape(1, 1), new Shape(0, r), new Shape(1, 1), 1)
                .singletonOrThrow();
        return Conv2d.conv2d(h, gy, null, new Shape(1, 1), new Shape(r, 0), new Shape(1, 1), 1).singletonOrThrow();
    }

}
