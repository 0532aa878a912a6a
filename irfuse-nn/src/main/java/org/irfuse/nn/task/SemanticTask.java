package org.irfuse.nn.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import org.irfuse.nn.runtime.MixedPrecision;
import java.util.List;
import java.util.Map;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.image.Image;

/**
 * The lower-level semantic module ω_T of METHOD.md as the bi-level trainer sees it: a network fed with the colour
 * fused image C(Ŷ, V) and a scalar task loss {@code L_task(ω_T; C(Ŷ, V))}. Segmentation and detection implement
 * it; the trainer, the hypergradient and the aggregation are the same code for both.
 */
public interface SemanticTask {
    /** {@code segmentation} or {@code detection}. */
    String kind();

    /** The task network (initialised, parameters requiring gradients). */
    Block network();

    /**
     * The task loss of a batch.
     *
     * @param precision how the network runs: its float32 parameters, or bf16 casts of them (mixed precision; the
     *     loss itself is float32 either way)
     * @param colour the colour fused image, N×3×H×W in [0,1] (differentiable in the fusion network's parameters)
     * @param batch the batch the image was made from: its labels or boxes are the targets
     * @param scope the step's manager, for target tensors
     */
    NDArray loss(MixedPrecision precision, NDArray colour, CropSampler.Batch batch, NDManager scope, boolean training);

    /**
     * Held-out scores of the task network on whole samples, given each sample's colour fused image (keys
     * {@code heldout.*}: mAP for detection, mIoU for segmentation).
     */
    Map<String, Object> score(List<PairSample> samples, List<Image> colour);
}
