package org.irfuse.nn.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.nn.modules.SegmentationNetwork;

/**
 * Segmentation as the lower-level task of METHOD.md: {@code L_task(ω_T; C(Ŷ, V))} is the per-pixel cross-entropy
 * of a {@link SegmentationNetwork} on the colour fused image against the batch's class-index labels, averaged over
 * all pixels of the batch. Labels outside 0..classes-1 are an error (no ignore index: every pixel is labelled in
 * the synthetic scenes, the weak box labels and the MSRS/MFNet label PNGs).
 */
public final class SegmentationTask implements SemanticTask {
    private final SegmentationNetwork network;

    public SegmentationTask(SegmentationNetwork network) {
        this.network = network;
    }

    /** A fresh network of {@code classes} classes and first-level width {@code channels}, initialised. */
    public static SegmentationTask initialise(int classes, int channels, NDManager manager, DataType dataType) {
        SegmentationNetwork net = new SegmentationNetwork(classes, channels);
        net.initialize(manager, dataType, SegmentationNetwork.initShape());
        for (Pair<String, Parameter> p : net.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
        return new SegmentationTask(net);
    }

    @Override
    public String kind() {
        return "segmentation";
    }

    @Override
    public SegmentationNetwork network() {
        return network;
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray colour, CropSampler.Batch batch, NDManager scope,
            boolean training) {
        if (batch.labels() == null) {
            throw new IllegalArgumentException("segmentation needs per-pixel labels; this training data has none "
                    + "(use synthetic scenes, weak MSRS box labels or an MSRS/MFNet-layout dataset)");
        }
        NDArray logits = network.logits(ps, colour, training);
        NDArray labels = labels(batch, scope);
        return crossEntropy(logits, labels);
    }

    /** The batch's labels as an int64 N×H×W tensor, checked against the class count. */
    NDArray labels(CropSampler.Batch batch, NDManager scope) {
        int classes = network.classes();
        for (int v : batch.labels()) {
            if (v < 0 || v >= classes) {
                throw new IllegalArgumentException("label " + v + " is outside 0.." + (classes - 1) + " (the task "
                        + "has " + classes + " classes; set --classes)");
            }
        }
        return scope.create(batch.labels(), new Shape(batch.size(), batch.height(), batch.width()))
                .toType(DataType.INT64, false);
    }

    /** Mean over pixels of −log softmax(logits)[label]; logits N×K×H×W, labels N×H×W int64. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logProb = logits.logSoftmax(1);
        return logProb.gather(labels.expandDims(1), 1).mean().neg();
    }

    /** The predicted class per pixel, N×H×W int32 values in a Java array (row-major per sample). */
    public int[] predict(ParameterStore ps, NDArray colour) {
        NDArray logits = network.logits(ps, colour, false);
        return logits.argMax(1).toType(DataType.INT32, false).toIntArray();
    }
}
