package org.irfuse.nn.loss;

import ai.djl.ndarray.NDArray;

/**
 * What a fusion loss term may look at, all N×1×H×W in one manager and one data type: the fused luminance Ŷ (the
 * only one with a gradient), the infrared image I, the visible luminance Y and the saliency target M of METHOD.md.
 */
public record LossInputs(NDArray fused, NDArray infrared, NDArray luminance, NDArray target) {
}
