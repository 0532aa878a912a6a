package org.irfuse.nn.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.irfuse.core.io.NpzArchive.Array;

/**
 * A small builder of ONNX models (opset 13, IR version 7) on {@link Protobuf}: nodes, float32 and int64
 * initializers, float32 image inputs and outputs with symbolic dimensions. Field numbers are those of onnx.proto
 * (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto): ModelProto ir_version 1, producer_name 2,
 * producer_version 3, doc_string 6, graph 7, opset_import 8; GraphProto node 1, name 2, initializer 5, input 11,
 * output 12; NodeProto input 1, output 2, name 3, op_type 4, attribute 5; AttributeProto name 1, f 2, i 3, ints 8,
 * type 20; TensorProto dims 1, data_type 2, name 8, raw_data 9; ValueInfoProto name 1, type 2; TypeProto
 * tensor_type 1; TypeProto.Tensor elem_type 1, shape 2; TensorShapeProto dim 1; Dimension dim_value 1,
 * dim_param 2.
 */
final class OnnxGraph {
    /** ONNX operator set the graphs are written against. */
    static final int OPSET = 13;
    /** IR version 7 is the one of opset 13 (ONNX 1.8). */
    static final int IR_VERSION = 7;
    private static final int FLOAT = 1;           // TensorProto.DataType.FLOAT
    private static final int INT64 = 7;           // TensorProto.DataType.INT64
    private static final int ATTRIBUTE_FLOAT = 1; // AttributeProto.AttributeType
    private static final int ATTRIBUTE_INT = 2;
    private static final int ATTRIBUTE_STRING = 3;
    private static final int ATTRIBUTE_INTS = 7;

    private final Protobuf graph = new Protobuf();
    private final Protobuf initializers = new Protobuf();
    private final Protobuf inputs = new Protobuf();
    private final Protobuf outputs = new Protobuf();

    /** Adds a node whose one output is named {@code output}; returns that name. */
    String node(String op, String name, List<String> in, String output, Protobuf... attributes) {
        Protobuf node = new Protobuf();
        in.forEach(i -> node.string(1, i));
        node.string(2, output).string(3, name).string(4, op);
        for (Protobuf a : attributes) {
            node.message(5, a);
        }
        graph.message(1, node);
        return output;
    }

    /** A node whose output takes the node's name. */
    String node(String op, String name, List<String> in, Protobuf... attributes) {
        return node(op, name, in, name, attributes);
    }

    static Protobuf ints(String name, long... values) {
        return new Protobuf().string(1, name).int64s(8, values).int64(20, ATTRIBUTE_INTS);
    }

    static Protobuf integer(String name, long value) {
        return new Protobuf().string(1, name).int64(3, value).int64(20, ATTRIBUTE_INT);
    }

    static Protobuf real(String name, float value) {
        return new Protobuf().string(1, name).float32(2, value).int64(20, ATTRIBUTE_FLOAT);
    }

    static Protobuf text(String name, String value) {
        return new Protobuf().string(1, name).string(4, value).int64(20, ATTRIBUTE_STRING);
    }

    /** A float32 initializer (raw little-endian data, as the spec requires). */
    void initializer(String name, Array a) {
        ByteBuffer raw = ByteBuffer.allocate(4 * a.data().length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(a.data());
        initializers.message(5, new Protobuf().int64s(1, a.shape()).int64(2, FLOAT).string(8, name)
                .bytes(9, raw.array()));
    }

    /** A one-dimensional int64 initializer (shapes for Reshape). */
    void int64Initializer(String name, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        initializers.message(5, new Protobuf().int64s(1, values.length).int64(2, INT64).string(8, name)
                .bytes(9, raw.array()));
    }

    void input(String name, Object... dims) {
        inputs.message(11, valueInfo(name, dims));
    }

    void output(String name, Object... dims) {
        outputs.message(12, valueInfo(name, dims));
    }

    /** A float32 tensor value; each dimension a {@code Long}/{@code Integer} size or a {@code String} name. */
    private static Protobuf valueInfo(String name, Object... dims) {
        Protobuf shape = new Protobuf();
        for (Object d : dims) {
            shape.message(1, d instanceof String s ? new Protobuf().string(2, s)
                    : new Protobuf().int64(1, ((Number) d).longValue()));
        }
        Protobuf tensorType = new Protobuf().int64(1, FLOAT).message(2, shape);
        return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensorType));
    }

    /** The serialised ModelProto. */
    byte[] model(String graphName, String docString) {
        Protobuf g = new Protobuf();
        g.raw(graph.toByteArray());
        g.string(2, graphName);
        g.raw(initializers.toByteArray());
        g.raw(inputs.toByteArray());
        g.raw(outputs.toByteArray());
        return new Protobuf()
                .int64(1, IR_VERSION)
                .string(2, "irfuse")
                .string(3, org.irfuse.core.Version.get())
                .string(6, docString)
                .message(7, g)
                .message(8, new Protobuf().string(1, "").int64(2, OPSET))
                .toByteArray();
    }
}
