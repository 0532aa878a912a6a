package org.irfuse.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.irfuse.core.synthetic.SyntheticScenes;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.OpProfile;
import org.irfuse.nn.runtime.Precision;
import org.irfuse.nn.runtime.Workspace;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse bench}: median time and peak memory to fuse one pair at a given width, precision and thread count,
 * or ({@code --conv-only}) the multiply-add rate of one large 3×3 convolution through the same engine in the same
 * layout and precision (the host's matrix-unit rate at that moment), or ({@code --copy-only}) the memory rate
 * of the dense blocks' largest concatenation. One configuration per process, because libtorch fixes
 * its thread count at start and peak memory is per process; {@code bin/bench-fuse} loops over configurations.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (figures, not tests). 'irfuse bench --width lite --threads 2 --precision bf16'")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--width", paramLabel = "paper|lite|nano", defaultValue = "paper",
            description = "paper, lite or nano") String width;
    @Option(names = "--size", paramLabel = "WxH", defaultValue = "640x480", description = "WxH") String size;
    @Option(names = "--repeats", paramLabel = "N", defaultValue = "7",
            description = "timed runs after one warm-up run") int repeats;
    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;
    @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32",
            description = "fp32, bf16 or auto") String precision;
    /** At most one probe instead of the fusion: picocli refuses both together. */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Probe probe = new Probe();

    static final class Probe {
        @Option(names = "--conv-only", description = "time a 64→64 3×3 convolution at the same size instead "
                + "(the engine's multiply-add rate)")
        boolean convOnly;
        @Option(names = "--copy-only", description = "time the dense blocks' largest concatenation (96 + 16 "
                + "channels at the size) instead: the memory rate their copies run at")
        boolean copyOnly;
    }

    @Option(names = "--trace", paramLabel = "FILE", description = "run the timed runs under libtorch's operator "
            + "profiler, write its trace (Chrome JSON) to FILE and print self time per operator; default: off")
    Path trace;

    @Override
    public Integer call() throws Exception {
        if (threadsOption.threads != null) {
            Compute.configureThreads(threadsOption.threads);
        }
        String[] wh = size.toLowerCase(Locale.ROOT).split("x");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        String t = threadsOption.threads == null ? "all" : threadsOption.threads.toString();
        try (Compute c = Compute.cpu()) {
            Precision p = Precision.resolve(precision, c.device());
            if (probe.convOnly) {
                convCeiling(c, p, w, h, t);
                return 0;
            }
            if (probe.copyOnly) {
                copyRate(c, p, w, h, t);
                return 0;
            }
            Width wd = Width.parse(width);
            SyntheticScenes.Scene scene = SyntheticScenes.random(w, h, 1, false);
            FusionModel m = FusionModel.initialise(wd, c, DataType.FLOAT32);
            try (Fuser fuser = new Fuser(m.network(), c, p, Long.MAX_VALUE, Fuser.DEFAULT_TILE)) {
                Runnable once = () -> fuser.fuse(scene.infrared(), scene.visible());
                once.run();
                double[] ms;
                List<OpProfile.Op> ops = List.of();
                if (trace == null) {
                    ms = timed(once);
                } else {
                    double[][] holder = new double[1][];
                    ops = OpProfile.record(trace, () -> holder[0] = timed(once));
                    ms = holder[0];
                }
                double median = median(ms);
                double gmac = wd.macsPerPixel() * (double) w * h / 1e9;
                System.out.printf(Locale.ROOT, "fuse width=%s precision=%s threads=%s size=%dx%d median_ms=%.0f "
                        + "min_ms=%.0f gmac=%.1f gmac_per_s=%.1f peak_rss_mib=%.0f%n", wd.id(), p.id(), t, w, h,
                        median, Arrays.stream(ms).min().orElse(0), gmac, gmac / (median / 1000), peakRssMiB());
                printOps(ops);
            }
        }
        return 0;
    }

    /** One warm-up run, then {@link #repeats} timed runs, in milliseconds. */
    private double[] time(Runnable run) {
        run.run();
        return timed(run);
    }

    /** {@link #repeats} timed runs, in milliseconds. */
    private double[] timed(Runnable run) {
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            run.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private void convCeiling(Compute c, Precision p, int w, int h, String t) {
        try (NDManager s = c.newStep()) {
            // Channels-last like the fusion network's activations (Fuser): N×H×W×C viewed as N×C×H×W.
            NDArray x = s.randomUniform(0, 1, new Shape(1, h, w, 64)).transpose(0, 3, 1, 2);
            NDArray k = s.randomUniform(-0.1f, 0.1f, new Shape(64, 64, 3, 3));
            if (p == Precision.BF16) {
                x = c.bfloat16().cast(x);
                k = c.bfloat16().cast(k);
            }
            NDArray input = x;
            NDArray kernel = k;
            double[] ms = time(() -> Conv2d.conv2d(input, kernel, null, new Shape(1, 1), new Shape(1, 1))
                    .singletonOrThrow().close());
            double gmac = 64.0 * 64 * 9 * w * h / 1e9;
            System.out.printf(Locale.ROOT, "conv3x3 64->64 precision=%s threads=%s size=%dx%d median_ms=%.0f "
                    + "gmac=%.2f gmac_per_s=%.1f%n", p.id(), t, w, h, median(ms), gmac, gmac / (median(ms) / 1000));
        }
    }

    /**
     * The memory side of the network: the lite dense block's last concatenation (96 + 16 → 112 channels,
     * channels-last, into a reused buffer), as the blocks run it ({@code InferenceKernels#concatenateInto}). The
     * copies are memory-bound, so this reads as a rate of bytes (each element read once and written once).
     */
    private void copyRate(Compute c, Precision p, int w, int h, String t) {
        int have = 96;
        int growth = 16;
        try (NDManager s = c.newStep(); Workspace ws = new Workspace(c, 1)) {
            NDArray f = s.randomUniform(0, 1, new Shape(1, h, w, have)).transpose(0, 3, 1, 2);
            NDArray g = s.randomUniform(0, 1, new Shape(1, h, w, growth)).transpose(0, 3, 1, 2);
            if (p == Precision.BF16) {
                f = c.bfloat16().cast(f);
                g = c.bfloat16().cast(g);
            }
            NDArray features = f;
            NDArray y = g;
            NDArray buffer = ws.buffer(0, (long) (have + growth) * w * h, features);
            double[] ms = time(() -> ws.kernels().concatenateInto(buffer, features, y).close());
            int bytes = p == Precision.BF16 ? 2 : 4;
            double gb = 2.0 * (have + growth) * w * h * bytes / 1e9;
            System.out.printf(Locale.ROOT, "concat %d+%d->%d precision=%s threads=%s size=%dx%d median_ms=%.3f "
                    + "gb_moved=%.3f gb_per_s=%.1f%n", have, growth, have + growth, p.id(), t, w, h, median(ms), gb,
                    gb / (median(ms) / 1000));
        }
    }

    /** The operators that take 99 % of the profiled self time, largest first, per timed run. */
    private void printOps(List<OpProfile.Op> ops) {
        double total = ops.stream().mapToDouble(OpProfile.Op::selfMs).sum();
        double shown = 0;
        for (OpProfile.Op op : ops) {
            if (shown >= 0.99 * total) {
                break;
            }
            shown += op.selfMs();
            System.out.printf(Locale.ROOT, "op name=%s self_ms_per_run=%.1f share_pct=%.1f calls_per_run=%.0f%n",
                    op.name(), op.selfMs() / repeats, 100 * op.selfMs() / total, (double) op.calls() / repeats);
        }
        if (!ops.isEmpty()) {
            System.out.printf(Locale.ROOT, "op total_self_ms_per_run=%.1f trace=%s%n", total / repeats, trace);
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Peak resident memory of this process (VmHWM), JVM heap and native libtorch memory together. */
    static double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return Double.NaN;
    }
}
