package org.irfuse.nn.downstream;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.DetectionEvaluator;
import org.irfuse.core.detection.YoloLabels;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.segmentation.AbsentClassPolicy;
import org.irfuse.core.segmentation.ClassPalette;
import org.irfuse.core.segmentation.ConfusionMatrix;
import org.irfuse.core.segmentation.LabelMap;
import org.irfuse.core.segmentation.SegmentationLabels;
import org.irfuse.core.segmentation.SegmentationMetrics;
import org.irfuse.nn.pretrained.MfNetSegmenter;
import org.irfuse.nn.pretrained.YoloDetector;

/**
 * The downstream score of fusion: frozen pretrained judges run on what each {@link ImageSource} makes of every
 * labelled pair. Detection: the {@link YoloDetector}'s boxes against YOLO ground truth, scored per class by
 * {@link DetectionEvaluator} (AP@0.5 and AP@0.5:0.95, VOC all-point and COCO 101-point). Segmentation (optional):
 * {@link MfNetSegmenter} on (the source's colour image, the infrared image), one confusion matrix per source over
 * the set, mIoU over all 9 classes ({@link AbsentClassPolicy#COUNT_AS_ZERO}, the papers' convention) — against the
 * pair's label map where one is given, else against the pseudo-label MFNet(visible, infrared), and the result says
 * which ({@link SegmentationScore#pseudoLabels}).
 */
public final class DownstreamEvaluation {
    /** One labelled pair: its YOLO box file, and a segmentation label file or {@code null}. */
    public record Sample(String id, Path infrared, Path visible, Path boxes, Path segmentationLabels) {
    }

    /** Segmentation scores of one source and what they were measured against. */
    public record SegmentationScore(SegmentationMetrics metrics, boolean pseudoLabels, int labelledImages,
            int pseudoLabelledImages) {
    }

    /** Scores of one source. */
    public record SourceScore(String name, DetectionEvaluator.Result detection, int detections,
            SegmentationScore segmentation) {
    }

    /** Per image and source, what the judges saw and said (for drawings); called in evaluation order. */
    @FunctionalInterface
    public interface Listener {
        void image(String id, String source, Image seen, List<Box> truth, List<Box> boxes, LabelMap segmentation)
                throws IOException;
    }

    private final YoloDetector detector;
    private final MfNetSegmenter segmenter;

    /** @param segmenter {@code null} for detection only */
    public DownstreamEvaluation(YoloDetector detector, MfNetSegmenter segmenter) {
        this.detector = detector;
        this.segmenter = segmenter;
    }

    /**
     * Evaluates every source on every sample.
     *
     * @param listener per-image callback, or {@code null}
     * @param progress called once per finished sample, or {@code null}
     */
    public List<SourceScore> run(List<Sample> samples, List<ImageSource> sources, Listener listener,
            Runnable progress) throws IOException {
        List<String> classes = detector.classNames();
        Map<String, DetectionEvaluator> det = new LinkedHashMap<>();
        Map<String, ConfusionMatrix> seg = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ImageSource s : sources) {
            if (det.put(s.name(), new DetectionEvaluator(classes.size())) != null) {
                throw new IllegalArgumentException("two sources are named '" + s.name() + "'");
            }
            seg.put(s.name(), new ConfusionMatrix(ClassPalette.MSRS.size()));
            counts.put(s.name(), 0);
        }
        int labelled = 0;
        int pseudo = 0;
        for (Sample sample : samples) {
            Image ir = ImageReader.readInfrared(sample.infrared());
            Image vis = ImageReader.read(sample.visible());
            if (!ir.sameSize(vis)) {
                throw new IOException(sample.infrared() + ": size " + ir.sizeString() + " differs from "
                        + sample.visible() + " (" + vis.sizeString() + ")");
            }
            List<Box> truth = YoloLabels.read(sample.boxes(), ir.width(), ir.height());
            for (Box b : truth) {
                if (b.classId() >= classes.size()) {
                    throw new IOException(sample.boxes() + ": class " + b.classId() + " outside 0.."
                            + (classes.size() - 1) + " " + classes);
                }
            }
            LabelMap segTruth = null;
            if (segmenter != null) {
                if (sample.segmentationLabels() != null) {
                    segTruth = SegmentationLabels.read(sample.segmentationLabels(), ClassPalette.MSRS);
                    if (segTruth.width() != ir.width() || segTruth.height() != ir.height()) {
                        throw new IOException(sample.segmentationLabels() + ": size " + segTruth.sizeString()
                                + " differs from its pair (" + ir.sizeString() + ")");
                    }
                    labelled++;
                } else {
                    segTruth = segmenter.segment(vis, ir);
                    pseudo++;
                }
            }
            for (ImageSource s : sources) {
                Image seen = s.image(sample.id(), ir, vis);
                List<Box> boxes = detector.detect(seen);
                det.get(s.name()).add(sample.id(), truth, boxes);
                counts.merge(s.name(), boxes.size(), Integer::sum);
                LabelMap predicted = null;
                if (segmenter != null) {
                    predicted = segmenter.segment(seen, ir);
                    seg.get(s.name()).add(segTruth, predicted);
                }
                if (listener != null) {
                    listener.image(sample.id(), s.name(), seen, truth, boxes, predicted);
                }
            }
            if (progress != null) {
                progress.run();
            }
        }
        List<SourceScore> out = new ArrayList<>();
        for (ImageSource s : sources) {
            SegmentationScore ss = segmenter == null ? null : new SegmentationScore(
                    SegmentationMetrics.of(seg.get(s.name()), AbsentClassPolicy.COUNT_AS_ZERO), labelled == 0,
                    labelled, pseudo);
            out.add(new SourceScore(s.name(), det.get(s.name()).evaluate(), counts.get(s.name()), ss));
        }
        return out;
    }
}
