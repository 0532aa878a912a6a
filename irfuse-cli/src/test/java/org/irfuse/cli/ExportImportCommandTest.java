package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.irfuse.nn.model.ModelCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code irfuse export} and {@code irfuse import} end to end: the imported model fuses to the same bytes. */
class ExportImportCommandTest {
    private static final Path SAMPLES = Path.of("").toAbsolutePath().getParent().resolve("samples");

    @TempDir
    Path dir;

    @Test
    void exportedWeightsImportToAModelThatFusesBitIdentically() throws Exception {
        String ir = SAMPLES.resolve("ir/street.png").toString();
        String vis = SAMPLES.resolve("vi/street.png").toString();
        Path reference = dir.resolve("default.png");
        CliRun f0 = CliRun.of("fuse", "--ir", ir, "--vis", vis, "-o", reference.toString(), "--precision", "fp32");
        assertEquals(0, f0.exitCode(), f0.err());
        for (String ext : new String[] {"npz", "safetensors"}) {
            Path weights = dir.resolve("weights." + ext);
            CliRun e = CliRun.of("export", "--model", "default", "-o", weights.toString());
            assertEquals(0, e.exitCode(), e.err());
            assertTrue(e.err().contains("exported lite fusion model (104930 parameters)"), e.err());
            Path model = dir.resolve("imported-" + ext);
            CliRun i = CliRun.of("import", "--weights", weights.toString(), "-o", model.toString());
            assertEquals(0, i.exitCode(), i.err());
            ModelCard card = ModelCard.fromJson(Files.readString(model.resolve(ModelCard.FILE_NAME)));
            assertEquals("lite", card.width);
            assertEquals("imported", card.stage);
            assertEquals(104930, card.parameters);
            assertTrue(card.notes.contains(weights.toString()), card.notes);
            Path fused = dir.resolve("imported-" + ext + ".png");
            CliRun f = CliRun.of("fuse", "--ir", ir, "--vis", vis, "-o", fused.toString(), "--precision", "fp32",
                    "--model", model.toString());
            assertEquals(0, f.exitCode(), f.err());
            assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(fused), ext);
        }
        Path onnx = dir.resolve("fusion.onnx");
        CliRun o = CliRun.of("export", "-o", onnx.toString());
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(Files.size(onnx) > 4 * 104930, "the ONNX file carries the float32 weights");
        CliRun again = CliRun.of("export", "-o", onnx.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("already exists; pass --overwrite"), again.err());
    }

    @Test
    void detectorExportsToOnnxOnly() throws Exception {
        java.util.Optional<Path> yolo = org.irfuse.core.io.SharedData.model("yolov5n_coco.npz");
        org.junit.jupiter.api.Assumptions.assumeTrue(yolo.isPresent(),
                org.irfuse.core.io.SharedData.missingModelMessage("yolov5n_coco.npz"));
        Path onnx = dir.resolve("yolov5n.onnx");
        CliRun r = CliRun.of("export", "--detector-weights", yolo.get().toString(), "-o", onnx.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.size(onnx) > 4 * 1_800_000, "the float32 weights of YOLOv5n's 1.87 M parameters");
        CliRun npz = CliRun.of("export", "--detector-weights", yolo.get().toString(), "-o",
                dir.resolve("d.npz").toString());
        assertEquals(2, npz.exitCode());
        assertTrue(npz.err().contains("the detector is exported to .onnx"), npz.err());
    }

    @Test
    void badInputsEndInOneLineAndWriteNothing() throws Exception {
        CliRun ext = CliRun.of("export", "-o", dir.resolve("w.pt").toString());
        assertEquals(2, ext.exitCode());
        assertTrue(ext.err().contains("w.pt: unknown weight format (the name must end in .onnx, .npz or "
                + ".safetensors)"), ext.err());
        Path junk = dir.resolve("junk.safetensors");
        Files.writeString(junk, "not tensors at all");
        Path model = dir.resolve("model");
        CliRun i = CliRun.of("import", "--weights", junk.toString(), "-o", model.toString());
        assertEquals(2, i.exitCode());
        assertTrue(i.err().startsWith("irfuse: error: " + junk + ": not a safetensors file"), i.err());
        assertFalse(Files.exists(model.resolve(ModelCard.FILE_NAME)));
        CliRun missing = CliRun.of("import", "--weights", dir.resolve("none.npz").toString(), "-o", model.toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("none.npz: weights file not found"), missing.err());
    }
}
