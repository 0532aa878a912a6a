package org.irfuse.nn.detection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.irfuse.core.detection.Box;
import org.irfuse.core.image.Image;
import org.irfuse.nn.runtime.Compute;

/** Runs a {@link DetectorNetwork} on whole images and decodes its outputs ({@link FcosDecoder}). */
public final class Detector {
    private final DetectorNetwork network;
    private final Compute compute;
    private final FcosDecoder.Settings settings;

    public Detector(DetectorNetwork network, Compute compute, FcosDecoder.Settings settings) {
        this.network = network;
        this.compute = compute;
        this.settings = settings;
    }

    /** Boxes (pixel coordinates of {@code image}) of one image; gray images are replicated to 3 channels. */
    public List<Box> detect(Image image) {
        Image rgb = DetectorInput.threeChannels(image).clamped();
        int h = rgb.height();
        int w = rgb.width();
        try (NDManager step = compute.newStep()) {
            NDArray x = step.create(rgb.data(), new Shape(1, 3, h, w));
            DetectorNetwork.Outputs out = network.detect(compute.parameters(), x, false);
            return FcosDecoder.decode(out.classLogits().toFloatArray(), out.distances().toFloatArray(),
                    out.centernessLogits().toFloatArray(), Locations.of(h, w, network.strides()),
                    network.numClasses(), settings);
        }
    }

    public DetectorNetwork network() {
        return network;
    }
}
