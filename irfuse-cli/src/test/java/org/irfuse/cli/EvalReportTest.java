package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.irfuse.core.io.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code irfuse eval --report}: the evaluation and its HTML page in one run. */
class EvalReportTest {
    @TempDir
    Path dir;

    @Test
    void evalWritesItsPageBesideTheTables() throws Exception {
        Optional<Path> tno = SharedData.resolve("tno");
        assumeTrue(tno.isPresent(), SharedData.missingMessage("tno"));
        // Two TNO pairs, copied by name into a temporary set of folders (the shared data stays where it is).
        for (String sub : new String[] {"ir", "vi", "fused/DenseFuse", "fused/U2Fusion"}) {
            Files.createDirectories(dir.resolve(sub));
            for (String n : new String[] {"05.png", "09.png"}) {
                Files.createSymbolicLink(dir.resolve(sub).resolve(n), tno.get().resolve(sub).resolve(n));
            }
        }
        Path page = dir.resolve("out/page.html");
        CliRun r = CliRun.of("eval", "--ir-dir", dir.resolve("ir").toString(), "--vis-dir",
                dir.resolve("vi").toString(), "--fused-dir", "DenseFuse=" + dir.resolve("fused/DenseFuse"),
                "--fused-dir", "U2Fusion=" + dir.resolve("fused/U2Fusion"), "--metrics", "EN,SD,Qabf", "--out",
                dir.resolve("out/r.csv").toString(), "--report", page.toString(), "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        String html = Files.readString(page);
        assertTrue(html.contains("DenseFuse") && html.contains("U2Fusion") && html.contains("Qabf"));
        assertTrue(html.contains("cddfuse"), "the page names the profile");
        // An existing page is not replaced without --overwrite, and nothing else is written then.
        Files.delete(dir.resolve("out/r.csv"));
        Files.delete(dir.resolve("out/r.json"));
        CliRun again = CliRun.of("eval", "--ir-dir", dir.resolve("ir").toString(), "--vis-dir",
                dir.resolve("vi").toString(), "--fused-dir", "DenseFuse=" + dir.resolve("fused/DenseFuse"),
                "--metrics", "EN", "--out", dir.resolve("out/r.csv").toString(), "--report", page.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("page.html"), again.err());
        assertFalse(Files.exists(dir.resolve("out/r.csv")));
    }
}
