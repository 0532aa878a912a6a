package org.irfuse.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.optim.Adam;
import org.irfuse.nn.optim.Optimizer;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: a damaged checkpoint is reported as damaged (checksum, bounded lengths), never loaded or OOM. */
class CheckpointIntegrityTest {
    @TempDir
    Path dir;

    @Test
    void damagedTruncatedOrMismatchedCheckpointsAreRefusedWithTheirReason() throws Exception {
        Path file = dir.resolve("checkpoint.bin");
        try (Compute c = Compute.cpu()) {
            FusionModel m = FusionModel.initialise(Width.NANO, c, DataType.FLOAT32);
            List<Parameter> params = new ArrayList<>();
            for (Pair<String, Parameter> p : m.network().getParameters()) {
                params.add(p.getValue());
            }
            Adam adam = new Adam(c.root(), 0);
            NDList grads = new NDList();
            params.forEach(p -> grads.add(p.getArray().onesLike()));
            adam.step(params, grads, 1e-3);
            Map<String, Block> blocks = Map.of("fusion", m.network());
            Map<String, Optimizer> opts = Map.of("fusion", adam);
            Checkpoint.save(file, 7, 3, blocks, opts);
            assertEquals(7, Checkpoint.restore(file, c.root(), blocks, opts, DataType.FLOAT32));
            assertEquals(new Checkpoint.Info(7, 3), Checkpoint.info(file));
            byte[] good = Files.readAllBytes(file);

            // One flipped bit in the parameters: DJL would load it silently; the checksum does not.
            byte[] flipped = good.clone();
            flipped[good.length / 2] ^= 0x10;
            Files.write(file, flipped);
            IOException e1 = assertThrows(IOException.class,
                    () -> Checkpoint.restore(file, c.root(), blocks, opts, DataType.FLOAT32));
            assertTrue(e1.getMessage().contains("checksum mismatch") && e1.getMessage().contains("checkpoint.bin"),
                    e1.getMessage());

            // Cut short.
            Files.write(file, java.util.Arrays.copyOf(good, good.length / 3));
            IOException e2 = assertThrows(IOException.class,
                    () -> Checkpoint.restore(file, c.root(), blocks, opts, DataType.FLOAT32));
            assertTrue(e2.getMessage().contains("truncated"), e2.getMessage());

            // A length field claiming far more than the file holds: refused before anything is allocated.
            byte[] huge = good.clone();
            ByteBuffer.wrap(huge).putLong(8, Long.MAX_VALUE / 2);
            Files.write(file, huge);
            IOException e3 = assertThrows(IOException.class,
                    () -> Checkpoint.restore(file, c.root(), blocks, opts, DataType.FLOAT32));
            assertTrue(e3.getMessage().contains("damaged"), e3.getMessage());

            // A checkpoint of a nano network does not load into a lite one (DJL's loader takes any shapes).
            Files.write(file, good);
            FusionModel lite = FusionModel.initialise(Width.LITE, c, DataType.FLOAT32);
            IOException e4 = assertThrows(IOException.class, () -> Checkpoint.restore(file, c.root(),
                    Map.of("fusion", lite.network()), Map.of("fusion", new Adam(c.root(), 0)), DataType.FLOAT32));
            assertTrue(e4.getMessage().contains("other shapes") || e4.getMessage().contains("do not fit"),
                    e4.getMessage());
        }
    }
}
