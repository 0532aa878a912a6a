package org.irfuse.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.irfuse.core.datasets.PairDataset;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.train.RunFolder;
import org.irfuse.nn.train.WarmupTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code irfuse train}: trains a fusion model into a run folder (config, log, checkpoints, samples, model). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a fusion model. --stage warmup trains the fusion network alone on the fusion loss.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--stage", defaultValue = "warmup", description = "warmup (default)")
    String stage;

    @Option(names = "--data", paramLabel = "DIR",
            description = "a folder with ir/ and vi/ sub-folders of paired images; repeat for several")
    List<Path> data = new ArrayList<>();

    @Option(names = "--synthetic", defaultValue = "0",
            description = "add N generated scenes (320x240, exact labels); alone it needs no data at all")
    int synthetic;

    @Option(names = "--width", defaultValue = "lite", description = "network width: paper (64/32), lite (32/16), nano (16/8)")
    String width;

    @Option(names = "--steps", defaultValue = "2000") int steps;
    @Option(names = "--batch", defaultValue = "4") int batch;
    @Option(names = "--crop", defaultValue = "96:160", description = "random crop side range MIN:MAX (pixels)")
    String crop;
    @Option(names = "--lr", defaultValue = "1e-3", description = "peak learning rate (Adam)") double lr;
    @Option(names = "--checkpoint-every", defaultValue = "100") int checkpointEvery;
    @Option(names = "--sample-every", defaultValue = "500") int sampleEvery;
    @Option(names = "--seed", defaultValue = "1") long seed;

    @Option(names = {"--run-dir", "-o"}, required = true, description = "run folder (config, log, checkpoints, model)")
    Path runDir;

    @Option(names = "--resume", description = "continue from the run folder's last checkpoint")
    boolean resume;

    @Option(names = "--overwrite", description = "start again in a run folder that already holds a run")
    boolean overwrite;

    @Option(names = "--threads", description = "CPU threads (default: all cores)") Integer threads;
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu") String device;

    @Override
    public Integer call() throws Exception {
        if (!stage.toLowerCase(Locale.ROOT).equals("warmup")) {
            throw new UserException("unknown --stage '" + stage + "' (expected warmup)");
        }
        if (threads != null) {
            Compute.configureThreads(threads);
        }
        WarmupTrainer.Config cfg = new WarmupTrainer.Config();
        cfg.width = width;
        cfg.steps = steps;
        cfg.batch = batch;
        int[] range = parseCrop(crop);
        cfg.minCrop = range[0];
        cfg.maxCrop = range[1];
        cfg.lr = lr;
        cfg.checkpointEvery = checkpointEvery;
        cfg.sampleEvery = sampleEvery;
        cfg.seed = seed;
        cfg.synthetic = synthetic;
        for (Path d : data) {
            cfg.data.add(d.toString());
        }
        cfg.command = "irfuse " + String.join(" ", CommandLines.current());
        if (data.isEmpty() && synthetic == 0) {
            throw new UserException("no training data: give --data DIR (with ir/ and vi/) or --synthetic N");
        }
        org.irfuse.nn.modules.FusionNetwork.Width.parse(width);
        List<PairSample> samples = new ArrayList<>(PairDataset.load(data));
        if (synthetic > 0) {
            samples.addAll(PairDataset.synthetic(synthetic, 320, 240, seed));
        }
        System.err.printf("irfuse train: %d pairs, width %s, %d steps, batch %d, crops %d-%d px%n", samples.size(),
                width, steps, batch, cfg.minCrop, cfg.maxCrop);
        try (Compute compute = Compute.open(device)) {
            FusionModel model;
            try (Progress bar = Progress.start("warmup", steps, "step")) {
                model = WarmupTrainer.run(cfg, samples, new RunFolder(runDir), resume, overwrite, compute,
                        (step, total, values) -> {
                            bar.stepTo(step);
                            bar.message(String.format(Locale.ROOT, "loss %.4f lr %.2e",
                                    ((Number) values.get("loss.fusion")).doubleValue(),
                                    ((Number) values.get("lr")).doubleValue()));
                        });
            }
            System.out.println("model saved to " + new RunFolder(runDir).model() + " (" + model.card().parameters
                    + " parameters, width " + model.card().width + ")");
        }
        return 0;
    }

    static int[] parseCrop(String s) {
        String[] parts = s.split(":");
        try {
            int min = Integer.parseInt(parts[0].trim());
            int max = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : min;
            if (parts.length > 2 || min < 8 || max < min) {
                throw new NumberFormatException();
            }
            return new int[] {min, max};
        } catch (NumberFormatException e) {
            throw new UserException("--crop must be MIN:MAX with 8 <= MIN <= MAX, got '" + s + "'");
        }
    }
}
