package org.irfuse.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hadoop file layer alone (no Spark job): reads through the project's reader, atomic writes, shipping. */
class HadoopFilesTest {
    @TempDir
    Path dir;

    HadoopFiles files = new HadoopFiles(new Configuration());

    @Test
    void theCopyPathReadsLikeTheReaderAndErrorsNameTheUri() throws Exception {
        Image img = new Image(3, 2, 3, new float[] {0, .1f, .2f, .3f, .4f, .5f, .6f, .7f, .8f, .9f, 1, 0, .5f, .5f,
            .5f, .5f, .5f, .5f});
        Path png = dir.resolve("a.png");
        ImageWriter.write(img, png, false);
        String uri = files.qualify(png.toString());
        assertArrayEquals(ImageReader.read(png).data(), files.readThroughCopy(uri, false).data());
        assertArrayEquals(ImageReader.readInfrared(png).data(), files.readImage(uri, true).data());
        byte[] bytes = Files.readAllBytes(png);
        Path bad = dir.resolve("bad.png");
        Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        String badUri = files.qualify(bad.toString());
        IOException e = assertThrows(IOException.class, () -> files.readThroughCopy(badUri, false));
        assertTrue(e.getMessage().startsWith(badUri + ": "), e.getMessage());
        IOException missing = assertThrows(IOException.class,
                () -> files.readThroughCopy(files.qualify(dir.resolve("none.png").toString()), false));
        assertTrue(missing.getMessage().endsWith("none.png: file not found"), missing.getMessage());
    }

    @Test
    void writesAtomicallyWithoutSideFilesAndRefusesToOverwrite() throws Exception {
        String uri = files.qualify(dir.resolve("out/x.png").toString());
        files.writeAtomically(uri, new byte[] {1, 2, 3}, false);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("out/x.png")));
        IOException e = assertThrows(IOException.class, () -> files.writeAtomically(uri, new byte[] {4}, false));
        assertTrue(e.getMessage().contains("exists"), e.getMessage());
        files.writeAtomically(uri, new byte[] {4}, true);
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(dir.resolve("out/x.png")));
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            assertEquals(List.of("x.png"), s.map(p -> p.getFileName().toString()).toList(),
                    "no temporary or .crc files");
        }
    }

    @Test
    void survivesJavaSerialisationWithItsConfiguration() throws Exception {
        Configuration conf = new Configuration(false);
        conf.set("irfuse.test.key", "value");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new HadoopFiles(conf));
        }
        HadoopFiles back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (HadoopFiles) in.readObject();
        }
        assertEquals("value", back.conf().get("irfuse.test.key"));
        assertFalse(back.exists(files.qualify(dir.resolve("nothing").toString())));
        assertEquals(files.qualify(dir.toString()), back.qualify(dir.toString()));
    }
}
