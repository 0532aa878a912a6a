package org.irfuse.core.align;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An alignment whose estimate is not trustworthy ({@link AlignmentQuality#trusted()} false). An
 * {@link IOException} like the project's other bad-input errors, so commands report it as one line naming both
 * files, and folder runs list it with the other failed pairs.
 */
public final class UntrustedAlignmentException extends IOException {
    private final transient AlignmentQuality quality;

    public UntrustedAlignmentException(Path infrared, Path visible, AlignmentQuality quality) {
        super("cannot align " + infrared + " to " + visible + ": " + quality.reason());
        this.quality = quality;
    }

    public AlignmentQuality quality() {
        return quality;
    }
}
