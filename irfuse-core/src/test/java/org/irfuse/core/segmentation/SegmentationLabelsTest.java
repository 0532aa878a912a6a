package org.irfuse.core.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageFormatException;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.io.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentationLabelsTest {
    @TempDir
    Path tmp;

    /** Every MSRS class once, then a few repeats: a 4×3 map. */
    private static final int[] INDICES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 2, 1, 0};

    @Test
    void indexedPngRoundTripGivesBackTheIndices() throws Exception {
        Path f = tmp.resolve("label.png");
        ImageWriter.writeIndexedPng(f, 4, 3, INDICES, ClassPalette.MSRS.colours(), false);
        ImageReader.LabelRaster raster = ImageReader.readLabelRaster(f);
        assertTrue(raster.indexed());
        assertEquals(1, raster.bands().length);
        LabelMap map = SegmentationLabels.read(f, ClassPalette.MSRS);
        assertEquals(4, map.width());
        assertEquals(3, map.height());
        assertArrayEquals(INDICES, map.classes());
        // The same file read as colours by the image reader shows the MFNet palette: class 1 car = (64,0,128).
        Image asColour = ImageReader.read(f);
        assertEquals(64, Image.to8bit(asColour.get(0, 1, 0)));
        assertEquals(0, Image.to8bit(asColour.get(1, 1, 0)));
        assertEquals(128, Image.to8bit(asColour.get(2, 1, 0)));
    }

    @Test
    void rgbPalettePredictionIsMappedToIndices() throws Exception {
        Path f = tmp.resolve("pred.png");
        ImageWriter.write(colourCoded(INDICES, 4, 3, -1), f, false);
        assertEquals(3, ImageReader.readLabelRaster(f).bands().length);
        assertArrayEquals(INDICES, SegmentationLabels.read(f, ClassPalette.MSRS).classes());
    }

    @Test
    void unknownColourIsAnErrorNamingFileColourAndPixel() throws Exception {
        Path f = tmp.resolve("bad.png");
        ImageWriter.write(colourCoded(INDICES, 4, 3, 5), f, false);
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> SegmentationLabels.read(f, ClassPalette.MSRS));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("(10,20,30)"), e.getMessage());
        assertTrue(e.getMessage().contains("pixel (1,1)"), e.getMessage());
    }

    @Test
    void grayIndicesSavedAsRgbAndOneChannelPngsAreIndices() throws Exception {
        float[] plane = new float[INDICES.length];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = INDICES[i] / 255f;
        }
        Path gray = tmp.resolve("gray.png");
        ImageWriter.write(Image.gray(4, 3, plane), gray, false);
        assertArrayEquals(INDICES, SegmentationLabels.read(gray, ClassPalette.FMB).classes());
        Path rgbGray = tmp.resolve("rgbgray.png");
        ImageWriter.write(Image.rgb(4, 3, plane, plane, plane), rgbGray, false);
        assertArrayEquals(INDICES, SegmentationLabels.read(rgbGray, ClassPalette.MSRS).classes());
    }

    @Test
    void colourImageWithoutPaletteIsRefused() throws Exception {
        Path f = tmp.resolve("fmb.png");
        ImageWriter.write(colourCoded(INDICES, 4, 3, -1), f, false);
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> SegmentationLabels.read(f, ClassPalette.FMB));
        assertTrue(e.getMessage().contains("no palette"), e.getMessage());
    }

    @Test
    void classSetsByName() {
        assertEquals(9, ClassPalette.forName("msrs").size());
        assertEquals("person", ClassPalette.forName("MFNet").className(2));
        assertEquals(15, ClassPalette.forName("fmb").size());
        assertEquals("Pole", ClassPalette.FMB.className(14));
        assertEquals(4, ClassPalette.forName("4").size());
        assertEquals(1, ClassPalette.MSRS.indexOf(64, 0, 128));
        assertEquals(8, ClassPalette.MSRS.indexOf(192, 64, 0));
        assertEquals(-1, ClassPalette.MSRS.indexOf(1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> ClassPalette.forName("voc"));
    }

    /** The BDLFusion paper's published MFNet predictions are RGB PNGs in exactly this palette. */
    @Test
    void publishedBdlFusionPredictionsUseOnlyPaletteColours() throws Exception {
        Optional<Path> zip = SharedData.resolve("seg_reference/BDLFusion_MFNet_results.zip");
        assumeTrue(zip.isPresent(), SharedData.missingMessage("seg_reference/BDLFusion_MFNet_results.zip"));
        int checked = 0;
        long[] histogram = new long[9];
        try (ZipFile z = new ZipFile(zip.get().toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                if (!e.getName().endsWith(".png") || checked == 5) {
                    continue;
                }
                Path f = tmp.resolve(Path.of(e.getName()).getFileName().toString());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, f);
                }
                LabelMap map = SegmentationLabels.read(f, ClassPalette.MSRS);
                assertEquals(640, map.width());
                assertEquals(480, map.height());
                long[] h = map.histogram(9);
                for (int c = 0; c < 9; c++) {
                    histogram[c] += h[c];
                }
                checked++;
            }
        }
        assertEquals(5, checked);
        // Background dominates and at least one object class is predicted somewhere.
        assertTrue(histogram[0] > 5L * 640 * 480 / 2, "background share");
        long objects = 0;
        for (int c = 1; c < 9; c++) {
            objects += histogram[c];
        }
        assertTrue(objects > 0, "no object class predicted in 5 published predictions");
    }

    /** An RGB image drawing each index in its MSRS colour; pixel {@code oddPixel} gets (10,20,30) if ≥ 0. */
    static Image colourCoded(int[] indices, int w, int h, int oddPixel) {
        float[] r = new float[w * h];
        float[] g = new float[w * h];
        float[] b = new float[w * h];
        for (int i = 0; i < indices.length; i++) {
            int c = i == oddPixel ? ClassPalette.rgb(10, 20, 30) : ClassPalette.MSRS.colour(indices[i]);
            r[i] = (c >> 16 & 0xff) / 255f;
            g[i] = (c >> 8 & 0xff) / 255f;
            b[i] = (c & 0xff) / 255f;
        }
        return Image.rgb(w, h, r, g, b);
    }
}
