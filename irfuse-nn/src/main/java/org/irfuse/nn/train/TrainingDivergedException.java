package org.irfuse.nn.train;

import java.io.IOException;

/**
 * Training produced a non-finite loss, gradient or parameter. Not a bug in irfuse but a property of the settings
 * (usually a learning rate too high for the data), so it is reported like bad input: one line, no stack trace.
 * Nothing non-finite is checkpointed or saved, so the last checkpoint stays usable.
 */
public final class TrainingDivergedException extends IOException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
