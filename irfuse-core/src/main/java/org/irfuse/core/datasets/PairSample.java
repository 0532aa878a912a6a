package org.irfuse.core.datasets;

import java.util.List;
import org.irfuse.core.detection.Box;

/**
 * One training pair in memory, full size, row-major planes in [0,1]: infrared {@code ir}, visible luminance
 * {@code y} and chroma {@code cb}/{@code cr} (equal to 0.5 for gray visible images), the saliency target
 * {@code target} (M of METHOD.md, computed once per pair), and optionally per-pixel class labels and object
 * boxes (pixel coordinates) for the semantic task.
 */
public record PairSample(String name, int width, int height, float[] ir, float[] y, float[] cb, float[] cr,
        float[] target, int[] labels, List<Box> boxes) {

    public boolean hasLabels() {
        return labels != null;
    }

    public boolean hasBoxes() {
        return boxes != null;
    }

    /** The same sample with ground truth attached (either may be null). */
    public PairSample withTruth(int[] newLabels, List<Box> newBoxes) {
        return new PairSample(name, width, height, ir, y, cb, cr, target, newLabels, newBoxes);
    }
}
