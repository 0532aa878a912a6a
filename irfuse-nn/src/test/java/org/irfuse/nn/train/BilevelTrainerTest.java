package org.irfuse.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.nn.bilevel.TrainingBatch;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.modules.PixelDiscriminator;
import org.irfuse.nn.pretrained.NpzWeights;
import org.irfuse.nn.pretrained.YoloV5n;
import org.irfuse.nn.task.SemanticTask;
import org.irfuse.nn.task.YoloDetectionTask;
import org.irfuse.core.datasets.PairDataset;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.io.SharedData;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.model.ModelCard;
import org.irfuse.nn.runtime.ArraysPerStep;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class BilevelTrainerTest {
    static final List<PairSample> SCENES = PairDataset.synthetic(8, 128, 96, 5);

    /** The shared pretrained weights, or the test is skipped with a message saying where they are expected. */
    static Path model(String name) {
        java.util.Optional<Path> p = SharedData.model(name);
        assumeTrue(p.isPresent(), SharedData.missingModelMessage(name));
        return p.get();
    }

    /** A tiny run with pretrained MFNet as the task (float32, crops of a few dozen pixels). */
    static BilevelTrainer.Config tiny(int steps) {
        BilevelTrainer.Config cfg = new BilevelTrainer.Config();
        cfg.width = "nano";
        cfg.segmenterWeights = model("mfnet_mfnet9.npz").toString();
        cfg.steps = steps;
        cfg.upperEvery = 2;
        cfg.batch = 2;
        cfg.upperBatch = 2;
        cfg.minCrop = 48;
        cfg.maxCrop = 64;
        cfg.lr = 0.05;
        cfg.lowerLr = 0.05;
        // Ten times MFNet's default: in a few dozen steps on synthetic scenes the task loss must visibly drop.
        cfg.taskLr = 1e-3;
        cfg.logEvery = 1;
        cfg.sampleEvery = 1000;
        cfg.checkpointEvery = 1000;
        cfg.seed = 9;
        return cfg;
    }

    /** The rows of a run's log.jsonl (also read by the pretrained-task tests). */
    public static List<JsonObject> log(Path run) throws IOException {
        List<JsonObject> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("log.jsonl"))) {
            out.add(JsonParser.parseString(line).getAsJsonObject());
        }
        return out;
    }

    static double mean(List<JsonObject> rows, String key, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += rows.get(i).get(key).getAsDouble();
        }
        return s / (to - from);
    }

    @Test
    void aShortRunOnSyntheticScenesLowersTheSegmentationAndFusionLosses(@TempDir Path dir) throws IOException {
        BilevelTrainer.Config cfg = tiny(24);
        cfg.upperEvery = 3;
        cfg.minCrop = 32;
        cfg.maxCrop = 48;
        cfg.lr = 0.04;
        cfg.upperClip = 2;
        HeldOutSplit split = HeldOutSplit.of(SCENES, 0.25, cfg.seed);
        assertEquals(2, split.upper().size());
        try (Compute compute = Compute.cpu()) {
            ArraysPerStep arrays = new ArraysPerStep(compute);
            BilevelTrainer.Outcome out = BilevelTrainer.run(cfg, split, null, new RunFolder(dir), false, false,
                    compute, arrays);
            // No step leaves an array behind in a long-lived manager (from step 3 every optimizer has its state).
            arrays.assertNoGrowth(3, 24);
            List<JsonObject> rows = log(dir);
            assertEquals(24, rows.size());
            double taskFirst = mean(rows, "loss.T", 0, 8);
            double taskLast = mean(rows, "loss.T", 16, 24);
            double fusionFirst = mean(rows, "loss.fusion", 0, 8);
            double fusionLast = mean(rows, "loss.fusion", 16, 24);
            System.out.printf("short bi-level run: loss.T %.4f -> %.4f, loss.fusion %.4f -> %.4f, held-out mIoU "
                    + "%.4f%n", taskFirst, taskLast, fusionFirst, fusionLast, out.evaluation().get("heldout.mIoU"));
            assertTrue(taskLast < 0.8 * taskFirst, "segmentation loss " + taskFirst + " -> " + taskLast);
            assertTrue(fusionLast < 0.9 * fusionFirst, "fusion loss " + fusionFirst + " -> " + fusionLast);
            // Upper steps log every quantity the report reads.
            JsonObject upper = rows.get(2);
            for (String key : List.of("step", "stage", "lr", "lr.lower", "lr.task", "loss.fusion", "loss.D", "loss.T", "loss.upper.D",
                    "loss.upper.T", "r.D", "r.T", "weight.D", "weight.T", "gradnorm.D", "gradnorm.T",
                    "gradnorm.agg")) {
                assertTrue(upper.has(key), "upper-step log lacks " + key);
            }
            assertEquals("bilevel", upper.get("stage").getAsString());
            ModelCard card = FusionModel.load(dir.resolve("model"), compute).card();
            assertEquals("bilevel", card.stage);
            assertEquals(24, card.trainingSteps);
            assertTrue(Files.isRegularFile(dir.resolve("task.params")));
            assertTrue(Files.isRegularFile(dir.resolve("evaluation.json")));
        }
    }

    @Test
    void theConfiguredFusionLossIsUsedAndItsTermsLogged(@TempDir Path dir) throws IOException {
        BilevelTrainer.Config cfg = tiny(2);
        cfg.minCrop = 32;
        cfg.maxCrop = 32;
        cfg.loss = "saliency=1.0,texture=0.5";
        HeldOutSplit split = HeldOutSplit.of(SCENES, 0.25, cfg.seed);
        try (Compute compute = Compute.cpu()) {
            BilevelTrainer.run(cfg, split, null, new RunFolder(dir), false, false, compute, null);
        }
        assertEquals("saliency=1,texture=0.5", JsonParser.parseString(Files.readString(dir.resolve("config.json")))
                .getAsJsonObject().get("loss").getAsString());
        for (JsonObject row : log(dir)) {
            // loss.fusion is L_fus of the lower step, so it is the configured sum of the logged terms.
            double expected = row.get("loss.saliency").getAsDouble() + 0.5 * row.get("loss.texture").getAsDouble();
            assertEquals(expected, row.get("loss.fusion").getAsDouble(), 1e-5 * expected, row.toString());
        }
        assertTrue(log(dir).get(1).has("loss.upper.D"), "the upper step ran with it");
    }

    @Test
    void yoloAsTheTaskWithAFrozenBackboneUpdatesOnlyItsNeckAndHead() throws IOException {
        BilevelTrainer.Config cfg = tiny(2);
        cfg.task = "detection";
        cfg.detectorWeights = model("yolov5n_coco.npz").toString();
        cfg.taskFreezeBackbone = true;
        cfg.minCrop = 64;
        cfg.maxCrop = 64;
        HeldOutSplit split = HeldOutSplit.of(SCENES, 0.25, cfg.seed);
        try (Compute compute = Compute.cpu()) {
            SemanticTask task = SemanticTasks.create(cfg, split, compute);
            FusionModel fusion = FusionModel.initialise(FusionNetwork.Width.NANO, compute, DataType.FLOAT32);
            PixelDiscriminator disc = new PixelDiscriminator();
            disc.initialize(compute.root(), DataType.FLOAT32, PixelDiscriminator.initShape());
            BilevelStep trainer = new BilevelStep(cfg, fusion.network(), disc, task, compute,
                    DataType.FLOAT32);
            Map<String, Parameter> named = NpzWeights.parameters((YoloV5n) task.network());
            long neckAndHead = named.entrySet().stream().filter(e -> e.getValue().requiresGradient()
                    && Integer.parseInt(e.getKey().split("\\.")[1]) >= YoloDetectionTask.BACKBONE_LAYERS).count();
            assertEquals(neckAndHead, trainer.omegaT().size(), "ω_T is layers 10-24 only");
            assertTrue(neckAndHead > 0 && neckAndHead < named.size());
            Parameter stem = named.get("layers.0.conv.weight");
            Parameter head = named.get("layers.24.m.0.weight");
            float[] stemBefore = stem.getArray().toFloatArray();
            float[] headBefore = head.getArray().toFloatArray();
            try (NDManager scope = compute.newStep()) {
                CropSampler sampler = new CropSampler(split.train(), cfg.minCrop, cfg.maxCrop);
                TrainingBatch b = trainer.tensors(BilevelStep.trainingBatch(sampler, cfg, 1), scope);
                BilevelStep.LowerResult r = trainer.lowerStep(b, cfg.lowerLr, 1e-2);
                assertTrue(Double.isFinite(r.taskLoss()) && r.taskLoss() > 0, "YOLOv5 loss " + r.taskLoss());
            }
            assertArrayEquals(stemBefore, stem.getArray().toFloatArray(), "the frozen backbone moved");
            assertFalse(Arrays.equals(headBefore, head.getArray().toFloatArray()), "the head did not train");
        }
    }

    @Test
    void theTaskNeedsItsPretrainedWeightsAndDetectionNeedsBoxes(@TempDir Path dir) throws IOException {
        BilevelTrainer.Config seg = new BilevelTrainer.Config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, seg::validate);
        assertTrue(e.getMessage().contains("--segmenter-weights"), e.getMessage());
        BilevelTrainer.Config det = new BilevelTrainer.Config();
        det.task = "detection";
        e = assertThrows(IllegalArgumentException.class, det::validate);
        assertTrue(e.getMessage().contains("--detector-weights"), e.getMessage());
        seg.segmenterWeights = "mfnet.npz";
        seg.taskFreezeBackbone = true;
        e = assertThrows(IllegalArgumentException.class, seg::validate);
        assertTrue(e.getMessage().contains("task-freeze-backbone"), e.getMessage());
        // The pretrained tasks' SGD rates: YOLOv5n 1e-3, MFNet (about 25x larger gradients) 1e-4, unless set.
        assertEquals(1e-4, seg.taskLr(), 0);
        assertEquals(1e-3, det.taskLr(), 0);
        seg.taskLr = 3e-5;
        assertEquals(3e-5, seg.taskLr(), 0);
        // Pairs without boxes cannot train a detector: refused with the pair named, before any weights are read.
        det.detectorWeights = dir.resolve("never-read.npz").toString();
        det.steps = 2;
        List<PairSample> noBoxes = new ArrayList<>();
        for (PairSample p : SCENES) {
            noBoxes.add(p.withTruth(p.labels(), null));
        }
        try (Compute compute = Compute.cpu()) {
            e = assertThrows(IllegalArgumentException.class, () -> BilevelTrainer.run(det,
                    HeldOutSplit.of(noBoxes, 0.25, 1), null, new RunFolder(dir.resolve("x")), false, false,
                    compute, null));
            assertTrue(e.getMessage().contains("synthetic/"), e.getMessage());
        }
    }

    static byte[] checkpointParameters(Path run) throws IOException {
        byte[] all = Files.readAllBytes(run.resolve("checkpoint.bin"));
        // Skip magic, version, length, step and thread count, and the checksum at the end: the rest is every network's
        // parameters and every optimizer's state.
        return java.util.Arrays.copyOfRange(all, 28, all.length - 4);
    }

    @Test
    void resumingAfterAKillGivesTheSameResultAsAnUninterruptedRun(@TempDir Path dir) throws IOException {
        BilevelTrainer.Config cfg = tiny(12);
        cfg.upperEvery = 3;
        cfg.checkpointEvery = 4;
        cfg.aggregation = "random";
        cfg.minCrop = 24;
        cfg.maxCrop = 32;
        HeldOutSplit split = HeldOutSplit.of(SCENES, 0.25, cfg.seed);
        Path whole = dir.resolve("whole");
        Path killed = dir.resolve("killed");
        try (Compute compute = Compute.cpu()) {
            BilevelTrainer.run(cfg, split, null, new RunFolder(whole), false, false, compute, null);
        }
        try (Compute compute = Compute.cpu()) {
            assertThrows(IllegalStateException.class, () -> BilevelTrainer.run(cfg, split, null,
                    new RunFolder(killed), false, false, compute, (step, total, values) -> {
                        if (step == 10) {
                            throw new IllegalStateException("killed after step 10 (last checkpoint: step 8)");
                        }
                    }));
        }
        try (Compute compute = Compute.cpu()) {
            BilevelTrainer.run(cfg, split, null, new RunFolder(killed), true, false, compute, null);
        }
        // Exact in a JVM of its own; after other tests, libtorch's CPU kernels can differ in the last bits
        // (oneDNN chooses code paths by memory alignment), so values are compared to 1e-4 relative. A resume bug
        // (stale momentum, another batch, lost state) changes losses and parameters by far more.
        if (!java.util.Arrays.equals(checkpointParameters(whole), checkpointParameters(killed))) {
            try (Compute compute = Compute.cpu()) {
                float[] a = flat(FusionModel.load(whole.resolve("model"), compute));
                float[] b = flat(FusionModel.load(killed.resolve("model"), compute));
                double worst = 0;
                for (int i = 0; i < a.length; i++) {
                    worst = Math.max(worst, Math.abs(a[i] - b[i]));
                }
                System.out.println("bi-level resume: max abs parameter difference " + worst);
                assertTrue(worst < 1e-4, "resumed fusion parameters differ by " + worst);
            }
        }
        List<JsonObject> x = log(whole);
        List<JsonObject> y = log(killed);
        assertEquals(x.size(), y.size(), "log lines");
        for (int i = 0; i < x.size(); i++) {
            assertEquals(x.get(i).keySet(), y.get(i).keySet());
            for (String key : x.get(i).keySet()) {
                if (x.get(i).get(key).getAsJsonPrimitive().isNumber()) {
                    double u = x.get(i).get(key).getAsDouble();
                    double v = y.get(i).get(key).getAsDouble();
                    assertTrue(Math.abs(u - v) <= 1e-4 * Math.max(1, Math.abs(u)), "log line " + (i + 1) + " "
                            + key + ": " + u + " vs " + v);
                } else {
                    assertEquals(x.get(i).get(key), y.get(i).get(key));
                }
            }
        }
    }

    static float[] flat(FusionModel m) {
        List<Float> all = new ArrayList<>();
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : m.network().getParameters()) {
            for (float v : p.getValue().getArray().toFloatArray()) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }
}
