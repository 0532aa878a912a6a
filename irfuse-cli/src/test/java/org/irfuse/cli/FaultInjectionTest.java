package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.synthetic.SyntheticScenes;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection (issue 11): hostile inputs, {@code kill -9} at random points of fuse, train and eval (a child
 * JVM running {@link Main} from the test class path), a full disk (a small tmpfs) and read-only outputs. After
 * every fault: the documented exit code, one line naming the file, no half-written output, no leftover temporary
 * file once the next run has passed, and a rerun that completes. docs/reliability.md lists each case.
 *
 * <p>Random kill points come from one seed, printed; rerun one with {@code -Dirfuse.faultSeed=N}.
 */
class FaultInjectionTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path irDir;
    static Path visDir;
    static final long SEED = Long.getLong("irfuse.faultSeed", System.nanoTime() % 100_000);
    static final Random RANDOM = new Random(SEED);
    static final java.util.Map<Process, Path> LOGS = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        System.out.println("FaultInjectionTest seed " + SEED + " (rerun with -Dirfuse.faultSeed=" + SEED + ")");
        try (Compute c = Compute.cpu()) {
            model = dir.resolve("nano-model");
            FusionModel.initialise(Width.NANO, c, DataType.FLOAT32).save(model, false);
        }
        irDir = dir.resolve("pairs/ir");
        visDir = dir.resolve("pairs/vi");
        for (int i = 0; i < 8; i++) {
            SyntheticScenes.Scene s = SyntheticScenes.random(160, 120, i, i % 2 == 0);
            ImageWriter.write(s.infrared(), irDir.resolve(String.format("p%02d.png", i)), false);
            ImageWriter.write(s.visible(), visDir.resolve(String.format("p%02d.png", i)), false);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** The CLI in a child JVM, one libtorch thread like the test JVM, so checkpoints resume here exactly. */
    static Process child(Path log, String... args) throws IOException {
        return child("-Xmx1g", log, args);
    }

    static Process child(String heap, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), heap, "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        LOGS.put(p, log);
        return p;
    }

    /** Waits until {@code ready} holds (or the process ends, or 60 s pass), then a random 0..maxMs, then kill -9. */
    static int killAtRandom(Process p, java.util.function.BooleanSupplier ready, int maxMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ready.getAsBoolean() && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (!p.isAlive() && p.exitValue() != 0) {
            throw new AssertionError("the child JVM failed on its own (exit " + p.exitValue() + "): "
                    + Files.readString(LOGS.get(p)));
        }
        int delay = RANDOM.nextInt(maxMs + 1);
        Thread.sleep(delay);
        p.destroyForcibly();   // SIGKILL on Linux: no shutdown hook, no finally block runs
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return delay;
    }

    static List<Path> list(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static boolean hasImage(Path d) {
        try {
            return list(d).stream().anyMatch(f -> f.getFileName().toString().endsWith(".png"));
        } catch (IOException e) {
            return false;
        }
    }

    static long temporaries(Path d) throws IOException {
        return list(d).stream().filter(f -> f.getFileName().toString().endsWith(".tmp")).count();
    }

    /** Every visible (non-temporary) image in the folder decodes completely. */
    static int assertAllImagesWhole(Path d) throws IOException {
        int n = 0;
        for (Path f : list(d)) {
            if (!f.getFileName().toString().startsWith(".")) {
                Image img = ImageReader.read(f);
                assertEquals(160, img.width(), f.toString());
                n++;
            }
        }
        return n;
    }

    /**
     * A PNG of about 80 bytes: signature, an IHDR claiming {@code w x h} 8-bit gray, a tiny IDAT (a few deflated
     * zero rows, so a decoder allocates the whole raster and starts), IEND.
     */
    static byte[] pngHeader(int w, int h) {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(9);
        deflater.setInput(new byte[4096]);
        deflater.finish();
        byte[] z = new byte[256];
        int zn = deflater.deflate(z);
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + zn + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr);
        b.putInt(13).put(ihdr).putInt((int) crc.getValue());
        crc.reset();
        crc.update("IDAT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.update(z, 0, zn);
        b.putInt(zn).put("IDAT".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(z, 0, zn)
                .putInt((int) crc.getValue());
        crc.reset();
        crc.update("IEND".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.putInt(0).put("IEND".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) crc.getValue());
        return b.array();
    }

    // ---- kill -9 -------------------------------------------------------------------------------------------

    @Test
    void killedFolderFusionLeavesOnlyWholeImagesAndResumes() throws Exception {
        Path out = dir.resolve("kill-fuse");
        Process p = child(dir.resolve("kill-fuse.log"), "fuse", "--ir-dir", irDir.toString(), "--vis-dir",
                visDir.toString(), "--out-dir", out.toString(), "--model", model.toString());
        int delay = killAtRandom(p, () -> hasImage(out), 300);
        int whole = assertAllImagesWhole(out);
        System.out.println("fuse killed " + delay + " ms after its first image: " + whole
                + " whole images, " + temporaries(out) + " temporary file(s)");
        CliRun rerun = CliRun.of("fuse", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(), "--out-dir",
                out.toString(), "--model", model.toString(), "--skip-existing");
        assertEquals(0, rerun.exitCode(), rerun.err());
        assertEquals(8, assertAllImagesWhole(out));
        assertEquals(0, temporaries(out), "the killed writer's temporary files are cleaned");
    }

    @Test
    void killedTrainingResumesFromAnIntactCheckpoint() throws Exception {
        Path run = dir.resolve("kill-train");
        String[] args = {"train", "--synthetic", "2", "--width", "nano", "--steps", "12", "--batch", "1", "--crop",
            "32:32", "--checkpoint-every", "2", "--log-every", "1", "--seed", "9", "--run-dir", run.toString()};
        Process p = child(dir.resolve("kill-train.log"), args);
        int delay = killAtRandom(p, () -> Files.exists(run.resolve("checkpoint.bin")), 600);
        System.out.println("train killed " + delay + " ms after the first checkpoint: " + list(run).size()
                + " files");
        List<String> resume = new ArrayList<>(List.of(args));
        resume.add("--resume");
        CliRun r = CliRun.of(resume.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.err());
        // The log reads like one uninterrupted run: steps 1..12 once each, no line cut by the kill.
        List<Long> steps = Files.readAllLines(run.resolve("log.jsonl")).stream()
                .map(l -> JsonParser.parseString(l).getAsJsonObject().get("step").getAsLong()).toList();
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 12).boxed().toList(), steps);
        try (Compute c = Compute.cpu()) {
            assertEquals(12, FusionModel.load(run.resolve("model"), c).card().trainingSteps);
        }
        assertEquals(0, temporaries(run));
    }

    @Test
    void killedEvaluationLeavesNoPartialTable() throws Exception {
        Path csv = dir.resolve("kill-eval/results.csv");
        Process p = child(dir.resolve("kill-eval.log"), "eval", "--ir-dir", irDir.toString(), "--vis-dir",
                visDir.toString(), "--fused-dir", "V=" + visDir, "--out", csv.toString(), "--threads", "1");
        int delay = killAtRandom(p, () -> true, 3000);
        boolean finished = Files.exists(csv);
        System.out.println("eval killed after " + delay + " ms: " + (finished ? "had finished" : "no output"));
        if (finished) {
            // Written atomically: a CSV that exists is complete (header + 8 images x metrics).
            assertTrue(Files.readAllLines(csv).size() > 8);
        } else {
            assertFalse(Files.exists(dir.resolve("kill-eval/results.json")), "no summary without its CSV");
        }
        CliRun again = CliRun.of("eval", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(),
                "--fused-dir", "V=" + visDir, "--out", csv.toString(), "--overwrite", "--threads", "1",
                "--metrics", "EN,SD");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(0, temporaries(csv.getParent()));
    }

    // ---- full disk, read-only outputs ------------------------------------------------------------------------

    @Test
    void aFullDiskFailsPairByPairWithoutLeftovers() throws Exception {
        // A disk that holds about half of the 8 outputs (each file takes whole 4 KB pages).
        Path reference = dir.resolve("full-disk-reference");
        assertEquals(0, CliRun.of("fuse", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(),
                "--out-dir", reference.toString(), "--model", model.toString()).exitCode());
        long pages = 0;
        for (Path f : list(reference)) {
            pages += (Files.size(f) + 4095) / 4096;
        }
        var mount = Tmpfs.mount(dir, pages * 4 / 2, false);
        assumeTrue(mount.isPresent(), Tmpfs.UNAVAILABLE);
        try (Tmpfs disk = mount.get()) {
            Path out = disk.dir().resolve("out");
            CliRun r = CliRun.of("fuse", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(),
                    "--out-dir", out.toString(), "--model", model.toString());
            assertEquals(1, r.exitCode(), r.err());
            assertTrue(r.err().contains("No space left on device") && r.err().contains("pair p0"), r.err());
            assertFalse(r.err().contains("internal error"), r.err());
            int whole = assertAllImagesWhole(out);
            assertTrue(whole >= 1 && whole < 8, whole + " images fit");
            assertTrue(r.err().contains("fused " + whole + " of 8"), r.err());
            assertEquals(0, temporaries(out), "a failed write leaves no temporary file");
            // Training: the checkpoint cannot be written; one line, exit 2, no temporary file.
            Path run = disk.dir().resolve("run");
            CliRun t = CliRun.of("train", "--synthetic", "2", "--width", "nano", "--steps", "2", "--batch", "1",
                    "--crop", "32:32", "--run-dir", run.toString());
            assertEquals(2, t.exitCode(), t.err());
            assertTrue(t.err().contains("No space left on device") && !t.err().contains("internal error"),
                    t.err());
            assertEquals(0, temporaries(run));
        }
    }

    @Test
    void readOnlyOutputsAreRefusedUpFront() throws Exception {
        var mount = Tmpfs.mount(dir, 64, true);
        assumeTrue(mount.isPresent(), Tmpfs.UNAVAILABLE);
        try (Tmpfs ro = mount.get()) {
            String[][] commands = {
                {"fuse", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(), "--out-dir",
                    ro.dir().resolve("fused").toString(), "--model", model.toString()},
                {"eval", "--ir-dir", irDir.toString(), "--vis-dir", visDir.toString(), "--fused-dir", "V=" + visDir,
                    "--out", ro.dir().resolve("r.csv").toString()},
                {"train", "--synthetic", "2", "--width", "nano", "--steps", "2", "--run-dir",
                    ro.dir().resolve("run").toString()},
                {"sample", "-o", ro.dir().resolve("s").toString()}};
            for (String[] c : commands) {
                CliRun r = CliRun.of(c);
                assertEquals(2, r.exitCode(), c[0] + ": " + r.err());
                assertTrue(r.err().contains("not writable") && r.err().lines().count() == 1, c[0] + ": " + r.err());
            }
        }
    }

    @Test
    void decodingOutOfMemoryNamesTheSizeAndHowToRaiseTheHeap() throws Exception {
        Path d = Files.createDirectories(dir.resolve("oom"));
        Files.write(d.resolve("big.png"), pngHeader(20_000, 20_000));   // a 400 MB raster, in a 64 MB heap
        Path log = dir.resolve("oom.log");
        Process p = child("-Xmx64m", log, "eval", "--ir-dir", d.toString(), "--vis-dir", d.toString(),
                "--fused-dir", "A=" + d, "--out", dir.resolve("oom-out/r.csv").toString(), "--threads", "1",
                "--max-megapixels", "1000");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("big.png") && out.contains("20000x20000") && out.contains("-Xmx"), out);
        assertFalse(out.contains("OutOfMemoryError") || out.contains("internal error"), out);
    }

    // ---- hostile inputs ------------------------------------------------------------------------------------

    @Test
    void hostileInputsEndInOneLineNamingTheFile() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Path bomb = Files.write(bad.resolve("bomb.png"), pngHeader(60_000, 60_000));
        Path empty = Files.write(bad.resolve("empty.png"), new byte[0]);
        Path text = Files.writeString(bad.resolve("text.jpg"), "GIF89a? no, just text");
        Path folder = Files.createDirectories(bad.resolve("folder.png"));
        byte[] jpeg = ImageWriter.encode(SyntheticScenes.random(160, 120, 1, false).visible(), "jpeg", 0.9f);
        Path cut = Files.write(bad.resolve("cut.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
        Path vis = visDir.resolve("p00.png");
        for (Path input : new Path[] {bomb, empty, text, folder, cut}) {
            Path out = dir.resolve("bad-out/" + input.getFileName() + ".png");
            CliRun r = CliRun.of("fuse", "--ir", input.toString(), "--vis", vis.toString(), "-o", out.toString(),
                    "--model", model.toString());
            assertEquals(2, r.exitCode(), input + ": " + r.err());
            assertTrue(r.err().contains(input.getFileName().toString()) && r.err().lines().count() == 1,
                    input + ": " + r.err());
            assertFalse(Files.exists(out));
        }
        // A damaged checkpoint: resume says so (no OutOfMemoryError, no shape message).
        Path run = dir.resolve("bad-run");
        String[] train = {"train", "--synthetic", "2", "--width", "nano", "--steps", "2", "--batch", "1", "--crop",
            "32:32", "--checkpoint-every", "1", "--run-dir", run.toString()};
        assertEquals(0, CliRun.of(train).exitCode());
        byte[] ck = Files.readAllBytes(run.resolve("checkpoint.bin"));
        ByteBuffer.wrap(ck).putInt(28, Integer.MAX_VALUE);   // the network count, inside the checksummed payload
        Files.write(run.resolve("checkpoint.bin"), ck);
        List<String> resume = new ArrayList<>(List.of(train));
        resume.add("--resume");
        CliRun r = CliRun.of(resume.toArray(new String[0]));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("checkpoint.bin") && r.err().contains("damaged"), r.err());
        // A model folder whose card lost its digest or whose parameters were cut.
        Path cutModel = dir.resolve("cut-model");
        Files.createDirectories(cutModel);
        Files.copy(model.resolve("model-card.json"), cutModel.resolve("model-card.json"));
        byte[] params = Files.readAllBytes(model.resolve("fusion.params"));
        Files.write(cutModel.resolve("fusion.params"), java.util.Arrays.copyOf(params, params.length / 2));
        CliRun m = CliRun.of("fuse", "--ir", irDir.resolve("p00.png").toString(), "--vis", vis.toString(), "-o",
                dir.resolve("bad-out/m.png").toString(), "--model", cutModel.toString());
        assertEquals(2, m.exitCode(), m.err());
        assertTrue(m.err().contains("fusion.params") && m.err().contains("does not match its card"), m.err());
    }
}
