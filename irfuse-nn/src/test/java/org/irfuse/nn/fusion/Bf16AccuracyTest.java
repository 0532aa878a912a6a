package org.irfuse.nn.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.io.SharedData;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.core.pairs.ImagePair;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;
import org.junit.jupiter.api.Test;

/**
 * bf16 fusion of the shipped model against float32 on real pairs. Run in a child JVM: a native abort in the bf16
 * path (DJL 0.32 aborts the process on some bf16 calls, see runtime/Bfloat16) then fails this test, not the run.
 */
class Bf16AccuracyTest {
    /** The accuracy the issue asks for: the 8-bit fused image in bf16 within 45 dB PSNR of float32. */
    static final double MIN_PSNR_DB = 45.0;
    static final String[] SETS = {"msrs", "tno", "roadscene"};
    static final int PAIRS_PER_SET = 3;

    @Test
    void bf16FusionOfTheShippedModelIsWithin45DbOfFloat32OnRealPairs() throws Exception {
        assumeTrue(Precision.cpuHasBf16(), "skipped: this CPU has no native bf16 (avx512_bf16/amx_bf16)");
        assumeTrue(SharedData.resolve("msrs").isPresent(), SharedData.missingMessage("msrs"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                Probe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "child JVM timed out");
        assertEquals(0, p.exitValue(), "child JVM failed (a native abort shows here):\n" + out);
        List<Double> psnr = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("pair ")) {
                System.out.println("bf16 vs fp32 " + line);
                psnr.add(Double.parseDouble(line.replaceAll(".*psnr_db=(\\S+).*", "$1")));
            }
        }
        assertEquals(SETS.length * PAIRS_PER_SET, psnr.size(), out);
        for (double v : psnr) {
            assertTrue(v >= MIN_PSNR_DB, "bf16 vs fp32 PSNR " + v + " dB < " + MIN_PSNR_DB + ":\n" + out);
        }
        // Not identical either: the test would pass vacuously if bf16 silently fell back to float32.
        assertTrue(psnr.stream().anyMatch(v -> v < 120), "bf16 gave exactly the float32 images:\n" + out);
    }

    /** Child JVM: prints one line per pair. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            List<PrecisionCheck.Pair> pairs = new ArrayList<>();
            for (String set : SETS) {
                Path dir = SharedData.resolve(set).orElseThrow();
                List<ImagePair> found = FolderPairing.pair(dir.resolve("ir"), dir.resolve("vi")).pairs();
                for (ImagePair ip : found.subList(0, PAIRS_PER_SET)) {
                    Image ir = ImageReader.readInfrared(ip.infrared());
                    pairs.add(new PrecisionCheck.Pair(set + "/" + ip.name(), ir, ImageReader.read(ip.visible())));
                }
            }
            try (Compute c = Compute.cpu()) {
                FusionModel m = FusionModel.loadDefault(c);
                for (PrecisionCheck.PairResult r : PrecisionCheck.compare(m.network(), c, Precision.BF16, pairs)) {
                    System.out.printf("pair %s psnr_db=%.2f max_abs_8bit=%d%n", r.name(), r.psnrDb(),
                            r.maxAbsDifference());
                }
            }
        }
    }
}
