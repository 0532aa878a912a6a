package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.irfuse.core.detection.CocoJson;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.core.io.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** COCO JSON in and out: {@code eval det --gt-format coco}, COCO predictions, {@code detect --det-format coco}. */
class CocoJsonTest {
    @TempDir
    Path tmp;

    /**
     * EvalDetCommandTest's hand-computed ranking (ground truth A, B, C of class car; detections 0.9 on A, 0.8
     * duplicate on A, 0.7 on B with IoU 0.72, 0.6 on nothing) as COCO files, with COCO's own numbering
     * (categories from 1, an image id of 42): mAP@0.5 VOC 5/9, COCO 56/101; mAP@0.5:0.95 VOC 4/9, COCO 45/101.
     */
    @Test
    void cocoGroundTruthAndResultsArrayGiveTheHandComputedMaps() throws Exception {
        Files.writeString(tmp.resolve("gt.json"), """
                {"images": [{"id": 42, "file_name": "img1.png", "width": 600, "height": 600}],
                 "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "bicycle"}, {"id": 3, "name": "car"}],
                 "annotations": [
                   {"id": 1, "image_id": 42, "category_id": 3, "bbox": [0, 0, 10, 10], "area": 100, "iscrowd": 0},
                   {"id": 2, "image_id": 42, "category_id": 3, "bbox": [100, 0, 100, 100], "area": 1e4, "iscrowd": 0},
                   {"id": 3, "image_id": 42, "category_id": 3, "bbox": [300, 0, 10, 10], "area": 100, "iscrowd": 0}]}
                """);
        Files.writeString(tmp.resolve("results.json"), """
                [{"image_id": 42, "category_id": 3, "bbox": [0, 0, 10, 10], "score": 0.9},
                 {"image_id": 42, "category_id": 3, "bbox": [0, 0, 10, 10], "score": 0.8},
                 {"image_id": 42, "category_id": 3, "bbox": [100, 0, 100, 72], "score": 0.7},
                 {"image_id": 42, "category_id": 3, "bbox": [500, 500, 10, 10], "score": 0.6}]
                """);
        JsonObject o = evalDet("results.json", "--gt", tmp.resolve("gt.json").toString(), "--gt-format", "coco");
        assertEquals(5.0 / 9, o.getAsJsonObject("voc_all_point").get("map50").getAsDouble(), 1e-12);
        assertEquals(4.0 / 9, o.getAsJsonObject("voc_all_point").get("map50_95").getAsDouble(), 1e-12);
        assertEquals(56.0 / 101, o.getAsJsonObject("coco101").get("map50").getAsDouble(), 1e-12);
        assertEquals(45.0 / 101, o.getAsJsonObject("coco101").get("map50_95").getAsDouble(), 1e-12);
        assertEquals("car", o.getAsJsonArray("per_class").get(2).getAsJsonObject().get("name").getAsString(),
                "classes come from the file's categories");

        EvalSegCommandTest.Run bad = EvalSegCommandTest.run(new EvalDetCommand(), "--pred",
                tmp.resolve("results.json").toString(), "--gt", tmp.resolve("gt.json").toString(), "--gt-format",
                "yolo", "--images-dir", tmp.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains(tmp.resolve("gt.json") + ": folder not found"), bad.err());
    }

    /**
     * On two real MSRS pairs: YOLOv5n detections written as irfuse JSON and as COCO score the same against the
     * YOLO labels, and the labels converted to COCO by {@code --coco-gt-out} score them the same again.
     */
    @Test
    void realDetectionsScoreTheSameThroughCoco() throws Exception {
        Optional<Path> msrs = SharedData.resolve("msrs");
        assumeTrue(msrs.isPresent(), SharedData.missingMessage("msrs"));
        Optional<Path> yolo = SharedData.model("yolov5n_coco.npz");
        assumeTrue(yolo.isPresent(), SharedData.missingModelMessage("yolov5n_coco.npz"));
        for (String id : List.of("00633D", "00001D")) {
            Files.createDirectories(tmp.resolve("vi"));
            Files.createDirectories(tmp.resolve("labels"));
            Files.copy(msrs.get().resolve("vi/" + id + ".png"), tmp.resolve("vi/" + id + ".png"));
            Files.copy(msrs.get().resolve("det_labels/fusion/" + id + ".txt"), tmp.resolve("labels/" + id + ".txt"));
        }
        for (String fmt : List.of("json", "coco")) {
            CliRun r = CliRun.of("detect", "--detector-weights", yolo.get().toString(), "--images",
                    tmp.resolve("vi").toString(), "-o", tmp.resolve("det-" + fmt).toString(), "--det-format", fmt,
                    "--threads", "1", "--precision", "fp32");
            assertEquals(0, r.exitCode(), r.err());
        }
        Path cocoDets = tmp.resolve("det-coco").resolve(DetectCommand.COCO_FILE);
        CocoJson.Dataset d = CocoJson.readDataset(cocoDets, DetectionDataset.MSRS_CLASSES);
        assertEquals(640, d.sizes().get("00633D")[0]);
        assertTrue(d.boxes().get("00633D").stream().anyMatch(b -> b.classId() == 0 && b.score() > 0.5));
        String images = tmp.resolve("vi").toString();
        JsonObject viaJson = evalDet("det-json/detections.json", "--gt-dir", tmp.resolve("labels").toString(),
                "--gt-format", "yolo", "--images-dir", images, "--coco-gt-out", tmp.resolve("gt.json").toString());
        JsonObject viaCoco = evalDet("det-coco/" + DetectCommand.COCO_FILE, "--gt-dir",
                tmp.resolve("labels").toString(), "--gt-format", "yolo", "--images-dir", images);
        JsonObject cocoBoth = evalDet("det-coco/" + DetectCommand.COCO_FILE, "--gt", tmp.resolve("gt.json").toString(),
                "--gt-format", "coco", "--classes", "msrs");
        assertTrue(viaJson.getAsJsonObject("coco101").get("map50").getAsDouble() > 0.1, viaJson.toString());
        assertEquals(viaJson, viaCoco);
        assertEquals(viaJson, cocoBoth);
        Map<String, List<Box>> gt = CocoJson.readDataset(tmp.resolve("gt.json"), null).boxes();
        assertEquals(List.of("00001D", "00633D"), List.copyOf(gt.keySet()));
        assertEquals(List.of("person", "bicycle", "car"),
                CocoJson.readDataset(tmp.resolve("gt.json"), null).categories());
    }

    private JsonObject evalDet(String pred, String... args) throws Exception {
        Path out = tmp.resolve("scores-" + System.nanoTime() + ".json");
        String[] all = new String[args.length + 4];
        all[0] = "--pred";
        all[1] = tmp.resolve(pred).toString();
        all[2] = "--out";
        all[3] = out.toString();
        System.arraycopy(args, 0, all, 4, args.length);
        EvalSegCommandTest.Run r = EvalSegCommandTest.run(new EvalDetCommand(), all);
        assertEquals(0, r.exit(), r.err());
        return JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    }
}
