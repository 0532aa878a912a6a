package org.irfuse.core.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoxIouAndNmsTest {
    private static final double EPS = 1e-15;

    @Test
    void iouAndGiouByHand() {
        Box a = Box.truth(0, 0, 2, 2, 0);
        Box b = Box.truth(1, 1, 3, 3, 0);
        // intersection 1, union 4 + 4 - 1 = 7; enclosing box (0,0)-(3,3) area 9.
        assertEquals(1.0 / 7, BoxIou.iou(a, b), EPS);
        assertEquals(1.0 / 7 - 2.0 / 9, BoxIou.giou(a, b), EPS);   // = -5/63
        // Disjoint: IoU 0; enclosing (0,0)-(3,1) area 3, union 2 -> GIoU = -1/3.
        Box c = Box.truth(0, 0, 1, 1, 0);
        Box d = Box.truth(2, 0, 3, 1, 0);
        assertEquals(0.0, BoxIou.iou(c, d), EPS);
        assertEquals(-1.0 / 3, BoxIou.giou(c, d), EPS);
        // Identical and nested boxes.
        assertEquals(1.0, BoxIou.iou(a, a), EPS);
        assertEquals(1.0, BoxIou.giou(a, a), EPS);
        Box inner = Box.truth(0.5, 0.5, 1.5, 1.5, 0);
        assertEquals(0.25, BoxIou.iou(a, inner), EPS);
        assertEquals(0.25, BoxIou.giou(a, inner), EPS);   // enclosing box = a = union
        assertThrows(IllegalArgumentException.class, () -> Box.truth(2, 0, 1, 1, 0));
    }

    @Test
    void classWiseGreedyNmsOnHandMadeBoxes() {
        Box e = new Box(0, 0, 10, 5, 0, 0.95);
        Box a = new Box(0, 0, 10, 10, 0, 0.90);   // IoU(a,e) = 50/100 = 0.5: not > 0.5, kept
        Box b = new Box(1, 1, 11, 11, 0, 0.80);   // IoU(b,a) = 81/119 > 0.5: suppressed by a
        Box d = new Box(0, 0, 10, 10, 1, 0.85);   // same place as a but class 1: kept
        Box c = new Box(20, 20, 30, 30, 0, 0.70); // far away: kept
        List<Box> kept = NonMaxSuppression.apply(List.of(c, b, a, d, e), 0.5);
        assertEquals(List.of(e, a, d, c), kept);
        // A stricter threshold: IoU(a,e) = 0.5 > 0.45 suppresses a; b is then compared with kept boxes only
        // (IoU(b,e) = 36/114 < 0.45), so it survives: a suppressed box suppresses nothing (greedy NMS).
        assertEquals(List.of(e, d, b, c), NonMaxSuppression.apply(List.of(c, b, a, d, e), 0.45));
        // At most 2 detections overall.
        assertEquals(List.of(e, a), NonMaxSuppression.apply(List.of(c, b, a, d, e), 0.5, 2));
        assertSame(0, NonMaxSuppression.apply(List.of(), 0.5).size());
        // At most 2 per class: class 0 keeps e, a (c is cut), class 1 keeps d.
        assertEquals(List.of(e, a, d), NonMaxSuppression.applyPerClass(List.of(c, b, a, d, e), 0.5, 2));
        // At most 1 per class: the cap stops the pass, a lower box can not replace a kept one.
        assertEquals(List.of(e, d), NonMaxSuppression.applyPerClass(List.of(c, b, a, d, e), 0.5, 1));
    }
}
