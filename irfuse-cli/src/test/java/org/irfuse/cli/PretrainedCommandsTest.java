package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.core.detection.DetectionsJson;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.io.SharedData;
import org.irfuse.core.segmentation.ClassPalette;
import org.irfuse.core.segmentation.LabelMap;
import org.irfuse.core.segmentation.SegmentationLabels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * detect --detector yolov5n, segment and eval downstream end to end on two real MSRS pairs with the shared
 * pretrained weights (skipped, with a message, when ../shared is absent).
 */
class PretrainedCommandsTest {
    private static final List<String> IDS = List.of("00633D", "00001D");

    @TempDir
    Path tmp;

    private static Path shared(Optional<Path> p, String message) {
        assumeTrue(p.isPresent(), message);
        return p.get();
    }

    private Path yolo() {
        return shared(SharedData.model("yolov5n_coco.npz"), SharedData.missingModelMessage("yolov5n_coco.npz"));
    }

    private Path mfnet() {
        return shared(SharedData.model("mfnet_mfnet9.npz"), SharedData.missingModelMessage("mfnet_mfnet9.npz"));
    }

    /** Two MSRS pairs and their fusion-view box labels, copied into ir/, vi/, labels/. */
    private void copyPairs() throws Exception {
        Path msrs = shared(SharedData.resolve("msrs"), SharedData.missingMessage("msrs"));
        for (String id : IDS) {
            for (String[] d : new String[][] {{"ir", "ir"}, {"vi", "vi"}}) {
                Files.createDirectories(tmp.resolve(d[1]));
                Files.copy(msrs.resolve(d[0]).resolve(id + ".png"), tmp.resolve(d[1]).resolve(id + ".png"));
            }
            Files.createDirectories(tmp.resolve("labels"));
            Files.copy(msrs.resolve("det_labels/fusion").resolve(id + ".txt"), tmp.resolve("labels/" + id + ".txt"));
        }
    }

    @Test
    void evalDownstreamScoresEverySourceAndLabelsPseudoMiou() throws Exception {
        Path yolo = yolo();
        Path mfnet = mfnet();
        copyPairs();
        Path csv = tmp.resolve("ds.csv");
        Path page = tmp.resolve("ds.html");
        CliRun r = CliRun.of("eval", "downstream", "--ir-dir", tmp.resolve("ir").toString(), "--vis-dir",
                tmp.resolve("vi").toString(), "--labels", tmp.resolve("labels").toString(), "--detector-weights",
                yolo.toString(), "--segmenter-weights", mfnet.toString(), "--fused-dir",
                "copy=" + tmp.resolve("vi"), "--out", csv.toString(), "--report", page.toString(),
                "--report-pairs", "1", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("mIoU*"), r.out());
        JsonObject summary = JsonParser.parseString(Files.readString(tmp.resolve("ds.json"))).getAsJsonObject();
        JsonArray sources = summary.getAsJsonArray("sources");
        assertEquals(List.of("infrared", "visible", "mean", "max", "copy"),
                sources.asList().stream().map(e -> e.getAsJsonObject().get("source").getAsString()).toList());
        JsonObject visible = sources.get(1).getAsJsonObject();
        JsonObject copy = sources.get(4).getAsJsonObject();
        // The pseudo-labels are MFNet(visible, infrared) itself: the visible column agrees on every pixel, each
        // class it predicts has IoU 1 and the classes in neither map count 0 (papers' mIoU over all 9 classes);
        // a "fused" folder holding the visible images scores exactly what the visible column does.
        JsonObject vseg = visible.getAsJsonObject("segmentation");
        assertEquals(1.0, vseg.get("pixel_accuracy").getAsDouble(), 0);
        assertTrue(vseg.get("pseudo_labels").getAsBoolean());
        int present = 0;
        for (String c : ClassPalette.MSRS.classNames()) {
            double iou = vseg.getAsJsonObject("iou").get(c).getAsDouble();
            assertTrue(iou == 0 || iou == 1, c + ": " + iou);
            present += iou == 1 ? 1 : 0;
        }
        assertEquals(present / 9.0, vseg.get("miou").getAsDouble(), 1e-12);
        assertEquals(visible.getAsJsonObject("detection_voc").get("map50").getAsDouble(),
                copy.getAsJsonObject("detection_voc").get("map50").getAsDouble(), 0);
        double irMap = sources.get(0).getAsJsonObject().getAsJsonObject("detection_voc").get("map50")
                .getAsDouble();
        assertTrue(irMap > 0.2 && irMap <= 1, "the pretrained detector finds the labelled objects: " + irMap);
        String csvText = Files.readString(csv);
        assertTrue(csvText.startsWith("source,task,class,metric,interpolation,reference,value\n"));
        assertTrue(csvText.contains("visible,segmentation,all,mIoU,,\"pseudo-labels MFNet(visible, infrared)\","
                + String.format(java.util.Locale.ROOT, "%.6f", present / 9.0)), csvText);
        String html = Files.readString(page);
        // Every report's footer names the irfuse version that wrote it.
        org.junit.jupiter.api.Assertions.assertTrue(html.contains("<footer class=\"irfuse-version\">Written by irfuse "
                + org.irfuse.core.Version.get() + "</footer>"), "version footer");
        assertTrue(html.contains("Average precision") && html.contains("ground truth") && html.contains("pseudo"));
        assertEquals(1 + 5, html.split("<figure class=\"cell\">", -1).length - 1, "ground truth + 5 sources");
    }

    @Test
    void detectAndSegmentWithThePretrainedNetworks() throws Exception {
        Path yolo = yolo();
        Path mfnet = mfnet();
        copyPairs();
        Path det = tmp.resolve("det");
        CliRun r = CliRun.of("detect", "--detector-weights", yolo.toString(), "--ir-dir",
                tmp.resolve("ir").toString(), "--vis-dir", tmp.resolve("vi").toString(), "--input", "ir", "-o",
                det.toString(), "--draw", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        Map<String, List<Box>> dets = DetectionsJson.read(det.resolve("detections.json"),
                DetectionDataset.MSRS_CLASSES);
        assertEquals(IDS.stream().sorted().toList(), dets.keySet().stream().sorted().toList());
        for (List<Box> boxes : dets.values()) {
            assertTrue(boxes.stream().anyMatch(b -> b.classId() == 0 && b.score() > 0.5), "a confident person");
            assertTrue(boxes.stream().allMatch(b -> b.score() > 0.001 && b.x1() <= 640 && b.y1() <= 480));
        }
        assertTrue(Files.isRegularFile(det.resolve("drawn/00633D.png")));

        Path seg = tmp.resolve("seg");
        r = CliRun.of("segment", "--segmenter-weights", mfnet.toString(), "--ir-dir", tmp.resolve("ir").toString(),
                "--rgb-dir", tmp.resolve("vi").toString(), "-o", seg.toString(), "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        LabelMap labels = SegmentationLabels.read(seg.resolve("labels/00633D.png"), ClassPalette.MSRS);
        LabelMap colour = SegmentationLabels.read(seg.resolve("colour/00633D.png"), ClassPalette.MSRS);
        assertArrayEquals(labels.classes(), colour.classes(), "index and palette PNG hold the same map");
        long[] h = labels.histogram(9);
        assertTrue(h[0] > 0 && h[2] > 0, "background and person pixels in a scene with people");
        assertEquals(640, ImageReader.size(seg.resolve("labels/00633D.png"))[0]);
    }

    @Test
    void badWeightsAndMissingOptionsAreOneLineErrors() throws Exception {
        copyPairs();
        Path bogus = tmp.resolve("bogus.npz");
        Files.writeString(bogus, "nope");
        CliRun r = CliRun.of("detect", "--detector-weights", bogus.toString(), "--images",
                tmp.resolve("vi").toString(), "-o", tmp.resolve("o").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains(bogus + ": not a NumPy .npz archive"), r.err());
        r = CliRun.of("detect", "--detector", "yolov5n", "--images", tmp.resolve("vi").toString(), "-o",
                tmp.resolve("o").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--detector yolov5n needs --detector-weights"), r.err());
        r = CliRun.of("detect", "--detector", "fcos", "--detector-weights", bogus.toString(), "--images",
                tmp.resolve("vi").toString(), "-o", tmp.resolve("o").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--detector must be yolov5n, got 'fcos'"), r.err());
        assertFalse(Files.exists(tmp.resolve("o/detections.json")));
    }

    @Test
    void trainDetectorFineTunesYolov5nResumesAndDetectLoadsTheWeights() throws Exception {
        Path yolo = yolo();
        copyPairs();
        Path run = tmp.resolve("run");
        String[] common = {"train-detector", "--detector", "yolov5n", "--init-weights", yolo.toString(),
            "--freeze-backbone", "--input", "vis", "--ir-dir", tmp.resolve("ir").toString(), "--vis-dir",
            tmp.resolve("vi").toString(), "--labels", tmp.resolve("labels").toString(), "--batch", "1", "--crop",
            "128:160", "--lr", "1e-4", "--checkpoint-every", "1", "--run-dir", run.toString(), "--threads", "1"};
        CliRun r = CliRun.of(concat(common, "--steps", "2"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("yolov5n.npz"), r.out());
        Path weights = run.resolve("model/yolov5n.npz");
        JsonObject card = JsonParser.parseString(Files.readString(run.resolve("model/model-card.json")))
                .getAsJsonObject();
        assertEquals("yolov5n", card.get("architecture").getAsString());
        assertTrue(card.get("notes").getAsString().contains("BatchNorm frozen"), card.toString());
        assertTrue(card.get("notes").getAsString().contains("backbone (layers 0-9) frozen"), card.toString());
        // Same array names as the original; the frozen backbone is bit-identical, the head moved.
        org.irfuse.core.io.NpzArchive before = org.irfuse.core.io.NpzArchive.read(yolo);
        org.irfuse.core.io.NpzArchive after = org.irfuse.core.io.NpzArchive.read(weights);
        assertArrayEquals(before.get("layers.4.m.1.cv2.conv.weight").data(),
                after.get("layers.4.m.1.cv2.conv.weight").data());
        // BatchNorm running statistics stay those of the checkpoint, also in trained layers.
        assertArrayEquals(before.get("layers.17.cv3.bn.running_var").data(),
                after.get("layers.17.cv3.bn.running_var").data());
        assertFalse(java.util.Arrays.equals(before.get("layers.24.m.0.bias").data(),
                after.get("layers.24.m.0.bias").data()), "the head did not move");

        // Resume: another --steps changes the learning-rate schedule and is refused (docs/reliability.md); with the
        // run's own settings the finished run resumes from its step-2 checkpoint and has nothing left to add.
        List<String> log2 = Files.readAllLines(run.resolve("log.jsonl"));
        assertEquals(1, log2.size());
        assertTrue(log2.get(0).contains("\"step\":2") && log2.get(0).contains("loss.objectness"), log2.get(0));
        r = CliRun.of(concat(common, "--steps", "3", "--resume"));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("steps 2 -> 3"), r.err());
        // The precision is part of the run (fp32 by default, stored resolved): another one is refused by name.
        assertEquals("fp32", JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject()
                .get("precision").getAsString());
        r = CliRun.of(concat(common, "--steps", "2", "--precision", "bf16", "--resume"));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--precision \"fp32\" -> \"bf16\""), r.err());
        r = CliRun.of(concat(common, "--steps", "2", "--resume"));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(log2, Files.readAllLines(run.resolve("log.jsonl")));

        // The fine-tuned weights load where the pretrained ones do.
        r = CliRun.of("detect", "--detector-weights", weights.toString(), "--images",
                tmp.resolve("vi").resolve(IDS.get(0) + ".png").toString(), "-o", tmp.resolve("det").toString(),
                "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
