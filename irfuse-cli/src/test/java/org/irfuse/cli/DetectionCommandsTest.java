package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.YoloLabels;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.synthetic.SyntheticScenes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train-detector's input checks on synthetic scenes in the MSRS YOLO layout (the end-to-end fine-tuning run is in
 * PretrainedCommandsTest, with the shared weights).
 */
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
    void badInputGivesOneLineNamingTheFile() throws Exception {
        writeScenes(1);
        Files.writeString(tmp.resolve("labels/scene0.txt"), "7 0.5 0.5 0.2 0.2\n");
        EvalSegCommandTest.Run r = EvalSegCommandTest.run(new TrainDetectorCommand(), "--input", "ir", "--ir-dir",
                tmp.resolve("ir").toString(), "--vis-dir", tmp.resolve("vi").toString(), "--labels",
                tmp.resolve("labels").toString(), "--init-weights", tmp.resolve("never-read.npz").toString(),
                "--steps", "1", "--run-dir", tmp.resolve("r").toString());
        assertEquals(Errors.USER_ERROR, r.exit());
        assertTrue(r.err().contains("scene0.txt") && r.err().contains("class 7"), r.err());

        // The weights are required (the FCOS detector from scratch, which needed none, was removed).
        Files.writeString(tmp.resolve("labels/scene0.txt"), "0 0.5 0.5 0.2 0.2\n");
        r = EvalSegCommandTest.run(new TrainDetectorCommand(), "--input", "ir", "--ir-dir",
                tmp.resolve("ir").toString(), "--vis-dir", tmp.resolve("vi").toString(), "--labels",
                tmp.resolve("labels").toString(), "--steps", "1", "--run-dir", tmp.resolve("r").toString());
        assertEquals(Errors.USER_ERROR, r.exit());
        assertTrue(r.err().contains("--init-weights"), r.err());
    }
}
