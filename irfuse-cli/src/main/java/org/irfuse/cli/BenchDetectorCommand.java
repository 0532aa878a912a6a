package org.irfuse.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.irfuse.nn.detection.DetectionBenchmark;
import org.irfuse.nn.runtime.Compute;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code irfuse bench-detector}: median training-step and inference times of the detector. */
@Command(name = "bench-detector", mixinStandardHelpOptions = true,
        description = {"Time the detector: a training step at 320x256 and inference on a 640x480 image (medians).",
            "  irfuse bench-detector --threads 1 --repeats 10"})
public final class BenchDetectorCommand implements Callable<Integer> {
    @Option(names = "--width", defaultValue = "16", description = "base channels of the detector") int width;
    @Option(names = "--levels", defaultValue = "3") int levels;
    @Option(names = "--classes", defaultValue = "3") int classes;
    @Option(names = "--batch", defaultValue = "1,4", split = ",", description = "training batch sizes to time")
    int[] batches;
    @Option(names = "--train-size", defaultValue = "320x256", description = "training input WxH") String trainSize;
    @Option(names = "--infer-size", defaultValue = "640x480", description = "inference input WxH") String inferSize;
    @Option(names = "--warmup", defaultValue = "2") int warmup;
    @Option(names = "--repeats", defaultValue = "10") int repeats;
    @Option(names = "--threads", description = "CPU threads (default: all cores)") Integer threads;
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu") String device;

    @Override
    public Integer call() {
        if (threads != null) {
            Compute.configureThreads(threads);
        }
        int[] train = size(trainSize, "--train-size");
        int[] infer = size(inferSize, "--infer-size");
        try (Compute compute = Compute.open(device)) {
            System.out.printf(Locale.ROOT, "detector width %d, %d levels, %d classes, threads %s, %d repeats "
                    + "after %d warm-up%n", width, levels, classes, threads == null ? "default" : threads, repeats,
                    warmup);
            for (int b : batches) {
                double[] t = DetectionBenchmark.trainStepSeconds(compute, width, levels, classes, b, train[1],
                        train[0], warmup, repeats);
                System.out.printf(Locale.ROOT, "train step %dx%d batch %d: median %.1f ms (min %.1f, max %.1f)%n",
                        train[0], train[1], b, 1000 * DetectionBenchmark.median(t), 1000 * min(t), 1000 * max(t));
            }
            double[] t = DetectionBenchmark.inferenceSeconds(compute, width, levels, classes, infer[1], infer[0],
                    warmup, repeats);
            System.out.printf(Locale.ROOT, "inference %dx%d (forward + decode + NMS): median %.1f ms (min %.1f, "
                    + "max %.1f)%n", infer[0], infer[1], 1000 * DetectionBenchmark.median(t), 1000 * min(t),
                    1000 * max(t));
        }
        return 0;
    }

    private static int[] size(String s, String option) {
        String[] p = s.toLowerCase(Locale.ROOT).split("x");
        try {
            int w = Integer.parseInt(p[0].trim());
            int h = Integer.parseInt(p[1].trim());
            if (p.length != 2 || w < 32 || h < 32) {
                throw new NumberFormatException();
            }
            return new int[] {w, h};
        } catch (RuntimeException e) {
            throw new UserException(option + " must be WxH with both at least 32, got '" + s + "'");
        }
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(Double.NaN);
    }
}
