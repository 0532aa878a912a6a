package org.irfuse.cli;

/** A problem with what the user asked for; printed as one line, exit code {@link Errors#USER_ERROR}. */
public final class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }
}
