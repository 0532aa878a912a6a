package org.irfuse.nn.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.nn.model.ModelFolder;
import org.irfuse.nn.optim.Optimizer;

/**
 * A training checkpoint: the step reached, every network's parameters and every optimizer's state, in one file
 * written atomically (a kill during the write leaves the previous checkpoint intact). Restoring it and running on
 * gives the same results as never having stopped, because batches are drawn from per-step seeds.
 */
public final class Checkpoint {
    private static final int MAGIC = 0x49524654; // "IRFT"
    private static final int VERSION = 1;

    private Checkpoint() {
    }

    public static void save(Path file, long step, Map<String, Block> blocks, Map<String, Optimizer> optimizers)
            throws IOException {
        for (Map.Entry<String, Block> e : blocks.entrySet()) {
            String bad = ModelFolder.nonFinite(e.getValue());
            if (bad != null) {
                throw new TrainingDivergedException("training diverged at step " + step + ": the parameters of '"
                        + e.getKey() + "' hold " + bad + "; not checkpointed (the previous checkpoint in "
                        + file.getParent() + " is kept); lower the learning rate");
            }
        }
        AtomicFiles.write(file, true, tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp);
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeLong(step);
                out.writeInt(blocks.size());
                for (Map.Entry<String, Block> e : blocks.entrySet()) {
                    out.writeUTF(e.getKey());
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (DataOutputStream b = new DataOutputStream(bytes)) {
                        e.getValue().saveParameters(b);
                    }
                    out.writeInt(bytes.size());
                    bytes.writeTo(out);
                }
                out.writeInt(optimizers.size());
                for (Map.Entry<String, Optimizer> e : optimizers.entrySet()) {
                    out.writeUTF(e.getKey());
                    e.getValue().save(out);
                }
            }
        });
    }

    /** Restores parameters and optimizer state in place and returns the step the checkpoint was taken at. */
    public static long restore(Path file, NDManager manager, Map<String, Block> blocks,
            Map<String, Optimizer> optimizers, DataType dataType) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + ": not an irfuse checkpoint (or from another version)");
            }
            long step = in.readLong();
            Map<String, byte[]> saved = new LinkedHashMap<>();
            int nb = in.readInt();
            for (int i = 0; i < nb; i++) {
                String name = in.readUTF();
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                saved.put(name, b);
            }
            for (Map.Entry<String, Block> e : blocks.entrySet()) {
                byte[] b = saved.get(e.getKey());
                if (b == null) {
                    throw new IOException(file + ": checkpoint has no parameters for '" + e.getKey() + "'");
                }
                try (DataInputStream bi = new DataInputStream(new ByteArrayInputStream(b))) {
                    e.getValue().loadParameters(manager, bi);
                } catch (MalformedModelException | RuntimeException ex) {
                    throw new IOException(file + ": parameters of '" + e.getKey() + "' do not fit the configured "
                            + "network (" + ex.getMessage() + ")", ex);
                }
                for (Pair<String, Parameter> p : e.getValue().getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        p.getValue().getArray().setRequiresGradient(true);
                    }
                }
            }
            int no = in.readInt();
            for (int i = 0; i < no; i++) {
                String name = in.readUTF();
                Optimizer o = optimizers.get(name);
                if (o == null) {
                    throw new IOException(file + ": checkpoint has state for unknown optimizer '" + name + "'");
                }
                o.load(in, dataType);
            }
            return step;
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": checkpoint is truncated", e);
        }
    }
}
