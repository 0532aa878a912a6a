package org.irfuse.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Writes files so that a reader never sees half of one: the content goes to a temporary file in the same folder,
 * then replaces the target with one atomic rename. A kill mid-write leaves the previous file (or none) intact.
 */
public final class AtomicFiles {
    /** Writes the content of one file to the given (temporary) path. */
    @FunctionalInterface
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically. Refuses to replace an existing file unless {@code overwrite}.
     *
     * @throws FileAlreadyExistsException when the target exists and {@code overwrite} is false
     */
    public static void write(Path target, boolean overwrite, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (!overwrite && Files.exists(abs)) {
            throw new FileAlreadyExistsException(abs.toString(), null, "exists; pass --overwrite to replace it");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new java.nio.file.NotDirectoryException(abs + ": cannot be written, " + e.getFile()
                    + " is a file, not a folder");
        }
        // Not Files.createTempFile: it creates mode 0600, which the rename would carry to the result; a fresh
        // unique name lets the writer create the file under the user's umask like any other output.
        Path tmp = dir.resolve("." + abs.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            writer.write(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeString(Path target, boolean overwrite, String content) throws IOException {
        write(target, overwrite, tmp -> Files.writeString(tmp, content));
    }

    public static void writeBytes(Path target, boolean overwrite, byte[] content) throws IOException {
        write(target, overwrite, tmp -> Files.write(tmp, content));
    }

    /** {@link #write} for lambdas that cannot throw checked exceptions. */
    public static void writeUnchecked(Path target, boolean overwrite, Writer writer) {
        try {
            write(target, overwrite, writer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
