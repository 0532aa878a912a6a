package org.irfuse.nn.detection;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.irfuse.core.datasets.PairDataset;
import org.irfuse.core.io.SharedData;
import org.irfuse.nn.runtime.ArraysPerStep;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector's fine-tuning leaves no array behind per step in a long-lived manager (Adam's intermediates and
 * the checkpoint's float64 copies of its state once did); a checkpoint every step, so both paths run each step.
 * The end-to-end fine-tuning is tested through the command (irfuse-cli PretrainedCommandsTest).
 */
class DetectorTrainerMemoryTest {
    @Test
    void fineTuningKeepsTheArrayCountFlat(@TempDir Path dir) throws Exception {
        Optional<Path> weights = SharedData.model("yolov5n_coco.npz");
        assumeTrue(weights.isPresent(), SharedData.missingModelMessage("yolov5n_coco.npz"));
        DetectorTrainer.Config cfg = new DetectorTrainer.Config();
        cfg.initWeights = weights.get().toString();
        cfg.freezeBackbone = true;
        cfg.input = "vis";
        cfg.steps = 4;
        cfg.batch = 1;
        cfg.minCrop = 96;
        cfg.maxCrop = 96;
        cfg.lr = 1e-4;
        cfg.checkpointEvery = 1;
        cfg.logEvery = 1;
        try (Compute compute = Compute.cpu()) {
            ArraysPerStep arrays = new ArraysPerStep(compute);
            DetectorTrainer.fineTuneYolo(cfg, PairDataset.synthetic(2, 112, 96, 3), new RunFolder(dir), false,
                    false, compute, arrays);
            arrays.assertNoGrowth(1, 4);
        }
    }
}
