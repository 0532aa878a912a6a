package org.irfuse.core.pairs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderPairingTest {
    @TempDir
    Path dir;

    @Test
    void pairsByNameWithoutExtensionAndListsTheRest() throws Exception {
        Path ir = Files.createDirectories(dir.resolve("ir"));
        Path vi = Files.createDirectories(dir.resolve("vi"));
        for (String f : List.of("01.png", "02.PNG", "03.bmp", ".hidden.png", "notes.txt")) {
            Files.writeString(ir.resolve(f), "x");
        }
        Files.createDirectories(ir.resolve("sub.png"));
        for (String f : List.of("01.jpg", "02.png", "04.tif")) {
            Files.writeString(vi.resolve(f), "x");
        }
        FolderPairing.Result r = FolderPairing.pair(ir, vi);
        assertEquals(List.of("01", "02"), r.pairs().stream().map(ImagePair::name).toList());
        assertEquals(vi.resolve("01.jpg"), r.pairs().get(0).visible());
        assertEquals(List.of(ir.resolve("03.bmp")), r.onlyInFirst());
        assertEquals(List.of(vi.resolve("04.tif")), r.onlyInSecond());
    }

    @Test
    void theSameRuleOnAListingOfNames() throws Exception {
        Map<String, String> idx = FolderPairing.index("hdfs://nn/ir",
                List.of("hdfs://nn/ir/b.png", "hdfs://nn/ir/a.JPG", "hdfs://nn/ir/.a.png.1.tmp",
                        "hdfs://nn/ir/.c.png", "hdfs://nn/ir/c.csv"),
                f -> f.substring(f.lastIndexOf('/') + 1));
        assertEquals(List.of("a", "b"), List.copyOf(idx.keySet()));
        assertEquals("hdfs://nn/ir/a.JPG", idx.get("a"));
        IOException e = assertThrows(IOException.class, () -> FolderPairing.index("hdfs://nn/ir",
                List.of("x/a.png", "x/a.jpg"), f -> f.substring(2)));
        assertTrue(e.getMessage().contains("hdfs://nn/ir: two images named 'a' (a.png and a.jpg)"), e.getMessage());
    }
}
