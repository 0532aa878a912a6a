package org.irfuse.core.segmentation;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.core.pairs.FolderPairing;

/**
 * A segmentation split in the MSRS/MFNet layout (../shared/data/README.md):
 * {@code root/<split>/ir/<id>.png}, {@code root/<split>/vi/<id>.png}, {@code root/<split>/Segmentation_labels/<id>.png}
 * (class-index PNGs). Without a split list every id present in all three folders is a sample, and an id missing
 * from any of them is an error listing the first few; with a split list (one id per line) exactly those ids are
 * taken, in list order, and each must exist in all three folders.
 */
public final class SegmentationDataset {
    /** The folder names of the MSRS layout. */
    public static final String IR_DIR = "ir";
    public static final String VIS_DIR = "vi";
    public static final String LABEL_DIR = "Segmentation_labels";

    /** One labelled pair. */
    public record Sample(String id, Path infrared, Path visible, Path label) {
    }

    private final List<Sample> samples;

    private SegmentationDataset(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    /** {@code root/<split>/{ir,vi,Segmentation_labels}}, all ids. */
    public static SegmentationDataset open(Path root, String split) throws IOException {
        return open(root, split, null);
    }

    /** As {@link #open(Path, String)}, restricted to the ids of {@code splitList} when it is not null. */
    public static SegmentationDataset open(Path root, String split, Path splitList) throws IOException {
        Path dir = root.resolve(split);
        return fromFolders(dir.resolve(IR_DIR), dir.resolve(VIS_DIR), dir.resolve(LABEL_DIR), splitList);
    }

    /** Any three folders paired by file name without extension; {@code splitList} may be null. */
    public static SegmentationDataset fromFolders(Path irDir, Path visDir, Path labelDir, Path splitList)
            throws IOException {
        Map<String, Path> ir = FolderPairing.index(irDir);
        Map<String, Path> vis = FolderPairing.index(visDir);
        Map<String, Path> labels = FolderPairing.index(labelDir);
        List<String> ids;
        if (splitList != null) {
            ids = DetectionDataset.readIdList(splitList);
        } else {
            java.util.TreeSet<String> all = new java.util.TreeSet<>(ir.keySet());
            all.addAll(vis.keySet());
            all.addAll(labels.keySet());
            ids = new ArrayList<>(all);
        }
        List<Sample> samples = new ArrayList<>();
        List<String> incomplete = new ArrayList<>();
        for (String id : ids) {
            Path i = ir.get(id);
            Path v = vis.get(id);
            Path l = labels.get(id);
            if (i == null || v == null || l == null) {
                incomplete.add(id + (i == null ? " (no " + irDir + ")" : "") + (v == null ? " (no " + visDir + ")"
                        : "") + (l == null ? " (no " + labelDir + ")" : ""));
            } else {
                samples.add(new Sample(id, i, v, l));
            }
        }
        if (!incomplete.isEmpty()) {
            throw new IOException(incomplete.size() + " ids lack a file: "
                    + String.join(", ", incomplete.subList(0, Math.min(5, incomplete.size()))));
        }
        if (samples.isEmpty()) {
            throw new NoSuchFileException(labelDir.toString(), null, "no labelled pairs found");
        }
        return new SegmentationDataset(samples);
    }

    public List<Sample> samples() {
        return samples;
    }

    public int size() {
        return samples.size();
    }
}
