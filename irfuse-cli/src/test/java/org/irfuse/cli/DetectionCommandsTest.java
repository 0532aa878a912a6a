package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.core.detection.DetectionsJson;
import org.irfuse.core.detection.YoloLabels;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.synthetic.SyntheticScenes;
import org.irfuse.nn.model.ModelCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-detector → detect end to end on a few synthetic scenes in the MSRS YOLO layout (tiny, a few steps). */
class DetectionCommandsTest {
    @TempDir
    Path tmp;

    private void writeScenes(int count) throws Exception {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < count; i++) {
            SyntheticScenes.Scene s = SyntheticScenes.random(96, 80, 40 + i, i % 2 == 1);
            String id = "scene" + i;
            ImageWriter.write(s.infrared(), tmp.resolve("ir/" + id + ".png"), false);
            ImageWriter.write(s.visible(), tmp.resolve("vi/" + id + ".png"), false);
            List<Box> boxes = s.objects().stream().map(o -> Box.truth(o.x0(), o.y0(), o.x1(), o.y1(),
                    o.classId() == SyntheticScenes.PERSON ? 0 : 2)).toList();
            YoloLabels.write(tmp.resolve("labels/" + id + ".txt"), boxes, 96, 80, false, false);
            ids.append(id).append('\n');
        }
        Files.writeString(tmp.resolve("ids.txt"), ids.toString());
    }

    @Test
    void trainThenDetectWritesACardDetectionsAndDrawings() throws Exception {
        writeScenes(3);
        Path run = tmp.resolve("run");
        EvalSegCommandTest.Run r = EvalSegCommandTest.run(new TrainDetectorCommand(), "--input", "vis",
                "--ir-dir", tmp.resolve("ir").toString(), "--vis-dir", tmp.resolve("vi").toString(),
                "--labels", tmp.resolve("labels").toString(), "--train-list", tmp.resolve("ids.txt").toString(),
                "--eval-list", tmp.resolve("ids.txt").toString(), "--steps", "3", "--batch", "2", "--crop",
                "64:64", "--width", "4", "--levels", "2", "--run-dir", run.toString());
        assertEquals(0, r.exit(), r.err());
        ModelCard card = ModelCard.fromJson(Files.readString(run.resolve("model/model-card.json")));
        assertEquals("fcos-lite", card.architecture);
        assertEquals(DetectionDataset.MSRS_CLASSES, card.classes);
        assertEquals("vis", card.input);
        assertEquals(1, card.metrics.size(), "held-out mAP recorded in the card");
        assertTrue(Files.isRegularFile(run.resolve("checkpoint.bin")));
        assertEquals(1, Files.readAllLines(run.resolve("log.jsonl")).size());

        // The same run folder again without --overwrite is refused.
        EvalSegCommandTest.Run again = EvalSegCommandTest.run(new TrainDetectorCommand(), "--input", "vis",
                "--ir-dir", tmp.resolve("ir").toString(), "--vis-dir", tmp.resolve("vi").toString(),
                "--labels", tmp.resolve("labels").toString(), "--steps", "1", "--run-dir", run.toString());
        assertEquals(Errors.USER_ERROR, again.exit());
        assertTrue(again.err().contains("--overwrite"), again.err());

        // detect on pairs (the card says 'vis', so the visible images are used), JSON and drawings.
        Path out = tmp.resolve("out");
        r = EvalSegCommandTest.run(new DetectCommand(), "--model", run.resolve("model").toString(), "--ir-dir",
                tmp.resolve("ir").toString(), "--vis-dir", tmp.resolve("vi").toString(), "-o", out.toString(),
                "--draw", "--score-threshold", "0.0");
        assertEquals(0, r.exit(), r.err());
        Map<String, List<Box>> dets = DetectionsJson.read(out.resolve("detections.json"),
                DetectionDataset.MSRS_CLASSES);
        assertEquals(3, dets.size());
        Image drawn = ImageReader.read(out.resolve("drawn/scene0.png"));
        assertEquals(96, drawn.width());
        assertEquals(3, drawn.channels());

        // detect on single images as YOLO txt with scores; existing outputs are refused without --overwrite.
        Path yolo = tmp.resolve("yolo");
        r = EvalSegCommandTest.run(new DetectCommand(), "--model", run.resolve("model").toString(), "--images",
                tmp.resolve("vi/scene1.png").toString(), "-o", yolo.toString(), "--format", "yolo",
                "--score-threshold", "0.0");
        assertEquals(0, r.exit(), r.err());
        assertNotNull(YoloLabels.readDetections(yolo.resolve("labels/scene1.txt"), 96, 80));
        r = EvalSegCommandTest.run(new DetectCommand(), "--model", run.resolve("model").toString(), "--images",
                tmp.resolve("vi/scene1.png").toString(), "-o", yolo.toString(), "--format", "yolo");
        assertEquals(Errors.USER_ERROR, r.exit());
        assertTrue(r.err().contains("scene1.txt") && r.err().contains("--overwrite"), r.err());
    }

    @Test
    void badInputGivesOneLineNamingTheFile() throws Exception {
        Path notModel = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(tmp.resolve("img.png"), "not an image");
        EvalSegCommandTest.Run r = EvalSegCommandTest.run(new DetectCommand(), "--model", notModel.toString(),
                "--images", tmp.resolve("img.png").toString(), "-o", tmp.resolve("o").toString());
        assertEquals(Errors.USER_ERROR, r.exit());
        assertTrue(r.err().contains(notModel.toString()) && r.err().lines().count() == 1, r.err());

        writeScenes(1);
        Files.writeString(tmp.resolve("labels/scene0.txt"), "7 0.5 0.5 0.2 0.2\n");
        r = EvalSegCommandTest.run(new TrainDetectorCommand(), "--input", "ir", "--ir-dir",
                tmp.resolve("ir").toString(), "--vis-dir", tmp.resolve("vi").toString(), "--labels",
                tmp.resolve("labels").toString(), "--steps", "1", "--run-dir", tmp.resolve("r").toString());
        assertEquals(Errors.USER_ERROR, r.exit());
        assertTrue(r.err().contains("scene0.txt") && r.err().contains("class 7"), r.err());
    }
}
