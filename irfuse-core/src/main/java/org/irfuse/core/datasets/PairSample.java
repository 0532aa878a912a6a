package org.irfuse.core.datasets;

/**
 * One training pair in memory, full size, row-major planes in [0,1]: infrared {@code ir}, visible luminance
 * {@code y} and chroma {@code cb}/{@code cr} (equal to 0.5 for gray visible images), the saliency target
 * {@code target} (M of METHOD.md, computed once per pair), and optionally per-pixel class labels.
 */
public record PairSample(String name, int width, int height, float[] ir, float[] y, float[] cb, float[] cr,
        float[] target, int[] labels) {

    public boolean hasLabels() {
        return labels != null;
    }
}
