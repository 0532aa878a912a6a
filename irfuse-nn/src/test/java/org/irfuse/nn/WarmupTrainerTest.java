package org.irfuse.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.irfuse.core.datasets.PairDataset;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.train.RunFolder;
import org.irfuse.nn.train.WarmupTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmupTrainerTest {
    @TempDir
    Path dir;

    static WarmupTrainer.Config config(int steps) {
        WarmupTrainer.Config cfg = new WarmupTrainer.Config();
        cfg.width = "nano";
        cfg.steps = steps;
        cfg.batch = 2;
        cfg.minCrop = 40;
        cfg.maxCrop = 48;
        cfg.lr = 3e-3;
        cfg.checkpointEvery = 5;
        cfg.logEvery = 1;
        cfg.sampleEvery = 1000;
        cfg.seed = 4;
        return cfg;
    }

    static double meanLoss(Path log, int from, int to) throws IOException {
        return Files.readAllLines(log).stream().map(l -> JsonParser.parseString(l).getAsJsonObject())
                .filter(o -> o.get("step").getAsInt() >= from && o.get("step").getAsInt() <= to)
                .mapToDouble(o -> o.get("loss.fusion").getAsDouble()).average().orElseThrow();
    }

    @Test
    void aShortWarmStartLowersTheFusionLoss() throws Exception {
        List<PairSample> data = PairDataset.synthetic(4, 96, 72, 1);
        try (Compute c = Compute.cpu()) {
            RunFolder run = new RunFolder(dir.resolve("run"));
            WarmupTrainer.run(config(60), data, run, false, false, c, null);
            double early = meanLoss(run.log(), 1, 10);
            double late = meanLoss(run.log(), 51, 60);
            assertTrue(late < 0.8 * early, "fusion loss " + early + " -> " + late);
            assertTrue(Files.isRegularFile(run.model().resolve("model-card.json")));
            assertTrue(Files.isDirectory(run.samples(60)));
            // A second fresh start in the same folder is refused without --overwrite.
            assertThrows(IOException.class, () -> WarmupTrainer.run(config(60), data, run, false, false, c, null));
        }
    }

    @Test
    void resumingAfterAStopGivesTheUninterruptedResult() throws Exception {
        List<PairSample> data = PairDataset.synthetic(3, 80, 64, 2);
        byte[] straight;
        byte[] resumed;
        try (Compute c = Compute.cpu()) {
            straight = WarmupTrainer.run(config(12), data, new RunFolder(dir.resolve("a")), false, false, c, null)
                    .parameterBytes();
        }
        try (Compute c = Compute.cpu()) {
            // Killed right after step 11 (checkpoint at 10): step 11's log line must be dropped on resume.
            RunFolder run = new RunFolder(dir.resolve("b"));
            assertThrows(IllegalStateException.class, () -> WarmupTrainer.run(config(12), data, run, false, false,
                    c, (step, total, values) -> {
                        if (step == 11) {
                            throw new IllegalStateException("killed");
                        }
                    }));
            assertEquals(11, Files.readAllLines(run.log()).size());
        }
        try (Compute c = Compute.cpu()) {
            RunFolder run = new RunFolder(dir.resolve("b"));
            FusionModel m = WarmupTrainer.run(config(12), data, run, true, false, c, null);
            resumed = m.parameterBytes();
            assertEquals(12, Files.readAllLines(run.log()).size(), "log reads like one run");
        }
        assertArrayEquals(straight, resumed, "resumed parameters equal the uninterrupted run's");
    }
}
