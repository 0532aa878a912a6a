package org.irfuse.nn.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.irfuse.nn.runtime.MixedPrecision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.DetectionEvaluator;
import org.irfuse.core.image.Image;
import org.irfuse.nn.pretrained.ClassMapping;
import org.irfuse.nn.pretrained.NpzWeights;
import org.irfuse.nn.pretrained.YoloDetector;
import org.irfuse.nn.pretrained.YoloLoss;
import org.irfuse.nn.pretrained.YoloV5n;
import org.irfuse.nn.runtime.Compute;

/**
 * Detection with the pretrained {@link YoloV5n} as the lower-level semantic module ω_T (and as the network
 * {@code irfuse train-detector --detector yolov5n} fine-tunes): the image (the colour fused image C(Ŷ, V) in the
 * bi-level trainer) padded at the bottom/right to a multiple of 32 with YOLOv5's gray 114/255 (box coordinates
 * unchanged), then {@link YoloLoss} against the batch's boxes, whose dataset classes become COCO classes through
 * the {@link ClassMapping} (MSRS person, bicycle, car = COCO 0, 1, 2). The padding is a concatenation, so the loss
 * stays differentiable in the image — the bi-level hypergradient runs through it into the fusion network.
 * BatchNorm uses the checkpoint's running statistics throughout (frozen, see the pretrained ConvBnAct).
 */
public final class YoloDetectionTask implements SemanticTask {
    private final YoloV5n network;
    private final ClassMapping classes;
    private final int[] networkClass;
    private final YoloLoss.Gains gains;
    private final Compute compute;

    /**
     * @param imageSize the nominal training image side for the objectness gain (img/640)² (the largest crop,
     *     rounded up to a multiple of 32)
     */
    public YoloDetectionTask(YoloV5n network, ClassMapping classes, int imageSize, Compute compute) {
        this.network = network;
        this.classes = classes;
        this.networkClass = YoloLoss.networkClasses(classes);
        this.gains = YoloLoss.Gains.scratchLow(network.classes(), YoloV5n.STRIDES.length, imageSize);
        this.compute = compute;
    }

    /** The first layer of YOLOv5n's neck: layers below it are the backbone (YOLOv5's {@code --freeze 10}). */
    public static final int BACKBONE_LAYERS = 10;

    /**
     * The parameters of {@code net} that train, in the network's order, with gradients switched on; with
     * {@code freezeBackbone} layers 0–9 take no gradient at all (which also saves their share of the backward
     * pass). BatchNorm running statistics are not parameters that train (frozen, see the pretrained ConvBnAct).
     */
    public static List<Parameter> trainable(YoloV5n net, boolean freezeBackbone) {
        List<Parameter> params = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : NpzWeights.parameters(net).entrySet()) {
            Parameter p = e.getValue();
            if (!p.requiresGradient()) {
                continue;
            }
            boolean frozen = freezeBackbone && layerOf(e.getKey()) < BACKBONE_LAYERS;
            p.getArray().setRequiresGradient(!frozen);
            if (!frozen) {
                params.add(p);
            }
        }
        return params;
    }

    private static int layerOf(String arrayName) {
        String[] parts = arrayName.split("\\.");
        return parts.length > 1 && parts[0].equals("layers") ? Integer.parseInt(parts[1]) : Integer.MAX_VALUE;
    }

    /** The training image size the gains use for crops up to {@code maxCrop}: rounded up to a multiple of 32. */
    public static int imageSize(int maxCrop) {
        return (maxCrop + YoloV5n.SIZE_MULTIPLE - 1) / YoloV5n.SIZE_MULTIPLE * YoloV5n.SIZE_MULTIPLE;
    }

    @Override
    public String kind() {
        return "detection";
    }

    @Override
    public YoloV5n network() {
        return network;
    }

    public ClassMapping classes() {
        return classes;
    }

    public YoloLoss.Gains gains() {
        return gains;
    }

    @Override
    public NDArray loss(MixedPrecision precision, NDArray colour, CropSampler.Batch batch, NDManager scope,
            boolean training) {
        return parts(precision, colour, batch, scope, training).total();
    }

    /**
     * The loss with its terms (for logging); {@code image} is N×3×H×W float32 in [0, 1]. In bf16 the network runs
     * channels-last on bf16 casts of its weights and the raw head outputs come back as float32, so the YOLOv5 loss
     * (CIoU, BCE) and its gradient into the outputs are float32.
     */
    public YoloLoss.Parts parts(MixedPrecision precision, NDArray image, CropSampler.Batch batch, NDManager scope,
            boolean training) {
        if (batch.boxes() == null) {
            throw new IllegalArgumentException("the detection task needs boxes: the training samples carry none "
                    + "(use --msrs-weak DIR or --synthetic N; segmentation datasets carry no boxes)");
        }
        NDArray x = pad(image, YoloV5n.SIZE_MULTIPLE, YoloDetector.PAD_VALUE);
        NDList raw = precision.output(network.raw(precision.weights(scope), precision.input(x), training));
        return YoloLoss.of(raw, batch.boxes(), networkClass, network.head().anchors(), YoloV5n.STRIDES, gains, scope);
    }

    /** N×C×H×W padded at the bottom and right to multiples of {@code multiple} with {@code value} (differentiable). */
    public static NDArray pad(NDArray x, int multiple, float value) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        long pw = (w + multiple - 1) / multiple * multiple;
        long ph = (h + multiple - 1) / multiple * multiple;
        NDArray out = x;
        if (pw > w) {
            NDArray right = x.getManager().full(new Shape(n, c, h, pw - w), value, x.getDataType());
            out = NDArrays.concat(new NDList(out, right), 3);
        }
        if (ph > h) {
            NDArray bottom = x.getManager().full(new Shape(n, c, ph - h, pw), value, x.getDataType());
            out = NDArrays.concat(new NDList(out, bottom), 2);
        }
        return out;
    }

    /**
     * Held-out mAP@0.5 and mAP@0.5:0.95 (VOC all-point, {@link DetectionEvaluator}) of the network on whole colour
     * images, with YOLOv5's evaluation post-processing ({@link YoloDetector.Settings#evaluation}).
     */
    @Override
    public Map<String, Object> score(List<PairSample> samples, List<Image> colour) {
        YoloDetector detector = new YoloDetector(network, compute, classes, YoloDetector.Settings.evaluation());
        DetectionEvaluator evaluator = new DetectionEvaluator(classes.targetClasses().size());
        for (int i = 0; i < samples.size(); i++) {
            PairSample s = samples.get(i);
            List<Box> truth = s.hasBoxes() ? s.boxes() : List.of();
            evaluator.add(s.name(), truth, detector.detect(colour.get(i)));
        }
        DetectionEvaluator.Result r = evaluator.evaluate();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heldout.mAP50", r.map50(false));
        out.put("heldout.mAP50to95", r.map50to95(false));
        out.put("heldout.detector", "yolov5n");
        return out;
    }
}
