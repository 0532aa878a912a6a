package org.irfuse.nn.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.irfuse.nn.runtime.MixedPrecision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.image.Image;
import org.irfuse.core.segmentation.AbsentClassPolicy;
import org.irfuse.core.segmentation.ConfusionMatrix;
import org.irfuse.core.segmentation.LabelMap;
import org.irfuse.core.segmentation.SegmentationMetrics;
import org.irfuse.nn.pretrained.MfNet;
import org.irfuse.nn.pretrained.MfNetSegmenter;
import org.irfuse.nn.runtime.Compute;

/**
 * Segmentation with the pretrained {@link MfNet} as the lower-level semantic module ω_T: its input is the colour
 * fused image C(Ŷ, V) as the RGB channels and the batch's infrared image as the thermal channel (the infrared
 * image does not depend on θ), padded at the bottom/right with zeros to a multiple of 16 as
 * {@link MfNetSegmenter} pads; the logits are cropped back and scored with the per-pixel cross-entropy
 * ({@link #crossEntropy}) against the batch's labels — the dataset's labels, or MFNet's own
 * pseudo-labels ({@link #pseudoLabelled}); {@link #labelSource} says which, and the held-out mIoU is named after it.
 * Classes are MFNet's 9 (0 unlabelled, 1 car, 2 person, 3 bike, ...), which are also the MSRS label indices.
 */
public final class MfNetSegmentationTask implements SemanticTask {
    private final MfNet network;
    private final Compute compute;
    private final String labelSource;

    /** @param labelSource {@code labels} (the data's own) or {@code pseudo-labels} (MFNet's, see {@link #pseudoLabelled}) */
    public MfNetSegmentationTask(MfNet network, Compute compute, String labelSource) {
        this.network = network;
        this.compute = compute;
        this.labelSource = labelSource;
    }

    @Override
    public String kind() {
        return "segmentation";
    }

    @Override
    public MfNet network() {
        return network;
    }

    public String labelSource() {
        return labelSource;
    }

    @Override
    public NDArray loss(MixedPrecision precision, NDArray colour, CropSampler.Batch batch, NDManager scope,
            boolean training) {
        if (batch.labels() == null) {
            throw new IllegalArgumentException("segmentation needs per-pixel labels; this training data has none "
                    + "(use --msrs-weak, --seg-data, or pseudo-labels)");
        }
        Shape s = colour.getShape();
        long h = s.get(2);
        long w = s.get(3);
        NDArray ir = scope.create(batch.ir(), new Shape(batch.size(), 1, h, w));
        if (ir.getDataType() != colour.getDataType()) {
            ir = ir.toType(colour.getDataType(), false);
        }
        NDArray x = YoloDetectionTask.pad(NDArrays.concat(new NDList(colour, ir), 1), MfNet.SIZE_MULTIPLE, 0f);
        // In bf16 MFNet runs channels-last on bf16 weights; its logits come back as float32 before the crop, so
        // the cross-entropy is float32.
        NDArray logits = precision.output(network.logits(precision.weights(scope), precision.input(x), training))
                .get(":, :, 0:" + h + ", 0:" + w);
        for (int v : batch.labels()) {
            if (v < 0 || v >= MfNet.CLASSES) {
                throw new IllegalArgumentException("label " + v + " is outside MFNet's classes 0.." + (MfNet.CLASSES - 1));
            }
        }
        NDArray labels = scope.create(batch.labels(), new Shape(batch.size(), h, w)).toType(DataType.INT64, false);
        return crossEntropy(logits, labels);
    }

    /** Mean over pixels of −log softmax(logits)[label]; logits N×K×H×W, labels N×H×W int64. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logProb = logits.logSoftmax(1);
        return logProb.gather(labels.expandDims(1), 1).mean().neg();
    }

    /**
     * The samples with their labels replaced by MFNet's prediction on (visible colour image, infrared image) —
     * pseudo-labels for data without pixel labels, made once with the initial (pretrained) weights.
     */
    public static List<PairSample> pseudoLabelled(List<PairSample> samples, MfNetSegmenter segmenter) {
        List<PairSample> out = new ArrayList<>(samples.size());
        for (PairSample s : samples) {
            Image vis = org.irfuse.core.image.YCbCr.merge(s.width(), s.height(), s.y(), s.cb(), s.cr());
            LabelMap m = segmenter.segment(vis, Image.gray(s.width(), s.height(), s.ir()));
            out.add(s.withTruth(m.classes(), s.boxes()));
        }
        return out;
    }

    /**
     * Held-out mIoU (one confusion matrix over all samples, absent classes count as 0, as the MFNet papers) and
     * pixel accuracy of MFNet on each (colour fused image, infrared image) against the samples' labels.
     */
    @Override
    public Map<String, Object> score(List<PairSample> samples, List<Image> colour) {
        MfNetSegmenter segmenter = new MfNetSegmenter(network, compute);
        ConfusionMatrix matrix = new ConfusionMatrix(MfNet.CLASSES);
        for (int i = 0; i < samples.size(); i++) {
            PairSample s = samples.get(i);
            if (s.hasLabels()) {
                LabelMap m = segmenter.segment(colour.get(i), Image.gray(s.width(), s.height(), s.ir()));
                matrix.add(s.labels(), m.classes());
            }
        }
        SegmentationMetrics m = SegmentationMetrics.of(matrix, AbsentClassPolicy.COUNT_AS_ZERO);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heldout.mIoU", m.meanIou());
        out.put("heldout.pixelAccuracy", m.pixelAccuracy());
        out.put("heldout.IoU", m.iou());
        out.put("heldout.labels", labelSource);
        return out;
    }
}
