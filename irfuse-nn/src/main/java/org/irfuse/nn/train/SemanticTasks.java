package org.irfuse.nn.train;

import java.io.IOException;
import java.nio.file.Path;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.nn.pretrained.ClassMapping;
import org.irfuse.nn.pretrained.MfNet;
import org.irfuse.nn.pretrained.MfNetSegmenter;
import org.irfuse.nn.pretrained.YoloV5n;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.task.MfNetSegmentationTask;
import org.irfuse.nn.task.SemanticTask;
import org.irfuse.nn.task.YoloDetectionTask;

/** The bi-level run's lower-level task ω_T, built from its settings: pretrained YOLOv5n or MFNet. */
public final class SemanticTasks {
    private SemanticTasks() {
    }

    /** A task with the data it trains on (pseudo-labels replace the labels when the settings ask for them). */
    public record Prepared(SemanticTask task, HeldOutSplit data) {
    }

    /**
     * The configured task, checking that the data carries its kind of ground truth (boxes for detection) before
     * any weights are read.
     */
    public static SemanticTask create(BilevelTrainer.Config cfg, HeldOutSplit data, Compute compute)
            throws IOException {
        if (cfg.task.equals("detection")) {
            for (PairSample s : data.train()) {
                if (!s.hasBoxes()) {
                    throw new IllegalArgumentException(s.name() + ": detection as the task needs boxes for every "
                            + "pair (use --synthetic or --msrs-weak; segmentation datasets carry no boxes)");
                }
            }
            YoloV5n yolo = YoloV5n.load(Path.of(cfg.detectorWeights), compute.root());
            ClassMapping map = ClassMapping.parse(cfg.classMap, ClassMapping.COCO, DetectionDataset.MSRS_CLASSES);
            return new YoloDetectionTask(yolo, map, YoloDetectionTask.imageSize(cfg.maxCrop), compute);
        }
        MfNet mfnet = MfNet.load(Path.of(cfg.segmenterWeights), compute.root());
        return new MfNetSegmentationTask(mfnet, compute,
                cfg.segmentationLabels.equals("pseudo") ? "MFNet pseudo-labels" : "labels");
    }

    /**
     * {@link #create} and the data as the task trains on it: with {@code segmentation-labels pseudo}, MFNet's own
     * predictions on (visible, infrared), made once with the pretrained weights, replace the labels.
     */
    public static Prepared prepare(BilevelTrainer.Config cfg, HeldOutSplit data, Compute compute)
            throws IOException {
        SemanticTask task = create(cfg, data, compute);
        if (task instanceof MfNetSegmentationTask mfnet && cfg.segmentationLabels.equals("pseudo")) {
            MfNetSegmenter pseudo = new MfNetSegmenter(mfnet.network(), compute);
            data = new HeldOutSplit(MfNetSegmentationTask.pseudoLabelled(data.train(), pseudo),
                    MfNetSegmentationTask.pseudoLabelled(data.upper(), pseudo));
        }
        return new Prepared(task, data);
    }
}
