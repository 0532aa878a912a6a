package org.irfuse.cli.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.irfuse.core.io.AtomicFiles;

/**
 * A report page and its {@code <page>_files/} folder of full-size images, written so that a failure leaves no
 * output behind: the folder is filled under a temporary name and renamed just before the page itself is
 * (atomically) moved into place.
 */
final class PageOutput implements AutoCloseable {
    /** Writes the page's HTML. */
    @FunctionalInterface
    interface Body {
        void write(Writer out) throws IOException;
    }

    private final Path page;
    private final boolean overwrite;
    private final Path filesDir;
    private Path staging;

    /** @throws FileAlreadyExistsException before any work when the page exists and overwrite is off */
    PageOutput(Path page, boolean overwrite) throws IOException {
        this.page = page.toAbsolutePath().normalize();
        this.overwrite = overwrite;
        if (!overwrite && Files.exists(this.page)) {
            throw new FileAlreadyExistsException(this.page.toString(), null, "exists; pass --overwrite to replace it");
        }
        if (Files.isDirectory(this.page)) {
            throw new IOException(this.page + " is a folder; give a file name such as report.html");
        }
        String name = this.page.getFileName().toString();
        int dot = name.lastIndexOf('.');
        this.filesDir = this.page.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "_files");
    }

    Path page() {
        return page;
    }

    Path filesDir() {
        return filesDir;
    }

    String filesDirName() {
        return filesDir.getFileName().toString();
    }

    /** The temporary folder full-size images go into until the page is complete. */
    Path staging() throws IOException {
        if (staging == null) {
            Files.createDirectories(page.getParent());
            staging = Files.createTempDirectory(page.getParent(), "." + filesDirName() + ".");
        }
        return staging;
    }

    /** Writes the page (and moves the files folder into place when images were staged). */
    void write(Body body) throws IOException {
        AtomicFiles.write(page, overwrite, tmp -> {
            try (Writer out = new BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8), 1 << 16)) {
                body.write(out);
            }
            // Temp files are created owner-only; a report is meant to be opened and shared like any document.
            shareable(tmp, "rw-r--r--");
            if (staging != null) {
                if (Files.exists(filesDir)) {
                    if (!overwrite) {
                        throw new FileAlreadyExistsException(filesDir.toString(), null,
                                "exists; pass --overwrite to replace it");
                    }
                    deleteTree(filesDir);
                }
                shareable(staging, "rwxr-xr-x");
                try (Stream<Path> files = Files.list(staging)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        shareable(f, "rw-r--r--");
                    }
                }
                Files.move(staging, filesDir, StandardCopyOption.ATOMIC_MOVE);
                staging = null;
            }
        });
    }

    /** Removes the staged images if the page was never written. */
    @Override
    public void close() throws IOException {
        if (staging != null) {
            deleteTree(staging);
            staging = null;
        }
    }

    /** Sets POSIX permissions where the file system has them (not on Windows). */
    private static void shareable(Path p, String permissions) throws IOException {
        if (Files.getFileStore(p).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions));
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
