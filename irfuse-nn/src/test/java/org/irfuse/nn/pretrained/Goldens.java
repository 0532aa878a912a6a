package org.irfuse.nn.pretrained;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.irfuse.core.io.NpzArchive;
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

    /** Writes float32 arrays as an .npz ({@link NpzArchive#write}). */
    static void writeNpz(Path file, Map<String, long[]> shapes, Map<String, float[]> data) throws IOException {
        Map<String, NpzArchive.Array> arrays = new LinkedHashMap<>();
        shapes.forEach((n, s) -> arrays.put(n, new NpzArchive.Array(s, data.get(n))));
        NpzArchive.write(file, true, arrays);
    }
}
