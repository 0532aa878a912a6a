package org.irfuse.core.pairs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.irfuse.core.image.ImageReader;

/**
 * Pairs the image files of two or more folders by name without extension ({@code 01.png} ↔ {@code 01.jpg}).
 * Files without a counterpart are reported, not silently dropped.
 */
public final class FolderPairing {
    private FolderPairing() {
    }

    /** The outcome of pairing two folders. */
    public record Result(List<ImagePair> pairs, List<Path> onlyInFirst, List<Path> onlyInSecond) {
        public boolean complete() {
            return onlyInFirst.isEmpty() && onlyInSecond.isEmpty();
        }
    }

    public static Result pair(Path irDir, Path visDir) throws IOException {
        Map<String, Path> ir = index(irDir);
        Map<String, Path> vis = index(visDir);
        List<ImagePair> pairs = new ArrayList<>();
        List<Path> onlyIr = new ArrayList<>();
        List<Path> onlyVis = new ArrayList<>();
        for (Map.Entry<String, Path> e : ir.entrySet()) {
            Path v = vis.get(e.getKey());
            if (v == null) {
                onlyIr.add(e.getValue());
            } else {
                pairs.add(new ImagePair(e.getKey(), e.getValue(), v));
            }
        }
        for (Map.Entry<String, Path> e : vis.entrySet()) {
            if (!ir.containsKey(e.getKey())) {
                onlyVis.add(e.getValue());
            }
        }
        return new Result(pairs, onlyIr, onlyVis);
    }

    /**
     * The image files of a folder keyed by name without extension, sorted by name.
     *
     * @throws IOException naming the folder when it is missing, not a folder, or holds two images of one name
     */
    public static Map<String, Path> index(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "folder not found");
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir + " (expected a folder of images)");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(Files::isRegularFile).sorted().toList();
        }
        return index(dir.toString(), files, f -> f.getFileName().toString());
    }

    /**
     * The rule of {@link #index(Path)} on any listing of regular files (irfuse-spark lists Hadoop file systems
     * with it): image extensions only, hidden files skipped, keyed by name without extension, sorted by name.
     *
     * @param where names the folder in the error
     * @throws IOException when two images share a name without extension
     */
    public static <T> Map<String, T> index(String where, Iterable<T> files, Function<T, String> fileName)
            throws IOException {
        Map<String, T> byName = new TreeMap<>();
        for (T f : files) {
            String file = fileName.apply(f);
            if (!ImageReader.EXTENSIONS.contains(extension(file)) || file.startsWith(".")) {
                continue;
            }
            String name = stem(file);
            T previous = byName.put(name, f);
            if (previous != null) {
                throw new IOException(where + ": two images named '" + name + "' (" + fileName.apply(previous)
                        + " and " + file + "); names must be unique without extension");
            }
        }
        return byName;
    }

    /**
     * VIFB's layout of fused results: one folder of {@code <image>_<method>.<ext>} files (e.g.
     * {@code carLight_NSCT_SR.jpg}), split into method → image name → file. Image names are the given ones (the
     * source folders' names); the longest one followed by {@code _} wins, so both image and method names may hold
     * underscores. Methods and images are sorted by name.
     *
     * @throws IOException naming the folder and a file that starts with no image name, or a duplicate
     */
    public static Map<String, Map<String, Path>> indexByMethod(Path dir, java.util.Collection<String> imageNames)
            throws IOException {
        List<String> byLength = new java.util.ArrayList<>(imageNames);
        byLength.sort(java.util.Comparator.comparingInt(String::length).reversed());
        Map<String, Map<String, Path>> out = new TreeMap<>();
        List<String> unmatched = new java.util.ArrayList<>();
        for (Map.Entry<String, Path> e : index(dir).entrySet()) {
            String stem = e.getKey();
            String image = byLength.stream().filter(n -> stem.startsWith(n + "_") && stem.length() > n.length() + 1)
                    .findFirst().orElse(null);
            if (image == null) {
                unmatched.add(e.getValue().getFileName().toString());
                continue;
            }
            out.computeIfAbsent(stem.substring(image.length() + 1), k -> new TreeMap<>()).put(image, e.getValue());
        }
        if (!unmatched.isEmpty()) {
            throw new IOException(dir + ": " + unmatched.size() + " file(s) are not named <image>_<method> after an "
                    + "image of the source folders (e.g. " + unmatched.get(0) + ")");
        }
        if (out.isEmpty()) {
            throw new IOException(dir + ": no <image>_<method> images");
        }
        return out;
    }

    private static String extension(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    }

    /** File name without its last extension. */
    public static String stem(Path file) {
        return stem(file.getFileName().toString());
    }

    /** A file name without its last extension. */
    public static String stem(String n) {
        int dot = n.lastIndexOf('.');
        return dot <= 0 ? n : n.substring(0, dot);
    }
}
