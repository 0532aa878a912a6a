package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.synthetic.SyntheticScenes;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: hostile and careless inputs end in one clear line and a documented exit code, never in lost input. */
class HardeningTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path irDir;
    static Path visDir;

    @BeforeAll
    static void setUp() throws Exception {
        try (Compute c = Compute.cpu()) {
            model = dir.resolve("nano-model");
            FusionModel.initialise(Width.NANO, c, DataType.FLOAT32).save(model, false);
        }
        irDir = dir.resolve("pairs/ir");
        visDir = dir.resolve("pairs/vi");
        for (int i = 0; i < 2; i++) {
            SyntheticScenes.Scene s = SyntheticScenes.random(64, 48, i, false);
            ImageWriter.write(s.infrared(), irDir.resolve("p" + i + ".png"), false);
            ImageWriter.write(s.visible(), visDir.resolve("p" + i + ".png"), false);
        }
    }

    static List<byte[]> contents(Path... files) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (Path f : files) {
            out.add(Files.readAllBytes(f));
        }
        return out;
    }

    static void assertSame(List<byte[]> before, List<byte[]> after) {
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "input " + i + " changed");
        }
    }

    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws Exception {
        Path ir = irDir.resolve("p0.png");
        Path vis = visDir.resolve("p0.png");
        List<byte[]> before = contents(ir, vis, visDir.resolve("p1.png"));
        // -o naming the infrared input, with --overwrite.
        CliRun single = CliRun.of("fuse", "--ir", ir.toString(), "--vis", vis.toString(), "-o", ir.toString(),
                "--overwrite", "--model", model.toString());
        assertEquals(2, single.exitCode(), single.err());
        assertTrue(single.err().contains("is also an input") && single.err().contains("p0.png"), single.err());
        // The same file spelt differently.
        CliRun spelt = CliRun.of("fuse", "--ir", ir.toString(), "--vis", vis.toString(), "-o",
                visDir.resolve("../vi/./p0.png").toString(), "--overwrite", "--model", model.toString());
        assertEquals(2, spelt.exitCode(), spelt.err());
        // --out-dir equal to --vis-dir, directly and through a symbolic link.
        CliRun folder = CliRun.of("fuse", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(), "--out-dir",
                visDir.toString(), "--overwrite", "--model", model.toString());
        assertEquals(2, folder.exitCode(), folder.err());
        assertTrue(folder.err().contains("is also an input"), folder.err());
        Path link = Files.createSymbolicLink(dir.resolve("vis-link"), visDir);
        CliRun linked = CliRun.of("fuse", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(), "--out-dir",
                link.toString(), "--overwrite", "--model", model.toString());
        assertEquals(2, linked.exitCode(), linked.err());
        assertSame(before, contents(ir, vis, visDir.resolve("p1.png")));
        // eval det: --out naming the predictions file.
        Path dets = dir.resolve("dets.json");
        Files.writeString(dets, "{}");
        CliRun det = CliRun.of("eval", "det", "--pred", dets.toString(), "--gt-dir", dir.toString(), "--gt-format",
                "voc", "--out", dets.toString(), "--overwrite");
        assertEquals(2, det.exitCode(), det.err());
        assertTrue(det.err().contains("is also an input"), det.err());
        assertEquals("{}", Files.readString(dets));
        // train: the run folder must not be a data folder (a fresh start with --overwrite cleans it).
        CliRun train = CliRun.of("train", "--data", dir.resolve("pairs").toString(), "--run-dir",
                dir.resolve("pairs").toString(), "--overwrite", "--steps", "1");
        assertEquals(2, train.exitCode(), train.err());
        assertTrue(train.err().contains("is also an input"), train.err());
    }

    @Test
    void skipExistingWithOverwriteIsRefused() {
        CliRun r = CliRun.of("fuse", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(), "--out-dir",
                dir.resolve("skip-out").toString(), "--overwrite", "--skip-existing", "--model", model.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--skip-existing and --overwrite"), r.err());
        assertFalse(Files.exists(dir.resolve("skip-out")));
    }

    @Test
    void aModelWithNanParametersIsRefusedAndNoBlackImageIsWritten() throws Exception {
        Path nan = dir.resolve("nan-model");
        try (Compute c = Compute.cpu()) {
            FusionModel m = FusionModel.initialise(Width.NANO, c, DataType.FLOAT32);
            m.network().getParameters().get(0).getValue().getArray().muli(Float.NaN);
            byte[] params = m.parameterBytes();
            m.card().parameters = FusionModel.parameterCount(m.network());
            m.card().parametersSha256 = java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(params));
            Files.createDirectories(nan);
            Files.write(nan.resolve("fusion.params"), params);
            Files.writeString(nan.resolve("model-card.json"), m.card().toJson());
        }
        Path out = dir.resolve("nan-out/fused.png");
        CliRun r = CliRun.of("fuse", "--ir", irDir.resolve("p0.png").toString(), "--vis",
                visDir.resolve("p0.png").toString(), "-o", out.toString(), "--model", nan.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("NaN/infinite") && r.err().contains("nan-model"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aDivergedTrainingRunSavesNoModel() throws Exception {
        Path run = dir.resolve("diverged");
        CliRun r = CliRun.of("train", "--synthetic", "2", "--width", "nano", "--steps", "1", "--batch", "1",
                "--crop", "32:32", "--lr", "1e9", "--run-dir", run.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("diverged") && !r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(run.resolve("model/model-card.json")), "no model saved");
        assertFalse(Files.exists(run.resolve("checkpoint.bin")), "no checkpoint with NaN parameters");
        // A loss that becomes NaN during the run: one line, exit 2, no stack trace.
        CliRun loss = CliRun.of("train", "--synthetic", "2", "--width", "nano", "--steps", "3", "--batch", "1",
                "--crop", "32:32", "--lr", "1e9", "--run-dir", dir.resolve("diverged-loss").toString());
        assertEquals(2, loss.exitCode(), loss.err());
        assertTrue(loss.err().contains("training diverged") && loss.err().contains("lower --lr")
                && !loss.err().contains("internal error"), loss.err());
    }

    @Test
    void anOutputUnderAFileIsNamedAsSuch() throws Exception {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "x");
        CliRun r = CliRun.of("fuse", "--ir", irDir.resolve("p0.png").toString(), "--vis",
                visDir.resolve("p0.png").toString(), "-o", file.resolve("out.png").toString(), "--model",
                model.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("is a file, not a folder") && !r.err().contains("already exists"), r.err());
        CliRun folders = CliRun.of("fuse", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(),
                "--out-dir", file.resolve("sub").toString(), "--model", model.toString());
        assertEquals(2, folders.exitCode(), folders.err());
        assertTrue(folders.err().contains("is a file, not a folder"), folders.err());
    }

    @Test
    void aPairThatCannotBeWrittenIsOneLineAndTheRunGoesOn() throws Exception {
        Path out = dir.resolve("partial");
        Files.createDirectories(out.resolve("p0.png/blocker"));   // a non-empty folder where p0.png goes
        CliRun r = CliRun.of("fuse", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(), "--out-dir",
                out.toString(), "--overwrite", "--model", model.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("pair p0:") && !r.err().contains("\tat "), r.err());
        assertTrue(r.err().contains("fused 1 of 2"), r.err());
        assertTrue(Files.isRegularFile(out.resolve("p1.png")));
    }

    @Test
    void aReadOnlyOutputLocationIsRefusedBeforeAnyWork() throws Exception {
        var mount = Tmpfs.mount(dir, 512, true);
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.isPresent(), Tmpfs.UNAVAILABLE);
        try (Tmpfs ro = mount.get()) {
            CliRun single = CliRun.of("fuse", "--ir", irDir.resolve("p0.png").toString(), "--vis",
                    visDir.resolve("p0.png").toString(), "-o", ro.dir().resolve("o.png").toString(), "--model",
                    model.toString());
            assertEquals(2, single.exitCode(), single.err());
            assertTrue(single.err().contains("not writable") && !single.err().contains("\tat "), single.err());
            CliRun folders = CliRun.of("fuse", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(),
                    "--out-dir", ro.dir().resolve("out").toString(), "--model", model.toString());
            assertEquals(2, folders.exitCode(), folders.err());
            // The writer itself (past the early check) says which folder, instead of failing inside ImageIO.
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> ImageWriter.write(org.irfuse.core.image.Image.gray(2, 2, new float[4]),
                            ro.dir().resolve("w.png"), false));
            assertTrue(e.getMessage().contains(ro.dir().toString()), e.getMessage());
        }
    }

    static String[] tinyTrain(Path run, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--synthetic", "2", "--width", "nano", "--steps", "4",
                "--batch", "1", "--crop", "32:32", "--checkpoint-every", "2", "--seed", "3", "--run-dir",
                run.toString()));
        for (int i = 0; i < more.length; i++) {
            int at = a.indexOf(more[i]);
            if (at >= 0 && i + 1 < more.length && !more[i + 1].startsWith("--")) {
                a.set(at + 1, more[++i]);   // an option given again replaces the default above
            } else {
                a.add(more[i]);
            }
        }
        return a.toArray(new String[0]);
    }

    @Test
    void resumeChecksTheRunItContinues() throws Exception {
        Path run = dir.resolve("resume-run");
        CliRun first = CliRun.of(tinyTrain(run));
        assertEquals(0, first.exitCode(), first.err());
        byte[] model = Files.readAllBytes(run.resolve("model/fusion.params"));
        // Another width, another step count (another learning-rate schedule): refused, nothing changed.
        CliRun width = CliRun.of(tinyTrain(run, "--resume", "--width", "lite"));
        assertEquals(2, width.exitCode(), width.err());
        assertTrue(width.err().contains("cannot resume") && width.err().contains("width \"nano\" -> \"lite\""),
                width.err());
        CliRun steps = CliRun.of(tinyTrain(run, "--resume", "--steps", "6"));
        assertEquals(2, steps.exitCode(), steps.err());
        assertTrue(steps.err().contains("steps 4 -> 6"), steps.err());
        assertArrayEquals(model, Files.readAllBytes(run.resolve("model/fusion.params")));
        // Another thread count than the checkpoint's: refused with the count to pass.
        String old = System.getProperty("ai.djl.pytorch.num_threads");
        System.setProperty("ai.djl.pytorch.num_threads", "1".equals(old) ? "2" : "1");
        try {
            CliRun threads = CliRun.of(tinyTrain(run, "--resume", "--log-every", "1"));
            assertEquals(2, threads.exitCode(), threads.err());
            assertTrue(threads.err().contains("--threads"), threads.err());
        } finally {
            if (old == null) {
                System.clearProperty("ai.djl.pytorch.num_threads");
            } else {
                System.setProperty("ai.djl.pytorch.num_threads", old);
            }
        }
        // Settings that do not enter the parameters may change.
        CliRun ok = CliRun.of(tinyTrain(run, "--resume", "--log-every", "1"));
        assertEquals(0, ok.exitCode(), ok.err());
        // Nothing repeated: the run's config.json supplies every setting (RunConfig).
        CliRun bare = CliRun.of("train", "--run-dir", run.toString(), "--resume");
        assertEquals(0, bare.exitCode(), bare.err());
        assertArrayEquals(model, Files.readAllBytes(run.resolve("model/fusion.params")));
        // Killed before the first checkpoint: --resume starts again at step 0 instead of asking for --resume.
        Files.delete(run.resolve("checkpoint.bin"));
        CliRun again = CliRun.of(tinyTrain(run, "--resume"));
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(Files.isRegularFile(run.resolve("checkpoint.bin")));
        // Nothing to resume at all.
        CliRun none = CliRun.of(tinyTrain(dir.resolve("no-run"), "--resume"));
        assertEquals(2, none.exitCode(), none.err());
        assertTrue(none.err().contains("nothing to resume"), none.err());
    }

    @Test
    void trainingOptionsOutOfRangeAreRefusedNamingTheOption() throws Exception {
        String[][] bad = {{"--steps", "0"}, {"--batch", "0"}, {"--lr", "-1"}, {"--lr", "NaN"},
            {"--checkpoint-every", "0"}, {"--log-every", "0"}, {"--sample-every", "0"}, {"--synthetic", "-3"}};
        for (String[] b : bad) {
            Path run = dir.resolve("bad-option-" + b[0].substring(2));
            CliRun r = CliRun.of(tinyTrain(run, b[0], b[1]));
            assertEquals(2, r.exitCode(), String.join(" ", b) + ": " + r.err());
            assertTrue(r.err().contains(b[0]) && !r.err().contains("internal error"), r.err());
            assertFalse(Files.exists(run), String.join(" ", b) + " left a run folder");
        }
        CliRun bilevel = CliRun.of("train", "--stage", "bilevel", "--synthetic", "2", "--upper-every", "0",
                "--run-dir", dir.resolve("bad-bilevel").toString());
        assertEquals(2, bilevel.exitCode(), bilevel.err());
        assertTrue(bilevel.err().contains("--upper-every"), bilevel.err());
    }

    @Test
    void threadCountsAboveTheProcessorsAreRefused() {
        String many = "100000";
        CliRun fuse = CliRun.of("fuse", "--ir", irDir.resolve("p0.png").toString(), "--vis",
                visDir.resolve("p0.png").toString(), "-o", dir.resolve("t/o.png").toString(), "--threads", many);
        assertEquals(2, fuse.exitCode(), fuse.err());
        assertTrue(fuse.err().contains("--threads must be between 1 and the "
                + Runtime.getRuntime().availableProcessors()), fuse.err());
        CliRun train = CliRun.of(tinyTrain(dir.resolve("t-run"), "--threads", many));
        assertEquals(2, train.exitCode(), train.err());
        CliRun eval = CliRun.of("eval", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(), "--fused-dir",
                "A=" + visDir, "--out", dir.resolve("t/e.csv").toString(), "--threads", many);
        assertEquals(2, eval.exitCode(), eval.err());
        assertTrue(eval.err().contains("--threads"), eval.err());
    }

    @Test
    void evalSegWithNoScoredPixelIsAnError() throws Exception {
        Path labels = dir.resolve("seg/labels");
        Path preds = dir.resolve("seg/preds");
        float[] white = new float[16 * 12];
        java.util.Arrays.fill(white, 1f);   // index 255: outside the 9 MSRS classes, so ignored
        ImageWriter.write(org.irfuse.core.image.Image.gray(16, 12, white), labels.resolve("a.png"), false);
        ImageWriter.write(org.irfuse.core.image.Image.gray(16, 12, new float[16 * 12]), preds.resolve("a.png"),
                false);
        CliRun r = CliRun.of("eval", "seg", "--pred-dir", preds.toString(), "--label-dir", labels.toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("no pixel was scored") && r.err().contains("192 label pixels"), r.err());
    }

    @Test
    void evalDetWarnsAboutImagesWithoutPredictionFile() throws Exception {
        Path gt = dir.resolve("det/gt");
        Path preds = dir.resolve("det/preds");
        Path images = dir.resolve("det/images");
        for (String id : new String[] {"a", "b", "c"}) {
            ImageWriter.write(org.irfuse.core.image.Image.gray(20, 20, new float[400]), images.resolve(id + ".png"),
                    false);
            Files.createDirectories(gt);
            Files.writeString(gt.resolve(id + ".txt"), "0 0.5 0.5 0.2 0.2\n");
        }
        Files.createDirectories(preds);
        Files.writeString(preds.resolve("a.txt"), "0 0.5 0.5 0.2 0.2 0.9\n");
        CliRun r = CliRun.of("eval", "det", "--pred", preds.toString(), "--gt-dir", gt.toString(), "--gt-format",
                "yolo", "--images-dir", images.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: 2 of 3 images have no prediction file") && r.err().contains("b, c"),
                r.err());
    }

    @Test
    void sampleRefusesACountBelowOne() {
        CliRun r = CliRun.of("sample", "--count", "-3", "-o", dir.resolve("samples-neg").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--count must be at least 1, got -3") && !r.err().contains("wrote"), r.err());
    }

    @Test
    void imagesSmallerThanTheReceptiveFieldAreFusedWithAWarning() throws Exception {
        SyntheticScenes.Scene s = SyntheticScenes.random(64, 48, 5, false);
        Path ir = dir.resolve("tiny/ir.png");
        Path vis = dir.resolve("tiny/vis.png");
        ImageWriter.write(org.irfuse.core.image.Image.gray(40, 30, java.util.Arrays.copyOf(s.infrared().data(),
                1200)), ir, false);
        ImageWriter.write(org.irfuse.core.image.Image.gray(40, 30, java.util.Arrays.copyOf(s.infrared().data(),
                1200)), vis, false);
        CliRun r = CliRun.of("fuse", "--ir", ir.toString(), "--vis", vis.toString(), "-o",
                dir.resolve("tiny/out.png").toString(), "--model", model.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning") && r.err().contains("40x30") && r.err().contains("47x47"),
                r.err());
    }
}
