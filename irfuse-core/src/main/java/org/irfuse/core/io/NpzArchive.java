package org.irfuse.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A NumPy {@code .npz} archive read into float32 arrays by name: a zip (stored or deflated) of {@code <name>.npy}
 * entries, each the {@code .npy} format (NEP 1): magic {@code \x93NUMPY}, version byte pair, a little-endian
 * header length (2 bytes in version 1, 4 in versions 2 and 3), an ASCII Python dict with {@code descr},
 * {@code fortran_order} and {@code shape}, then the raw data in C order. Accepted element types: little-endian
 * float32 ({@code <f4}), float64 and float16 (converted to float32, as a checkpoint saved in half precision).
 * Anything else — Fortran order, big-endian, integer or object arrays, a truncated entry — is refused with a
 * message naming the file and the array.
 */
public final class NpzArchive {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** One array: its shape (C order) and values. */
    public record Array(long[] shape, float[] data) {
        public long size() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }

        /** The shape as NumPy prints it, e.g. {@code (16, 3, 6, 6)} or {@code (255,)}. */
        public String shapeString() {
            return shapeString(shape);
        }

        public static String shapeString(long[] shape) {
            if (shape.length == 1) {
                return "(" + shape[0] + ",)";
            }
            return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
        }
    }

    private final Path file;
    private final Map<String, Array> arrays;

    private NpzArchive(Path file, Map<String, Array> arrays) {
        this.file = file;
        this.arrays = Collections.unmodifiableMap(arrays);
    }

    /** Reads every array of {@code file}; a message naming the file (and the array) when it is not a valid npz. */
    public static NpzArchive read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "weights file not found");
        }
        Map<String, Array> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName();
                if (!name.endsWith(".npy")) {
                    throw new IOException(file + ": entry '" + name + "' is not a .npy array");
                }
                String arrayName = name.substring(0, name.length() - 4);
                try (InputStream in = zip.getInputStream(e)) {
                    arrays.put(arrayName, parseNpy(in.readAllBytes(), file + ": array '" + arrayName + "'"));
                }
            }
        } catch (ZipException e) {
            throw new IOException(file + ": not a NumPy .npz archive (" + e.getMessage() + ")", e);
        }
        if (arrays.isEmpty()) {
            throw new IOException(file + ": the .npz archive holds no arrays");
        }
        return new NpzArchive(file, arrays);
    }

    /** Parses one {@code .npy} file's bytes; {@code what} names it in messages. */
    static Array parseNpy(byte[] bytes, String what) throws IOException {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IOException(what + ": not in .npy format (bad magic)");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            headerLength = buf.getInt(8);
            headerStart = 12;
        } else {
            throw new IOException(what + ": unsupported .npy version " + major);
        }
        if (headerLength < 0 || headerStart + headerLength > bytes.length) {
            throw new IOException(what + ": truncated .npy header");
        }
        String header = new String(bytes, headerStart, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, what, "descr");
        if (group(FORTRAN, header, what, "fortran_order").equals("True")) {
            throw new IOException(what + ": Fortran-order arrays are not supported (save with C order)");
        }
        long[] shape = Arrays.stream(group(SHAPE, header, what, "shape").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        long count = 1;
        for (long s : shape) {
            count *= s;
        }
        int itemSize = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            case "<f2" -> 2;
            default -> throw new IOException(what + ": element type '" + descr + "' is not supported (expected "
                    + "little-endian float32, float64 or float16)");
        };
        int dataStart = headerStart + headerLength;
        if (count > Integer.MAX_VALUE || dataStart + count * itemSize > bytes.length) {
            throw new IOException(what + ": truncated data (shape " + Array.shapeString(shape) + " needs "
                    + count * itemSize + " bytes, the entry holds " + (bytes.length - dataStart) + ")");
        }
        float[] data = new float[(int) count];
        buf.position(dataStart);
        for (int i = 0; i < data.length; i++) {
            data[i] = switch (itemSize) {
                case 4 -> buf.getFloat();
                case 8 -> (float) buf.getDouble();
                default -> halfToFloat(buf.getShort());
            };
        }
        return new Array(shape, data);
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));   // inf or NaN
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;                                       // zero or subnormal
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static String group(Pattern p, String header, String what, String key) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(what + ": .npy header lacks '" + key + "': " + header.strip());
        }
        return m.group(1);
    }

    /**
     * Writes float32 arrays as an {@code .npz} (version 1 {@code .npy} entries, stored, as {@code numpy.savez}
     * writes them), atomically; {@link #read} and NumPy read it back with names and shapes.
     */
    public static void write(Path target, boolean overwrite, Map<String, Array> arrays) throws IOException {
        AtomicFiles.write(target, overwrite, tmp -> {
            try (java.io.OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tmp));
                    java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(os)) {
                for (Map.Entry<String, Array> e : arrays.entrySet()) {
                    Array a = e.getValue();
                    StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': "
                            + (a.shape().length == 0 ? "()" : a.shapeString()) + ", }");
                    // The header (with magic, version and length: 10 bytes) ends with a newline on a multiple of 64.
                    while ((10 + header.length() + 1) % 64 != 0) {
                        header.append(' ');
                    }
                    header.append('\n');
                    float[] v = a.data();
                    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * v.length)
                            .order(ByteOrder.LITTLE_ENDIAN);
                    b.put(MAGIC).put((byte) 1).put((byte) 0);
                    b.putShort((short) header.length());
                    b.put(header.toString().getBytes(StandardCharsets.US_ASCII));
                    b.asFloatBuffer().put(v);
                    zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                    zip.write(b.array());
                    zip.closeEntry();
                }
            }
        });
    }

    public Path file() {
        return file;
    }

    /** Array names in archive order. */
    public java.util.Set<String> names() {
        return arrays.keySet();
    }

    public boolean contains(String name) {
        return arrays.containsKey(name);
    }

    /** The array, or null when absent. */
    public Array get(String name) {
        return arrays.get(name);
    }

    public Map<String, Array> arrays() {
        return arrays;
    }
}
