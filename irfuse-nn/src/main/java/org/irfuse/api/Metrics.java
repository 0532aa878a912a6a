package org.irfuse.api;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageFormatException;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.metrics.Evaluator;
import org.irfuse.core.metrics.Metric;
import org.irfuse.core.metrics.Profile;

/**
 * Every fusion metric of one (infrared, visible, fused) triple under a named toolkit profile ({@code cddfuse},
 * {@code tang2022}, {@code tang2023}, {@code vifb}; METRICS.md), as {@code irfuse eval} computes it. Plain Java, no
 * native memory. Keys are the metric labels ({@code EN}, {@code SD}, ..., {@code Qabf}) in the profile's order.
 */
public final class Metrics {
    private Metrics() {
    }

    /** Reads the three files and scores them; differing sizes throw an {@link ImageFormatException}. */
    public static Map<String, Double> evaluate(Path infrared, Path visible, Path fused, String profile)
            throws ImageFormatException {
        Image ir = ImageReader.read(infrared);
        Image vis = ImageReader.read(visible);
        Image f = ImageReader.read(fused);
        if (!ir.sameSize(f) || !vis.sameSize(f)) {
            throw new ImageFormatException(fused, "size " + f.sizeString() + " differs from the sources ("
                    + infrared + " " + ir.sizeString() + ", " + visible + " " + vis.sizeString() + ")");
        }
        return evaluate(ir, vis, f, profile);
    }

    /** Scores in-memory images (any of gray, RGB, palette; the profile decides how colour becomes gray). */
    public static Map<String, Double> evaluate(BufferedImage infrared, BufferedImage visible, BufferedImage fused,
            String profile) {
        return evaluate(ImageReader.fromBufferedImage(infrared), ImageReader.fromBufferedImage(visible),
                ImageReader.fromBufferedImage(fused), profile);
    }

    /**
     * @param profile {@code cddfuse} (also for null), {@code tang2022}, {@code tang2023} or {@code vifb}
     * @throws IllegalArgumentException for an unknown profile or images of differing sizes
     */
    public static Map<String, Double> evaluate(Image infrared, Image visible, Image fused, String profile) {
        Profile p = profile == null ? Profile.DEFAULT : Profile.parse(profile);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<Metric, Double> e : Evaluator.allMetrics(p).evaluate(infrared, visible, fused).entrySet()) {
            out.put(e.getKey().label(), e.getValue());
        }
        return out;
    }
}
