package org.irfuse.nn.bilevel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.List;
import java.util.Map;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.image.Image;
import org.irfuse.nn.modules.Convolutions;
import org.irfuse.nn.runtime.MixedPrecision;
import org.irfuse.nn.task.MfNetSegmentationTask;
import org.irfuse.nn.task.SemanticTask;

/**
 * A tiny segmentation task for the exact-algebra tests of the hypergradient: 3×3 conv 3→4, ReLU, 1×1 conv to 9
 * class scores, per-pixel cross-entropy. Small enough to run in float64 (the pretrained tasks are float32 and far
 * larger); the trainer, objectives and hypergradient see it through {@link SemanticTask} like any task.
 */
final class TinySegmentationTask implements SemanticTask {
    static final int CLASSES = 9;
    private final SequentialBlock network = new SequentialBlock()
            .add(Convolutions.same(4, 3))
            .add(Activation::relu)
            .add(Convolutions.pointwise(CLASSES, true));

    TinySegmentationTask(NDManager manager, DataType dataType) {
        network.initialize(manager, dataType, new Shape(1, 3, 16, 16));
        for (Pair<String, Parameter> p : network.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
    }

    @Override
    public String kind() {
        return "segmentation";
    }

    @Override
    public Block network() {
        return network;
    }

    NDArray logits(ParameterStore ps, NDArray colour, boolean training) {
        return network.forward(ps, new NDList(colour), training).singletonOrThrow();
    }

    @Override
    public NDArray loss(MixedPrecision precision, NDArray colour, CropSampler.Batch batch, NDManager scope,
            boolean training) {
        ParameterStore ps = precision.weights(scope);
        NDArray labels = scope.create(batch.labels(), new Shape(batch.size(), batch.height(), batch.width()))
                .toType(DataType.INT64, false);
        return MfNetSegmentationTask.crossEntropy(logits(ps, colour, training), labels);
    }

    @Override
    public Map<String, Object> score(List<PairSample> samples, List<Image> colour) {
        throw new UnsupportedOperationException("the tiny task is for gradient algebra, not for scoring");
    }
}
