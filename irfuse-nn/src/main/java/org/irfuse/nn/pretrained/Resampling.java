package org.irfuse.nn.pretrained;

import ai.djl.ndarray.NDArray;

/** Resampling ops the pretrained networks need that DJL has no block for. */
public final class Resampling {
    /** PyTorch's interpolation mode code for nearest in DJL's engine ({@code torchNNInterpolate}). */
    private static final int NEAREST = 0;

    private Resampling() {
    }

    /**
     * Nearest-neighbour upsampling ×2 of N×C×H×W ({@code nn.Upsample(scale_factor=2, mode='nearest')}): each
     * pixel becomes a 2×2 block. Differentiable (the gradient sums each block).
     */
    public static NDArray nearest2x(NDArray x) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        return x.getNDArrayInternal().interpolation(new long[] {2 * h, 2 * w}, NEAREST, false);
    }
}
