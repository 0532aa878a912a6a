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
    /** Exit code for user errors (bad input, refused overwrite). */
    static final int USER_ERROR = 2;

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
        return 1;
    }

    static String describe(Throwable t) {
        if (t instanceof UserException) {
            return t.getMessage();
        }
        if (t instanceof FileAlreadyExistsException f) {
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
