package org.irfuse.core.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.synthetic.SyntheticScenes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentationDatasetTest {
    @TempDir
    Path root;

    /** Writes synthetic scenes in the MSRS layout, labels as class-index PNGs. */
    private void writeSplit(String split, String... ids) throws IOException {
        Path dir = root.resolve(split);
        for (int i = 0; i < ids.length; i++) {
            SyntheticScenes.Scene s = SyntheticScenes.random(32, 24, i, i % 2 == 1);
            ImageWriter.write(s.infrared(), dir.resolve("ir").resolve(ids[i] + ".png"), false);
            ImageWriter.write(s.visible(), dir.resolve("vi").resolve(ids[i] + ".png"), false);
            ImageWriter.writeIndexedPng(dir.resolve("Segmentation_labels").resolve(ids[i] + ".png"), 32, 24,
                    s.labels(), ClassPalette.MSRS.colours(), false);
        }
    }

    @Test
    void readsTheMsrsLayoutAndItsLabelsExactly() throws Exception {
        writeSplit("test", "00002N", "00001D");
        SegmentationDataset ds = SegmentationDataset.open(root, "test");
        assertEquals(2, ds.size());
        SegmentationDataset.Sample first = ds.samples().get(0);
        assertEquals("00001D", first.id());
        assertEquals(root.resolve("test/ir/00001D.png"), first.infrared());
        assertEquals(root.resolve("test/vi/00001D.png"), first.visible());
        assertEquals(root.resolve("test/Segmentation_labels/00001D.png"), first.label());
        // The label PNG gives back the generator's exact masks ("00001D" was written second, from scene 1).
        int[] expected = SyntheticScenes.random(32, 24, 1, true).labels();
        int[] read = SegmentationLabels.read(first.label(), ClassPalette.MSRS).classes();
        assertTrue(java.util.Arrays.equals(expected, read), "label PNG does not give back the scene's mask");
    }

    @Test
    void splitListSelectsIdsInListOrder() throws Exception {
        writeSplit("train", "a", "b", "c");
        Path list = root.resolve("train.txt");
        Files.writeString(list, "c\n\n  a  \n");
        SegmentationDataset ds = SegmentationDataset.open(root, "train", list);
        assertEquals(List.of("c", "a"), ds.samples().stream().map(SegmentationDataset.Sample::id).toList());
        Files.writeString(list, "a\nzz\n");
        IOException e = assertThrows(IOException.class, () -> SegmentationDataset.open(root, "train", list));
        assertTrue(e.getMessage().contains("zz"), e.getMessage());
    }

    @Test
    void missingLabelIsReportedByName() throws Exception {
        writeSplit("test", "a", "b");
        Files.delete(root.resolve("test/Segmentation_labels/b.png"));
        IOException e = assertThrows(IOException.class, () -> SegmentationDataset.open(root, "test"));
        assertTrue(e.getMessage().contains("b (no ") && e.getMessage().contains("Segmentation_labels"),
                e.getMessage());
        assertThrows(IOException.class, () -> SegmentationDataset.open(root, "val"));
    }
}
