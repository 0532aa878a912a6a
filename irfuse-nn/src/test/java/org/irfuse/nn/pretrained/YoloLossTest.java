package org.irfuse.nn.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.core.detection.YoloLabels;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.io.SharedData;
import org.irfuse.nn.optim.Adam;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Gradients;
import org.junit.jupiter.api.Test;

class YoloLossTest {
    private static final float[] COCO_ANCHORS = anchorsInStrideUnits();
    private static final int[] IDENTITY = {0, 1, 2};

    private static float[] anchorsInStrideUnits() {
        float[] a = new float[18];
        for (int l = 0; l < 3; l++) {
            for (int k = 0; k < 6; k++) {
                a[l * 6 + k] = YoloDetect.DEFAULT_ANCHOR_PIXELS[l][k] / YoloV5n.STRIDES[l];
            }
        }
        return a;
    }

    private static double ciou(NDManager m, double[] b1, double[] b2) {
        NDArray r = YoloLoss.ciou(m.create(new double[] {b1[0], b1[1]}, new Shape(1, 2)),
                m.create(new double[] {b1[2], b1[3]}, new Shape(1, 2)),
                m.create(new double[] {b2[0], b2[1]}, new Shape(1, 2)),
                m.create(new double[] {b2[2], b2[3]}, new Shape(1, 2)));
        return r.getDouble(0);
    }

    @Test
    void ciouOfHandMadeBoxes() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Identical boxes: IoU = 6/(6 + ε), no distance or aspect term.
            assertEquals(1.0, ciou(m, new double[] {1, 1, 2, 3}, new double[] {1, 1, 2, 3}), 1e-7);
            // 2×2 boxes one unit apart: IoU 2/6, enclosing box 3×2 (c² = 13), ρ² = 1, same aspect: 1/3 − 1/13.
            assertEquals(1.0 / 3 - 1.0 / 13, ciou(m, new double[] {0, 0, 2, 2}, new double[] {1, 0, 2, 2}), 1e-7);
            // Same centre, 2×2 in 4×2: IoU 1/2, ρ = 0, v = 4/π²(atan 2 − atan 1)², α = v/(v + 1/2).
            double v = 4 / (Math.PI * Math.PI) * Math.pow(Math.atan(2) - Math.atan(1), 2);
            double expected = 0.5 - v * v / (v + 0.5);
            assertEquals(expected, ciou(m, new double[] {0, 0, 2, 2}, new double[] {0, 0, 4, 2}), 1e-7);
            assertEquals(0.4967518650882353, expected, 1e-7, "the value of tools/yolo_loss_reference.py's ciou");
            // A general pair (value of the NumPy transcription of bbox_iou in tools/yolo_loss_reference.py).
            assertEquals(0.3116281017822174,
                    ciou(m, new double[] {0.3, 0.6, 1.5, 2.5}, new double[] {0.5, 0.2, 2.0, 1.0}), 1e-9);
        }
    }

    @Test
    void targetsGoToTheBoxCellAndItsTwoNearestNeighboursForAnchorsWithinRatioFour() {
        // A 16×24 px box centred at (21, 26) in a 64×64 input. Stride 8: g = (2.625, 3.25), size 2×3; all three
        // P3 anchors are within ratio 4; cells (3,2) and, since x mod 1 > 0.5, the right neighbour (3,3) and,
        // since y mod 1 < 0.5, the one above (2,2). Stride 16: g = (1.3125, 1.625), size 1×1.5; anchors 0 and 1
        // (anchor 2 is 7.44/1.5 = 4.96 > 4 tall); cells (1,1), left (1,0), below (2,1). Stride 32: no anchor
        // (the smallest, 3.63×2.81, is 7.25 > 4 times wider).
        List<List<Box>> boxes = List.of(List.of(Box.truth(13, 14, 29, 38, 2)));
        int[][] grids = {{8, 8}, {4, 4}, {2, 2}};
        List<YoloLoss.Target> t = YoloLoss.assign(boxes, IDENTITY, COCO_ANCHORS, YoloV5n.STRIDES, grids,
                YoloLoss.ANCHOR_THRESHOLD);
        Set<String> got = new TreeSet<>();
        for (YoloLoss.Target x : t) {
            got.add(x.level() + "/" + x.anchor() + "/" + x.row() + "," + x.col());
            assertEquals(2, x.classId());
            assertTrue(x.tx() >= -0.5 && x.tx() <= 1.5 && x.ty() >= -0.5 && x.ty() <= 1.5, x.toString());
        }
        Set<String> expected = new TreeSet<>();
        for (int a = 0; a < 3; a++) {
            expected.addAll(List.of("0/" + a + "/3,2", "0/" + a + "/3,3", "0/" + a + "/2,2"));
        }
        for (int a = 0; a < 2; a++) {
            expected.addAll(List.of("1/" + a + "/1,1", "1/" + a + "/1,0", "1/" + a + "/2,1"));
        }
        assertEquals(expected, got);
        assertEquals(15, t.size());
        // Centre-relative targets: the right neighbour sees x = 2.625 − 3, the upper one y = 3.25 − 2.
        YoloLoss.Target right = t.stream().filter(x -> x.level() == 0 && x.col() == 3).findFirst().orElseThrow();
        assertEquals(-0.375, right.tx(), 1e-12);
        assertEquals(0.25, right.ty(), 1e-12);
        YoloLoss.Target up = t.stream().filter(x -> x.level() == 0 && x.row() == 2).findFirst().orElseThrow();
        assertEquals(1.25, up.ty(), 1e-12);
        assertEquals(2.0, up.tw(), 1e-12);
        assertEquals(3.0, up.th(), 1e-12);
        // Order as YOLOv5's repeat/mask: all centre cells first (anchor-major), then the neighbours.
        assertEquals("0/0/3,2", t.get(0).level() + "/" + t.get(0).anchor() + "/" + t.get(0).row() + ","
                + t.get(0).col());
        // A dataset class no network class maps to is ignored.
        assertEquals(0, YoloLoss.assign(boxes, new int[] {0, 1, -1}, COCO_ANCHORS, YoloV5n.STRIDES, grids,
                YoloLoss.ANCHOR_THRESHOLD).size());
    }

    @Test
    void gainsAreHypScratchLowScaledAsTrainPy() {
        YoloLoss.Gains g = YoloLoss.Gains.scratchLow(80, 3, 640);
        assertEquals(0.05, g.box(), 1e-15);
        assertEquals(1.0, g.obj(), 1e-15);
        assertEquals(0.5, g.cls(), 1e-15);
        YoloLoss.Gains small = YoloLoss.Gains.scratchLow(80, 3, 320);
        assertEquals(0.25, small.obj(), 1e-15);
        assertEquals(List.of(4.0, 1.0, 0.4), List.of(g.balance()[0], g.balance()[1], g.balance()[2]));
    }

    /** The boxes of MSRS 00633D in the golden input's crop (rows 112–367, columns 160–479), ≥ 30 % inside. */
    private static List<Box> goldenCropBoxes(Path labels) throws IOException {
        List<Box> out = new ArrayList<>();
        for (Box b : YoloLabels.read(labels, 640, 480)) {
            double x0 = Math.max(0, b.x0() - 160);
            double y0 = Math.max(0, b.y0() - 112);
            double x1 = Math.min(320, b.x1() - 160);
            double y1 = Math.min(256, b.y1() - 112);
            if (x1 > x0 && y1 > y0 && (x1 - x0) * (y1 - y0) >= 0.3 * b.area()) {
                out.add(Box.truth(x0, y0, x1, y1, b.classId()));
            }
        }
        return out;
    }

    @Test
    void matchesTheReferenceLossOnTheGoldenRawOutputsWithFiniteGradients() throws IOException {
        float[][] raw = {Goldens.f32("yolov5n_raw0_1x3x32x40x85.f32"), Goldens.f32("yolov5n_raw1_1x3x16x20x85.f32"),
            Goldens.f32("yolov5n_raw2_1x3x8x10x85.f32")};
        Optional<Path> labels = SharedData.resolve("msrs/det_labels/fusion/00633D.txt");
        assumeTrue(labels.isPresent(), SharedData.missingMessage("msrs/det_labels/fusion/00633D.txt"));
        long[][] shapes = {{1, 3, 32, 40, 85}, {1, 3, 16, 20, 85}, {1, 3, 8, 10, 85}};
        try (NDManager m = NDManager.newBaseManager()) {
            NDList outputs = new NDList();
            for (int i = 0; i < 3; i++) {
                NDArray a = m.create(raw[i], new Shape(shapes[i]));
                a.setRequiresGradient(true);
                outputs.add(a);
            }
            List<Box> boxes = goldenCropBoxes(labels.get());
            assertEquals(1, boxes.size(), "one person inside the crop");
            YoloLoss.Parts parts;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                parts = YoloLoss.of(outputs, List.of(boxes), IDENTITY, COCO_ANCHORS, YoloV5n.STRIDES,
                        YoloLoss.Gains.scratchLow(80, 3, 640), m);
                gc.backward(parts.total());
            }
            // tools/yolo_loss_reference.py (NumPy transcription of ComputeLoss, float64): 15 targets,
            // lbox 0.0200578306, lobj 0.0292307871, lcls 0.00386877942.
            assertEquals(15, parts.targets());
            assertEquals(0.0200578306, parts.box().getFloat(), 2e-6);
            assertEquals(0.0292307871, parts.objectness().getFloat(), 2e-6);
            assertEquals(0.00386877942, parts.classification().getFloat(), 2e-7);
            assertEquals(0.0531573971, parts.total().getFloat(), 4e-6);
            for (NDArray a : outputs) {
                float[] g = a.getGradient().toFloatArray();
                double sum = 0;
                for (float v : g) {
                    assertTrue(Float.isFinite(v), "non-finite gradient");
                    sum += Math.abs(v);
                }
                assertTrue(sum > 0, "no gradient at a level");
            }
        }
    }

    @Test
    void aFewFineTuningStepsOnMsrsPairsLowerTheLossAndTheImageTakesGradients() throws IOException {
        Path npz = Goldens.model("yolov5n_coco.npz");
        Optional<Path> msrs = SharedData.resolve("msrs");
        assumeTrue(msrs.isPresent(), SharedData.missingMessage("msrs"));
        String[] ids = {"00633D", "00001D"};
        int w = 320;
        int h = 256;
        float[] pixels = new float[ids.length * 3 * w * h];
        List<List<Box>> boxes = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            // The golden crop of each visible image (rows 112–367, columns 160–479), RGB in [0, 1].
            Image vi = ImageReader.read(msrs.get().resolve("vi/" + ids[i] + ".png"));
            for (int c = 0; c < 3; c++) {
                float[] plane = vi.plane(c);
                for (int y = 0; y < h; y++) {
                    System.arraycopy(plane, (y + 112) * vi.width() + 160, pixels, ((i * 3 + c) * h + y) * w, w);
                }
            }
            boxes.add(goldenCropBoxes(msrs.get().resolve("det_labels/fusion/" + ids[i] + ".txt")));
        }
        assertTrue(boxes.stream().mapToInt(List::size).sum() >= 2, "the crops hold boxes");
        int[] classes = YoloLoss.networkClasses(ClassMapping.parse(null, ClassMapping.COCO,
                DetectionDataset.MSRS_CLASSES));
        assertEquals(List.of(0, 1, 2), List.of(classes[0], classes[1], classes[2]));
        try (Compute c = Compute.cpu()) {
            YoloV5n net = YoloV5n.load(npz, c.root());
            List<Parameter> params = new ArrayList<>();
            NpzWeights.parameters(net).values().forEach(p -> {
                if (p.requiresGradient()) {
                    p.getArray().setRequiresGradient(true);
                    params.add(p);
                }
            });
            YoloLoss.Gains gains = YoloLoss.Gains.scratchLow(80, 3, 320);
            Adam adam = new Adam(c.root(), 0);
            double first = 0;
            double last = 0;
            for (int step = 0; step <= 3; step++) {
                try (NDManager scope = c.newStep()) {
                    NDArray x = scope.create(pixels, new Shape(ids.length, 3, h, w));
                    x.setRequiresGradient(true);
                    double loss;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray l = YoloLoss.of(net.raw(c.parameters(), x, true), boxes, classes,
                                net.head().anchors(), YoloV5n.STRIDES, gains, scope).total();
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    assertTrue(Double.isFinite(loss));
                    if (step == 0) {
                        first = loss;
                        assertTrue(x.getGradient().abs().sum().getFloat() > 0, "no gradient reached the image");
                    }
                    last = loss;
                    NDList grads = Gradients.takeAndZero(params, scope);
                    if (step < 3) {
                        adam.step(params, grads, 1e-4);
                    }
                }
            }
            assertTrue(last < 0.9 * first, "loss " + first + " -> " + last + " after 3 Adam steps");
        }
    }

    @Test
    void bceWithLogitsIsStableAndExact() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new double[] {-100, -1, 0, 2, 100});
            NDArray t = m.create(new double[] {0, 1, 0.5, 0, 1});
            double[] v = YoloLoss.bceWithLogits(x, t).toType(DataType.FLOAT64, false).toDoubleArray();
            assertEquals(0, v[0], 1e-12);
            assertEquals(Math.log(1 + Math.E), v[1], 1e-12);
            assertEquals(Math.log(2), v[2], 1e-12);
            assertEquals(Math.log(1 + Math.exp(2)), v[3], 1e-12);
            assertEquals(0, v[4], 1e-12);
        }
    }
}
