package org.irfuse.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.irfuse.nn.pretrained.PretrainedBenchmark;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code irfuse bench-pretrained}: median times of YOLOv5n forward, forward + backward, and MFNet forward. */
@Command(name = "bench-pretrained", mixinStandardHelpOptions = true,
        description = {"Time the pretrained judges at one size: YOLOv5n forward and forward+backward, MFNet forward "
                + "(medians; weights do not change the cost, so none are needed).",
            "  irfuse bench-pretrained --threads 2 --repeats 10"})
public final class BenchPretrainedCommand implements Callable<Integer> {
    @Option(names = "--size", paramLabel = "WxH", defaultValue = "640x480", description = "input WxH")
    String size;
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "untimed runs first") int warmup;
    @Option(names = "--repeats", paramLabel = "N", defaultValue = "10", description = "timed runs") int repeats;
    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;
    @picocli.CommandLine.Mixin
    SharedOptions.Device deviceOption;
    @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32",
            description = "fp32, bf16 or auto: forward passes as the judges run them, forward+backward as "
            + "mixed-precision training runs it (bf16 weights cast per step, float32 loss and gradients)")
    String precision;

    @Override
    public Integer call() {
        if (threadsOption.threads != null) {
            Compute.configureThreads(threadsOption.threads);
        }
        String[] p = size.toLowerCase(Locale.ROOT).split("x");
        int w;
        int h;
        try {
            w = Integer.parseInt(p[0].trim());
            h = Integer.parseInt(p[1].trim());
        } catch (RuntimeException e) {
            throw new UserException("--size must be WxH, got '" + size + "'");
        }
        if (p.length != 2 || w < 32 || h < 32 || repeats < 1 || warmup < 0) {
            throw new UserException("--size must be WxH with both at least 32, --repeats at least 1");
        }
        try (Compute compute = Compute.open(deviceOption.device)) {
            Precision forward = Precision.resolve(precision, compute.device());
            System.out.printf(Locale.ROOT, "size %dx%d, threads %s, precision %s, %d repeats after %d "
                    + "warm-up%n", w, h, threadsOption.threads == null ? "default" : threadsOption.threads,
                    forward.id(), repeats, warmup);
            report("YOLOv5n forward", PretrainedBenchmark.yoloForwardSeconds(compute, forward, h, w, warmup,
                    repeats));
            report("YOLOv5n forward+backward",
                    PretrainedBenchmark.yoloForwardBackwardSeconds(compute, forward, h, w, warmup, repeats));
            report("MFNet forward", PretrainedBenchmark.mfnetForwardSeconds(compute, forward, h, w, warmup,
                    repeats));
        }
        return 0;
    }

    private static void report(String what, double[] t) {
        System.out.printf(Locale.ROOT, "%-26s median %7.1f ms (min %.1f, max %.1f)%n", what,
                1000 * PretrainedBenchmark.median(t), 1000 * Arrays.stream(t).min().orElse(Double.NaN),
                1000 * Arrays.stream(t).max().orElse(Double.NaN));
    }
}
