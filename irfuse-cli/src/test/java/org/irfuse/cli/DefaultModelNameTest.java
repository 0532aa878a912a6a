package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.model.ModelCard;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code default} names the shipped fusion model wherever a model folder is taken, from any working folder. */
class DefaultModelNameTest {
    private static final Path SAMPLES = Path.of("").toAbsolutePath().getParent().resolve("samples");

    @TempDir
    Path dir;

    @Test
    void theLibraryResolvesDefaultToTheShippedModelAndDotSlashDefaultToAFolder() throws Exception {
        try (Compute c = Compute.cpu()) {
            byte[] shipped = FusionModel.loadDefault(c).parameterBytes();
            assertArrayEquals(shipped, FusionModel.load(Path.of("default"), c).parameterBytes());
            assertArrayEquals(shipped, FusionModel.resolve("default", c).parameterBytes());
            assertArrayEquals(shipped, FusionModel.resolve(null, c).parameterBytes());
            IOException e = assertThrows(IOException.class, () -> FusionModel.load(Path.of("./default"), c));
            assertTrue(e.getMessage().contains("folder not found"), e.getMessage());
        }
    }

    @Test
    void fuseModelDefaultIsTheDefault() throws Exception {
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        String ir = SAMPLES.resolve("ir/street.png").toString();
        String vis = SAMPLES.resolve("vi/street.png").toString();
        CliRun r1 = CliRun.of("fuse", "--ir", ir, "--vis", vis, "-o", a.toString(), "--precision", "fp32");
        CliRun r2 = CliRun.of("fuse", "--ir", ir, "--vis", vis, "-o", b.toString(), "--precision", "fp32",
                "--model", "default");
        assertEquals(0, r1.exitCode(), r1.err());
        assertEquals(0, r2.exitCode(), r2.err());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void trainInitModelDefaultFineTunesTheShippedModel() throws Exception {
        Path run = dir.resolve("run");
        CliRun t = CliRun.of("train", "--stage", "warmup", "--synthetic", "2", "--init-model", "default", "--steps",
                "1", "--batch", "1", "--crop", "32:32", "--threads", "1", "--run-dir", run.toString());
        assertEquals(0, t.exitCode(), t.err());
        ModelCard card = ModelCard.fromJson(Files.readString(run.resolve("model").resolve(ModelCard.FILE_NAME)));
        try (Compute c = Compute.cpu()) {
            assertEquals(FusionModel.loadDefault(c).card().width, card.width, "the width comes from the init model");
        }
        assertTrue(card.notes.contains("continued from default"), card.notes);
    }
}
