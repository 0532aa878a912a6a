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

    /** For images that are not local files (read from bytes); {@link #file()} is then null. */
    public ImageFormatException(String name, String problem) {
        super(name + ": " + problem);
        this.file = null;
    }

    public ImageFormatException(String name, String problem, Throwable cause) {
        super(name + ": " + problem, cause);
        this.file = null;
    }

    /** The local file, or null for an image read from bytes. */
    public Path file() {
        return file;
    }
}
