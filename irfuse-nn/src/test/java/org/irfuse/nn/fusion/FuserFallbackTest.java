package org.irfuse.nn.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.irfuse.core.synthetic.SyntheticScenes;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;
import org.junit.jupiter.api.Test;

/**
 * Without the inference kernels (a libtorch lacking oneDNN's fused operators: {@link Fuser#openWorkspace}) the
 * fuser runs the network's plain forward pass, and its fused luminance is the kernels' bit for bit, in fp32 and,
 * where the CPU has it, bf16; whole and tiled.
 */
class FuserFallbackTest {
    @Test
    void plainForwardFusesBitIdenticallyToTheKernels() throws Exception {
        SyntheticScenes.Scene scene = SyntheticScenes.random(97, 61, 3, false);
        float[] ir = scene.infrared().plane(0);
        float[] y = scene.visible().plane(0);
        try (Compute c = Compute.cpu()) {
            FusionModel m = FusionModel.loadDefault(c);
            for (Precision p : Precision.cpuHasBf16() ? new Precision[] {Precision.FP32, Precision.BF16}
                    : new Precision[] {Precision.FP32}) {
                for (long tileAbove : new long[] {Long.MAX_VALUE, 0}) {
                    float[] kernels;
                    float[] plain;
                    try (Fuser f = new Fuser(m.network(), c, p, tileAbove, 32, true)) {
                        kernels = f.fuseLuminance(ir, y, 97, 61);
                    }
                    try (Fuser f = new Fuser(m.network(), c, p, tileAbove, 32, false)) {
                        plain = f.fuseLuminance(ir, y, 97, 61);
                    }
                    assertArrayEquals(kernels, plain, p + (tileAbove == 0 ? " tiled" : " whole"));
                }
            }
        }
    }
}
