package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11 item 16: bin/irfuse works when called through a symbolic link. */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void theLauncherFindsTheJarThroughASymbolicLink() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path launcher = repo.resolve("bin/irfuse");
        Path link = Files.createSymbolicLink(dir.resolve("irfuse"), launcher);
        ProcessBuilder pb = new ProcessBuilder(link.toString(), "--version").redirectErrorStream(true);
        pb.environment().remove("IRFUSE_JAR");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // With the jar built it runs; without, it names the jar where the repository keeps it, not beside the link.
        assertFalse(out.contains(dir.toString()), out);
        assertTrue(p.exitValue() == 0 ? out.contains("irfuse") : out.contains(repo.resolve("irfuse-cli/target")
                .toString()), out);
    }
}
