package org.irfuse.nn.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: a model with NaN parameters is neither saved nor loaded; a card must carry its digest. */
class ModelFolderSafetyTest {
    @TempDir
    Path dir;

    /** Writes a model folder the way a buggy or diverged writer would: no finiteness check, a valid digest. */
    static void writeRaw(FusionModel m, Path folder) throws IOException {
        byte[] params = m.parameterBytes();
        m.card().parameters = ModelFolder.parameterCount(m.network());
        m.card().parametersSha256 = ModelFolder.sha256(params);
        Files.createDirectories(folder);
        Files.write(folder.resolve(m.card().parametersFile), params);
        Files.writeString(folder.resolve(ModelCard.FILE_NAME), m.card().toJson());
    }

    @Test
    void nanParametersAreRefusedOnSaveAndOnLoad() throws Exception {
        try (Compute c = Compute.cpu()) {
            FusionModel m = FusionModel.initialise(Width.NANO, c, DataType.FLOAT32);
            m.network().getParameters().get(0).getValue().getArray().muli(Float.NaN);
            IOException save = assertThrows(IOException.class, () -> m.save(dir.resolve("saved"), false));
            assertTrue(save.getMessage().contains("NaN/infinite") && save.getMessage().contains("saved"),
                    save.getMessage());
            assertFalse(Files.exists(dir.resolve("saved/model-card.json")));

            writeRaw(m, dir.resolve("raw"));
            IOException load = assertThrows(IOException.class, () -> FusionModel.load(dir.resolve("raw"), c));
            assertTrue(load.getMessage().contains("NaN/infinite") && load.getMessage().contains("raw"),
                    load.getMessage());
        }
    }

    @Test
    void aCardWithoutDigestIsRefused() throws Exception {
        try (Compute c = Compute.cpu()) {
            FusionModel m = FusionModel.initialise(Width.NANO, c, DataType.FLOAT32);
            m.save(dir.resolve("m"), false);
            ModelCard card = ModelCard.fromJson(Files.readString(dir.resolve("m/model-card.json")));
            card.parametersSha256 = null;
            Files.writeString(dir.resolve("m/model-card.json"), card.toJson());
            IOException e = assertThrows(IOException.class, () -> FusionModel.load(dir.resolve("m"), c));
            assertTrue(e.getMessage().contains("no parametersSha256"), e.getMessage());
        }
    }
}
