package org.irfuse.nn.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The part of the protocol buffers wire format (https://protobuf.dev/programming-guides/encoding/) that writing an
 * ONNX model needs: a field key is the varint {@code (field << 3) | wireType}; wire type 0 is a base-128 varint
 * (int64 as two's complement, ten bytes when negative), 2 a varint length then the bytes (strings, bytes,
 * embedded messages), 5 four little-endian bytes (float). Repeated scalars are written unpacked, one key per value,
 * which every proto2 parser (onnx.proto is proto2) reads. No dependency on protobuf-java for about fifty lines.
 */
final class Protobuf {
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Protobuf int64(int field, long value) {
        key(field, VARINT);
        varint(value);
        return this;
    }

    Protobuf int64s(int field, long... values) {
        for (long v : values) {
            int64(field, v);
        }
        return this;
    }

    Protobuf float32(int field, float value) {
        key(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
        return this;
    }

    Protobuf string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Protobuf bytes(int field, byte[] value) {
        key(field, LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    Protobuf message(int field, Protobuf message) {
        return bytes(field, message.toByteArray());
    }

    /** Appends already encoded fields (a message's fields concatenate). */
    Protobuf raw(byte[] fields) {
        out.writeBytes(fields);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
