package org.irfuse.nn.runtime;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Loads the weight-free TorchScript modules shipped in the jar ({@code tools/torchscript/}), which do what DJL 0.32
 * cannot: bf16 casts ({@link Bfloat16}) and in-place inference kernels ({@link InferenceKernels}).
 */
final class TorchScripts {
    private TorchScripts() {
    }

    /** The module at {@code resource}, in {@code manager} (freed when it closes); {@code purpose} names the user. */
    static PtSymbolBlock load(NDManager manager, String resource, String purpose) {
        try (InputStream in = TorchScripts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("this build lacks " + resource + " (" + purpose + " needs it)");
            }
            return JniUtils.loadModule((PtNDManager) manager, in, false, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + resource, e);
        }
    }
}
