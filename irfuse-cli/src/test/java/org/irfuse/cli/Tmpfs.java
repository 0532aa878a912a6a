package org.irfuse.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a test (full disk, read-only outputs): needs root and a {@code mount} that works in
 * this sandbox; {@link #mount} answers empty otherwise and the test skips, saying so.
 */
final class Tmpfs implements AutoCloseable {
    static final String UNAVAILABLE = "needs root and tmpfs mounts (CI runs as root); skipped here";
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code kilobytes} at a fresh folder under {@code parent}, read-only when asked. */
    static Optional<Tmpfs> mount(Path parent, long kilobytes, boolean readOnly) {
        try {
            if (!"root".equals(System.getProperty("user.name"))) {
                return Optional.empty();
            }
            Path dir = Files.createTempDirectory(parent, "tmpfs");
            String opts = "size=" + kilobytes + "k" + (readOnly ? ",ro" : "");
            if (run("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir.toString()) != 0) {
                return Optional.empty();
            }
            return Optional.of(new Tmpfs(dir));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    Path dir() {
        return dir;
    }

    static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
                ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @Override
    public void close() throws Exception {
        run("umount", "-l", dir.toString());
        Files.deleteIfExists(dir);
    }
}
