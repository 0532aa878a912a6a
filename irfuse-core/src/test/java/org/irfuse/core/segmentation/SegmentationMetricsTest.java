package org.irfuse.core.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SegmentationMetricsTest {
    private static final double EPS = 1e-15;

    /** Builds per-pixel arrays from a hand-written matrix [truth][pred] and counts them with add(). */
    private static ConfusionMatrix fromPixels(long[][] m) {
        List<Integer> truth = new ArrayList<>();
        List<Integer> pred = new ArrayList<>();
        for (int t = 0; t < m.length; t++) {
            for (int p = 0; p < m.length; p++) {
                for (long k = 0; k < m[t][p]; k++) {
                    truth.add(t);
                    pred.add(p);
                }
            }
        }
        ConfusionMatrix cm = new ConfusionMatrix(m.length);
        cm.add(truth.stream().mapToInt(Integer::intValue).toArray(), pred.stream().mapToInt(Integer::intValue)
                .toArray());
        return cm;
    }

    @Test
    void threeClassesWithOneAbsentUnderBothPolicies() {
        // truth\pred  0  1  2
        //   0         4  2  0
        //   1         1  3  0
        //   2         0  0  0     class 2 never labelled nor predicted: IoU 0/0
        long[][] m = {{4, 2, 0}, {1, 3, 0}, {0, 0, 0}};
        ConfusionMatrix cm = fromPixels(m);
        assertArrayEquals(m[0], cm.counts()[0]);
        assertArrayEquals(m[1], cm.counts()[1]);
        assertEquals(10, cm.total());

        // IoU0 = 4/(4+FP 1+FN 2) = 4/7; IoU1 = 3/(3+FP 2+FN 1) = 1/2.
        SegmentationMetrics zero = SegmentationMetrics.of(cm, AbsentClassPolicy.COUNT_AS_ZERO);
        assertEquals(4.0 / 7, zero.iou()[0], EPS);
        assertEquals(0.5, zero.iou()[1], EPS);
        assertEquals(0.0, zero.iou()[2], EPS);
        assertFalse(zero.iouDefined()[2]);
        // mIoU over all 3 classes: (4/7 + 1/2 + 0)/3 = 5/14.
        assertEquals(5.0 / 14, zero.meanIou(), EPS);
        assertEquals(3, zero.classesInMean());
        // pixel accuracy: (4 + 3)/10.
        assertEquals(0.7, zero.pixelAccuracy(), EPS);
        // class accuracy: 4/6, 3/4, 0 -> mean 17/36.
        assertEquals(2.0 / 3, zero.classAccuracy()[0], EPS);
        assertEquals(0.75, zero.classAccuracy()[1], EPS);
        assertEquals(17.0 / 36, zero.meanClassAccuracy(), EPS);

        SegmentationMetrics drop = SegmentationMetrics.of(cm, AbsentClassPolicy.DROP_ABSENT);
        assertTrue(Double.isNaN(drop.iou()[2]));
        // (4/7 + 1/2)/2 = 15/28.
        assertEquals(15.0 / 28, drop.meanIou(), EPS);
        assertEquals(2, drop.classesInMean());
        assertEquals(17.0 / 24, drop.meanClassAccuracy(), EPS);
        assertEquals(0.7, drop.pixelAccuracy(), EPS);
    }

    @Test
    void classOnlyPredictedHasIouZeroUnderBothPolicies() {
        // Class 2 is predicted once but never labelled: IoU2 = 0/(0+1+0) = 0, defined, in both means.
        long[][] m = {{3, 0, 1}, {1, 2, 0}, {0, 0, 0}};
        ConfusionMatrix cm = ConfusionMatrix.of(m);
        for (AbsentClassPolicy policy : AbsentClassPolicy.values()) {
            SegmentationMetrics s = SegmentationMetrics.of(cm, policy);
            assertTrue(s.iouDefined()[2]);
            assertEquals(3.0 / 5, s.iou()[0], EPS);
            assertEquals(2.0 / 3, s.iou()[1], EPS);
            assertEquals(0.0, s.iou()[2], EPS);
            // (3/5 + 2/3 + 0)/3 = 19/45.
            assertEquals(19.0 / 45, s.meanIou(), EPS);
            assertEquals(5.0 / 7, s.pixelAccuracy(), EPS);
        }
        // Its class accuracy (recall) is 0/0: 0 and counted, or dropped.
        assertEquals(17.0 / 36, SegmentationMetrics.of(cm, AbsentClassPolicy.COUNT_AS_ZERO).meanClassAccuracy(), EPS);
        assertEquals(17.0 / 24, SegmentationMetrics.of(cm, AbsentClassPolicy.DROP_ABSENT).meanClassAccuracy(), EPS);
    }

    @Test
    void labelsOutsideTheClassRangeAreIgnoredAndPredictionsOutsideAreErrors() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.add(new int[] {0, 255, 1, -1, 2}, new int[] {0, 1, 1, 2, 0});
        assertEquals(3, cm.total());
        assertEquals(2, cm.ignoredPixels());
        assertEquals(1, cm.get(0, 0));
        assertEquals(1, cm.get(1, 1));
        assertEquals(1, cm.get(2, 0));
        assertThrows(IllegalArgumentException.class, () -> cm.add(new int[] {0}, new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> cm.add(new int[] {0, 1}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> cm.add(new LabelMap(2, 1, new int[] {0, 1}),
                new LabelMap(1, 2, new int[] {0, 1})));
    }

    @Test
    void wholeTestSetMatrixIsNotTheMeanOfPerImageScores() {
        // Image A: one pixel of class 1 predicted right; image B: 3 pixels of class 1, all predicted 0.
        // Whole-set IoU1 = 1/(1+0+3) = 1/4, while the mean of per-image IoUs would be (1 + 0)/2.
        ConfusionMatrix cm = new ConfusionMatrix(2);
        cm.add(new int[] {1}, new int[] {1});
        cm.add(new int[] {1, 1, 1}, new int[] {0, 0, 0});
        assertEquals(0.25, SegmentationMetrics.of(cm, AbsentClassPolicy.COUNT_AS_ZERO).iou()[1], EPS);
    }

    @Test
    void concurrentAddsAndMergesCountEveryPixelOnce() throws Exception {
        int[] truth = {0, 1, 2, 2, 1, 0, 2};
        int[] pred = {0, 2, 2, 1, 1, 0, 0};
        ConfusionMatrix shared = new ConfusionMatrix(3);
        ConfusionMatrix merged = new ConfusionMatrix(3);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                jobs.add(pool.submit(() -> {
                    ConfusionMatrix local = new ConfusionMatrix(3);
                    for (int i = 0; i < 500; i++) {
                        shared.add(truth, pred);
                        local.add(truth, pred);
                    }
                    merged.merge(local);
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        ConfusionMatrix once = new ConfusionMatrix(3);
        once.add(truth, pred);
        for (int t = 0; t < 3; t++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(2000 * once.get(t, p), shared.get(t, p));
                assertEquals(2000 * once.get(t, p), merged.get(t, p));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> merged.merge(new ConfusionMatrix(4)));
    }
}
