package org.irfuse.core.image;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is missing, unreadable, corrupt or not an image. The message always names the file. */
public class ImageFormatException extends IOException {
    private final Path file;

    public ImageFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ImageFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
