package org.irfuse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A problem with what the user asked for; printed as one line, exit code {@link Errors#USER_ERROR}. */
public final class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    /**
     * Refuses an existing output before any work starts (the atomic writers refuse it again at write time), with
     * the same message {@link Errors} gives for a refused write; and an output that cannot be written at all
     * ({@link #refuseUnwritable}), so that a long run does not fail only when it writes its result.
     */
    public static void refuseExisting(java.nio.file.Path output, boolean overwrite) {
        if (output != null && !overwrite && java.nio.file.Files.exists(output)) {
            throw new UserException(output + " already exists; pass --overwrite to replace it");
        }
        refuseUnwritable(output);
    }

    /**
     * Refuses an output file or folder whose location cannot be written: the nearest existing ancestor must be a
     * writable folder (a file there, a read-only folder or a read-only file system is named in the message).
     * Root passes permission bits, so this can only be as strict as the operating system is.
     */
    public static void refuseUnwritable(Path output) {
        if (output == null) {
            return;
        }
        Path abs = output.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            if (!Files.isWritable(abs)) {
                throw new UserException(output + ": folder is not writable");
            }
            return;
        }
        if (Files.exists(abs) && !Files.isWritable(abs)) {
            throw new UserException(output + ": file is not writable");
        }
        Path p = abs.getParent();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return;
        }
        if (!Files.isDirectory(p)) {
            throw new UserException(output + ": cannot be written, " + p + " is a file, not a folder");
        }
        if (!Files.isWritable(p)) {
            throw new UserException(output + ": cannot be written, folder " + p + " is not writable");
        }
    }

    /**
     * Refuses an output (file or folder) that is one of the inputs, through any spelling, symbolic link or hard
     * link: with {@code --overwrite} it would replace the source, and a folder run would write over every input.
     */
    public static void refuseInput(Path output, Path... inputs) {
        if (output == null) {
            return;
        }
        for (Path in : inputs) {
            if (in != null && sameFile(output, in)) {
                throw new UserException(output + " is also an input (" + in + "); choose another output so the "
                        + "input is not replaced");
            }
        }
    }

    static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
