package org.irfuse.spark;

import java.io.Serializable;

/**
 * One unit of work: a scene's infrared and visible files (qualified URIs) and, when the input table gives one,
 * its label file (kept for the downstream job; fusion and metrics ignore it).
 */
public record PairTask(String name, String infrared, String visible, String label) implements Serializable {
}
