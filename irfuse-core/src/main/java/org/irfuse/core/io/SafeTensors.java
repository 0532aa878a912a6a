package org.irfuse.core.io;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.irfuse.core.io.NpzArchive.Array;

/**
 * The safetensors format (Hugging Face, https://github.com/huggingface/safetensors): an unsigned little-endian
 * 64-bit header length N, N bytes of UTF-8 JSON mapping each tensor name to {@code dtype}, {@code shape} and
 * {@code data_offsets} [begin, end) relative to the end of the header (plus an optional {@code __metadata__}
 * object of strings), then the raw little-endian tensor data in C order. Written in float32 ({@code F32});
 * read from {@code F32}, {@code F64}, {@code F16} and {@code BF16} into float32 {@link Array}s, as
 * {@link NpzArchive} reads {@code .npz}, so both weight formats feed the same code.
 */
public final class SafeTensors {
    private static final Gson GSON = new Gson();
    /** Larger headers are refused as corrupt (the reference implementation caps them at 100 MB). */
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /** Reads every tensor of {@code file} by name, in file order; one message naming the file and tensor on error. */
    public static Map<String, Array> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "weights file not found");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 8) {
            throw new IOException(file + ": not a safetensors file (shorter than its 8-byte header length)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        if (n < 2 || n > MAX_HEADER || 8 + n > bytes.length) {
            throw new IOException(file + ": not a safetensors file (header length " + n + " for a file of "
                    + bytes.length + " bytes)");
        }
        JsonObject header;
        try {
            header = GSON.fromJson(new String(bytes, 8, (int) n, StandardCharsets.UTF_8), JsonObject.class);
        } catch (JsonParseException | ClassCastException e) {
            throw new IOException(file + ": safetensors header is not a JSON object (" + e.getMessage() + ")", e);
        }
        if (header == null) {
            throw new IOException(file + ": safetensors header is empty");
        }
        int dataStart = (int) (8 + n);
        Map<String, Array> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            String what = file + ": tensor '" + e.getKey() + "'";
            try {
                JsonObject t = e.getValue().getAsJsonObject();
                String dtype = t.get("dtype").getAsString();
                JsonArray shapeJson = t.getAsJsonArray("shape");
                long[] shape = new long[shapeJson.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeJson.get(i).getAsLong();
                    count *= shape[i];
                }
                JsonArray offsets = t.getAsJsonArray("data_offsets");
                long begin = offsets.get(0).getAsLong();
                long end = offsets.get(1).getAsLong();
                int itemSize = switch (dtype) {
                    case "F32" -> 4;
                    case "F64" -> 8;
                    case "F16", "BF16" -> 2;
                    default -> throw new IOException(what + ": dtype " + dtype + " is not supported (expected F32, "
                            + "F64, F16 or BF16)");
                };
                if (begin < 0 || end < begin || dataStart + end > bytes.length) {
                    throw new IOException(what + ": data_offsets [" + begin + ", " + end + ") lie outside the file");
                }
                if (end - begin != count * itemSize) {
                    throw new IOException(what + ": shape " + Array.shapeString(shape) + " of " + dtype + " needs "
                            + count * itemSize + " bytes, data_offsets give " + (end - begin));
                }
                float[] data = new float[(int) count];
                buf.position(dataStart + (int) begin);
                for (int i = 0; i < data.length; i++) {
                    data[i] = switch (dtype) {
                        case "F32" -> buf.getFloat();
                        case "F64" -> (float) buf.getDouble();
                        case "F16" -> NpzArchive.halfToFloat(buf.getShort());
                        default -> Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);   // BF16: high half
                    };
                }
                out.put(e.getKey(), new Array(shape, data));
            } catch (IllegalStateException | NullPointerException | UnsupportedOperationException
                    | IndexOutOfBoundsException ex) {
                throw new IOException(what + ": malformed header entry " + e.getValue(), ex);
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": the safetensors file holds no tensors");
        }
        return out;
    }

    /**
     * Writes float32 tensors in the given order (data laid out in that order), with string {@code metadata}
     * (may be empty), atomically. The header is padded with spaces to a multiple of 8 bytes, as the reference
     * writer does, so the data is aligned.
     */
    public static void write(Path target, boolean overwrite, Map<String, Array> tensors, Map<String, String> metadata)
            throws IOException {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Map.Entry<String, Array> e : tensors.entrySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long s : e.getValue().shape()) {
                shape.add(s);
            }
            t.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += 4L * e.getValue().data().length;
            offsets.add(offset);
            t.add("data_offsets", offsets);
            header.add(e.getKey(), t);
        }
        StringBuilder json = new StringBuilder(GSON.toJson(header));
        while (json.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
            json.append(' ');
        }
        byte[] headerBytes = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + headerBytes.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerBytes.length).put(headerBytes);
        for (Array a : tensors.values()) {
            for (float v : a.data()) {
                b.putFloat(v);
            }
        }
        AtomicFiles.writeBytes(target, overwrite, b.array());
    }
}
