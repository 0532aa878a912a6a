package org.irfuse.nn.bilevel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.runtime.MixedPrecision;
import org.irfuse.nn.train.BatchArrays;

/**
 * One batch of a bi-level step as tensors in the step's manager, with Ŷ computed once outside any gradient
 * collector and detached: the lower level holds θ fixed, so its objectives use this constant Ŷ and no backward
 * pass runs through the fusion network for them. Ŷ is made in the run's precision, as every other Ŷ of the step.
 */
public record TrainingBatch(CropSampler.Batch raw, BatchArrays arrays, NDManager scope, NDArray fusedDetached) {

    public static TrainingBatch of(CropSampler.Batch raw, NDManager scope, DataType dataType, FusionNetwork fusion,
            MixedPrecision precision) {
        BatchArrays arrays = BatchArrays.of(raw, scope, dataType);
        NDArray fused = fusion.fuse(precision, scope, arrays.infrared(), arrays.luminance(), false).stopGradient();
        return new TrainingBatch(raw, arrays, scope, fused);
    }
}
