package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.irfuse.nn.model.ModelCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code irfuse average} end to end: the average of two copies of the default model fuses to the same bytes. */
class AverageCommandTest {
    private static final Path SAMPLES = Path.of("").toAbsolutePath().getParent().resolve("samples");

    @TempDir
    Path dir;

    @Test
    void averageOfCopiesFusesLikeTheModelAndBadInputIsRefused() throws Exception {
        String ir = SAMPLES.resolve("ir/street.png").toString();
        String vis = SAMPLES.resolve("vi/street.png").toString();
        Path weights = dir.resolve("default.npz");
        assertEquals(0, CliRun.of("export", "-o", weights.toString()).exitCode());
        for (String name : new String[] {"a", "b"}) {
            CliRun i = CliRun.of("import", "--weights", weights.toString(), "-o", dir.resolve(name).toString());
            assertEquals(0, i.exitCode(), i.err());
        }
        Path avg = dir.resolve("avg");
        CliRun a = CliRun.of("average", dir.resolve("a").toString(), dir.resolve("b").toString(), "-o",
                avg.toString(), "--notes", "two copies.");
        assertEquals(0, a.exitCode(), a.err());
        assertTrue(a.err().contains("averaged 2 lite fusion models into " + avg), a.err());
        ModelCard card = ModelCard.fromJson(Files.readString(avg.resolve(ModelCard.FILE_NAME)));
        assertEquals("average", card.stage);
        assertTrue(card.command.startsWith("irfuse average "), card.command);
        assertTrue(card.notes.startsWith("two copies. uniform weight average (model soup) of 2 models: "), card.notes);

        Path reference = dir.resolve("default.png");
        Path fused = dir.resolve("avg.png");
        assertEquals(0, CliRun.of("fuse", "--ir", ir, "--vis", vis, "-o", reference.toString(),
                "--precision", "fp32").exitCode());
        CliRun f = CliRun.of("fuse", "--ir", ir, "--vis", vis, "-o", fused.toString(), "--precision", "fp32",
                "--model", avg.toString());
        assertEquals(0, f.exitCode(), f.err());
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(fused));

        // An existing output is not touched; a missing model is named; one model is not an average.
        String before = Files.readString(avg.resolve(ModelCard.FILE_NAME));
        CliRun again = CliRun.of("average", dir.resolve("a").toString(), dir.resolve("b").toString(), "-o",
                avg.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("already exists; pass --overwrite"), again.err());
        assertEquals(before, Files.readString(avg.resolve(ModelCard.FILE_NAME)));
        CliRun missing = CliRun.of("average", dir.resolve("a").toString(), dir.resolve("absent").toString(), "-o",
                dir.resolve("out2").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains(dir.resolve("absent").toString()), missing.err());
        assertFalse(Files.exists(dir.resolve("out2")));
        CliRun one = CliRun.of("average", dir.resolve("a").toString(), "-o", dir.resolve("out3").toString());
        assertEquals(2, one.exitCode(), one.err());
    }
}
