package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.io.SharedData;
import org.irfuse.core.synthetic.SyntheticScenes;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FuseCommandTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path ir;
    static Path vis;

    @BeforeAll
    static void setUp() throws Exception {
        try (Compute c = Compute.cpu()) {
            model = dir.resolve("nano-model");
            FusionModel.initialise(Width.NANO, c, DataType.FLOAT32).save(model, false);
        }
        SyntheticScenes.Scene s = SyntheticScenes.random(120, 90, 3, false);
        ir = dir.resolve("ir.png");
        vis = dir.resolve("vis.jpg");
        ImageWriter.write(s.infrared(), ir, false);
        ImageWriter.write(s.visible(), vis, false);
    }

    static void assertNoFile(Path p) {
        assertFalse(Files.exists(p), p + " must not exist");
    }

    static long filesIn(Path d) throws Exception {
        if (!Files.exists(d)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void fusesAGeneratedPairKeepingColour() throws Exception {
        Path out = dir.resolve("single/fused.png");
        CliRun r = CliRun.of("fuse", "--ir", ir.toString(), "--vis", vis.toString(), "-o", out.toString(), "--model",
                model.toString());
        assertEquals(0, r.exitCode(), r.err());
        Image fused = ImageReader.read(out);
        assertEquals(3, fused.channels());
        assertEquals(120, fused.width());
        // Existing output: refused without --overwrite, file untouched; replaced with it.
        long before = Files.getLastModifiedTime(out).toMillis();
        CliRun again = CliRun.of("fuse", "--ir", ir.toString(), "--vis", vis.toString(), "-o", out.toString(),
                "--model", model.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("already exists"), again.err());
        assertEquals(before, Files.getLastModifiedTime(out).toMillis());
        assertEquals(0, CliRun.of("fuse", "--ir", ir.toString(), "--vis", vis.toString(), "-o", out.toString(),
                "--model", model.toString(), "--overwrite").exitCode());
    }

    @Test
    void badInputsExitNonZeroNamingTheFileAndWriteNothing() throws Exception {
        Path outDir = dir.resolve("bad");
        Path out = outDir.resolve("x.png");
        // Missing infrared file.
        CliRun missing = CliRun.of("fuse", "--ir", dir.resolve("absent.png").toString(), "--vis", vis.toString(),
                "-o", out.toString(), "--model", model.toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("absent.png") && missing.err().contains("not found"), missing.err());
        // Not an image.
        Path text = dir.resolve("notes.jpg");
        Files.writeString(text, "not an image");
        CliRun corrupt = CliRun.of("fuse", "--ir", ir.toString(), "--vis", text.toString(), "-o", out.toString(),
                "--model", model.toString());
        assertEquals(2, corrupt.exitCode());
        assertTrue(corrupt.err().contains("notes.jpg"), corrupt.err());
        // Sizes differ: both files and sizes named; --resize-ir resolves it.
        Path small = dir.resolve("small-ir.png");
        ImageWriter.write(SyntheticScenes.random(60, 45, 3, false).infrared(), small, true);
        CliRun mismatch = CliRun.of("fuse", "--ir", small.toString(), "--vis", vis.toString(), "-o", out.toString(),
                "--model", model.toString());
        assertEquals(2, mismatch.exitCode());
        assertTrue(mismatch.err().contains("small-ir.png") && mismatch.err().contains("60x45")
                && mismatch.err().contains("vis.jpg") && mismatch.err().contains("120x90"), mismatch.err());
        // Unsupported output format; broken model folder.
        CliRun gif = CliRun.of("fuse", "--ir", ir.toString(), "--vis", vis.toString(), "-o",
                outDir.resolve("x.gif").toString(), "--model", model.toString());
        assertEquals(2, gif.exitCode());
        CliRun noModel = CliRun.of("fuse", "--ir", ir.toString(), "--vis", vis.toString(), "-o", out.toString(),
                "--model", dir.resolve("no-model").toString());
        assertEquals(2, noModel.exitCode());
        assertTrue(noModel.err().contains("no-model"), noModel.err());
        assertEquals(0, filesIn(outDir), "no output, no temporary file");
        CliRun resized = CliRun.of("fuse", "--ir", small.toString(), "--vis", vis.toString(), "-o", out.toString(),
                "--model", model.toString(), "--resize-ir");
        assertEquals(0, resized.exitCode(), resized.err());
        assertEquals(120, ImageReader.read(out).width());
    }

    @Test
    void folderModePairsByNameReportsUnmatchedAndNeverOverwrites() throws Exception {
        Path irDir = dir.resolve("f/ir");
        Path visDir = dir.resolve("f/vi");
        Path outDir = dir.resolve("f/out");
        Files.createDirectories(irDir);
        Files.createDirectories(visDir);
        for (int i = 0; i < 3; i++) {
            SyntheticScenes.Scene s = SyntheticScenes.random(64 + 8 * i, 48, i, i == 1);
            ImageWriter.write(s.infrared(), irDir.resolve("p" + i + ".png"), false);
            ImageWriter.write(s.visible(), visDir.resolve("p" + i + ".jpg"), false);
        }
        ImageWriter.write(SyntheticScenes.random(64, 48, 9, false).infrared(), irDir.resolve("lonely.png"), false);
        CliRun r = CliRun.of("fuse", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(), "--out-dir",
                outDir.toString(), "--model", model.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("lonely.png"), "unmatched file reported: " + r.err());
        assertEquals(3, filesIn(outDir));
        assertEquals(80, ImageReader.read(outDir.resolve("p2.png")).width());
        CliRun again = CliRun.of("fuse", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(), "--out-dir",
                outDir.toString(), "--model", model.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("--overwrite"), again.err());
        assertEquals(0, CliRun.of("fuse", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(),
                "--out-dir", outDir.toString(), "--model", model.toString(), "--skip-existing").exitCode());
    }

    @Test
    void fusesRealTnoAndRoadScenePairs() throws Exception {
        Optional<Path> tno = SharedData.resolve("tno");
        assumeTrue(tno.isPresent(), SharedData.missingMessage("tno"));
        // TNO stores gray as 3 equal channels: the output must be gray like the visible image's content.
        Path out = dir.resolve("real/tno05.png");
        CliRun r = CliRun.of("fuse", "--ir", tno.get().resolve("ir/05.png").toString(), "--vis",
                tno.get().resolve("vi/05.png").toString(), "-o", out.toString(), "--model", model.toString());
        assertEquals(0, r.exitCode(), r.err());
        Image fused = ImageReader.read(out);
        Image src = ImageReader.read(tno.get().resolve("vi/05.png"));
        assertTrue(fused.sameSize(src));
        Optional<Path> road = SharedData.resolve("roadscene");
        assumeTrue(road.isPresent(), SharedData.missingMessage("roadscene"));
        Path out2 = dir.resolve("real/road.jpg");
        CliRun r2 = CliRun.of("fuse", "--ir", road.get().resolve("ir/FLIR_00006.jpg").toString(), "--vis",
                road.get().resolve("vi/FLIR_00006.jpg").toString(), "-o", out2.toString(), "--model",
                model.toString());
        assertEquals(0, r2.exitCode(), r2.err());
        assertEquals(3, ImageReader.read(out2).channels());
    }

    @Test
    void tiledCliOutputMatchesUntiled() throws Exception {
        Path a = dir.resolve("tile/untiled.png");
        Path b = dir.resolve("tile/tiled.png");
        assertEquals(0, CliRun.of("fuse", "--ir", ir.toString(), "--vis", vis.toString(), "-o", a.toString(),
                "--model", model.toString()).exitCode());
        assertEquals(0, CliRun.of("fuse", "--ir", ir.toString(), "--vis", vis.toString(), "-o", b.toString(),
                "--model", model.toString(), "--tile-above", "0", "--tile", "32").exitCode());
        int[] x = ImageReader.read(a).samples8(1);
        int[] y = ImageReader.read(b).samples8(1);
        int worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
        assertTrue(worst <= 1, "8-bit outputs differ by at most rounding, got " + worst);
    }

    @Test
    void readmeFirstCommandFusesTheShippedSampleWithTheDefaultModel() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path out = dir.resolve("street-fused.png");
        CliRun r = CliRun.of("fuse", "--ir", root.resolve("samples/ir/street.png").toString(), "--vis",
                root.resolve("samples/vi/street.png").toString(), "-o", out.toString(), "--overwrite");
        assertEquals(0, r.exitCode(), r.err());
        Image fused = ImageReader.read(out);
        Image irImg = ImageReader.read(root.resolve("samples/ir/street.png"));
        assertArrayEquals(new int[] {640, 480}, new int[] {fused.width(), fused.height()});
        // The warm pedestrian (bright in infrared, dark in visible) must show in the fused image.
        SyntheticScenes.Scene s = SyntheticScenes.sample();
        double objFused = 0;
        double objVis = 0;
        int n = 0;
        float[] y = org.irfuse.core.image.YCbCr.luma(fused);
        float[] yv = org.irfuse.core.image.YCbCr.luma(s.visible());
        for (int p = 0; p < y.length; p++) {
            if (s.labels()[p] == SyntheticScenes.PERSON) {
                objFused += y[p];
                objVis += yv[p];
                n++;
            }
        }
        assertTrue(irImg.width() == 640 && n > 0);
        assertTrue(objFused / n > objVis / n + 0.2, "pedestrian brighter in fused (" + objFused / n
                + ") than in visible (" + objVis / n + ")");
    }
}
