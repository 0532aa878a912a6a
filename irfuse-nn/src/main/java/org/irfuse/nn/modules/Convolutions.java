package org.irfuse.nn.modules;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/** Builders for the few convolution shapes the networks use, so every module states them the same way. */
public final class Convolutions {
    private Convolutions() {
    }

    /** k×k convolution, stride 1, 'same' padding for odd k, with bias. */
    public static Conv2d same(int outChannels, int kernel) {
        return dilated(outChannels, kernel, 1);
    }

    /** k×k convolution with dilation d and padding d·(k−1)/2 so the size is kept. */
    public static Conv2d dilated(int outChannels, int kernel, int dilation) {
        int pad = dilation * (kernel - 1) / 2;
        return Conv2d.builder()
                .setFilters(outChannels)
                .setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(pad, pad))
                .optDilation(new Shape(dilation, dilation))
                .build();
    }

    /** k×k convolution with the given stride and padding (k−1)/2, with or without bias. */
    public static Conv2d strided(int outChannels, int kernel, int stride, boolean bias) {
        int pad = (kernel - 1) / 2;
        return Conv2d.builder()
                .setFilters(outChannels)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .optBias(bias)
                .build();
    }

    /** 1×1 convolution. */
    public static Conv2d pointwise(int outChannels, boolean bias) {
        return Conv2d.builder()
                .setFilters(outChannels)
                .setKernelShape(new Shape(1, 1))
                .optBias(bias)
                .build();
    }
}
