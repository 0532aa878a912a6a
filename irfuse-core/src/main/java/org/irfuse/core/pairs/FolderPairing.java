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
        Map<String, Path> byName = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (!Files.isRegularFile(f) || !ImageReader.hasImageExtension(f)
                        || f.getFileName().toString().startsWith(".")) {
                    continue;
                }
                String name = stem(f);
                Path previous = byName.put(name, f);
                if (previous != null) {
                    throw new IOException(dir + ": two images named '" + name + "' (" + previous.getFileName()
                            + " and " + f.getFileName() + "); names must be unique without extension");
                }
            }
        }
        return byName;
    }

    /** File name without its last extension. */
    public static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot <= 0 ? n : n.substring(0, dot);
    }
}
