package org.irfuse.core.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.io.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelFormatsTest {
    private static final double EPS = 1e-9;

    @TempDir
    Path tmp;

    @Test
    void yoloLinesWithOddWhitespaceAreParsedAndDenormalised() throws IOException {
        // Tabs, runs of spaces, trailing blanks, CRLF, blank lines; the last line without newline.
        String text = "0  0.5 0.5\t0.25  0.5  \r\n\r\n  2\t\t0.1 0.2 0.2 0.4\n1 0.75 0.25 0.5 0.5 0.875";
        List<Box> boxes = YoloLabels.parse(text, "t.txt", 200, 100);
        assertEquals(3, boxes.size());
        // cx 100, cy 50, w 50, h 50 -> (75,25)-(125,75).
        assertBox(boxes.get(0), 75, 25, 125, 75, 0, 1.0);
        // cx 20, cy 20, w 40, h 40 -> (0,0)-(40,40).
        assertBox(boxes.get(1), 0, 0, 40, 40, 2, 1.0);
        // The sixth column is a score: cx 150, cy 25, w 100, h 50 -> (100,0)-(200,50).
        assertBox(boxes.get(2), 100, 0, 200, 50, 1, 0.875);
    }

    @Test
    void emptyAndBlankYoloFilesMeanNoObjects() throws IOException {
        Path empty = tmp.resolve("empty.txt");
        Files.writeString(empty, "");
        assertEquals(0, YoloLabels.read(empty, 640, 480).size());
        Files.writeString(empty, " \n\n  \n");
        assertEquals(0, YoloLabels.read(empty, 640, 480).size());
    }

    @Test
    void malformedYoloLinesNameFileAndLine() {
        IOException e = assertThrows(IOException.class, () -> YoloLabels.parse("0 0.5 0.5 0.1 0.1\n0 0.5 0.5\n",
                "bad.txt", 10, 10));
        assertTrue(e.getMessage().startsWith("bad.txt:2:"), e.getMessage());
        e = assertThrows(IOException.class, () -> YoloLabels.parse("car 0.5 0.5 0.1 0.1", "x.txt", 10, 10));
        assertTrue(e.getMessage().contains("x.txt:1"), e.getMessage());
        assertThrows(IOException.class, () -> YoloLabels.parse("0 0.5 0.5 -0.1 0.1", "n.txt", 10, 10));
    }

    @Test
    void yoloWriteReadRoundTripKeepsBoxesAndScores() throws IOException {
        List<Box> boxes = List.of(new Box(10, 20, 110, 220, 2, 0.5), new Box(0, 0, 640, 480, 0, 0.25));
        Path f = tmp.resolve("out.txt");
        YoloLabels.write(f, boxes, 640, 480, true, false);
        List<Box> back = YoloLabels.read(f, 640, 480);
        assertEquals(2, back.size());
        // 6 decimals of a normalised coordinate: within 640·5e-7 pixels.
        assertBox(back.get(0), 10, 20, 110, 220, 2, 0.5, 1e-3);
        assertBox(back.get(1), 0, 0, 640, 480, 0, 0.25, 1e-3);
        assertEquals(5, YoloLabels.format(boxes, 640, 480, false).lines().findFirst().orElseThrow()
                .split(" ").length);
    }

    @Test
    void realMsrsLabelFilesParse() throws IOException {
        Optional<Path> dir = SharedData.resolve("msrs/det_labels");
        assumeTrue(dir.isPresent(), SharedData.missingMessage("msrs/det_labels"));
        assertEquals(List.of("person", "bicycle", "car"), YoloLabels.readClassNames(dir.get().resolve("classes.txt")));
        List<Box> b = YoloLabels.read(dir.get().resolve("fusion/00001D.txt"), 640, 480);
        assertEquals(7, b.size());
        // Line 5: "2  0.3023635786802031  0.46002538071065996  0.271256345177665  0.20516074450084604".
        assertBox(b.get(4), (0.3023635786802031 - 0.271256345177665 / 2) * 640,
                (0.46002538071065996 - 0.20516074450084604 / 2) * 480,
                (0.3023635786802031 + 0.271256345177665 / 2) * 640,
                (0.46002538071065996 + 0.20516074450084604 / 2) * 480, 2, 1.0);
        // An empty file in the shared data (visible view of a night scene).
        assertEquals(0, YoloLabels.read(dir.get().resolve("visible/00022N.txt"), 640, 480).size());
    }

    private static final String VOC = """
            <annotation>
              <folder>M3FD</folder>
              <filename>00471.png</filename>
              <size><width>1024</width><height>768</height><depth>3</depth></size>
              <object>
                <name>People</name><difficult>0</difficult>
                <bndbox><xmin>10</xmin><ymin>20</ymin><xmax>30</xmax><ymax>80</ymax></bndbox>
              </object>
              <object>
                <name>truck</name><difficult>1</difficult>
                <bndbox><xmin>100.5</xmin><ymin>200</ymin><xmax>400</xmax><ymax>300</ymax></bndbox>
              </object>
            </annotation>
            """;

    @Test
    void vocXmlIsParsedThroughTheClassList() throws IOException {
        Path f = tmp.resolve("00471.xml");
        Files.writeString(f, VOC);
        VocAnnotations.Annotation a = VocAnnotations.read(f, VocAnnotations.M3FD_CLASSES);
        assertEquals("00471.png", a.filename());
        assertEquals(1024, a.width());
        assertEquals(768, a.height());
        assertEquals(2, a.boxes().size());
        assertBox(a.boxes().get(0), 10, 20, 30, 80, 0, 1.0);
        assertBox(a.boxes().get(1), 100.5, 200, 400, 300, 5, 1.0);   // "truck" matches "Truck"
        assertEquals(List.of(false, true), a.difficult());
    }

    @Test
    void vocUnknownClassAndBrokenXmlNameTheFile() throws IOException {
        Path f = tmp.resolve("odd.xml");
        Files.writeString(f, VOC.replace("<name>truck</name>", "<name>Tractor</name>"));
        IOException e = assertThrows(IOException.class, () -> VocAnnotations.read(f, VocAnnotations.M3FD_CLASSES));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'Tractor'"), e.getMessage());
        Files.writeString(f, "<annotation><object>");
        e = assertThrows(IOException.class, () -> VocAnnotations.read(f, VocAnnotations.M3FD_CLASSES));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        Files.writeString(f, VOC.replace("<xmax>30</xmax>", ""));
        e = assertThrows(IOException.class, () -> VocAnnotations.read(f, VocAnnotations.M3FD_CLASSES));
        assertTrue(e.getMessage().contains("xmax"), e.getMessage());
    }

    @Test
    void detectionsJsonRoundTripAndClassNames() throws IOException {
        Map<String, List<Box>> dets = new LinkedHashMap<>();
        dets.put("00001D", List.of(new Box(1.5, 2, 30, 40, 2, 0.9), new Box(0, 0, 5, 5, 0, 0.1)));
        dets.put("00002D", List.of());
        Path f = tmp.resolve("dets.json");
        DetectionsJson.write(f, dets, DetectionDataset.MSRS_CLASSES, false);
        assertTrue(Files.readString(f).contains("\"name\": \"car\""));
        assertEquals(dets, DetectionsJson.read(f, DetectionDataset.MSRS_CLASSES));
        Map<String, List<Box>> byName = DetectionsJson.parse("{\"images\":[{\"image\":\"a\",\"detections\":"
                + "[{\"class\":\"Car\",\"score\":0.5,\"x0\":1,\"y0\":2,\"x1\":3,\"y1\":4}]}]}", "j",
                DetectionDataset.MSRS_CLASSES);
        assertEquals(List.of(new Box(1, 2, 3, 4, 2, 0.5)), byName.get("a"));
        IOException e = assertThrows(IOException.class, () -> DetectionsJson.parse("{\"images\":[{\"image\":\"a\","
                + "\"detections\":[{\"class\":0,\"score\":0.5,\"x0\":1,\"y0\":2,\"x1\":3}]}]}", "j.json", null));
        assertTrue(e.getMessage().contains("j.json") && e.getMessage().contains("y1"), e.getMessage());
        assertThrows(IOException.class, () -> DetectionsJson.parse("[1,2]", "k.json", null));
    }

    @Test
    void m3fdLayoutWithSplitList() throws IOException {
        Image tiny = Image.gray(4, 3, new float[12]);
        for (String id : new String[] {"00001", "00002", "00003"}) {
            ImageWriter.write(tiny, tmp.resolve("Ir/" + id + ".png"), false);
            ImageWriter.write(tiny, tmp.resolve("Vis/" + id + ".png"), false);
            Files.createDirectories(tmp.resolve("Annotation"));
            Files.writeString(tmp.resolve("Annotation/" + id + ".xml"), VOC);
        }
        Files.createDirectories(tmp.resolve("Main"));
        Files.writeString(tmp.resolve("Main/test.txt"), "00003\n00001\n");
        DetectionDataset ds = DetectionDataset.m3fd(tmp, "test");
        assertEquals(DetectionDataset.Format.VOC, ds.format());
        assertEquals(List.of("00003", "00001"), ds.samples().stream().map(DetectionDataset.Sample::id).toList());
        assertEquals(2, ds.boxes(ds.samples().get(0)).size());
        assertEquals(3, DetectionDataset.m3fd(tmp, null).samples().size());
        Files.writeString(tmp.resolve("Main/test.txt"), "00004\n");
        IOException e = assertThrows(IOException.class, () -> DetectionDataset.m3fd(tmp, "test"));
        assertTrue(e.getMessage().contains("00004"), e.getMessage());
    }

    private static void assertBox(Box b, double x0, double y0, double x1, double y1, int cls, double score) {
        assertBox(b, x0, y0, x1, y1, cls, score, EPS);
    }

    private static void assertBox(Box b, double x0, double y0, double x1, double y1, int cls, double score,
            double eps) {
        assertEquals(x0, b.x0(), eps, "x0");
        assertEquals(y0, b.y0(), eps, "y0");
        assertEquals(x1, b.x1(), eps, "x1");
        assertEquals(y1, b.y1(), eps, "y1");
        assertEquals(cls, b.classId(), "class");
        assertEquals(score, b.score(), 1e-6, "score");
    }
}
