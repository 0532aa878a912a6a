package org.irfuse.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.nio.file.Path;
import org.irfuse.core.datasets.LabelledPairs;
import org.irfuse.core.datasets.PairDataset;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.nn.pretrained.PretrainedBenchmark;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;
import org.irfuse.nn.train.HeldOutSplit;
import org.irfuse.nn.train.BilevelBenchmark;
import org.irfuse.nn.train.BilevelTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code irfuse bench-bilevel}: seconds per step of bi-level vs plain alternating training, as medians. */
@Command(name = "bench-bilevel", mixinStandardHelpOptions = true,
        description = {"Time bi-level training against plain alternating training of the same three networks on "
                + "the same batches (synthetic scenes or --msrs-weak pairs); prints median seconds per step.",
            "  irfuse bench-bilevel --task detection --detector-weights yolov5n_coco.npz --msrs-weak msrs "
                + "--upper-every 3 --crop-side 144 --schedule-only --precision bf16 --threads 1"})
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
    @Option(names = "--task", paramLabel = "segmentation|detection", defaultValue = "segmentation",
            description = "the task network: segmentation (pretrained MFNet, --segmenter-weights) or detection "
            + "(pretrained YOLOv5n, --detector-weights)") String task;
    @Option(names = "--segmenter-weights", paramLabel = "FILE",
            description = "pretrained MFNet weights (.npz), the task network of segmentation") String segmenterWeights;
    @Option(names = "--detector-weights", paramLabel = "FILE",
            description = "pretrained YOLOv5n weights (.npz), the task network of detection") String detectorWeights;
    @Option(names = "--msrs-weak", paramLabel = "DIR", description = "real MSRS-layout pairs (ir/, vi/, "
            + "det_labels/fusion/), 20% held out for upper batches, instead of synthetic scenes") Path msrsWeak;
    @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32",
            description = "fp32, bf16 or auto: the precision of the timed steps (as train --precision)")
    String precision;
    @Option(names = "--schedule-only", description = "time only bilevel K=--upper-every (not the alternating and "
            + "K=1 comparisons) and the discriminator's share")
    boolean scheduleOnly;
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
        cfg.task = task;
        cfg.segmenterWeights = segmenterWeights;
        cfg.detectorWeights = detectorWeights;
        cfg.precision = precision;
        cfg.steps = 1000;
        try {
            cfg.validate();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        List<PairSample> train = PairDataset.synthetic(8, 320, 240, 1);
        List<PairSample> upper = PairDataset.synthetic(2, 320, 240, 100);
        if (msrsWeak != null) {
            HeldOutSplit split = HeldOutSplit.of(LabelledPairs.msrsWeak(msrsWeak), cfg.upperShare, cfg.seed);
            train = split.train();
            upper = split.upper();
        }
        try (Compute compute = Compute.cpu()) {
            cfg.precision = Precision.resolve(precision, compute.device()).id();
            if (scheduleOnly) {
                BilevelBenchmark.Timing x = BilevelBenchmark.schedule(cfg, train, upper, steps, warmupSteps,
                        compute);
                double[] d = BilevelBenchmark.discriminatorSeconds(compute, Precision.FP32, batch, crop, 3, 20);
                double[] d16 = Precision.cpuHasBf16()
                        ? BilevelBenchmark.discriminatorSeconds(compute, Precision.BF16, batch, crop, 3, 20)
                        : new double[0];
                System.out.printf(Locale.ROOT, "bilevel width=%s task=%s precision=%s threads=%s batch=%d crop=%d "
                        + "K=%d data=%s median_step_ms=%.0f mean_step_ms=%.0f median_lower_ms=%.0f "
                        + "median_upper_ms=%.0f steps_timed=%d discriminator_fwd_bwd_ms=%.1f(fp32)/%.1f(bf16)%n", width, task,
                        cfg.precision, threadsOption.threads == null ? "default" : threadsOption.threads, batch,
                        crop, upperEvery, msrsWeak == null ? "synthetic" : msrsWeak, 1000 * x.medianStep(),
                        1000 * x.meanStep(), 1000 * x.medianLowerOnly(), 1000 * x.medianUpper(), x.timedSteps(),
                        1000 * PretrainedBenchmark.median(d), 1000 * PretrainedBenchmark.median(d16));
                return 0;
            }
            List<BilevelBenchmark.Timing> t = BilevelBenchmark.run(cfg, train, upper, steps, warmupSteps, compute);
            System.out.printf(Locale.ROOT, "width %s, batch %d, crop %d, task %s, precision %s, threads %s, %d "
                    + "timed steps per variant%n", width, batch, crop, task, cfg.precision,
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
