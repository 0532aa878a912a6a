package org.irfuse.nn.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.irfuse.core.io.NpzArchive;

/**
 * Loads a {@link PretrainedBlock}'s parameters from a NumPy {@code .npz} archive by array name, checking every
 * shape. A missing array or a shape mismatch is an {@link IOException} naming the file, the array, the expected
 * and the found shape; arrays the network does not use are allowed (a converted state dict may carry extras,
 * such as YOLOv5's top-level {@code anchors} copy) and reported by {@link Result#unused}.
 */
public final class NpzWeights {
    private NpzWeights() {
    }

    /** What a load did: how many arrays and values it set, which archive arrays it left unused. */
    public record Result(int arrays, long values, List<String> unused) {
    }

    /** The block's parameters by checkpoint name, in declaration order. */
    public static Map<String, Parameter> parameters(PretrainedBlock block) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        block.collect(named);
        return named;
    }

    /** Reads {@code file} and loads it into {@code block}, which must be initialised. */
    public static Result load(PretrainedBlock block, Path file) throws IOException {
        return load(block, NpzArchive.read(file));
    }

    /** Loads an archive into an initialised block; nothing is changed when any array is missing or mis-shaped. */
    public static Result load(PretrainedBlock block, NpzArchive npz) throws IOException {
        Map<String, Parameter> named = parameters(block);
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            NpzArchive.Array a = npz.get(e.getKey());
            long[] expected = e.getValue().getShape().getShape();
            if (a == null) {
                throw new IOException(npz.file() + ": missing array '" + e.getKey() + "' (expected shape "
                        + NpzArchive.Array.shapeString(expected) + ")" + moreMissing(named, npz, e.getKey()));
            }
            if (!Arrays.equals(expected, a.shape())) {
                throw new IOException(npz.file() + ": array '" + e.getKey() + "' has shape " + a.shapeString()
                        + ", expected " + NpzArchive.Array.shapeString(expected));
            }
        }
        long values = 0;
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            NDArray target = e.getValue().getArray();
            float[] data = npz.get(e.getKey()).data();
            target.set(FloatBuffer.wrap(data));
            values += data.length;
        }
        List<String> unused = new ArrayList<>();
        for (String n : npz.names()) {
            if (!named.containsKey(n)) {
                unused.add(n);
            }
        }
        return new Result(named.size(), values, unused);
    }

    /**
     * Saves every parameter of {@code block} (running statistics and anchors included) under its checkpoint name
     * as a float32 {@code .npz}, atomically, so {@link #load} (and {@code --detector-weights}) read it back.
     */
    public static void save(PretrainedBlock block, Path file, boolean overwrite) throws IOException {
        Map<String, NpzArchive.Array> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters(block).entrySet()) {
            NDArray a = e.getValue().getArray();
            float[] data = a.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32 ? a.toFloatArray()
                    : a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            arrays.put(e.getKey(), new NpzArchive.Array(a.getShape().getShape(), data));
        }
        NpzArchive.write(file, overwrite, arrays);
    }

    private static String moreMissing(Map<String, Parameter> named, NpzArchive npz, String first) {
        long n = named.keySet().stream().filter(k -> !npz.contains(k)).count() - 1;
        return n == 0 ? "" : "; " + n + " more arrays missing: is this the right network's weights file?";
    }
}
