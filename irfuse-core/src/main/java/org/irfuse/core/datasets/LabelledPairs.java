package org.irfuse.core.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.irfuse.core.detection.YoloLabels;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageFormatException;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.segmentation.ClassPalette;
import org.irfuse.core.segmentation.LabelMap;
import org.irfuse.core.segmentation.SegmentationDataset;
import org.irfuse.core.segmentation.SegmentationLabels;
import org.irfuse.core.segmentation.WeakBoxLabels;

/**
 * Training pairs with per-pixel class labels for the bi-level trainer's segmentation task, from the two kinds of
 * real data (synthetic scenes come from {@link PairDataset#synthetic}):
 *
 * <ul>
 *   <li>{@link #msrsWeak}: pair folders in the ../shared/data/msrs layout ({@code ir/}, {@code vi/},
 *       {@code det_labels/fusion/<id>.txt} YOLO boxes) with <em>weak</em> labels — each box filled with its
 *       class over background ({@link WeakBoxLabels}; person 2, bike 3, car 1). Boxes are not masks: this is
 *       an approximation used because no pixel ground truth of real pairs is available here.
 *   <li>{@link #segmentation}: a dataset in the MSRS/MFNet layout ({@code <split>/ir}, {@code <split>/vi},
 *       {@code <split>/Segmentation_labels} class-index PNGs), i.e. real pixel labels, for users who have MSRS,
 *       MFNet or FMB.
 * </ul>
 */
public final class LabelledPairs {
    /** Where the box files of the fused view live inside an MSRS-layout folder. */
    public static final String MSRS_BOXES = "det_labels/fusion";

    private LabelledPairs() {
    }

    /** Every pair of {@code root} with weak labels from its boxes; a pair without a box file is an error. */
    public static List<PairSample> msrsWeak(Path root) throws IOException {
        Path boxes = root.resolve(MSRS_BOXES);
        if (!Files.isDirectory(boxes)) {
            throw new IOException(root + ": no " + MSRS_BOXES + "/ folder of YOLO box files (weak labels need "
                    + "the MSRS detection labels)");
        }
        List<PairSample> out = new ArrayList<>();
        for (PairSample s : PairDataset.load(List.of(root))) {
            String id = s.name().substring(s.name().lastIndexOf('/') + 1);
            Path file = boxes.resolve(id + ".txt");
            if (!Files.isRegularFile(file)) {
                throw new IOException(file + ": missing box file for pair " + id);
            }
            LabelMap labels = WeakBoxLabels.fromMsrsYolo(file, s.width(), s.height());
            // The boxes stay too, so the same pairs serve detection as the semantic task.
            out.add(s.withTruth(labels.classes(), YoloLabels.read(file, s.width(), s.height())));
        }
        return out;
    }

    /**
     * The pairs of an MSRS/MFNet-layout dataset split with their label PNGs.
     *
     * @param spec {@code ROOT} or {@code ROOT:SPLIT} (default split {@code train})
     */
    public static List<PairSample> segmentation(String spec, ClassPalette palette) throws IOException {
        int colon = spec.lastIndexOf(':');
        boolean hasSplit = colon > 0 && !spec.substring(colon + 1).contains("/");
        Path root = Path.of(hasSplit ? spec.substring(0, colon) : spec);
        String split = hasSplit ? spec.substring(colon + 1) : "train";
        SegmentationDataset data = SegmentationDataset.open(root, split);
        List<PairSample> out = new ArrayList<>();
        for (SegmentationDataset.Sample s : data.samples()) {
            Image ir = ImageReader.readInfrared(s.infrared());
            Image vis = ImageReader.read(s.visible());
            LabelMap labels = SegmentationLabels.read(s.label(), palette);
            if (!ir.sameSize(vis) || labels.width() != ir.width() || labels.height() != ir.height()) {
                throw new ImageFormatException(s.label(), "sizes differ: ir " + ir.sizeString() + ", vi "
                        + vis.sizeString() + ", label " + labels.sizeString());
            }
            out.add(PairDataset.fromImages(root.getFileName() + "/" + split + "/" + s.id(), ir, vis,
                    labels.classes(), null));
        }
        return out;
    }
}
