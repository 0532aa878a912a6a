package org.irfuse.nn.pretrained;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.irfuse.core.io.SharedData;

/** Test helpers: the shared weights and golden files (skipping when absent), and a small .npz writer. */
final class Goldens {
    private Goldens() {
    }

    /** A file of ../shared/models; the test is skipped with a message when it is absent. */
    static Path model(String relative) {
        Optional<Path> p = SharedData.model(relative);
        assumeTrue(p.isPresent(), SharedData.missingModelMessage(relative));
        return p.get();
    }

    /** A raw little-endian float32 golden file. */
    static float[] f32(String relative) throws IOException {
        byte[] b = Files.readAllBytes(model("golden/" + relative));
        float[] out = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Largest |a − b| / max(1, |b|): absolute for values up to 1, relative above (box pixels reach 10²). */
    static double maxError(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError(actual.length + " values, expected " + expected.length);
        }
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
        }
        return worst;
    }

    /** Writes float32 arrays as an .npz (version 1 .npy entries, stored), as numpy.savez does. */
    static void writeNpz(Path file, Map<String, long[]> shapes, Map<String, float[]> data) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                long[] s = e.getValue();
                String shape = s.length == 1 ? "(" + s[0] + ",)"
                        : LongStream.of(s).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
                StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': "
                        + shape + ", }");
                while ((10 + header.length() + 1) % 64 != 0) {
                    header.append(' ');
                }
                header.append('\n');
                float[] v = data.get(e.getKey());
                ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * v.length)
                        .order(ByteOrder.LITTLE_ENDIAN);
                b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
                b.putShort((short) header.length());
                b.put(header.toString().getBytes(StandardCharsets.US_ASCII));
                b.asFloatBuffer().put(v);
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(b.array());
                zip.closeEntry();
            }
        }
    }
}
