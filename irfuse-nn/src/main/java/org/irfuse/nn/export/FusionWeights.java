package org.irfuse.nn.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.irfuse.core.io.NpzArchive;
import org.irfuse.core.io.NpzArchive.Array;
import org.irfuse.core.io.SafeTensors;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.model.ModelCard;
import org.irfuse.nn.model.ModelFolder;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.runtime.Compute;

/**
 * The fusion network's parameters as named float32 arrays, the one naming that {@code irfuse export} writes (to
 * {@code .npz}, {@code .safetensors} and as ONNX initializers) and {@code irfuse import} reads (docs/export.md).
 * Names follow PyTorch's {@code state_dict} of the same module tree, so a network trained elsewhere in the
 * paper's architecture maps onto it one to one:
 *
 * <pre>
 * head.weight          (C, 2, 3, 3)   input channel 0 = infrared, 1 = visible luminance Y
 * head.bias            (C,)
 * drdbK.denseI.weight  (G, C + I·G, 3, 3)  K = 1, 2; I = 0..4; dilation 2, padding 2; G = C/2
 * drdbK.denseI.bias    (G,)
 * drdbK.fuse.weight    (C, C + 5G, 1, 1)
 * drdbK.fuse.bias      (C,)
 * reduce.weight        (C/2, C, 3, 3)
 * reduce.bias          (C/2,)
 * out.weight           (1, C/2, 3, 3)
 * out.bias             (1,)
 * prelu.weight         (1,)           the one PReLU slope shared by the three activations
 * </pre>
 *
 * C is 64 (paper), 32 (lite) or 16 (nano); convolution weights are (out, in, kh, kw) as in PyTorch and ONNX.
 */
public final class FusionWeights {
    private static final int DENSE_LAYERS = 5;

    private FusionWeights() {
    }

    /** The documented names and shapes of a network of width {@code width}, in the network's parameter order. */
    public static Map<String, long[]> expectedShapes(Width width) {
        long c = width.channels;
        long g = c / 2;
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("head.weight", new long[] {c, 2, 3, 3});
        s.put("head.bias", new long[] {c});
        for (int k = 1; k <= 2; k++) {
            for (int i = 0; i < DENSE_LAYERS; i++) {
                s.put("drdb" + k + ".dense" + i + ".weight", new long[] {g, c + i * g, 3, 3});
                s.put("drdb" + k + ".dense" + i + ".bias", new long[] {g});
            }
            s.put("drdb" + k + ".fuse.weight", new long[] {c, c + DENSE_LAYERS * g, 1, 1});
            s.put("drdb" + k + ".fuse.bias", new long[] {c});
        }
        s.put("reduce.weight", new long[] {c / 2, c, 3, 3});
        s.put("reduce.bias", new long[] {c / 2});
        s.put("out.weight", new long[] {1, c / 2, 3, 3});
        s.put("out.bias", new long[] {1});
        s.put("prelu.weight", new long[] {1});
        return s;
    }

    /** The network's parameters under their documented names, in float32. */
    public static Map<String, Array> of(FusionNetwork net) {
        List<Pair<String, Parameter>> params = net.getParameters().stream().toList();
        Map<String, long[]> expected = expectedShapes(net.width());
        if (params.size() != expected.size()) {
            throw new IllegalStateException("network has " + params.size() + " parameters, the naming "
                    + expected.size());
        }
        Map<String, Array> out = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Pair<String, Parameter> p = params.get(i++);
            String name = documentedName(p.getKey());
            NDArray a = p.getValue().getArray();
            if (!name.equals(e.getKey()) || !Arrays.equals(a.getShape().getShape(), e.getValue())) {
                // The naming is written out above for users; the network's own tree must keep agreeing with it.
                throw new IllegalStateException("parameter " + p.getKey() + " " + a.getShape() + " does not match "
                        + "the documented " + e.getKey() + " " + Array.shapeString(e.getValue()));
            }
            float[] v;
            if (a.getDataType() == DataType.FLOAT32) {
                v = a.toFloatArray();
            } else {
                try (NDArray f = a.toType(DataType.FLOAT32, true)) {
                    v = f.toFloatArray();
                }
            }
            out.put(e.getKey(), new Array(e.getValue().clone(), v));
        }
        return out;
    }

    /** DJL's {@code 02drdb1_03dense2_weight} as {@code drdb1.dense2.weight} (child indices dropped). */
    static String documentedName(String djlName) {
        List<String> parts = new ArrayList<>();
        for (String part : djlName.split("_")) {
            parts.add(part.replaceFirst("^\\d+", ""));
        }
        String name = String.join(".", parts);
        return name.equals("prelu.slope") ? "prelu.weight" : name;
    }

    /** The weight formats, chosen by file extension. */
    public enum Format {
        ONNX(".onnx"), NPZ(".npz"), SAFETENSORS(".safetensors");

        public final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        /** The format of {@code file} by its extension; an exception naming the file and the accepted ones. */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            for (Format f : values()) {
                if (name.endsWith(f.extension)) {
                    return f;
                }
            }
            throw new IllegalArgumentException(file + ": unknown weight format (the name must end in .onnx, .npz "
                    + "or .safetensors)");
        }
    }

    /** Writes the model's weights as {@code .npz} or {@code .safetensors} (by extension), atomically. */
    public static void write(FusionModel model, Path file, boolean overwrite) throws IOException {
        Map<String, Array> arrays = of(model.network());
        switch (Format.of(file)) {
            case NPZ -> NpzArchive.write(file, overwrite, arrays);
            case SAFETENSORS -> SafeTensors.write(file, overwrite, arrays, Map.of(
                    "format", "irfuse-fusion-weights/1", "architecture", model.card().architecture,
                    "width", model.network().width().id(), "irfuseVersion", org.irfuse.core.Version.get()));
            case ONNX -> FusionOnnx.write(model, file, overwrite);
        }
    }

    /** Reads named arrays from a {@code .npz} or {@code .safetensors} file (by extension). */
    public static Map<String, Array> read(Path file) throws IOException {
        Format f;
        try {
            f = Format.of(file);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return switch (f) {
            case NPZ -> NpzArchive.read(file).arrays();
            case SAFETENSORS -> SafeTensors.read(file);
            case ONNX -> throw new IOException(file + ": import reads .npz or .safetensors weights; ONNX is an "
                    + "export format only");
        };
    }

    /**
     * A fusion model built from named arrays: the width is taken from {@code head.weight}, then every documented
     * array must be present with its exact shape and no other array may be there (a one-line message naming the
     * array, the expected and the found shape otherwise), and every value must be finite. The card says where the
     * weights came from; its digest is set when the model is saved.
     */
    public static FusionModel toModel(Map<String, Array> arrays, String origin, Compute compute) throws IOException {
        Width width = widthOf(arrays, origin);
        Map<String, long[]> expected = expectedShapes(width);
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Array a = arrays.get(e.getKey());
            if (a == null) {
                throw new IOException(origin + ": array '" + e.getKey() + "' is missing (expected shape "
                        + Array.shapeString(e.getValue()) + " for width " + width.id() + "; names in docs/export.md)");
            }
            if (!Arrays.equals(a.shape(), e.getValue())) {
                throw new IOException(origin + ": array '" + e.getKey() + "' has shape " + a.shapeString()
                        + ", expected " + Array.shapeString(e.getValue()) + " (width " + width.id() + ")");
            }
        }
        for (String name : arrays.keySet()) {
            if (!expected.containsKey(name)) {
                throw new IOException(origin + ": unexpected array '" + name + "' (the fusion network's arrays are "
                        + "listed in docs/export.md)");
            }
        }
        FusionModel model = FusionModel.initialise(width, compute, DataType.FLOAT32);
        List<Pair<String, Parameter>> params = model.network().getParameters().stream().toList();
        int i = 0;
        for (String name : expected.keySet()) {
            NDArray target = params.get(i++).getValue().getArray();
            target.set(FloatBuffer.wrap(arrays.get(name).data()));
        }
        String bad = ModelFolder.nonFinite(model.network());
        if (bad != null) {
            throw new IOException(origin + ": weights hold " + bad);
        }
        ModelCard card = model.card();
        card.stage = "imported";
        card.notes = "imported from " + origin + " (named arrays as docs/export.md)";
        card.parameters = ModelFolder.parameterCount(model.network());
        return model;
    }

    private static Width widthOf(Map<String, Array> arrays, String origin) throws IOException {
        Array head = arrays.get("head.weight");
        if (head == null) {
            throw new IOException(origin + ": array 'head.weight' is missing (expected shape (C, 2, 3, 3), C = 64, "
                    + "32 or 16; names in docs/export.md)");
        }
        for (Width w : Width.values()) {
            if (head.shape().length == 4 && head.shape()[0] == w.channels) {
                return w;
            }
        }
        throw new IOException(origin + ": array 'head.weight' has shape " + head.shapeString() + ", expected (C, 2, "
                + "3, 3) with C = 64 (paper), 32 (lite) or 16 (nano)");
    }
}
