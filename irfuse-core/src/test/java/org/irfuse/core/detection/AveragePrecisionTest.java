package org.irfuse.core.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.irfuse.core.io.SharedData;
import org.irfuse.core.synthetic.SyntheticScenes;
import org.junit.jupiter.api.Test;

class AveragePrecisionTest {
    private static final double EPS = 1e-12;

    /**
     * Ranking TP, FP, TP, FP with 3 ground-truth boxes: precision 1, 1/2, 2/3, 1/2; recall 1/3, 1/3, 2/3, 2/3.
     * Envelope 1, 2/3, 2/3, 1/2.
     * VOC all-point: (1/3 − 0)·1 + (2/3 − 1/3)·2/3 + (1 − 2/3)·0 = 1/3 + 2/9 = 5/9.
     * COCO 101-point: levels 0.00…0.33 (34 levels) reach recall 1/3 at the first detection: envelope 1;
     * levels 0.34…0.66 (33) reach 2/3 at the third: envelope 2/3; levels 0.67…1 (34) are never reached: 0.
     * AP = (34 + 33·2/3)/101 = 56/101.
     */
    @Test
    void vocAllPointAndCoco101DifferOnAHandMadeRanking() {
        double[] recall = {1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3};
        double[] precision = {1, 0.5, 2.0 / 3, 0.5};
        assertEquals(5.0 / 9, AveragePrecision.vocAllPoint(recall, precision), EPS);
        assertEquals(56.0 / 101, AveragePrecision.coco101(recall, precision), EPS);
        // Empty ranking: no recall, AP 0 both ways.
        assertEquals(0.0, AveragePrecision.vocAllPoint(new double[0], new double[0]), EPS);
        assertEquals(0.0, AveragePrecision.coco101(new double[0], new double[0]), EPS);
    }

    /**
     * The same ranking produced by the evaluator from boxes, one class, one image. Ground truth A, B, C; the
     * detections: 0.9 exactly on A (TP), 0.8 again on A (duplicate: A is matched and nothing else overlaps, FP),
     * 0.7 on B with IoU 0.72 (TP for t ≤ 0.70, FP for t ≥ 0.75), 0.6 on empty ground (FP).
     * For t ≥ 0.75 the ranking is TP, FP, FP, FP: VOC 1/3, COCO 34/101.
     * mAP@0.5:0.95 VOC = (5·5/9 + 5·1/3)/10 = 4/9; COCO = (5·56/101 + 5·34/101)/10 = 45/101.
     */
    @Test
    void evaluatorMatchesGreedilyAndAveragesOverTenThresholds() {
        Box a = Box.truth(0, 0, 10, 10, 0);
        Box b = Box.truth(100, 0, 200, 100, 0);
        Box c = Box.truth(300, 0, 310, 10, 0);
        List<Box> dets = List.of(
                new Box(100, 0, 200, 72, 0, 0.7),
                new Box(0, 0, 10, 10, 0, 0.9),
                new Box(500, 500, 510, 510, 0, 0.6),
                new Box(0, 0, 10, 10, 0, 0.8));
        DetectionEvaluator ev = new DetectionEvaluator(1);
        ev.add("img", List.of(a, b, c), dets);
        DetectionEvaluator.ClassCurve at50 = ev.curve(0, 0.5);
        assertEquals(3, at50.groundTruth());
        assertEquals(2, at50.truePositives());
        assertEquals(5.0 / 9, at50.apVoc(), EPS);
        assertEquals(56.0 / 101, at50.apCoco(), EPS);
        DetectionEvaluator.ClassCurve at75 = ev.curve(0, 0.75);
        assertEquals(1, at75.truePositives());
        assertEquals(1.0 / 3, at75.apVoc(), EPS);
        assertEquals(34.0 / 101, at75.apCoco(), EPS);

        DetectionEvaluator.Result r = ev.evaluate();
        assertEquals(5.0 / 9, r.map50(false), EPS);
        assertEquals(56.0 / 101, r.map50(true), EPS);
        assertEquals(4.0 / 9, r.map50to95(false), EPS);
        assertEquals(45.0 / 101, r.map50to95(true), EPS);
    }

    @Test
    void classesWithoutGroundTruthAreExcludedAndClassesWithoutDetectionsScoreZero() {
        DetectionEvaluator ev = new DetectionEvaluator(3);
        // Class 0: one box found exactly (AP 1). Class 1: one box, never detected (AP 0).
        // Class 2: no ground truth, one false detection (no AP, left out of the mean).
        ev.add("x", List.of(Box.truth(0, 0, 10, 10, 0), Box.truth(20, 20, 30, 30, 1)),
                List.of(new Box(0, 0, 10, 10, 0, 0.5), new Box(50, 50, 60, 60, 2, 0.9)));
        DetectionEvaluator.Result r = ev.evaluate();
        assertEquals(2, r.classesEvaluated());
        assertEquals(1.0, r.ap50(false)[0], EPS);
        assertEquals(0.0, r.ap50(false)[1], EPS);
        assertTrue(Double.isNaN(r.ap50(false)[2]));
        assertEquals(0.5, r.map50(false), EPS);
        assertEquals(0.5, r.map50(true), EPS);
    }

    @Test
    void perfectPredictionsOfSyntheticScenesHaveMapOne() {
        DetectionEvaluator ev = new DetectionEvaluator(3);
        for (int seed = 0; seed < 6; seed++) {
            SyntheticScenes.Scene s = SyntheticScenes.random(160, 120, seed, seed % 2 == 0);
            List<Box> truth = new ArrayList<>();
            List<Box> dets = new ArrayList<>();
            for (SyntheticScenes.SceneObject o : s.objects()) {
                truth.add(Box.truth(o.x0(), o.y0(), o.x1(), o.y1(), o.classId()));
                dets.add(new Box(o.x0(), o.y0(), o.x1(), o.y1(), o.classId(), 0.5 + 0.01 * dets.size()));
            }
            ev.add("s" + seed, truth, dets);
        }
        DetectionEvaluator.Result r = ev.evaluate();
        assertEquals(2, r.classesEvaluated());   // car 1 and person 2; class 0 has no boxes
        for (boolean coco : new boolean[] {false, true}) {
            assertEquals(1.0, r.map50(coco), EPS);
            assertEquals(1.0, r.map50to95(coco), EPS);
        }
    }

    @Test
    void perfectPredictionsOfTheRealMsrsLabelsHaveMapOne() throws Exception {
        Optional<Path> msrs = SharedData.resolve("msrs");
        assumeTrue(msrs.isPresent(), SharedData.missingMessage("msrs"));
        Path root = msrs.get();
        List<String> classes = YoloLabels.readClassNames(root.resolve("det_labels/classes.txt"));
        assertEquals(DetectionDataset.MSRS_CLASSES, classes);
        DetectionDataset ds = DetectionDataset.yolo(root.resolve("ir"), root.resolve("vi"),
                root.resolve("det_labels/fusion"), classes);
        assertEquals(34, ds.samples().size());
        DetectionEvaluator ev = new DetectionEvaluator(classes.size());
        int boxes = 0;
        for (DetectionDataset.Sample s : ds.samples()) {
            List<Box> truth = ds.boxes(s);
            boxes += truth.size();
            ev.add(s.id(), truth, truth);
        }
        assertTrue(boxes > 34, "expected several boxes per image, got " + boxes);
        DetectionEvaluator.Result r = ev.evaluate();
        assertEquals(3, r.classesEvaluated());
        assertEquals(1.0, r.map50(false), EPS);
        assertEquals(1.0, r.map50to95(true), EPS);
    }

    @Test
    void cocoThresholdsAreTheTenOfCocoeval() {
        assertEquals(10, DetectionEvaluator.COCO_IOU_THRESHOLDS.length);
        assertEquals(0.5, DetectionEvaluator.COCO_IOU_THRESHOLDS[0], 0);
        assertEquals(0.95, DetectionEvaluator.COCO_IOU_THRESHOLDS[9], 0);
        assertEquals(0.75, DetectionEvaluator.COCO_IOU_THRESHOLDS[5], 1e-15);
    }
}
