package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.synthetic.SyntheticScenes;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress bars only on a terminal, {@code --quiet}, and {@code fuse --json}'s one summary on stdout. */
class QuietJsonTest {
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
        ir = Files.createDirectories(dir.resolve("ir"));
        vis = Files.createDirectories(dir.resolve("vi"));
        for (String name : new String[] {"a", "b", "c"}) {
            SyntheticScenes.Scene s = SyntheticScenes.random(64, 48, name.charAt(0), false);
            ImageWriter.write(s.infrared(), ir.resolve(name + ".png"), false);
            ImageWriter.write(s.visible(), vis.resolve(name + ".png"), false);
        }
        // c's visible image is cut short: that pair fails, the others are written.
        byte[] whole = Files.readAllBytes(vis.resolve("c.png"));
        Files.write(vis.resolve("c.png"), Arrays.copyOf(whole, whole.length / 2));
    }

    @AfterEach
    void detect() {
        Progress.terminalOverride = null;
    }

    private CliRun fuseFolders(String out, String... extra) {
        String[] base = {"fuse", "--ir-dir", ir.toString(), "--vis-dir", vis.toString(), "--out-dir",
            dir.resolve(out).toString(), "--model", model.toString(), "--precision", "fp32"};
        String[] args = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void jsonIsOneSummaryOnStdoutNamingOutputsAndFailures() {
        CliRun r = fuseFolders("json", "--json");
        assertEquals(1, r.exitCode(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(1, r.out().strip().split("\n").length, "one line: " + r.out());
        assertEquals(3, o.get("pairs").getAsInt());
        assertEquals(2, o.get("done").getAsInt());
        assertEquals(1, o.get("failed").getAsInt());
        assertEquals("c", o.getAsJsonArray("failures").get(0).getAsJsonObject().get("pair").getAsString());
        assertEquals(2, o.getAsJsonArray("outputs").size());
        for (var e : o.getAsJsonArray("outputs")) {
            assertTrue(Files.isRegularFile(Path.of(e.getAsString())), e.getAsString());
        }
        assertEquals(o.get("done").getAsDouble() / o.get("seconds").getAsDouble(),
                o.get("pairsPerSecond").getAsDouble(), 0.05 * o.get("pairsPerSecond").getAsDouble() + 0.002);
        assertEquals(org.irfuse.core.Version.get(), o.get("irfuseVersion").getAsString());
        // Status and errors stay on stderr.
        assertTrue(r.err().contains("fused 2 of 3 pairs") && r.err().contains("pair c:"), r.err());

        Path one = dir.resolve("one.png");
        CliRun s = CliRun.of("fuse", "--ir", ir.resolve("a.png").toString(), "--vis", vis.resolve("a.png").toString(),
                "-o", one.toString(), "--model", model.toString(), "--json");
        assertEquals(0, s.exitCode(), s.err());
        JsonObject so = JsonParser.parseString(s.out()).getAsJsonObject();
        assertEquals(1, so.get("done").getAsInt());
        assertEquals(one.toString(), so.getAsJsonArray("outputs").get(0).getAsString());
    }

    @Test
    void barsOnlyOnATerminalAndNeverWithQuiet() {
        // Not a terminal (surefire's stderr is a pipe): no bar, the status line remains.
        CliRun plain = fuseFolders("plain");
        assertFalse(plain.err().contains("100%"), plain.err());
        assertTrue(plain.err().contains("fused 2 of 3 pairs"), plain.err());
        assertEquals("", plain.out());

        Progress.terminalOverride = true;
        CliRun tty = fuseFolders("tty");
        assertTrue(tty.err().contains("fuse 100%"), tty.err());

        // --quiet: no bar even on a terminal and no status line; the failed pair is still reported.
        CliRun quiet = fuseFolders("quiet", "--quiet");
        assertEquals(1, quiet.exitCode());
        assertFalse(quiet.err().contains("100%") || quiet.err().contains("fused"), quiet.err());
        assertTrue(quiet.err().contains("irfuse: error: pair c:"), quiet.err());
        assertEquals(2, dir.resolve("quiet").toFile().list().length, "quiet changes the output, not the work");
    }
}
