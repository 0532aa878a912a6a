package org.irfuse.nn.runtime;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The number format inference runs in. {@link #FP32} is exact float32; {@link #BF16} keeps float32 inputs,
 * outputs and master weights but runs the convolutions in bfloat16 on the CPU's bf16 matrix units (AMX,
 * AVX512-BF16, reached through oneDNN), about 3× faster here at a stated accuracy cost (docs/benchmarks.md:
 * fused 8-bit images within about 50 dB PSNR of float32).
 */
public enum Precision {
    FP32, BF16;

    private static final Pattern BF16_FLAGS = Pattern.compile("\\b(avx512_bf16|amx_bf16)\\b");

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Resolves a user's choice: {@code fp32}, {@code bf16} or {@code auto} (bf16 on a CPU whose flags show
     * {@code avx512_bf16} or {@code amx_bf16}, float32 elsewhere, and float32 on a GPU, where bf16 is untested).
     *
     * @throws IllegalArgumentException for any other word
     */
    public static Precision resolve(String choice, Device device) {
        String c = choice == null ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
        switch (c) {
            case "fp32":
                return FP32;
            case "bf16":
                return BF16;
            case "auto":
                return device.isGpu() || !cpuHasBf16() ? FP32 : BF16;
            default:
                throw new IllegalArgumentException("unknown precision '" + choice + "' (expected fp32, bf16 or auto)");
        }
    }

    /**
     * True when the CPU advertises native bf16 arithmetic. Read from {@code /proc/cpuinfo} (Linux); other systems
     * answer false, so {@code auto} stays float32 there unless the user asks for bf16.
     */
    public static boolean cpuHasBf16() {
        Path info = Path.of("/proc/cpuinfo");
        try {
            return Files.isReadable(info) && BF16_FLAGS.matcher(Files.readString(info)).find();
        } catch (IOException e) {
            return false;
        }
    }
}
