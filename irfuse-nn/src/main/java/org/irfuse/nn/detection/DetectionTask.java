package org.irfuse.nn.detection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.task.SemanticTask;

/**
 * Detection as the lower-level semantic module ω_T of METHOD.md: the {@link DetectorNetwork} fed with the colour
 * fused image C(Ŷ, V), loss {@link FcosLoss} against the batch's boxes (crop coordinates, as
 * {@link CropSampler} moves, clips and flips them with the image).
 */
public final class DetectionTask implements SemanticTask {
    private final DetectorNetwork network;

    public DetectionTask(DetectorNetwork network) {
        this.network = network;
    }

    /** A freshly initialised detector task of {@code numClasses} classes (parameters in the compute root). */
    public static DetectionTask initialise(int numClasses, int width, int levels, Compute compute,
            DataType dataType) {
        DetectorNetwork net = new DetectorNetwork(numClasses, width, levels);
        net.initialize(compute.root(), dataType, DetectorNetwork.initShape());
        return new DetectionTask(net);
    }

    @Override
    public String kind() {
        return "detection";
    }

    @Override
    public Block network() {
        return network;
    }

    public DetectorNetwork detector() {
        return network;
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray colour, CropSampler.Batch batch, NDManager scope,
            boolean training) {
        return parts(ps, colour, batch, scope, training).total();
    }

    /** The loss with its three terms (for logging). */
    public FcosLoss.Parts parts(ParameterStore ps, NDArray colour, CropSampler.Batch batch, NDManager scope,
            boolean training) {
        List<List<org.irfuse.core.detection.Box>> boxes = batch.boxes();
        if (boxes == null) {
            throw new IllegalArgumentException("the detection task needs boxes: the training samples carry none "
                    + "(give detection labels with the data)");
        }
        DetectorNetwork.Outputs out = network.detect(ps, colour, training);
        return FcosLoss.of(out, boxes, batch.height(), batch.width(), network.numClasses(), network.strides(),
                scope);
    }
}
