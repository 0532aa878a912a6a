package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.irfuse.core.align.Transform;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.image.Resize;
import org.irfuse.core.io.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlignCommandTest {
    @TempDir
    Path dir;

    @Test
    void alignsARealWarpedPairWritingImageMaskAndTransform() throws Exception {
        Optional<Path> msrs = SharedData.resolve("msrs/ir_warp/00005N.png");
        assumeTrue(msrs.isPresent(), SharedData.missingMessage("msrs/ir_warp"));
        Path root = msrs.get().getParent().getParent();
        Path out = dir.resolve("a/aligned.png");
        CliRun r = CliRun.of("align", "--ir", msrs.get().toString(), "--vis", root.resolve("vi/00005N.png").toString(),
                "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        Path mask = dir.resolve("a/aligned.mask.png");
        Path json = dir.resolve("a/aligned.transform.json");
        assertTrue(r.err().contains("confidence"), r.err());
        Image aligned = ImageReader.read(out);
        Image m = ImageReader.read(mask);
        // The written transform reproduces the written image: warp the input with it.
        Transform t = Transform.fromJson(Files.readString(json));
        assertEquals(Transform.Model.AFFINE, t.model());
        Image again = t.warp(ImageReader.readInfrared(msrs.get()), null).image();
        int[] a = aligned.samples8(0);
        int[] b = again.samples8(0);
        int[] ms = m.samples8(0);
        long differ = 0;
        for (int i = 0; i < a.length; i++) {
            if (ms[i] == 255 && a[i] != b[i]) {
                differ++;
            }
        }
        assertEquals(0, differ, "pixels where the JSON transform does not reproduce the aligned image");
        // Outputs exist: refused before any work, nothing changed.
        CliRun again2 = CliRun.of("align", "--ir", msrs.get().toString(), "--vis",
                root.resolve("vi/00005N.png").toString(), "-o", out.toString());
        assertEquals(2, again2.exitCode());
        assertTrue(again2.err().contains("already exists"), again2.err());
    }

    @Test
    void refusesUnrelatedImagesNamingBothFilesAndWritesNothing() throws Exception {
        Optional<Path> tno = SharedData.resolve("tno/ir/05.png");
        Optional<Path> vis = SharedData.resolve("msrs/vi/00011N.png");
        assumeTrue(tno.isPresent() && vis.isPresent(), SharedData.missingMessage("tno and msrs"));
        Image ir = ImageReader.readInfrared(tno.get());
        Path visResized = dir.resolve("vis.png");
        ImageWriter.write(Resize.bilinear(ImageReader.read(vis.get()), ir.width(), ir.height()), visResized, false);
        Path outDir = dir.resolve("none");
        CliRun r = CliRun.of("align", "--ir", tno.get().toString(), "--vis", visResized.toString(), "-o",
                outDir.resolve("x.png").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("cannot align") && r.err().contains("05.png") && r.err().contains("vis.png"),
                r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(Files.exists(outDir), "nothing written");
    }

    @Test
    void fuseAlignsFirstAndFallsBackToNoAlignmentForUntrustedPairs() throws Exception {
        Optional<Path> warped = SharedData.resolve("msrs/ir_warp/00005N.png");
        Optional<Path> tno = SharedData.resolve("tno/ir/05.png");
        assumeTrue(warped.isPresent() && tno.isPresent(), SharedData.missingMessage("msrs/ir_warp and tno"));
        Path vis = warped.get().getParent().getParent().resolve("vi/00005N.png");
        Path model = dir.resolve("nano-model");
        try (org.irfuse.nn.runtime.Compute c = org.irfuse.nn.runtime.Compute.cpu()) {
            org.irfuse.nn.model.FusionModel.initialise(org.irfuse.nn.modules.FusionNetwork.Width.NANO, c,
                    ai.djl.ndarray.types.DataType.FLOAT32).save(model, false);
        }
        Path out = dir.resolve("fused.png");
        CliRun r = CliRun.of("fuse", "--ir", warped.get().toString(), "--vis", vis.toString(), "-o", out.toString(),
                "--model", model.toString(), "--align", "affine");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(640, ImageReader.read(out).width());
        // 00014N's alignment lands in a wrong basin: rejected, fused unaligned with one warning naming the file.
        Path unaligned = dir.resolve("unaligned.png");
        Path bad14 = warped.get().resolveSibling("00014N.png");
        CliRun fallback = CliRun.of("fuse", "--ir", bad14.toString(), "--vis", vis.resolveSibling("00014N.png")
                .toString(), "-o", unaligned.toString(), "--model", model.toString(), "--align", "affine");
        assertEquals(0, fallback.exitCode(), fallback.err());
        assertTrue(fallback.err().contains("warning: cannot align " + bad14) && fallback.err().contains("wrong basin")
                && fallback.err().contains("fusing without alignment"), fallback.err());
        assertEquals(640, ImageReader.read(unaligned).width());
        // Unrelated images of different sizes: no alignment, and without --resize-ir the sizes are refused.
        Path refused = dir.resolve("refused.png");
        CliRun bad = CliRun.of("fuse", "--ir", tno.get().toString(), "--vis", vis.toString(), "-o",
                refused.toString(), "--model", model.toString(), "--align", "affine");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("cannot align"), bad.err());
        assertFalse(Files.exists(refused));
    }
}
