package org.irfuse.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzArchiveTest {
    @TempDir
    Path tmp;

    /** A version-1 .npy entry with the given header dict and payload. */
    private static byte[] npy(String dict, byte[] payload) {
        byte[] h = dict.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h).put(payload);
        return b.array();
    }

    private static byte[] le(int bytesPer, double... v) {
        ByteBuffer b = ByteBuffer.allocate(bytesPer * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            if (bytesPer == 4) {
                b.putFloat((float) x);
            } else {
                b.putDouble(x);
            }
        }
        return b.array();
    }

    @Test
    void readsFloat32Float64AndFloat16InCOrder() throws IOException {
        NpzArchive.Array a = NpzArchive.parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n",
                le(4, 1, 2, 3, 4, 5, -6.5)), "t");
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6.5f}, a.data());
        assertEquals("(2, 3)", a.shapeString());
        NpzArchive.Array d = NpzArchive.parseNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                le(8, 0.1, 1e-3)), "t");
        assertEquals("(2,)", d.shapeString());
        assertArrayEquals(new float[] {0.1f, 1e-3f}, d.data());
        // binary16: 0x3C00 = 1, 0xC000 = −2, 0x0001 = 2^−24 (smallest subnormal), 0x7BFF = 65504 (largest).
        byte[] half = {0x00, 0x3C, 0x00, (byte) 0xC0, 0x01, 0x00, (byte) 0xFF, 0x7B};
        NpzArchive.Array f = NpzArchive.parseNpy(npy("{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }",
                half), "t");
        assertArrayEquals(new float[] {1, -2, 0x1p-24f, 65504}, f.data());
        NpzArchive.Array scalar = NpzArchive.parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
                le(4, 7)), "t");
        assertEquals(1, scalar.size());
    }

    @Test
    void refusesWhatItCannotReadWithTheArrayNamed() {
        IOException e = assertThrows(IOException.class, () -> NpzArchive.parseNpy(
                npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new byte[8]), "w.npz: array 'x'"));
        assertTrue(e.getMessage().startsWith("w.npz: array 'x': element type '<i8'"), e.getMessage());
        e = assertThrows(IOException.class, () -> NpzArchive.parseNpy(
                npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]), "a"));
        assertTrue(e.getMessage().contains("Fortran-order"), e.getMessage());
        e = assertThrows(IOException.class, () -> NpzArchive.parseNpy(
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", new byte[8]), "a"));
        assertTrue(e.getMessage().contains("truncated data (shape (3,) needs 12 bytes, the entry holds 8)"),
                e.getMessage());
        assertThrows(IOException.class, () -> NpzArchive.parseNpy(new byte[20], "a"));
    }

    @Test
    void aFileThatIsNotAZipIsNamed() throws IOException {
        Path f = tmp.resolve("weights.npz");
        Files.writeString(f, "not a zip");
        IOException e = assertThrows(IOException.class, () -> NpzArchive.read(f));
        assertTrue(e.getMessage().startsWith(f + ": not a NumPy .npz archive"), e.getMessage());
    }

    @Test
    void readsTheSharedYoloWeights() throws IOException {
        Optional<Path> p = SharedData.model("yolov5n_coco.npz");
        assumeTrue(p.isPresent(), SharedData.missingModelMessage("yolov5n_coco.npz"));
        NpzArchive z = NpzArchive.read(p.get());
        assertEquals(293, z.names().size());
        assertEquals("(16, 3, 6, 6)", z.get("layers.0.conv.weight").shapeString());
        // The anchors in stride units: P3's first anchor (10, 13) px at stride 8.
        float[] anchors = z.get("anchors").data();
        assertEquals(10 / 8f, anchors[0], 0);
        assertEquals(13 / 8f, anchors[1], 0);
    }
}
