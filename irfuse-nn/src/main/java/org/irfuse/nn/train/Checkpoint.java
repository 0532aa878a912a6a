package org.irfuse.nn.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.nn.model.ModelFolder;
import org.irfuse.nn.optim.Optimizer;

/**
 * A training checkpoint: the step reached, every network's parameters and every optimizer's state, in one file
 * written atomically (a kill during the write leaves the previous checkpoint intact). Restoring it and running on
 * gives the same results as never having stopped, because batches are drawn from per-step seeds.
 *
 * <p>Layout (version 2): magic, version, payload length, payload (step, thread count, networks, optimizers),
 * CRC-32C of the payload. The checksum is
 * verified and every length field is bounded by the bytes that remain before anything is allocated, so a damaged
 * file is reported as damaged, never as an out-of-memory error or a misleading shape message. Version 1 files
 * (no checksum) are still read, with the same bounds.
 */
public final class Checkpoint {
    private static final int MAGIC = 0x49524654; // "IRFT"
    private static final int VERSION = 2;
    /** More named blocks or optimizers than any trainer has means a damaged count. */
    private static final int MAX_ENTRIES = 64;

    private Checkpoint() {
    }

    public static void save(Path file, long step, Map<String, Block> blocks, Map<String, Optimizer> optimizers)
            throws IOException {
        save(file, step, 0, blocks, optimizers);
    }

    /**
     * Saves a checkpoint that also records the CPU thread count its parameters were computed with (0: unknown):
     * libtorch's CPU kernels split sums by thread, so the bits of a result depend on it.
     */
    public static void save(Path file, long step, int threads, Map<String, Block> blocks,
            Map<String, Optimizer> optimizers) throws IOException {
        for (Map.Entry<String, Block> e : blocks.entrySet()) {
            String bad = ModelFolder.nonFinite(e.getValue());
            if (bad != null) {
                throw new TrainingDivergedException("training diverged at step " + step + ": the parameters of '"
                        + e.getKey() + "' hold " + bad + "; not checkpointed (the previous checkpoint in "
                        + file.getParent() + " is kept); lower the learning rate");
            }
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(payload)) {
            out.writeLong(step);
            out.writeInt(threads);
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
        byte[] body = payload.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        AtomicFiles.write(file, true, tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp); DataOutputStream out = new DataOutputStream(os)) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeLong(body.length);
                out.write(body);
                out.writeInt((int) crc.getValue());
            }
        });
    }

    /** The step a checkpoint was taken at and the thread count it recorded (0: unknown). */
    public record Info(long step, int threads) {
    }

    /** What a checkpoint records, after verifying its checksum (nothing is restored). */
    public static Info info(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload(file)))) {
            return new Info(in.readLong(), version(file) == 1 ? 0 : in.readInt());
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": checkpoint is truncated", e);
        }
    }

    private static int version(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            in.readInt();
            return in.readInt();
        }
    }

    /** Restores parameters and optimizer state in place and returns the step the checkpoint was taken at. */
    public static long restore(Path file, NDManager manager, Map<String, Block> blocks,
            Map<String, Optimizer> optimizers, DataType dataType) throws IOException {
        byte[] body = payload(file);
        boolean v1 = version(file) == 1;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            long step = in.readLong();
            if (step < 0) {
                throw new IOException(file + ": checkpoint is damaged (negative step " + step + ")");
            }
            if (!v1) {
                in.readInt(); // threads, see info()
            }
            Map<String, byte[]> saved = new LinkedHashMap<>();
            int nb = count(in, file, "networks");
            for (int i = 0; i < nb; i++) {
                String name = in.readUTF();
                byte[] b = new byte[length(in, file, "parameters of '" + name + "'")];
                in.readFully(b);
                saved.put(name, b);
            }
            for (Map.Entry<String, Block> e : blocks.entrySet()) {
                byte[] b = saved.get(e.getKey());
                if (b == null) {
                    throw new IOException(file + ": checkpoint has no parameters for '" + e.getKey() + "'");
                }
                // DJL's loader takes any shapes: compare them, or a checkpoint of another width loads silently.
                List<Shape> expected = ModelFolder.shapes(e.getValue());
                try (DataInputStream bi = new DataInputStream(new ByteArrayInputStream(b))) {
                    e.getValue().loadParameters(manager, bi);
                } catch (MalformedModelException | RuntimeException ex) {
                    throw new IOException(file + ": parameters of '" + e.getKey() + "' do not fit the configured "
                            + "network (" + ex.getMessage() + ")", ex);
                }
                if (!expected.equals(ModelFolder.shapes(e.getValue()))) {
                    throw new IOException(file + ": parameters of '" + e.getKey() + "' have other shapes than the "
                            + "configured network (another --width or network size than the checkpointed run?)");
                }
                for (Pair<String, Parameter> p : e.getValue().getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        p.getValue().getArray().setRequiresGradient(true);
                    }
                }
            }
            int no = count(in, file, "optimizers");
            for (int i = 0; i < no; i++) {
                String name = in.readUTF();
                Optimizer o = optimizers.get(name);
                if (o == null) {
                    throw new IOException(file + ": checkpoint has state for unknown optimizer '" + name + "'");
                }
                try {
                    o.load(in, dataType);
                } catch (IllegalArgumentException ex) {
                    throw new IOException(file + ": optimizer state of '" + name + "' is damaged ("
                            + ex.getMessage() + ")", ex);
                }
            }
            return step;
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": checkpoint is truncated", e);
        }
    }

    /** Reads and verifies the file: the payload's bytes, checksum checked (version 2). */
    private static byte[] payload(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream is = Files.newInputStream(file); DataInputStream in = new DataInputStream(is)) {
            int magic = in.readInt();
            int version = in.readInt();
            if (magic != MAGIC || (version != 1 && version != VERSION)) {
                throw new IOException(file + ": not an irfuse checkpoint (or from another version)");
            }
            if (version == 1) {
                // No length or checksum then: the rest of the file is the payload.
                return in.readAllBytes();
            }
            long length = in.readLong();
            if (length < 8 || length > size - 20) {
                throw new IOException(file + ": checkpoint is truncated or damaged (payload length " + length
                        + " in a file of " + size + " bytes)");
            }
            byte[] body = new byte[(int) length];
            in.readFully(body);
            int stored = in.readInt();
            CRC32C crc = new CRC32C();
            crc.update(body);
            if ((int) crc.getValue() != stored) {
                throw new IOException(file + ": checkpoint is damaged (checksum mismatch); delete it to start "
                        + "again, or restore a copy");
            }
            return body;
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": checkpoint is truncated", e);
        }
    }

    private static int count(DataInputStream in, Path file, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ENTRIES) {
            throw new IOException(file + ": checkpoint is damaged (" + n + " " + what + ")");
        }
        return n;
    }

    private static int length(DataInputStream in, Path file, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException(file + ": checkpoint is damaged (" + what + ": " + n + " bytes, "
                    + in.available() + " left)");
        }
        return n;
    }
}
