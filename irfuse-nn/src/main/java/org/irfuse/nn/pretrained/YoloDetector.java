package org.irfuse.nn.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.NonMaxSuppression;
import org.irfuse.core.image.Image;
import org.irfuse.nn.detection.DetectorInput;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.InferencePrecision;
import org.irfuse.nn.runtime.Precision;

/**
 * Runs a {@link YoloV5n} on whole images as YOLOv5's {@code val.py} does: the image (gray replicated to three
 * equal channels) padded to a multiple of 32 with gray 114/255 ({@link Padding}), one forward pass, then
 * YOLOv5's {@code non_max_suppression} in its multi-label form: every (box, class) pair whose score
 * {@code objectness · class probability} exceeds the threshold is a candidate, boxes converted from centre/size
 * to corners, moved back to the image and clipped to it; classes mapped to the dataset's ({@link ClassMapping},
 * others dropped); class-wise NMS ({@link NonMaxSuppression#applyPerClass}).
 */
public final class YoloDetector implements AutoCloseable {
    /** The letterbox gray of YOLOv5. */
    public static final float PAD_VALUE = 114f / 255f;

    /** Post-processing: YOLOv5's evaluation defaults are 0.001, 0.45, 300; its display threshold 0.25. */
    public record Settings(double scoreThreshold, double nmsIou, int maxPerClass, Padding padding) {
        public static Settings evaluation() {
            return new Settings(0.001, 0.45, 300, Padding.BOTTOM_RIGHT);
        }

        public Settings {
            if (!(scoreThreshold >= 0 && scoreThreshold < 1)) {
                throw new IllegalArgumentException("score threshold must be in [0, 1), got " + scoreThreshold);
            }
            if (!(nmsIou > 0 && nmsIou <= 1)) {
                throw new IllegalArgumentException("NMS IoU must be in (0, 1], got " + nmsIou);
            }
            if (maxPerClass < 1) {
                throw new IllegalArgumentException("the per-class detection limit must be positive");
            }
        }
    }

    private final YoloV5n network;
    private final Compute compute;
    private final ClassMapping classes;
    private final Settings settings;
    private final InferencePrecision inference;

    /** A float32 detector (exact; its weights may change between calls, as in fine-tuning). */
    public YoloDetector(YoloV5n network, Compute compute, ClassMapping classes, Settings settings) {
        this(network, compute, classes, settings, Precision.FP32);
    }

    /**
     * @param precision {@link Precision#BF16} runs the network in bf16 with weights cast once, here (frozen
     *     judges); the raw head outputs come back as float32 and are decoded in float32 (bf16 box coordinates
     *     would be off by up to 2 px at 640)
     */
    public YoloDetector(YoloV5n network, Compute compute, ClassMapping classes, Settings settings,
            Precision precision) {
        if (classes.sourceCount() != network.classes()) {
            throw new IllegalArgumentException("class map is for " + classes.sourceCount() + " classes, the "
                    + "detector has " + network.classes());
        }
        this.network = network;
        this.compute = compute;
        this.classes = classes;
        this.settings = settings;
        this.inference = new InferencePrecision(compute, precision);
    }

    public List<String> classNames() {
        return classes.targetClasses();
    }

    public ClassMapping classMapping() {
        return classes;
    }

    public Settings settings() {
        return settings;
    }

    /** Boxes of one image in its pixel coordinates and the dataset's classes, by decreasing score. */
    public List<Box> detect(Image image) {
        Image rgb = DetectorInput.threeChannels(image);
        Padding.Padded p = settings.padding().pad(rgb, YoloV5n.SIZE_MULTIPLE, PAD_VALUE);
        Image in = p.image();
        float[] pred;
        long boxes;
        try (NDManager step = compute.newStep()) {
            NDArray x = step.create(in.data(), new Shape(1, 3, in.height(), in.width()));
            NDArray out = network.predict(inference, compute.parameters(), x);
            boxes = out.getShape().get(1);
            pred = out.toFloatArray();
        }
        return decode(pred, (int) boxes, network.classes(), classes, settings, p.offsetX(), p.offsetY(),
                image.width(), image.height());
    }

    /**
     * Post-processing of one image's decoded output ({@code boxes × (5 + classes)}: cx, cy, w, h, objectness,
     * class probabilities), for an image placed at {@code (offsetX, offsetY)} of the network input.
     */
    static List<Box> decode(float[] pred, int boxes, int numClasses, ClassMapping map, Settings s, int offsetX,
            int offsetY, int width, int height) {
        int stride = 5 + numClasses;
        double thr = s.scoreThreshold();
        List<Box> candidates = new ArrayList<>();
        for (int i = 0; i < boxes; i++) {
            int o = i * stride;
            float objectness = pred[o + 4];
            if (!(objectness > thr)) {
                continue;
            }
            for (int c = 0; c < numClasses; c++) {
                int t = map.target(c);
                if (t < 0) {
                    continue;
                }
                double score = (double) objectness * pred[o + 5 + c];
                if (!(score > thr)) {
                    continue;
                }
                double cx = pred[o] - offsetX;
                double cy = pred[o + 1] - offsetY;
                double hw = pred[o + 2] / 2.0;
                double hh = pred[o + 3] / 2.0;
                double x0 = clip(cx - hw, width);
                double y0 = clip(cy - hh, height);
                double x1 = clip(cx + hw, width);
                double y1 = clip(cy + hh, height);
                candidates.add(new Box(x0, y0, x1, y1, t, score));
            }
        }
        return NonMaxSuppression.applyPerClass(candidates, s.nmsIou(), s.maxPerClass());
    }

    /** Frees the bf16 weight copies (nothing in float32). */
    @Override
    public void close() {
        inference.close();
    }

    private static double clip(double v, int max) {
        return Math.min(Math.max(v, 0), max);
    }
}
