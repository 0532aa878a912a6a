package org.irfuse.nn.train;

/**
 * Training produced a non-finite loss, gradient or parameter. Not a bug in irfuse but a property of the settings
 * (usually a learning rate too high for the data), so it is reported like bad input: one line, no stack trace.
 * Nothing non-finite is checkpointed or saved, so the last checkpoint stays usable. Unchecked because it is
 * raised inside a training step; the CLI prints it as one line with exit code 2.
 */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
