package org.irfuse.core.detection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.pairs.FolderPairing;

/**
 * Paired infrared/visible images with box labels, in one of two layouts:
 *
 * <ul>
 *   <li>{@link #m3fd}: M3FD/VOC, {@code root/Ir/<id>.png}, {@code root/Vis/<id>.png},
 *       {@code root/Annotation/<id>.xml}, split lists {@code root/Main/<split>.txt} (one id per line; also found
 *       as {@code root/ImageSets/Main/<split>.txt}). Classes {@link VocAnnotations#M3FD_CLASSES} by default.
 *   <li>{@link #yolo}: three folders, infrared, visible and YOLO labels {@code <id>.txt} (as
 *       ../shared/data/msrs/{ir,vi} with det_labels/fusion); a pair without a label file has no objects (the
 *       YOLO convention for background images).
 * </ul>
 *
 * Samples are listed in name order (or split-list order). Boxes are read on demand with {@link #boxes}.
 */
public final class DetectionDataset {
    /** How a sample's labels are stored. */
    public enum Format { VOC, YOLO }

    /** One pair and where its labels are (the label file may be absent for YOLO). */
    public record Sample(String id, Path infrared, Path visible, Path labels) {
    }

    /** MSRS detection classes (../shared/data/msrs/det_labels/classes.txt). */
    public static final List<String> MSRS_CLASSES = List.of("person", "bicycle", "car");

    /**
     * The class list a user names: {@code msrs}, {@code m3fd}, a classes file (one name a line) or a comma list.
     *
     * @throws IllegalArgumentException when the spec is none of these
     */
    public static List<String> classes(String spec) throws IOException {
        String s = spec.trim();
        if (s.equalsIgnoreCase("msrs")) {
            return MSRS_CLASSES;
        }
        if (s.equalsIgnoreCase("m3fd")) {
            return VocAnnotations.M3FD_CLASSES;
        }
        Path file = Path.of(s);
        if (Files.isRegularFile(file)) {
            return YoloLabels.readClassNames(file);
        }
        if (!s.contains(",")) {
            throw new IllegalArgumentException("--classes '" + spec + "': not msrs, m3fd, an existing classes "
                    + "file, or a comma-separated list");
        }
        return java.util.Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    private final Format format;
    private final List<String> classNames;
    private final List<Sample> samples;

    private DetectionDataset(Format format, List<String> classNames, List<Sample> samples) {
        this.format = format;
        this.classNames = List.copyOf(classNames);
        this.samples = List.copyOf(samples);
    }

    /** M3FD layout with its 6 classes; {@code split} names {@code Main/<split>.txt}, or null for every file. */
    public static DetectionDataset m3fd(Path root, String split) throws IOException {
        return m3fd(root, split, VocAnnotations.M3FD_CLASSES);
    }

    public static DetectionDataset m3fd(Path root, String split, List<String> classNames) throws IOException {
        Path irDir = root.resolve("Ir");
        Path visDir = root.resolve("Vis");
        Path annDir = root.resolve("Annotation");
        Map<String, Path> ir = FolderPairing.index(irDir);
        Map<String, Path> vis = FolderPairing.index(visDir);
        if (!Files.isDirectory(annDir)) {
            throw new NoSuchFileException(annDir.toString(), null, "annotation folder not found");
        }
        List<String> ids;
        if (split == null) {
            ids = new ArrayList<>(ir.keySet());
        } else {
            Path list = root.resolve("Main").resolve(split + ".txt");
            if (!Files.isRegularFile(list)) {
                Path alt = root.resolve("ImageSets").resolve("Main").resolve(split + ".txt");
                list = Files.isRegularFile(alt) ? alt : list;
            }
            ids = readIdList(list);
        }
        List<Sample> samples = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            Path i = ir.get(id);
            Path v = vis.get(id);
            Path a = annDir.resolve(id + ".xml");
            if (i == null || v == null || !Files.isRegularFile(a)) {
                missing.add(id + (i == null ? " (no infrared)" : "") + (v == null ? " (no visible)" : "")
                        + (Files.isRegularFile(a) ? "" : " (no annotation)"));
            } else {
                samples.add(new Sample(id, i, v, a));
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException(root + ": " + missing.size() + " listed images are incomplete, e.g. "
                    + String.join(", ", missing.subList(0, Math.min(5, missing.size()))));
        }
        return new DetectionDataset(Format.VOC, classNames, samples);
    }

    /**
     * YOLO layout; pairs infrared and visible files by name (a file without counterpart is an error, listing
     * them), labels are {@code labelDir/<id>.txt}.
     */
    public static DetectionDataset yolo(Path irDir, Path visDir, Path labelDir, List<String> classNames)
            throws IOException {
        FolderPairing.Result pairs = FolderPairing.pair(irDir, visDir);
        if (!pairs.complete()) {
            List<Path> lonely = new ArrayList<>(pairs.onlyInFirst());
            lonely.addAll(pairs.onlyInSecond());
            throw new IOException("images without a counterpart in " + irDir + " / " + visDir + ": "
                    + lonely.subList(0, Math.min(5, lonely.size())));
        }
        if (!Files.isDirectory(labelDir)) {
            throw new NoSuchFileException(labelDir.toString(), null, "label folder not found");
        }
        List<Sample> samples = new ArrayList<>();
        pairs.pairs().forEach(p -> samples.add(new Sample(p.name(), p.infrared(), p.visible(),
                labelDir.resolve(p.name() + ".txt"))));
        return new DetectionDataset(Format.YOLO, classNames, samples);
    }

    /** Reads a split list: one id per line (whitespace trimmed, blank lines skipped, duplicates kept once). */
    public static List<String> readIdList(Path list) throws IOException {
        if (!Files.isRegularFile(list)) {
            throw new NoSuchFileException(list.toString(), null, "split list not found");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            String id = line.strip();
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return new ArrayList<>(ids);
    }

    public Format format() {
        return format;
    }

    public List<String> classNames() {
        return classNames;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The same dataset restricted to {@code chosen} samples (in their order), e.g. a train or held-out split. */
    public DetectionDataset subset(List<Sample> chosen) {
        return new DetectionDataset(format, classNames, chosen);
    }

    /**
     * The ground-truth boxes of a sample in pixels. YOLO labels are denormalised with the infrared image's size
     * (pairs have identical sizes); a missing YOLO file means no objects. Classes outside the list are an error.
     */
    public List<Box> boxes(Sample sample) throws IOException {
        List<Box> boxes;
        if (format == Format.VOC) {
            boxes = VocAnnotations.read(sample.labels(), classNames).boxes();
        } else {
            if (!Files.exists(sample.labels())) {
                return List.of();
            }
            int[] size = ImageReader.size(sample.infrared());
            boxes = YoloLabels.read(sample.labels(), size[0], size[1]);
            for (Box b : boxes) {
                if (b.classId() >= classNames.size()) {
                    throw new IOException(sample.labels() + ": class " + b.classId() + " outside 0.."
                            + (classNames.size() - 1) + " " + classNames);
                }
            }
        }
        return boxes;
    }
}
