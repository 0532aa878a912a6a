package org.irfuse.cli;

import org.irfuse.core.image.ImageReader;
import picocli.CommandLine.Option;

/**
 * {@code --max-megapixels}, shared by every command that reads images: the one image reader reads each file's
 * size from its header and refuses larger images before decoding (a 67-byte PNG can claim gigabytes).
 */
public final class ImageLimits {
    @Option(names = "--max-megapixels", paramLabel = "MP", defaultValue = "" + ImageReader.DEFAULT_MAX_MEGAPIXELS,
            description = "refuse images above this many megapixels, checked before decoding "
                    + "(about 16 bytes of heap per pixel are needed)")
    void setMaxMegapixels(double megapixels) {
        ImageReader.setMaxMegapixels(megapixels);
    }
}
