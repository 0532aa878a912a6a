package org.irfuse.nn.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.irfuse.core.datasets.PairDataset;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.io.SharedData;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.train.BilevelTrainer;
import org.irfuse.nn.train.BilevelTrainerTest;
import org.irfuse.nn.train.HeldOutSplit;
import org.irfuse.nn.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pretrained networks as the bi-level trainer's semantic tasks, on a few synthetic scenes (boxes and labels
 * in the MSRS indices) with the shared weights (skipped with a message when ../shared/models is absent): the
 * run goes through lower and upper steps, the hypergradient of the task reaches the fusion network, and the
 * held-out scores are the task's own (mAP, or mIoU named after its label source).
 */
class PretrainedTasksTest {
    static final List<PairSample> SCENES = PairDataset.synthetic(6, 128, 96, 11);

    private static Path model(String name) {
        Optional<Path> p = SharedData.model(name);
        assumeTrue(p.isPresent(), SharedData.missingModelMessage(name));
        return p.get();
    }

    static BilevelTrainer.Config tiny(int steps) {
        BilevelTrainer.Config cfg = new BilevelTrainer.Config();
        cfg.width = "nano";
        cfg.steps = steps;
        cfg.upperEvery = 2;
        cfg.batch = 2;
        cfg.upperBatch = 1;
        cfg.minCrop = 64;
        cfg.maxCrop = 80;
        cfg.lr = 0.01;
        cfg.lowerLr = 1e-3;
        cfg.logEvery = 1;
        cfg.sampleEvery = 1000;
        cfg.checkpointEvery = 1000;
        cfg.seed = 3;
        return cfg;
    }

    @Test
    void paddingKeepsTheImageAtTheTopLeftAndFillsTheRest() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(1, 1, 33, 40));
            NDArray p = YoloDetectionTask.pad(x, 32, 0.25f);
            assertEquals(new Shape(1, 1, 64, 64), p.getShape());
            assertEquals(33 * 40 + (64 * 64 - 33 * 40) * 0.25, p.sum().getFloat(), 1e-3);
            assertEquals(1f, p.getFloat(0, 0, 32, 39));
            assertEquals(0.25f, p.getFloat(0, 0, 32, 40));
            assertEquals(0.25f, p.getFloat(0, 0, 33, 0));
        }
    }

    @Test
    void yoloV5nIsTheDetectionTaskOfTheBilevelTrainer(@TempDir Path dir) throws IOException {
        BilevelTrainer.Config cfg = tiny(4);
        cfg.task = "detection";
        cfg.detectorWeights = model("yolov5n_coco.npz").toString();
        HeldOutSplit split = HeldOutSplit.of(SCENES, 0.34, cfg.seed);
        try (Compute compute = Compute.cpu()) {
            BilevelTrainer.Outcome out = BilevelTrainer.run(cfg, split, null, new RunFolder(dir), false, false,
                    compute, null);
            List<JsonObject> rows = BilevelTrainerTest.log(dir);
            assertEquals(4, rows.size());
            for (JsonObject r : rows) {
                assertTrue(Double.isFinite(r.get("loss.T").getAsDouble()) && r.get("loss.T").getAsDouble() > 0);
            }
            JsonObject upper = rows.get(1);
            assertTrue(upper.get("gradnorm.T").getAsDouble() > 0, "no hypergradient through YOLOv5n: " + upper);
            assertTrue(Double.isFinite(upper.get("loss.upper.T").getAsDouble()));
            assertTrue(out.evaluation().containsKey("heldout.mAP50"), out.evaluation().toString());
            assertEquals("yolov5n", out.evaluation().get("heldout.detector"));
            assertTrue(out.model().card().notes.contains("mAP@0.5"), out.model().card().notes);
            assertTrue(Files.size(dir.resolve("task.params")) > 7_000_000, "the fine-tuned YOLOv5n is saved");
        }
    }

    @Test
    void mfNetIsTheSegmentationTaskWithPseudoLabels(@TempDir Path dir) throws IOException {
        BilevelTrainer.Config cfg = tiny(2);
        cfg.task = "segmentation";
        cfg.segmenterWeights = model("mfnet_mfnet9.npz").toString();
        cfg.segmentationLabels = "pseudo";
        HeldOutSplit split = HeldOutSplit.of(SCENES, 0.34, cfg.seed);
        try (Compute compute = Compute.cpu()) {
            BilevelTrainer.Outcome out = BilevelTrainer.run(cfg, split, null, new RunFolder(dir), false, false,
                    compute, null);
            List<JsonObject> rows = BilevelTrainerTest.log(dir);
            assertEquals(2, rows.size());
            assertTrue(Double.isFinite(rows.get(0).get("loss.T").getAsDouble()));
            assertTrue(rows.get(1).get("gradnorm.T").getAsDouble() > 0, "no hypergradient through MFNet");
            assertEquals("MFNet pseudo-labels", out.evaluation().get("heldout.labels"));
            double miou = (Double) out.evaluation().get("heldout.mIoU");
            assertTrue(miou >= 0 && miou <= 1, "mIoU " + miou);
            assertTrue(out.model().card().notes.contains("against MFNet pseudo-labels"), out.model().card().notes);
            // No --task-lr given: MFNet's default, stored resolved in config.json and used by the schedule.
            JsonObject config = com.google.gson.JsonParser.parseString(Files.readString(dir.resolve("config.json")))
                    .getAsJsonObject();
            assertEquals(1e-4, config.get("taskLr").getAsDouble(), 0);
            double lrTask = rows.get(1).get("lr.task").getAsDouble();
            assertTrue(lrTask > 0 && lrTask <= 1e-4, "lr.task " + lrTask);
        }
    }
}
