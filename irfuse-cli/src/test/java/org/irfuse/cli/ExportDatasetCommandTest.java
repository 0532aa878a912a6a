package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.irfuse.core.datasets.UltralyticsDataset;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.YoloLabels;
import org.irfuse.core.io.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code irfuse export-dataset} on real MSRS pairs: fused images, labels and data.yaml in ultralytics' layout. */
class ExportDatasetCommandTest {
    private static final List<String> IDS = List.of("00001D", "00002D");

    @TempDir
    Path tmp;

    @Test
    void msrsPairsBecomeAnUltralyticsDataset() throws Exception {
        Optional<Path> msrs = SharedData.resolve("msrs");
        assumeTrue(msrs.isPresent(), SharedData.missingMessage("msrs"));
        for (String id : IDS) {
            for (String d : List.of("ir", "vi")) {
                Files.createDirectories(tmp.resolve(d));
                Files.copy(msrs.get().resolve(d).resolve(id + ".png"), tmp.resolve(d).resolve(id + ".png"));
            }
            Files.createDirectories(tmp.resolve("labels"));
            Files.copy(msrs.get().resolve("det_labels/fusion").resolve(id + ".txt"),
                    tmp.resolve("labels").resolve(id + ".txt"));
        }
        Path ds = tmp.resolve("ds");
        CliRun r = CliRun.of("export-dataset", "--ir-dir", tmp.resolve("ir").toString(), "--vis-dir",
                tmp.resolve("vi").toString(), "--labels", tmp.resolve("labels").toString(), "-o", ds.toString(),
                "--val-fraction", "0.5", "--precision", "fp32", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("wrote 2 pairs (1 train, 1 val)"), r.err());
        String yaml = Files.readString(ds.resolve("data.yaml"));
        assertTrue(yaml.contains("path: \"" + ds.toAbsolutePath().normalize() + "\"\ntrain: images/train\n"
                + "val: images/val\nnames:\n  0: \"person\"\n  1: \"bicycle\"\n  2: \"car\"\n"), yaml);

        int val = 0;
        for (String id : IDS) {
            UltralyticsDataset.Split split = Files.exists(UltralyticsDataset.imagePath(ds,
                    UltralyticsDataset.Split.VAL, id)) ? UltralyticsDataset.Split.VAL : UltralyticsDataset.Split.TRAIN;
            val += split == UltralyticsDataset.Split.VAL ? 1 : 0;
            Path image = UltralyticsDataset.imagePath(ds, split, id);
            // The image is what irfuse fuse writes for the pair.
            Path fused = tmp.resolve("fused").resolve(id + ".png");
            CliRun f = CliRun.of("fuse", "--ir", tmp.resolve("ir/" + id + ".png").toString(), "--vis",
                    tmp.resolve("vi/" + id + ".png").toString(), "-o", fused.toString(), "--precision", "fp32");
            assertEquals(0, f.exitCode(), f.err());
            assertArrayEquals(Files.readAllBytes(fused), Files.readAllBytes(image), id);
            // The labels hold the same boxes (640x480 MSRS images).
            List<Box> original = YoloLabels.read(tmp.resolve("labels/" + id + ".txt"), 640, 480);
            List<Box> written = YoloLabels.read(UltralyticsDataset.labelPath(ds, split, id), 640, 480);
            assertEquals(original.size(), written.size(), id);
            for (int i = 0; i < original.size(); i++) {
                assertEquals(original.get(i).classId(), written.get(i).classId());
                assertEquals(original.get(i).x0(), written.get(i).x0(), 1e-3);
                assertEquals(original.get(i).y1(), written.get(i).y1(), 1e-3);
            }
        }
        assertEquals(1, val, "round(0.5 * 2) = 1 pair in val");

        // Already fused images give the same dataset; the same seed gives the same split.
        Path ds2 = tmp.resolve("ds2");
        CliRun r2 = CliRun.of("export-dataset", "--ir-dir", tmp.resolve("ir").toString(), "--vis-dir",
                tmp.resolve("vi").toString(), "--labels", tmp.resolve("labels").toString(), "--fused-dir",
                tmp.resolve("fused").toString(), "-o", ds2.toString(), "--val-fraction", "0.5");
        assertEquals(0, r2.exitCode(), r2.err());
        for (String id : IDS) {
            for (UltralyticsDataset.Split s : UltralyticsDataset.Split.values()) {
                Path a = UltralyticsDataset.imagePath(ds, s, id);
                Path b = UltralyticsDataset.imagePath(ds2, s, id);
                assertEquals(Files.exists(a), Files.exists(b), id + " " + s);
                if (Files.exists(a)) {
                    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
                    assertArrayEquals(Files.readAllBytes(UltralyticsDataset.labelPath(ds, s, id)),
                            Files.readAllBytes(UltralyticsDataset.labelPath(ds2, s, id)));
                }
            }
        }

        CliRun again = CliRun.of("export-dataset", "--ir-dir", tmp.resolve("ir").toString(), "--vis-dir",
                tmp.resolve("vi").toString(), "--labels", tmp.resolve("labels").toString(), "--fused-dir",
                tmp.resolve("fused").toString(), "-o", ds2.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("data.yaml already exists; pass --overwrite"), again.err());
        Files.delete(tmp.resolve("fused/00002D.png"));
        Path ds3 = tmp.resolve("ds3");
        CliRun missing = CliRun.of("export-dataset", "--ir-dir", tmp.resolve("ir").toString(), "--vis-dir",
                tmp.resolve("vi").toString(), "--labels", tmp.resolve("labels").toString(), "--fused-dir",
                tmp.resolve("fused").toString(), "-o", ds3.toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("no fused image named '00002D'"), missing.err());
        assertFalse(Files.exists(ds3));
    }
}
