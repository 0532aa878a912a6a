package org.irfuse.nn.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.core.io.NpzArchive.Array;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork;

/**
 * The fusion network as an ONNX model (opset 13, IR version 7), written from the network's known structure
 * ({@link FusionNetwork}: concat → conv → PReLU → two dilated residual dense blocks → conv → PReLU → conv → PReLU)
 * with the weights as initializers under the names of {@link FusionWeights}. DJL's PyTorch engine cannot export
 * ONNX, so the ModelProto is serialised here with {@link Protobuf}; field numbers are those of onnx.proto
 * (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
 *
 * <p>Inputs {@code infrared} and {@code luminance}, float32 [batch, 1, height, width] in [0, 1] (the visible image's
 * BT.601 Y); output {@code fused}, the same shape, the fused luminance Ŷ before clamping — what
 * {@link org.irfuse.nn.fusion.Fuser#fuseLuminance} returns. Batch, height and width are symbolic (dim_param), so
 * one file runs at any size.
 */
public final class FusionOnnx {
    /** ONNX operator set the graph is written against (Conv, Concat, Relu, PRelu, Add are all stable since). */
    public static final int OPSET = 13;
    /** IR version 7 is the one of opset 13 (ONNX 1.8). */
    static final int IR_VERSION = 7;
    private static final int FLOAT = 1;               // TensorProto.DataType.FLOAT
    private static final int ATTRIBUTE_INT = 2;       // AttributeProto.AttributeType.INT
    private static final int ATTRIBUTE_INTS = 7;      // AttributeProto.AttributeType.INTS

    private FusionOnnx() {
    }

    /** Writes the model's ONNX file atomically. */
    public static void write(FusionModel model, Path file, boolean overwrite) throws IOException {
        byte[] bytes = toBytes(model.network(), "irfuse fusion network (" + model.network().width().id() + ")");
        AtomicFiles.writeBytes(file, overwrite, bytes);
    }

    /** The serialised ModelProto. */
    public static byte[] toBytes(FusionNetwork net, String docString) {
        Map<String, Array> weights = FusionWeights.of(net);
        Protobuf graph = new Protobuf();
        Nodes nodes = new Nodes(graph);
        String x = nodes.add("Concat", "concat", new String[] {"infrared", "luminance"}, axis(1));
        x = nodes.conv("head", x, 1, 1);
        x = nodes.add("PRelu", "head_prelu", new String[] {x, "prelu.weight"});
        for (int k = 1; k <= 2; k++) {
            String block = "drdb" + k;
            String input = x;
            String features = x;
            for (int i = 0; i < 5; i++) {
                String conv = nodes.conv(block + ".dense" + i, features, 2, 2);
                String relu = nodes.add("Relu", block + ".dense" + i + "_relu", new String[] {conv});
                features = nodes.add("Concat", block + ".dense" + i + "_concat", new String[] {features, relu},
                        axis(1));
            }
            String fuse = nodes.conv(block + ".fuse", features, 0, 1);
            String relu = nodes.add("Relu", block + ".fuse_relu", new String[] {fuse});
            x = nodes.add("Add", block + "_residual", new String[] {relu, input});
        }
        x = nodes.conv("reduce", x, 1, 1);
        x = nodes.add("PRelu", "reduce_prelu", new String[] {x, "prelu.weight"});
        x = nodes.conv("out", x, 1, 1);
        nodes.add("PRelu", "out_prelu", new String[] {x, "prelu.weight"}, "fused");

        graph.string(2, "irfuse_fusion");                                   // GraphProto.name
        for (Map.Entry<String, Array> w : weights.entrySet()) {
            graph.message(5, tensor(w.getKey(), w.getValue()));             // GraphProto.initializer
        }
        graph.message(11, imageValue("infrared"));                          // GraphProto.input
        graph.message(11, imageValue("luminance"));
        graph.message(12, imageValue("fused"));                             // GraphProto.output

        return new Protobuf()
                .int64(1, IR_VERSION)                                       // ModelProto.ir_version
                .string(2, "irfuse")                                        // producer_name
                .string(3, org.irfuse.core.Version.get())                   // producer_version
                .string(6, docString)                                       // doc_string
                .message(7, graph)                                          // graph
                .message(8, new Protobuf().string(1, "").int64(2, OPSET))   // opset_import (default domain)
                .toByteArray();
    }

    /** Appends NodeProtos (GraphProto.node = 1) and names their outputs. */
    private static final class Nodes {
        private final Protobuf graph;

        Nodes(Protobuf graph) {
            this.graph = graph;
        }

        String add(String op, String name, String[] inputs, Protobuf... attributes) {
            return add(op, name, inputs, name, attributes);
        }

        String add(String op, String name, String[] inputs, String output, Protobuf... attributes) {
            Protobuf node = new Protobuf();
            for (String in : inputs) {
                node.string(1, in);                                         // NodeProto.input
            }
            node.string(2, output).string(3, name).string(4, op);           // output, name, op_type
            for (Protobuf a : attributes) {
                node.message(5, a);                                         // attribute
            }
            graph.message(1, node);
            return output;
        }

        /** Convolution with weight {@code <prefix>.weight}, bias {@code <prefix>.bias}, kernel from the weight. */
        String conv(String prefix, String input, int pad, int dilation) {
            int kernel = pad == 0 ? 1 : 3;
            return add("Conv", prefix, new String[] {input, prefix + ".weight", prefix + ".bias"},
                    ints("kernel_shape", kernel, kernel), ints("pads", pad, pad, pad, pad),
                    ints("dilations", dilation, dilation), ints("strides", 1, 1));
        }
    }

    private static Protobuf axis(long axis) {
        // AttributeProto: name = 1, i = 3, type = 20
        return new Protobuf().string(1, "axis").int64(3, axis).int64(20, ATTRIBUTE_INT);
    }

    private static Protobuf ints(String name, long... values) {
        // AttributeProto: name = 1, ints = 8, type = 20
        return new Protobuf().string(1, name).int64s(8, values).int64(20, ATTRIBUTE_INTS);
    }

    private static Protobuf tensor(String name, Array a) {
        ByteBuffer raw = ByteBuffer.allocate(4 * a.data().length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(a.data());
        // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian, as the spec requires)
        return new Protobuf().int64s(1, a.shape()).int64(2, FLOAT).string(8, name).bytes(9, raw.array());
    }

    /** ValueInfoProto of a float32 [batch, 1, height, width] image with symbolic batch, height and width. */
    private static Protobuf imageValue(String name) {
        Protobuf shape = new Protobuf()                                     // TensorShapeProto.dim = 1
                .message(1, new Protobuf().string(2, "batch"))              // Dimension.dim_param = 2
                .message(1, new Protobuf().int64(1, 1))                     // Dimension.dim_value = 1
                .message(1, new Protobuf().string(2, "height"))
                .message(1, new Protobuf().string(2, "width"));
        Protobuf tensorType = new Protobuf().int64(1, FLOAT).message(2, shape);   // elem_type = 1, shape = 2
        Protobuf type = new Protobuf().message(1, tensorType);              // TypeProto.tensor_type = 1
        return new Protobuf().string(1, name).message(2, type);             // ValueInfoProto name = 1, type = 2
    }
}
