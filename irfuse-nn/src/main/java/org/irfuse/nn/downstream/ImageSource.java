package org.irfuse.nn.downstream;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.YCbCr;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.nn.fusion.Fuser;

/**
 * One column of a downstream evaluation: what image the frozen judges see for an infrared/visible pair — a
 * source image, a built-in baseline, a folder of fused images, or a fusion model run on the fly.
 */
public interface ImageSource {
    /**
     * The column name of the fusion model run on the fly ({@code irfuse eval downstream --fusion-model}, and its
     * Spark twin), so both write the same files.
     */
    String ON_THE_FLY = "irfuse";

    /** The name reported for this column. */
    String name();

    /** The image of pair {@code id} (gray or RGB, the pair's size). */
    Image image(String id, Image infrared, Image visible) throws IOException;

    /** The infrared image (gray; the detector replicates it to three equal channels). */
    static ImageSource infrared() {
        return of("infrared", (id, ir, vis) -> ir);
    }

    /** The visible image as it is (colour stays colour). */
    static ImageSource visible() {
        return of("visible", (id, ir, vis) -> vis);
    }

    /** Baseline: the mean of infrared and visible luminance, with the visible chroma (BT.601, as fusion). */
    static ImageSource mean() {
        return of("mean", (id, ir, vis) -> luminanceBaseline(ir, vis, false));
    }

    /** Baseline: the per-pixel maximum of infrared and visible luminance, with the visible chroma. */
    static ImageSource max() {
        return of("max", (id, ir, vis) -> luminanceBaseline(ir, vis, true));
    }

    /**
     * A method's fused images, paired by name (any image extension); a missing image is an error naming the
     * folder and the pair.
     */
    static ImageSource folder(String name, Path dir) throws IOException {
        Map<String, Path> files = FolderPairing.index(dir);
        return of(name, (id, ir, vis) -> {
            Path f = files.get(id);
            if (f == null) {
                throw new IOException(dir + ": no fused image for pair '" + id + "' (method " + name + ")");
            }
            Image img = ImageReader.read(f);
            if (!img.sameSize(vis)) {
                throw new IOException(f + ": size " + img.sizeString() + " differs from its pair ("
                        + vis.sizeString() + ")");
            }
            return img;
        });
    }

    /**
     * A fusion model run on the fly, its output rounded to 8 bits as a saved PNG would be, so the judges see
     * exactly what {@code irfuse fuse} writes.
     */
    static ImageSource fusion(String name, Fuser fuser) {
        return of(name, (id, ir, vis) -> quantise8(fuser.fuse(ir, vis)));
    }

    /** Rounds every sample to the nearest of 256 levels, as {@code ImageWriter} stores it. */
    static Image quantise8(Image img) {
        float[] d = img.data();
        float[] q = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            q[i] = Image.to8bit(d[i]) / 255f;
        }
        return new Image(img.width(), img.height(), img.channels(), q);
    }

    private static Image luminanceBaseline(Image ir, Image vis, boolean max) {
        float[][] ycc = YCbCr.split(vis);
        float[] t = ImageReader.toGray(ir).plane(0);
        float[] y = new float[t.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = max ? Math.max(t[i], ycc[0][i]) : (t[i] + ycc[0][i]) / 2;
        }
        // Rounded to 8 bits like every other column (saved images): the judges see what a PNG would hold.
        return quantise8(vis.isGray() ? YCbCr.merge(vis.width(), vis.height(), y, null, null)
                : YCbCr.merge(vis.width(), vis.height(), y, ycc[1], ycc[2]));
    }

    /** The function an {@link ImageSource} applies. */
    @FunctionalInterface
    interface Maker {
        Image make(String id, Image infrared, Image visible) throws IOException;
    }

    static ImageSource of(String name, Maker maker) {
        return new ImageSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Image image(String id, Image infrared, Image visible) throws IOException {
                return maker.make(id, infrared, visible);
            }
        };
    }
}
