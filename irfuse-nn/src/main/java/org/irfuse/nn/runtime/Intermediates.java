package org.irfuse.nn.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Frees a forward pass's intermediate tensors as soon as they are used, when no gradient is being recorded.
 *
 * <p>An NDArray lives until its manager closes, so without this every activation of a forward pass stays in memory
 * until the step ends: for the fusion network's dense blocks (concatenations growing to 224 channels) that is
 * several GiB at 640×480. Under a gradient collector the tensors are part of the autograd graph and must stay;
 * PyTorch's grad mode tells the two cases apart (DJL turns it on only inside a gradient collector).
 */
public final class Intermediates {
    private Intermediates() {
    }

    /** True while a gradient collector is recording (intermediates must be kept). */
    public static boolean recording() {
        return JniUtils.isGradMode();
    }

    /**
     * Runs an inference call with gradient recording off on this thread, as {@code torch.no_grad()}, and restores
     * the previous mode. PyTorch's grad mode is per thread and starts on in every thread DJL did not set up (Spark's
     * task threads, a caller's thread pool), where it would make an inference pass record an autograd graph, keep
     * all its intermediates, and refuse the in-place kernels of {@link InferenceKernels}.
     */
    public static <T> T withoutGradients(java.util.function.Supplier<T> call) {
        if (!recording()) {
            return call.get();
        }
        JniUtils.setGradMode(false);
        try {
            return call.get();
        } finally {
            JniUtils.setGradMode(true);
        }
    }

    /** Closes the given arrays unless gradients are being recorded. */
    public static void release(NDArray... arrays) {
        if (recording()) {
            return;
        }
        for (NDArray a : arrays) {
            if (a != null) {
                a.close();
            }
        }
    }
}
