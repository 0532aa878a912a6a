package org.irfuse.core.segmentation;

import java.nio.file.Path;
import org.irfuse.core.image.ImageFormatException;
import org.irfuse.core.image.ImageReader;

/**
 * Reads segmentation labels and predictions as class indices, whatever way they are stored.
 *
 * <ul>
 *   <li>indexed (palette) PNG or one-channel PNG: the stored samples are the class indices (MFNet/MSRS labels);
 *   <li>RGB PNG: each pixel's colour is looked up in the class palette (colour-coded predictions as published,
 *       e.g. BDLFusion's MFNet results). A colour not in the palette is an error naming the file, the colour and
 *       the first pixel that has it — except when the image is gray in all three channels (indices saved as RGB),
 *       where channel 0 is taken as the index, as for a one-channel file.
 * </ul>
 */
public final class SegmentationLabels {
    private SegmentationLabels() {
    }

    public static LabelMap read(Path file, ClassPalette palette) throws ImageFormatException {
        ImageReader.LabelRaster raster = ImageReader.readLabelRaster(file);
        int w = raster.width();
        int h = raster.height();
        int[][] bands = raster.bands();
        if (bands.length == 1) {
            return new LabelMap(w, h, bands[0]);
        }
        int n = w * h;
        int[] r = bands[0];
        int[] g = bands[1];
        int[] b = bands[2];
        if (isGrayReplicated(r, g, b)) {
            return new LabelMap(w, h, r.clone());
        }
        if (!palette.hasColours()) {
            throw new ImageFormatException(file, "is a colour (RGB) image, but class set '" + palette.name()
                    + "' has no palette; save predictions as class-index PNGs");
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int k = palette.indexOf(r[i], g[i], b[i]);
            if (k < 0) {
                throw new ImageFormatException(file, "colour " + ClassPalette.colourString(
                        ClassPalette.rgb(r[i], g[i], b[i])) + " at pixel (" + (i % w) + "," + (i / w)
                        + ") is not in the " + palette.name() + " palette");
            }
            out[i] = k;
        }
        return new LabelMap(w, h, out);
    }

    private static boolean isGrayReplicated(int[] r, int[] g, int[] b) {
        for (int i = 0; i < r.length; i++) {
            if (r[i] != g[i] || r[i] != b[i]) {
                return false;
            }
        }
        return true;
    }
}
