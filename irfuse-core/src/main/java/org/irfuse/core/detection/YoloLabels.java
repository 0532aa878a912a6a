package org.irfuse.core.detection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.irfuse.core.io.AtomicFiles;

/**
 * YOLO label files: one object per line, {@code cls cx cy w h} with centre and size normalised by the image
 * width and height (../shared/data/msrs/det_labels). Fields are split on any run of whitespace (the MSRS files
 * use two spaces and trailing blanks); blank lines are skipped; an empty file means no objects. Detection files
 * carry a sixth column, the score ({@code cls cx cy w h score}, as YOLOv5 {@code --save-conf}).
 */
public final class YoloLabels {
    private YoloLabels() {
    }

    /** Reads a label file and converts it to pixel boxes for an image of the given size. */
    public static List<Box> read(Path file, int imageWidth, int imageHeight) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "YOLO label file not found");
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), imageWidth, imageHeight);
    }

    /** Reads a detection file: every line must carry the score column ({@code cls cx cy w h score}). */
    public static List<Box> readDetections(Path file, int imageWidth, int imageHeight) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "YOLO detection file not found");
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), imageWidth, imageHeight,
                true);
    }

    public static List<Box> parse(String text, String source, int imageWidth, int imageHeight) throws IOException {
        return parse(text, source, imageWidth, imageHeight, false);
    }

    /**
     * Parses YOLO text. {@code source} names the file in error messages; {@code requireScores} rejects lines
     * without the score column (detections cannot be ranked without it).
     *
     * @throws IOException naming the source and line for a malformed line
     */
    public static List<Box> parse(String text, String source, int imageWidth, int imageHeight,
            boolean requireScores) throws IOException {
        List<Box> boxes = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int ln = 0; ln < lines.length; ln++) {
            String line = lines[ln].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (requireScores && f.length == 5) {
                throw new IOException(source + ":" + (ln + 1) + ": detection without a score column (expected "
                        + "'cls cx cy w h score'): '" + line + "'");
            }
            if (f.length != 5 && f.length != 6) {
                throw new IOException(source + ":" + (ln + 1) + ": expected 'cls cx cy w h' (optionally a score), "
                        + "got " + f.length + " fields: '" + line + "'");
            }
            try {
                int cls = Integer.parseInt(f[0]);
                double cx = Double.parseDouble(f[1]) * imageWidth;
                double cy = Double.parseDouble(f[2]) * imageHeight;
                double w = Double.parseDouble(f[3]) * imageWidth;
                double h = Double.parseDouble(f[4]) * imageHeight;
                double score = f.length == 6 ? Double.parseDouble(f[5]) : 1.0;
                if (cls < 0 || w < 0 || h < 0 || !Double.isFinite(cx + cy + w + h + score)) {
                    throw new IOException(source + ":" + (ln + 1) + ": negative class or size, or non-finite value: '"
                            + line + "'");
                }
                if (!requireScores) {
                    checkGroundTruth(f, source, ln + 1, line);
                }
                boxes.add(new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, cls, score));
            } catch (NumberFormatException e) {
                throw new IOException(source + ":" + (ln + 1) + ": not a number in '" + line + "'");
            }
        }
        return boxes;
    }

    /** Normalised coordinates may pass the image border by this much (rounding in label tools). */
    static final double BORDER_TOLERANCE = 1e-3;

    /**
     * A ground-truth box of zero width or height, or reaching outside the image, can never be matched by a
     * detection: it would silently count as a miss and lower every AP. Such a label file is refused, naming the
     * line (predictions are not checked: a detector's boxes may touch anything).
     */
    private static void checkGroundTruth(String[] f, String source, int ln, String line) throws IOException {
        double cx = Double.parseDouble(f[1]);
        double cy = Double.parseDouble(f[2]);
        double w = Double.parseDouble(f[3]);
        double h = Double.parseDouble(f[4]);
        if (w == 0 || h == 0) {
            throw new IOException(source + ":" + ln + ": box of zero size: '" + line + "'");
        }
        double t = BORDER_TOLERANCE;
        if (cx - w / 2 < -t || cy - h / 2 < -t || cx + w / 2 > 1 + t || cy + h / 2 > 1 + t) {
            throw new IOException(String.format(Locale.ROOT, "%s:%d: box outside the image (x %.4f..%.4f, y "
                    + "%.4f..%.4f of 0..1): '%s'", source, ln, cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2, line));
        }
    }

    /** Formats boxes as YOLO lines (normalised by the image size), with the score column when asked. */
    public static String format(List<Box> boxes, int imageWidth, int imageHeight, boolean withScores) {
        StringBuilder sb = new StringBuilder();
        for (Box b : boxes) {
            sb.append(b.classId()).append(' ')
                    .append(num(b.centerX() / imageWidth)).append(' ')
                    .append(num(b.centerY() / imageHeight)).append(' ')
                    .append(num(b.width() / imageWidth)).append(' ')
                    .append(num(b.height() / imageHeight));
            if (withScores) {
                sb.append(' ').append(num(b.score()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes a YOLO file atomically. */
    public static void write(Path file, List<Box> boxes, int imageWidth, int imageHeight, boolean withScores,
            boolean overwrite) throws IOException {
        AtomicFiles.writeString(file, overwrite, format(boxes, imageWidth, imageHeight, withScores));
    }

    /**
     * Reads a {@code classes.txt}: one class per line, either {@code name} (line number = index) or
     * {@code index name} as in ../shared/data/msrs/det_labels/classes.txt ({@code 0 person}); indices must be
     * 0, 1, 2, ... in order.
     */
    public static List<String> readClassNames(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "class list not found");
        }
        List<String> names = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+", 2);
            if (f.length == 2 && f[0].matches("\\d+")) {
                if (Integer.parseInt(f[0]) != names.size()) {
                    throw new IOException(file + ":" + (ln + 1) + ": class index " + f[0] + " where "
                            + names.size() + " was expected (indices must be 0, 1, 2, ... in order)");
                }
                names.add(f[1].strip());
            } else {
                names.add(line);
            }
        }
        if (names.isEmpty()) {
            throw new IOException(file + ": no class names");
        }
        return names;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
