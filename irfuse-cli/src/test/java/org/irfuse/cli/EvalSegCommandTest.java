package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.segmentation.ClassPalette;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalSegCommandTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler(new Errors());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** An RGB PNG drawing each class index in its MSRS palette colour. */
    static void writePalettePrediction(Path file, int w, int h, int[] indices) throws Exception {
        float[][] ch = new float[3][w * h];
        for (int i = 0; i < indices.length; i++) {
            int c = ClassPalette.MSRS.colour(indices[i]);
            ch[0][i] = (c >> 16 & 0xff) / 255f;
            ch[1][i] = (c >> 8 & 0xff) / 255f;
            ch[2][i] = (c & 0xff) / 255f;
        }
        ImageWriter.write(Image.rgb(w, h, ch[0], ch[1], ch[2]), file, false);
    }

    /**
     * One 2×2 image: labels 0 1 / 1 2, prediction 0 1 / 2 2 (RGB palette). Matrix: (0,0)=1, (1,1)=1, (1,2)=1,
     * (2,2)=1. IoU0 = 1, IoU1 = 1/(1+0+1) = 1/2, IoU2 = 1/(1+1+0) = 1/2; the other 6 MSRS classes are absent.
     * mIoU: zero policy 2/9, drop policy 2/3; pixel accuracy 3/4.
     */
    private void writeExample() throws Exception {
        ImageWriter.writeIndexedPng(tmp.resolve("labels/00001D.png"), 2, 2, new int[] {0, 1, 1, 2},
                ClassPalette.MSRS.colours(), false);
        writePalettePrediction(tmp.resolve("pred/00001D.png"), 2, 2, new int[] {0, 1, 2, 2});
    }

    @Test
    void scoresAHandComputedExampleUnderBothPolicies() throws Exception {
        writeExample();
        Path json = tmp.resolve("seg.json");
        Run r = run(new EvalSegCommand(), "--pred-dir", tmp.resolve("pred").toString(), "--label-dir",
                tmp.resolve("labels").toString(), "--out", json.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("mIoU 22.22 over 9 classes"), r.out());
        assertTrue(r.out().contains("pixel accuracy 75.00"), r.out());
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(2.0 / 9, o.get("miou").getAsDouble(), 1e-15);
        assertEquals(0.75, o.get("pixel_accuracy").getAsDouble(), 1e-15);
        assertEquals(0.5, o.getAsJsonArray("per_class").get(1).getAsJsonObject().get("iou").getAsDouble(), 1e-15);

        Run again = run(new EvalSegCommand(), "--pred-dir", tmp.resolve("pred").toString(), "--label-dir",
                tmp.resolve("labels").toString(), "--out", json.toString(), "--absent", "drop");
        assertEquals(Errors.USER_ERROR, again.exit());
        assertTrue(again.err().contains("already exists"), again.err());

        Run drop = run(new EvalSegCommand(), "--pred-dir", tmp.resolve("pred").toString(), "--label-dir",
                tmp.resolve("labels").toString(), "--out", json.toString(), "--absent", "drop", "--overwrite");
        assertEquals(0, drop.exit(), drop.err());
        o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(2.0 / 3, o.get("miou").getAsDouble(), 1e-15);
        assertEquals(3, o.get("classes_in_mean").getAsInt());
        assertTrue(o.getAsJsonArray("per_class").get(5).getAsJsonObject().get("iou").isJsonNull());
    }

    @Test
    void sizeMismatchNamesTheFileAndWritesNothing() throws Exception {
        writeExample();
        Files.delete(tmp.resolve("pred/00001D.png"));
        writePalettePrediction(tmp.resolve("pred/00001D.png"), 1, 2, new int[] {0, 1});
        Path json = tmp.resolve("seg.json");
        Run r = run(new EvalSegCommand(), "--pred-dir", tmp.resolve("pred").toString(), "--label-dir",
                tmp.resolve("labels").toString(), "--out", json.toString());
        assertEquals(Errors.USER_ERROR, r.exit());
        assertTrue(r.err().contains("pred/00001D.png") && r.err().contains("1x2") && r.err().contains("2x2"),
                r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(json));
    }

    @Test
    void unknownColourMissingFolderAndMissingPredictionAreOneLineErrors() throws Exception {
        writeExample();
        Path bad = tmp.resolve("pred/00001D.png");
        Files.delete(bad);
        float[] v = {0.5f, 0.5f, 0.5f, 0.5f};
        float[] z = {0f, 0f, 0f, 0.1f};
        ImageWriter.write(Image.rgb(2, 2, v, z, z), bad, false);
        Run r = run(new EvalSegCommand(), "--pred-dir", tmp.resolve("pred").toString(), "--label-dir",
                tmp.resolve("labels").toString());
        assertEquals(Errors.USER_ERROR, r.exit());
        assertTrue(r.err().contains(bad.toString()) && r.err().contains("(128,0,0)"), r.err());

        r = run(new EvalSegCommand(), "--pred-dir", tmp.resolve("nope").toString(), "--label-dir",
                tmp.resolve("labels").toString());
        assertEquals(Errors.USER_ERROR, r.exit());
        assertTrue(r.err().contains("nope") && r.err().contains("not found"), r.err());

        Files.delete(bad);
        r = run(new EvalSegCommand(), "--pred-dir", tmp.resolve("pred").toString(), "--label-dir",
                tmp.resolve("labels").toString());
        assertEquals(Errors.USER_ERROR, r.exit());
        assertTrue(r.err().contains("no prediction") && r.err().contains("00001D"), r.err());
    }
}
