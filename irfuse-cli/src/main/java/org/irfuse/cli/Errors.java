package org.irfuse.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns the exceptions a user can cause (bad files, existing outputs, bad options) into one clear line on
 * stderr and a non-zero exit, instead of a stack trace. Anything else is a bug and keeps its trace.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    /** Exit code when some items of a batch failed (each named on its own line) and the others were done. */
    static final int PARTIAL_FAILURE = 1;
    /** Exit code for user errors (bad input, refused overwrite, bad option, diverged training). */
    static final int USER_ERROR = 2;
    /** Exit code for a bug in irfuse (the stack trace is printed; please report it). */
    static final int INTERNAL_ERROR = 3;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        String msg = describe(t);
        if (msg != null) {
            cl.getErr().println("irfuse: error: " + msg);
            return USER_ERROR;
        }
        cl.getErr().println("irfuse: internal error: " + t);
        t.printStackTrace(cl.getErr());
        return INTERNAL_ERROR;
    }

    static String describe(Throwable t) {
        if (t instanceof UserException || t instanceof org.irfuse.nn.train.TrainingDivergedException) {
            return t.getMessage();
        }
        if (t instanceof FileAlreadyExistsException f) {
            if (f.getReason() == null && f.getFile() != null && java.nio.file.Files.isRegularFile(
                    java.nio.file.Path.of(f.getFile()))) {
                // Files.createDirectories met a file where the path needs a folder.
                return f.getFile() + " is a file, not a folder; choose another output location";
            }
            return f.getFile() + " already exists; pass --overwrite to replace it";
        }
        if (t instanceof NoSuchFileException f) {
            return f.getFile() + ": " + (f.getReason() == null ? "not found" : f.getReason());
        }
        if (t instanceof IOException) {
            return t.getMessage();
        }
        if (t instanceof IllegalArgumentException) {
            return t.getMessage();
        }
        return null;
    }
}
