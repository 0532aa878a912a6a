package org.irfuse.nn.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.segmentation.LabelMap;
import org.irfuse.nn.detection.DetectorInput;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.InferencePrecision;
import org.irfuse.nn.runtime.Precision;

/**
 * Runs {@link MfNet} on a colour image (visible or fused; a gray one is replicated to three channels) and its
 * infrared image: both padded with zeros at the bottom/right to a multiple of 16, logits cropped back, argmax per
 * pixel (ties to the lower class index, as {@code torch.argmax}).
 */
public final class MfNetSegmenter implements AutoCloseable {
    private final MfNet network;
    private final Compute compute;
    private final InferencePrecision inference;

    /** A float32 segmenter (exact; its weights may change between calls, as in fine-tuning). */
    public MfNetSegmenter(MfNet network, Compute compute) {
        this(network, compute, Precision.FP32);
    }

    /** @param precision {@link Precision#BF16} runs MFNet in bf16 with weights cast once, here (frozen judge) */
    public MfNetSegmenter(MfNet network, Compute compute, Precision precision) {
        this.network = network;
        this.compute = compute;
        this.inference = new InferencePrecision(compute, precision);
    }

    /** The class map of one (colour, infrared) pair of equal size. */
    public LabelMap segment(Image colour, Image infrared) {
        if (!colour.sameSize(infrared)) {
            throw new IllegalArgumentException("colour image " + colour.sizeString() + " and infrared image "
                    + infrared.sizeString() + " differ in size");
        }
        int w = colour.width();
        int h = colour.height();
        Image rgb = Padding.BOTTOM_RIGHT.pad(DetectorInput.threeChannels(colour), MfNet.SIZE_MULTIPLE, 0).image();
        Image ir = Padding.BOTTOM_RIGHT.pad(infrared.channels() == 1 ? infrared : ImageReader.toGray(infrared),
                MfNet.SIZE_MULTIPLE, 0).image();
        int pw = rgb.width();
        int ph = rgb.height();
        float[] in = new float[4 * pw * ph];
        System.arraycopy(rgb.data(), 0, in, 0, 3 * pw * ph);
        System.arraycopy(ir.data(), 0, in, 3 * pw * ph, pw * ph);
        float[] logits;
        try (NDManager step = compute.newStep()) {
            logits = network.logits(inference, step.create(in, new Shape(1, 4, ph, pw))).toFloatArray();
        }
        int k = MfNet.CLASSES;
        int plane = pw * ph;
        int[] classes = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int best = 0;
                float bestValue = logits[y * pw + x];
                for (int c = 1; c < k; c++) {
                    float v = logits[c * plane + y * pw + x];
                    if (v > bestValue) {
                        bestValue = v;
                        best = c;
                    }
                }
                classes[y * w + x] = best;
            }
        }
        return new LabelMap(w, h, classes);
    }

    /** Frees the bf16 weight copies (nothing in float32). */
    @Override
    public void close() {
        inference.close();
    }
}
