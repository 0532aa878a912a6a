package org.irfuse.core.align;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import org.irfuse.core.image.Image;

/**
 * The result of {@link Aligner#align}: the transform, the infrared image on the visible grid (0 where it holds no
 * data), the mask of where it holds data (1) and the quality report.
 */
public record Alignment(Transform transform, Image aligned, Image mask, AlignmentQuality quality) {
    /**
     * The aligned infrared image with its no-data pixels replaced by {@code fill}'s (same size, one channel):
     * what fusion should see where no infrared exists, e.g. the visible luminance so the fused image shows the
     * visible scene there instead of a black wedge.
     */
    public Image alignedFilledWith(float[] fill) {
        float[] a = aligned.data().clone();
        float[] m = mask.data();
        if (fill.length != a.length) {
            throw new IllegalArgumentException("fill has " + fill.length + " values for " + a.length + " pixels");
        }
        for (int i = 0; i < a.length; i++) {
            if (m[i] <= 0) {
                a[i] = fill[i];
            }
        }
        return Image.gray(aligned.width(), aligned.height(), a);
    }

    /** The transform's JSON with the quality report added under {@code "quality"}. */
    public String toJson() {
        JsonObject o = transform.toJsonTree();
        o.add("quality", quality.toJsonTree());
        return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }
}
