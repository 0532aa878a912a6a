package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.core.detection.DetectionsJson;
import org.irfuse.core.detection.YoloLabels;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.io.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalDetCommandTest {
    @TempDir
    Path tmp;

    private static final int W = 600;
    private static final int H = 600;

    /**
     * The ranking of AveragePrecisionTest through files: ground truth A, B, C (class car); detections 0.9 on A,
     * 0.8 duplicate on A, 0.7 on B with IoU 0.72, 0.6 on nothing. mAP@0.5 VOC 5/9, COCO 56/101;
     * mAP@0.5:0.95 VOC 4/9, COCO 45/101. (YOLO stores 6 decimals: IoUs move by ~1e-6, far from any threshold.)
     */
    private void writeExample() throws Exception {
        ImageWriter.write(Image.gray(W, H, new float[W * H]), tmp.resolve("images/img1.png"), false);
        YoloLabels.write(tmp.resolve("gt/img1.txt"), List.of(Box.truth(0, 0, 10, 10, 2),
                Box.truth(100, 0, 200, 100, 2), Box.truth(300, 0, 310, 10, 2)), W, H, false, false);
        List<Box> dets = List.of(new Box(0, 0, 10, 10, 2, 0.9), new Box(0, 0, 10, 10, 2, 0.8),
                new Box(100, 0, 200, 72, 2, 0.7), new Box(500, 500, 510, 510, 2, 0.6));
        DetectionsJson.write(tmp.resolve("dets.json"), Map.of("img1", dets), DetectionDataset.MSRS_CLASSES, false);
        YoloLabels.write(tmp.resolve("predtxt/img1.txt"), dets, W, H, true, false);
    }

    @Test
    void jsonAndYoloPredictionsGiveTheHandComputedMaps() throws Exception {
        writeExample();
        for (String pred : new String[] {"dets.json", "predtxt"}) {
            Path out = tmp.resolve("det-" + pred + ".json");
            EvalSegCommandTest.Run r = EvalSegCommandTest.run(new EvalDetCommand(), "--pred",
                    tmp.resolve(pred).toString(), "--gt-dir", tmp.resolve("gt").toString(), "--gt-format", "yolo",
                    "--images-dir", tmp.resolve("images").toString(), "--out", out.toString());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("car"), r.out());
            JsonObject o = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
            assertEquals(1, o.get("classes_evaluated").getAsInt());
            JsonObject voc = o.getAsJsonObject("voc_all_point");
            JsonObject coco = o.getAsJsonObject("coco101");
            assertEquals(5.0 / 9, voc.get("map50").getAsDouble(), 1e-12, pred);
            assertEquals(4.0 / 9, voc.get("map50_95").getAsDouble(), 1e-12, pred);
            assertEquals(56.0 / 101, coco.get("map50").getAsDouble(), 1e-12, pred);
            assertEquals(45.0 / 101, coco.get("map50_95").getAsDouble(), 1e-12, pred);
            assertTrue(o.getAsJsonArray("per_class").get(0).getAsJsonObject().get("voc_all_point_ap50")
                    .isJsonNull(), "person has no boxes: no AP");
        }
    }

    @Test
    void vocGroundTruthWithJsonPredictions() throws Exception {
        Files.createDirectories(tmp.resolve("ann"));
        Files.writeString(tmp.resolve("ann/00471.xml"), "<annotation><size><width>1024</width><height>768</height>"
                + "</size><object><name>Car</name><bndbox><xmin>10</xmin><ymin>10</ymin><xmax>110</xmax>"
                + "<ymax>60</ymax></bndbox></object></annotation>");
        DetectionsJson.write(tmp.resolve("d.json"), Map.of("00471", List.of(new Box(10, 10, 110, 60, 1, 0.3))),
                null, false);
        EvalSegCommandTest.Run r = EvalSegCommandTest.run(new EvalDetCommand(), "--pred",
                tmp.resolve("d.json").toString(), "--gt-dir", tmp.resolve("ann").toString(), "--gt-format", "voc");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("mAP") && l.contains("100.00")), r.out());
    }

    @Test
    void badInputIsOneLineNamingTheFileAndNoOutput() throws Exception {
        writeExample();
        Files.writeString(tmp.resolve("predtxt/img1.txt"), "2 0.5 0.5 0.1 0.1\n");
        Path out = tmp.resolve("det.json");
        EvalSegCommandTest.Run r = EvalSegCommandTest.run(new EvalDetCommand(), "--pred",
                tmp.resolve("predtxt").toString(), "--gt-dir", tmp.resolve("gt").toString(), "--gt-format", "yolo",
                "--images-dir", tmp.resolve("images").toString(), "--out", out.toString());
        assertEquals(Errors.USER_ERROR, r.exit());
        assertTrue(r.err().contains("predtxt/img1.txt:1") && r.err().contains("score"), r.err());
        assertFalse(Files.exists(out));

        r = EvalSegCommandTest.run(new EvalDetCommand(), "--pred", tmp.resolve("dets.json").toString(), "--gt-dir",
                tmp.resolve("gt").toString(), "--gt-format", "yolo");
        assertEquals(Errors.USER_ERROR, r.exit());
        assertTrue(r.err().contains("--images-dir"), r.err());

        Files.writeString(tmp.resolve("gt/img1.txt"), "7 0.5 0.5 0.1 0.1\n");
        r = EvalSegCommandTest.run(new EvalDetCommand(), "--pred", tmp.resolve("dets.json").toString(), "--gt-dir",
                tmp.resolve("gt").toString(), "--gt-format", "yolo", "--images-dir", tmp.resolve("images").toString());
        assertEquals(Errors.USER_ERROR, r.exit());
        assertTrue(r.err().contains("gt/img1.txt") && r.err().contains("class 7"), r.err());
    }

    /** The fusion-view labels of the 34 shared MSRS pairs scored against themselves: every AP is 1. */
    @Test
    void realMsrsLabelsAgainstThemselves() throws Exception {
        Optional<Path> msrs = SharedData.resolve("msrs");
        assumeTrue(msrs.isPresent(), SharedData.missingMessage("msrs"));
        Path labels = msrs.get().resolve("det_labels/fusion");
        // YOLO txt predictions need a score column: write the labels back with score 1.
        Path preds = tmp.resolve("preds");
        try (var files = Files.list(labels)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                YoloLabels.write(preds.resolve(f.getFileName()), YoloLabels.read(f, 640, 480), 640, 480, true, false);
            }
        }
        Path out = tmp.resolve("msrs.json");
        EvalSegCommandTest.Run r = EvalSegCommandTest.run(new EvalDetCommand(), "--pred", preds.toString(),
                "--gt-dir", labels.toString(), "--gt-format", "yolo", "--images-dir", msrs.get().resolve("ir").toString(),
                "--classes", msrs.get().resolve("det_labels/classes.txt").toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonObject o = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        assertEquals(34, o.get("images").getAsInt());
        assertEquals(3, o.get("classes_evaluated").getAsInt());
        assertEquals(1.0, o.getAsJsonObject("coco101").get("map50_95").getAsDouble(), 1e-12);
        assertEquals(1.0, o.getAsJsonObject("voc_all_point").get("map50").getAsDouble(), 1e-12);
    }
}
