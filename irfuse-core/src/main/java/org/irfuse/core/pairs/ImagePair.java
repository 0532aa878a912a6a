package org.irfuse.core.pairs;

import java.nio.file.Path;

/** An infrared file and a visible file of the same scene, paired by {@code name} (file name without extension). */
public record ImagePair(String name, Path infrared, Path visible) {
}
