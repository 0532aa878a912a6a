package org.irfuse.core.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.irfuse.core.detection.Box;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageFormatException;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.YCbCr;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.core.pairs.ImagePair;
import org.irfuse.core.saliency.SaliencyTarget;
import org.irfuse.core.synthetic.SyntheticScenes;

/**
 * Loads infrared/visible pairs for training: each root holds {@code ir/} and {@code vi/} folders paired by file
 * name (the layout of every folder in ../shared/data). The saliency target M is computed here, once per pair,
 * and kept with the sample (the release ships such maps precomputed).
 */
public final class PairDataset {
    private PairDataset() {
    }

    /** Loads every pair of every root; a size mismatch or unreadable file is an error naming the files. */
    public static List<PairSample> load(List<Path> roots) throws IOException {
        List<PairSample> out = new ArrayList<>();
        for (Path root : roots) {
            Path ir = root.resolve("ir");
            Path vi = root.resolve("vi");
            if (!Files.isDirectory(ir) || !Files.isDirectory(vi)) {
                throw new IOException(root + ": expected a folder with ir/ and vi/ sub-folders of paired images");
            }
            FolderPairing.Result r = FolderPairing.pair(ir, vi);
            if (r.pairs().isEmpty()) {
                throw new IOException(root + ": no infrared/visible pairs (files pair by name in ir/ and vi/)");
            }
            String prefix = root.getFileName() == null ? "" : root.getFileName() + "/";
            for (ImagePair p : r.pairs()) {
                out.add(load(p, prefix + p.name()));
            }
        }
        return out;
    }

    public static PairSample load(ImagePair pair, String name) throws ImageFormatException {
        Image ir = ImageReader.readInfrared(pair.infrared());
        Image vis = ImageReader.read(pair.visible());
        if (!ir.sameSize(vis)) {
            throw new ImageFormatException(pair.infrared(), "size " + ir.sizeString() + " differs from "
                    + pair.visible() + " (" + vis.sizeString() + ")");
        }
        return fromImages(name, ir, vis, null, null);
    }

    /** A sample from images in memory (labels and boxes may be null). */
    public static PairSample fromImages(String name, Image ir, Image vis, int[] labels, List<Box> boxes) {
        float[][] ycc = YCbCr.split(vis);
        float[] cb = ycc.length == 3 ? ycc[1] : filled(vis.pixels(), 0.5f);
        float[] cr = ycc.length == 3 ? ycc[2] : filled(vis.pixels(), 0.5f);
        float[] irPlane = ir.plane(0);
        SaliencyTarget.Maps maps = SaliencyTarget.compute(irPlane, ycc[0]);
        return new PairSample(name, ir.width(), ir.height(), irPlane, ycc[0], cb, cr, maps.target(), labels, boxes);
    }

    /**
     * {@code count} synthetic scenes (alternating day and night) with exact labels and boxes. Labels use the MSRS
     * segmentation indices (1 car, 2 person); box classes use the MSRS detection indices (0 person, 2 car).
     */
    public static List<PairSample> synthetic(int count, int width, int height, long seed) {
        List<PairSample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SyntheticScenes.Scene s = SyntheticScenes.random(width, height, seed + i, i % 2 == 1);
            List<Box> boxes = new ArrayList<>();
            for (SyntheticScenes.SceneObject o : s.objects()) {
                int detClass = o.classId() == SyntheticScenes.PERSON ? 0 : 2;
                boxes.add(Box.truth(o.x0(), o.y0(), o.x1(), o.y1(), detClass));
            }
            out.add(fromImages("synthetic/" + (seed + i), s.infrared(), s.visible(), s.labels(), boxes));
        }
        return out;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
