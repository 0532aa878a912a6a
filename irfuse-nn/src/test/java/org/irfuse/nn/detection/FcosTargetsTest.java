package org.irfuse.nn.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.BoxIou;
import org.irfuse.core.detection.DetectionEvaluator;
import org.junit.jupiter.api.Test;

/** Target assignment, decoding, NMS and evaluation of the detector's plain-Java half (no engine needed). */
class FcosTargetsTest {
    private static final int[] STRIDES = {8, 16, 32};
    /** A 64×64 image: levels of 8×8, 4×4 and 2×2 locations. */
    private static final Locations GRID = Locations.of(64, 64, STRIDES);
    private static final Box SMALL = Box.truth(0, 0, 32, 32, 0);
    private static final Box LARGE = Box.truth(0, 0, 64, 64, 2);

    @Test
    void locationsSitAtHalfStrideCentres() {
        assertEquals(64 + 16 + 4, GRID.size());
        assertEquals(4, GRID.x()[0]);
        assertEquals(12, GRID.x()[1]);
        assertEquals(12, GRID.y()[8]);
        assertEquals(8, GRID.x()[64]);
        assertEquals(16, GRID.x()[80]);
        assertEquals(48, GRID.y()[83]);
        // Odd sizes: ceil(n / s) locations per axis, as the stride-2 convolutions produce.
        assertEquals(9 * 7 + 5 * 4 + 3 * 2, Locations.of(50, 70, STRIDES).size());
    }

    @Test
    void insideTheBoxInItsScaleRangeSmallestAreaWins() {
        FcosTargets t = FcosTargets.assign(List.of(LARGE, SMALL), GRID, 3);
        // SMALL covers the 4×4 level-0 locations at x, y ∈ {4, 12, 20, 28}; it is smaller than LARGE, so it wins.
        // LARGE has every other level-0 location (its reach max(l,t,r,b) ≤ 60 ≤ 64); on level 1 its reach is at
        // most 56 < 64 and on level 2 at most 48 < 128, so it has no location there.
        int small = 0;
        int large = 0;
        for (int k = 0; k < GRID.size(); k++) {
            int c = t.classOf()[k];
            if (GRID.level()[k] > 0) {
                assertEquals(-1, c, "no box reaches far enough for level " + GRID.level()[k]);
                continue;
            }
            boolean inSmall = GRID.x()[k] < 32 && GRID.y()[k] < 32;
            assertEquals(inSmall ? 0 : 2, c);
            assertEquals(inSmall ? 1 : 0, t.assignedBox()[k]);
            small += c == 0 ? 1 : 0;
            large += c == 2 ? 1 : 0;
        }
        assertEquals(16, small);
        assertEquals(48, large);
        assertEquals(64, t.positives());
        // Location (4, 4) in SMALL: l = t = 4, r = b = 28, centerness √(4/28 · 4/28) = 1/7.
        assertEquals(4, t.distances()[0]);
        assertEquals(28, t.distances()[2]);
        assertEquals(1.0 / 7, t.centerness()[0], 1e-12);
    }

    @Test
    void largeBoxesGoToCoarseLevelsAndEdgesAreOutside() {
        // A 200×140 box in a 256×192 image: reach from its locations exceeds 64 on level 0 everywhere near the
        // centre... every positive must satisfy its level's range, and locations on the edge are never positive.
        Locations loc = Locations.of(192, 256, STRIDES);
        Box big = Box.truth(12, 4, 212, 144, 1);
        FcosTargets t = FcosTargets.assign(List.of(big), loc, 3);
        int[] perLevel = new int[3];
        for (int k = 0; k < loc.size(); k++) {
            double[] e = FcosTargets.encode(loc.x()[k], loc.y()[k], big);
            double max = Math.max(Math.max(e[0], e[1]), Math.max(e[2], e[3]));
            double min = Math.min(Math.min(e[0], e[1]), Math.min(e[2], e[3]));
            int lv = loc.level()[k];
            boolean expected = min > 0 && max >= loc.minReach()[lv] && max <= loc.maxReach()[lv];
            assertEquals(expected, t.classOf()[k] == 1, "location " + k);
            if (expected) {
                perLevel[lv]++;
            }
        }
        assertTrue(perLevel[1] > 0 && perLevel[2] > 0, "a 200-px box is regressed from the coarser levels");
        // Edge: the level-0 location at x = 12 lies on the box's left edge (l* = 0) and must be background.
        FcosTargets edge = FcosTargets.assign(List.of(Box.truth(12, 0, 40, 30, 0)), loc, 3);
        assertEquals(-1, edge.classOf()[1]);
        assertEquals(0, edge.classOf()[2]);
    }

    @Test
    void encodingThenDecodingGivesTheBoxBackExactly() {
        List<Box> boxes = List.of(SMALL, LARGE, Box.truth(36.5, 40.25, 61, 63.5, 1));
        FcosTargets t = FcosTargets.assign(boxes, GRID, 3);
        int checked = 0;
        for (int k = 0; k < GRID.size(); k++) {
            int i = t.assignedBox()[k];
            if (i < 0) {
                continue;
            }
            double[] d = t.distances();
            Box back = FcosTargets.decode(GRID.x()[k], GRID.y()[k], d[4 * k], d[4 * k + 1], d[4 * k + 2],
                    d[4 * k + 3], t.classOf()[k], 1.0);
            assertEquals(boxes.get(i), back);
            checked++;
        }
        assertTrue(checked >= 64);
    }

    /** Network outputs that say exactly what the targets say (the "perfect detector"). */
    static float[][] perfectOutputs(FcosTargets t, Locations loc, int numClasses) {
        int n = loc.size();
        float[] cls = new float[n * numClasses];
        float[] dist = new float[4 * n];
        float[] ctr = new float[n];
        java.util.Arrays.fill(cls, -12f);
        java.util.Arrays.fill(dist, 1f);
        java.util.Arrays.fill(ctr, -12f);
        for (int k = 0; k < n; k++) {
            if (t.classOf()[k] >= 0) {
                cls[k * numClasses + t.classOf()[k]] = 12f;
                for (int d = 0; d < 4; d++) {
                    dist[4 * k + d] = (float) t.distances()[4 * k + d];
                }
                double c = Math.min(Math.max(t.centerness()[k], 1e-4), 1 - 1e-4);
                ctr[k] = (float) Math.log(c / (1 - c));
            }
        }
        return new float[][] {cls, dist, ctr};
    }

    @Test
    void perfectOutputsDecodeToTheTruthAndScoreMapOne() {
        Locations loc = Locations.of(96, 128, STRIDES);
        List<List<Box>> images = List.of(
                List.of(Box.truth(8, 8, 40, 72, 0), Box.truth(60, 20, 124, 90, 2)),
                List.of(Box.truth(0, 0, 128, 96, 2), Box.truth(16, 24, 48, 56, 1)),
                List.of(Box.truth(70, 10, 100, 50, 1)));
        DetectionEvaluator eval = new DetectionEvaluator(3);
        for (int i = 0; i < images.size(); i++) {
            FcosTargets t = FcosTargets.assign(images.get(i), loc, 3);
            float[][] out = perfectOutputs(t, loc, 3);
            List<Box> det = FcosDecoder.decode(out[0], out[1], out[2], loc, 3, FcosDecoder.Settings.defaults());
            // Many locations give the same box; NMS leaves one per object.
            assertEquals(images.get(i).size(), det.size(), "image " + i + ": " + det);
            for (Box truth : images.get(i)) {
                assertTrue(det.stream().anyMatch(d -> d.classId() == truth.classId() && d.x0() == truth.x0()
                        && d.y0() == truth.y0() && d.x1() == truth.x1() && d.y1() == truth.y1()), truth + " in " + det);
            }
            eval.add("image" + i, images.get(i), det);
        }
        DetectionEvaluator.Result r = eval.evaluate();
        assertEquals(1.0, r.map50(true), 1e-12);
        assertEquals(1.0, r.map50to95(true), 1e-12);
        assertEquals(1.0, r.map50(false), 1e-12);
    }

    @Test
    void decodingSuppressesDuplicatesWithinAClassOnlyAndCapsTheCount() {
        Locations loc = Locations.of(32, 32, new int[] {8, 16});
        int n = loc.size();
        float[] cls = new float[n * 2];
        float[] dist = new float[4 * n];
        float[] ctr = new float[n];
        java.util.Arrays.fill(cls, -12f);
        java.util.Arrays.fill(dist, 2f);
        // Locations 0 (4,4) and 1 (12,4) predict almost the same box (IoU > 0.6), class 0, different confidence.
        setBox(cls, dist, 0, 0, 2, 3f, new double[] {2, 2, 18, 10}, loc);
        setBox(cls, dist, 1, 0, 2, 2f, new double[] {3, 2, 19, 10}, loc);
        // Location 2 (20,4) predicts the same box as location 0 but class 1: a different class is never suppressed.
        setBox(cls, dist, 2, 1, 2, 1f, new double[] {2, 2, 18, 10}, loc);
        FcosDecoder.Settings s = FcosDecoder.Settings.defaults();
        List<Box> det = FcosDecoder.decode(cls, dist, ctr, loc, 2, s);
        assertEquals(2, det.size(), det.toString());
        assertEquals(0, det.get(0).classId());
        assertEquals(2.0, det.get(0).x0(), 1e-6);
        assertTrue(BoxIou.iou(Box.truth(2, 2, 18, 10, 0), Box.truth(3, 2, 19, 10, 0)) > s.nmsIou());
        assertEquals(1, det.get(1).classId());
        // Scores: √(σ(cls) · σ(ctr)); ctr logit 0 → σ = 0.5.
        assertEquals(Math.sqrt(FcosDecoder.sigmoid(3) * 0.5), det.get(0).score(), 1e-6);
        List<Box> capped = FcosDecoder.decode(cls, dist, ctr, loc, 2, new FcosDecoder.Settings(0.05, 1000, 0.6, 1));
        assertEquals(List.of(det.get(0)), capped);
        // A threshold above every probability leaves nothing.
        assertFalse(FcosDecoder.decode(cls, dist, ctr, loc, 2, new FcosDecoder.Settings(0.99, 1000, 0.6, 100))
                .size() > 0);
    }

    private static void setBox(float[] cls, float[] dist, int k, int c, int numClasses, float logit, double[] box,
            Locations loc) {
        cls[k * numClasses + c] = logit;
        double[] e = FcosTargets.encode(loc.x()[k], loc.y()[k], Box.truth(box[0], box[1], box[2], box[3], c));
        for (int d = 0; d < 4; d++) {
            dist[4 * k + d] = (float) e[d];
        }
    }

    @Test
    void classesOutsideTheListAreRefused() {
        List<Box> bad = new ArrayList<>(List.of(Box.truth(0, 0, 10, 10, 3)));
        try {
            FcosTargets.assign(bad, GRID, 3);
            throw new AssertionError("expected a refusal");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("class 3"));
        }
    }
}
