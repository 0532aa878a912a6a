package org.irfuse.cli;

/** A problem with what the user asked for; printed as one line, exit code {@link Errors#USER_ERROR}. */
public final class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    /**
     * Refuses an existing output before any work starts (the atomic writers refuse it again at write time), with
     * the same message {@link Errors} gives for a refused write.
     */
    public static void refuseExisting(java.nio.file.Path output, boolean overwrite) {
        if (output != null && !overwrite && java.nio.file.Files.exists(output)) {
            throw new UserException(output + " already exists; pass --overwrite to replace it");
        }
    }
}
