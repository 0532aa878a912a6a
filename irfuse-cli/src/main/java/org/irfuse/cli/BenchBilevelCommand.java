package org.irfuse.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.irfuse.core.datasets.PairDataset;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.train.BilevelBenchmark;
import org.irfuse.nn.train.BilevelTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code irfuse bench-bilevel}: seconds per step of bi-level vs plain alternating training, as medians. */
@Command(name = "bench-bilevel", mixinStandardHelpOptions = true,
        description = "Time bi-level training against plain alternating training of the same three networks on "
                + "the same batches (synthetic scenes); prints median seconds per step.")
public final class BenchBilevelCommand implements Callable<Integer> {
    @Option(names = "--steps", paramLabel = "N", defaultValue = "40",
            description = "timed steps per variant") int steps;
    @Option(names = "--warmup-steps", paramLabel = "N", defaultValue = "3",
            description = "untimed steps first") int warmupSteps;
    @Option(names = "--width", paramLabel = "paper|lite|nano", defaultValue = "lite",
            description = "network width") String width;
    @Option(names = "--batch", paramLabel = "N", defaultValue = "2", description = "crops per step") int batch;
    @Option(names = "--crop-side", paramLabel = "PIXELS", defaultValue = "128",
            description = "side of the square training crops (pixels)")
    int crop;
    @Option(names = "--upper-every", paramLabel = "K", defaultValue = "10",
            description = "K of the bi-level schedule") int upperEvery;
    @Option(names = "--segmenter-weights", required = true, paramLabel = "FILE",
            description = "pretrained MFNet weights (.npz), the task network") String segmenterWeights;
    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;

    @Override
    public Integer call() throws java.io.IOException {
        if (threadsOption.threads != null) {
            Compute.configureThreads(threadsOption.threads);
        }
        BilevelTrainer.Config cfg = new BilevelTrainer.Config();
        cfg.width = width;
        cfg.batch = batch;
        cfg.upperBatch = batch;
        cfg.minCrop = crop;
        cfg.maxCrop = crop;
        cfg.upperEvery = upperEvery;
        cfg.segmenterWeights = segmenterWeights;
        cfg.steps = 1000;
        List<PairSample> train = PairDataset.synthetic(8, 320, 240, 1);
        List<PairSample> upper = PairDataset.synthetic(2, 320, 240, 100);
        try (Compute compute = Compute.cpu()) {
            List<BilevelBenchmark.Timing> t = BilevelBenchmark.run(cfg, train, upper, steps, warmupSteps, compute);
            System.out.printf(Locale.ROOT, "width %s, batch %d, crop %d, task MFNet, threads %s, %d timed "
                    + "steps per variant%n", width, batch, crop,
                    threadsOption.threads == null ? "default" : threadsOption.threads,
                    steps);
            System.out.printf(Locale.ROOT, "%-18s %12s %12s %16s %14s%n", "variant", "median s", "mean s",
                    "median lower-only", "median upper");
            for (BilevelBenchmark.Timing x : t) {
                System.out.printf(Locale.ROOT, "%-18s %12.4f %12.4f %16.4f %14.4f%n", x.name(), x.medianStep(),
                        x.meanStep(), x.medianLowerOnly(), x.medianUpper());
            }
            double base = t.get(0).meanStep();
            System.out.printf(Locale.ROOT, "mean time per step relative to alternating K=1: bilevel K=1 %.2fx, "
                    + "bilevel K=%d %.2fx%n", t.get(1).meanStep() / base, upperEvery, t.get(2).meanStep() / base);
        }
        return 0;
    }
}
