package org.irfuse.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        cleanOrphans(dir);
        // Not Files.createTempFile: it creates mode 0600, which the rename would carry to the result; a fresh
        // unique name lets the writer create the file under the user's umask like any other output. The name
        // carries the writer's process id, so a later run can tell a killed writer's leftover from a live one.
        Path tmp = dir.resolve("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID() + ".tmp");
        try {
            try {
                writer.write(tmp);
            } catch (IOException e) {
                throw named(abs, e);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * An I/O error that names the file: a full disk gives a bare "No space left on device" from the stream,
     * which would not say which output failed.
     */
    public static IOException named(Path target, IOException e) {
        String msg = String.valueOf(e.getMessage());
        // Only the anonymous kinds: a subclass (a file system error, an unreadable input the writer was
        // reading) already names its file and must keep its type.
        boolean anonymous = e.getClass() == IOException.class || e instanceof javax.imageio.IIOException;
        if (!anonymous || msg.contains(target.getFileName().toString())) {
            return e;
        }
        // ImageIO wraps the cause ("I/O error writing PNG file!"); the innermost message says what happened.
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !msg.contains(root.getMessage())) {
            msg += ": " + root.getMessage();
        }
        return new IOException(target + ": cannot write (" + msg + ")", e);
    }

    /** Temporary files of this class: {@code .NAME.PID-UUID.tmp}. */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.(\\d+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}"
            + "-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp");
    private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();

    /**
     * Deletes the temporary files a killed writer left in {@code dir} (their process is gone), once per folder and
     * process: a kill -9 between write and rename otherwise leaves a hidden {@code .tmp} file behind for good.
     * Files of live processes, and any file not named like ours, are left alone.
     */
    static void cleanOrphans(Path dir) {
        if (!CLEANED.add(dir) || !Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path f : files) {
                Matcher m = TEMPORARY.matcher(f.getFileName().toString());
                if (m.matches() && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    long pid = Long.parseLong(m.group(1));
                    if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Cleaning is a courtesy: an unreadable folder fails the write itself, with its own message.
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
