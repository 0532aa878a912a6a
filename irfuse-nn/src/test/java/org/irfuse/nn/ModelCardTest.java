package org.irfuse.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.model.ModelCard;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCardTest {
    @TempDir
    Path dir;

    @Test
    void saveLoadRoundTripAndCardChecks() throws Exception {
        try (Compute c = Compute.cpu()) {
            FusionModel m = FusionModel.initialise(Width.NANO, c, DataType.FLOAT32);
            m.card().notes = "test";
            Path md = dir.resolve("m");
            m.save(md, false);
            FusionModel back = FusionModel.load(md, c);
            assertEquals("nano", back.card().width);
            // Every card written names the irfuse version that wrote it (the filtered Maven version).
            assertEquals(org.irfuse.core.Version.get(), back.card().irfuseVersion);
            assertTrue(Files.readString(md.resolve(ModelCard.FILE_NAME)).contains(
                    "\"irfuseVersion\": \"" + org.irfuse.core.Version.get() + "\""));
            assertArrayEquals(m.parameterBytes(), back.parameterBytes());
            assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> m.save(md, false));

            // A parameter file that does not match its card is refused, naming the card.
            Path params = md.resolve("fusion.params");
            byte[] bytes = Files.readAllBytes(params);
            bytes[bytes.length - 1] ^= 1;
            Files.write(params, bytes);
            IOException e = assertThrows(IOException.class, () -> FusionModel.load(md, c));
            assertTrue(e.getMessage().contains("does not match its card"), e.getMessage());

            // A card naming another width than the parameters hold is refused.
            Path md2 = dir.resolve("m2");
            m.save(md2, false);
            ModelCard card = ModelCard.fromJson(Files.readString(md2.resolve(ModelCard.FILE_NAME)));
            card.width = "lite";
            Files.writeString(md2.resolve(ModelCard.FILE_NAME), card.toJson());
            assertThrows(IOException.class, () -> FusionModel.load(md2, c));

            assertThrows(IOException.class, () -> FusionModel.load(dir.resolve("absent"), c));
        }
    }

    @Test
    void shippedDefaultModelLoadsAndMatchesItsCard() throws Exception {
        try (Compute c = Compute.cpu()) {
            FusionModel m = FusionModel.loadDefault(c);
            assertEquals(m.card().parameters, FusionModel.parameterCount(m.network()));
            assertTrue(m.card().trainingSteps > 0);
            assertTrue(m.card().trainingData.stream().noneMatch(d -> d.contains("tno")),
                    "TNO is the evaluation set, not training data");
        }
    }
}
