package org.irfuse.nn.downstream;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
     * What the judges said about one sample: its ground truth and, per source in the order given, the detections
     * and (with a segmenter) the sample's confusion matrix. Serializable: a cluster job judges samples where the
     * images are ({@code irfuse spark downstream}) and {@link #score scores} them on the driver.
     */
    public record Judged(String id, List<Box> truth, List<List<Box>> boxes, List<ConfusionMatrix> segmentation,
            boolean pseudoLabelled) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Evaluates every source on every sample: {@link #judge} each sample in turn, then {@link #score} them.
     *
     * @param listener per-image callback, or {@code null}
     * @param progress called once per finished sample, or {@code null}
     */
    public List<SourceScore> run(List<Sample> samples, List<ImageSource> sources, Listener listener,
            Runnable progress) throws IOException {
        List<String> names = sourceNames(sources);
        List<Judged> judged = new ArrayList<>();
        for (Sample sample : samples) {
            Image ir = ImageReader.readInfrared(sample.infrared());
            Image vis = ImageReader.read(sample.visible());
            if (!ir.sameSize(vis)) {
                throw new IOException(sample.infrared() + ": size " + ir.sizeString() + " differs from "
                        + sample.visible() + " (" + vis.sizeString() + ")");
            }
            List<Box> truth = YoloLabels.read(sample.boxes(), ir.width(), ir.height());
            LabelMap segTruth = null;
            if (segmenter != null && sample.segmentationLabels() != null) {
                segTruth = SegmentationLabels.read(sample.segmentationLabels(), ClassPalette.MSRS);
            }
            judged.add(judge(sample.id(), ir, vis, truth, sample.boxes().toString(), segTruth,
                    String.valueOf(sample.segmentationLabels()), sources, listener));
            if (progress != null) {
                progress.run();
            }
        }
        return score(names, detector.classNames().size(), segmenter != null, judged);
    }

    /**
     * Runs the judges on one sample's sources.
     *
     * @param ir the infrared image (one channel), the visible image's size
     * @param truth the sample's ground-truth boxes, from {@code boxesFile} (named in errors)
     * @param segTruth the segmentation label map (from {@code segFile}), or {@code null} for pseudo-labels
     *     MFNet(visible, infrared); ignored without a segmenter
     * @throws IOException naming the file when a label's class or size does not fit
     */
    public Judged judge(String id, Image ir, Image vis, List<Box> truth, String boxesFile, LabelMap segTruth,
            String segFile, List<ImageSource> sources, Listener listener) throws IOException {
        List<String> classes = detector.classNames();
        for (Box b : truth) {
            if (b.classId() >= classes.size()) {
                throw new IOException(boxesFile + ": class " + b.classId() + " outside 0.." + (classes.size() - 1)
                        + " " + classes);
            }
        }
        boolean pseudo = false;
        if (segmenter != null) {
            if (segTruth != null) {
                if (segTruth.width() != ir.width() || segTruth.height() != ir.height()) {
                    throw new IOException(segFile + ": size " + segTruth.sizeString() + " differs from its pair ("
                            + ir.sizeString() + ")");
                }
            } else {
                segTruth = segmenter.segment(vis, ir);
                pseudo = true;
            }
        }
        List<List<Box>> boxes = new ArrayList<>();
        List<ConfusionMatrix> seg = new ArrayList<>();
        for (ImageSource s : sources) {
            Image seen = s.image(id, ir, vis);
            List<Box> found = detector.detect(seen);
            boxes.add(found);
            LabelMap predicted = null;
            if (segmenter != null) {
                predicted = segmenter.segment(seen, ir);
                ConfusionMatrix m = new ConfusionMatrix(ClassPalette.MSRS.size());
                m.add(segTruth, predicted);
                seg.add(m);
            }
            if (listener != null) {
                listener.image(id, s.name(), seen, truth, found, predicted);
            }
        }
        return new Judged(id, List.copyOf(truth), List.copyOf(boxes), segmenter == null ? null : List.copyOf(seg),
                pseudo);
    }

    /**
     * Scores judged samples: per source, the detections of all samples in the order given (the order decides
     * ties in {@link DetectionEvaluator}) and the sum of their confusion matrices.
     *
     * @param sources the source names, in the order each {@link Judged} lists them
     * @param classes the detector's number of (dataset) classes
     * @param segmentation whether the samples were segmented too
     */
    public static List<SourceScore> score(List<String> sources, int classes, boolean segmentation,
            List<Judged> judged) {
        List<DetectionEvaluator> det = new ArrayList<>();
        List<ConfusionMatrix> seg = new ArrayList<>();
        int[] counts = new int[sources.size()];
        for (int i = 0; i < sources.size(); i++) {
            det.add(new DetectionEvaluator(classes));
            seg.add(new ConfusionMatrix(ClassPalette.MSRS.size()));
        }
        int labelled = 0;
        int pseudo = 0;
        for (Judged j : judged) {
            if (j.boxes().size() != sources.size()) {
                throw new IllegalArgumentException(j.id() + ": judged " + j.boxes().size() + " sources, expected "
                        + sources.size());
            }
            for (int i = 0; i < sources.size(); i++) {
                det.get(i).add(j.id(), j.truth(), j.boxes().get(i));
                counts[i] += j.boxes().get(i).size();
                if (segmentation) {
                    seg.get(i).merge(j.segmentation().get(i));
                }
            }
            if (segmentation) {
                labelled += j.pseudoLabelled() ? 0 : 1;
                pseudo += j.pseudoLabelled() ? 1 : 0;
            }
        }
        List<SourceScore> out = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            SegmentationScore ss = !segmentation ? null : new SegmentationScore(
                    SegmentationMetrics.of(seg.get(i), AbsentClassPolicy.COUNT_AS_ZERO), labelled == 0,
                    labelled, pseudo);
            out.add(new SourceScore(sources.get(i), det.get(i).evaluate(), counts[i], ss));
        }
        return out;
    }

    /** The sources' names, refusing a name given twice. */
    public static List<String> sourceNames(List<ImageSource> sources) {
        List<String> names = new ArrayList<>();
        for (ImageSource s : sources) {
            if (names.contains(s.name())) {
                throw new IllegalArgumentException("two sources are named '" + s.name() + "'");
            }
            names.add(s.name());
        }
        return names;
    }
}
