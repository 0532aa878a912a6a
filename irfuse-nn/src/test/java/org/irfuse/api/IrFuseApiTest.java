package org.irfuse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageFormatException;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.io.SharedData;
import org.irfuse.core.metrics.Metric;
import org.irfuse.core.metrics.Profile;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API used exactly as the README's "Java API" section shows (the test checks it still does). */
class IrFuseApiTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path tmp;

    @Test
    void theReadmeExampleRunsAndGivesTheLibrarysResults() throws Exception {
        Path ir = REPO.resolve("samples/ir/street.png");
        Path vis = REPO.resolve("samples/vi/street.png");
        Path out = tmp.resolve("street-fused.png");
        // ---- from here on, line for line the README's example ----
        try (IrFuse fuse = IrFuse.open()) {                     // the model shipped in the jar, precision auto
            BufferedImage fused = fuse.fuse(ImageIO.read(ir.toFile()), ImageIO.read(vis.toFile()));
            fuse.fuse(ir, vis, out);                            // read, fuse, write (temporary file + rename)
            assertSamePixels(fused, ImageIO.read(out.toFile()), 1);
        }
        try (IrFuse fuse = IrFuse.builder().model("default").precision("fp32").threads(1).build()) {
            BufferedImage exact = fuse.fuse(ImageIO.read(ir.toFile()), ImageIO.read(vis.toFile()));
            ImageIO.write(exact, "png", out.resolveSibling("street-fp32.png").toFile());
        }
        Map<String, Double> scores = Metrics.evaluate(ir, vis, out, "cddfuse");   // {EN=..., SD=..., ...}
        // ---- end of the README's example ----

        // The fp32 result is the library's own Fuser, bit for bit (8-bit output of the same float32 fusion).
        try (Compute c = Compute.cpu(); Fuser direct = new Fuser(FusionModel.loadDefault(c).network(), c,
                Precision.FP32, Fuser.DEFAULT_TILE_ABOVE, Fuser.DEFAULT_TILE)) {
            Image expected = direct.fuse(ImageReader.readInfrared(ir), ImageReader.read(vis));
            assertSamePixels(org.irfuse.core.image.ImageWriter.toBufferedImage(expected),
                    ImageIO.read(out.resolveSibling("street-fp32.png").toFile()), 0);
        }
        assertEquals(Profile.CDDFUSE.metrics().stream().map(Metric::label).toList(), List.copyOf(scores.keySet()));
        assertTrue(scores.get("EN") > 5 && scores.get("EN") < 8, "entropy of a natural 8-bit image: " + scores);
        // Differing sizes are refused naming the file, not fused.
        Path small = tmp.resolve("small.png");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png", small.toFile());
        try (IrFuse fuse = IrFuse.open()) {
            ImageFormatException e = assertThrows(ImageFormatException.class,
                    () -> fuse.fuse(small, vis, tmp.resolve("x.png")));
            assertTrue(e.getMessage().startsWith(small.toString()), e.getMessage());
            assertTrue(!Files.exists(tmp.resolve("x.png")));
        }
    }

    @Test
    void theReadmeShowsThisTestsExample() throws Exception {
        String readme = Files.readString(REPO.resolve("README.md"));
        int start = readme.indexOf("```java\n", readme.indexOf("## Java API"));
        assertTrue(start > 0, "README has a Java API section with a java block");
        String block = readme.substring(start + 8, readme.indexOf("```", start + 8));
        String test = Files.readString(REPO.resolve(
                "irfuse-nn/src/test/java/org/irfuse/api/IrFuseApiTest.java"));
        String example = test.substring(test.indexOf("// ---- from here on"), test.indexOf("// ---- end of"));
        List<String> shown = new ArrayList<>();
        boolean in = false;
        for (String line : block.split("\n")) {
            in |= line.startsWith("try (");
            if (in && !line.isBlank()) {
                shown.add(line.strip());
            }
        }
        assertTrue(shown.size() >= 8, "example lines: " + shown);
        for (String line : shown) {
            assertTrue(example.contains(line), "README line not in the tested example: " + line);
        }
    }

    @Test
    void metricsOfATripleMatchTheTang2022Table() throws Exception {
        String table = "tno/metrics/tang_matlab_2022.csv";
        Optional<Path> csv = SharedData.resolve(table);
        assumeTrue(csv.isPresent(), SharedData.missingMessage(table));
        Path tno = csv.get().getParent().getParent();
        Map<String, Double> scores = Metrics.evaluate(tno.resolve("ir/05.png"), tno.resolve("vi/05.png"),
                tno.resolve("fused/DenseFuse/05.png"), "tang2022");
        int checked = 0;
        for (String line : Files.readAllLines(csv.get())) {
            String[] f = line.split(",");
            if (f[0].equals("05") && f[1].equals("DenseFuse")) {
                double ref = Double.parseDouble(f[3]);
                assertEquals(ref, scores.get(f[2]), 1e-9 * Math.abs(ref), f[2]);
                checked++;
            }
        }
        assertEquals(11, checked);
    }

    static void assertSamePixels(BufferedImage a, BufferedImage b, int tolerance) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        int worst = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    worst = Math.max(worst, Math.abs(((p >> s) & 255) - ((q >> s) & 255)));
                }
            }
        }
        assertTrue(worst <= tolerance, "largest difference " + worst + " grey levels");
    }
}
