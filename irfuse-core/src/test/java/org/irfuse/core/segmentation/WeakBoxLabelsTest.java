package org.irfuse.core.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.irfuse.core.detection.Box;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.io.SharedData;
import org.junit.jupiter.api.Test;

class WeakBoxLabelsTest {
    @Test
    void smallerBoxIsPaintedOnTopAndPixelCentresDecideCoverage() {
        // A big person box (class 0 -> 2) and a small bicycle box (1 -> 3) overlapping it, listed first.
        Box bike = Box.truth(2.4, 2.0, 5.6, 4.0, 1);
        Box person = Box.truth(0.0, 0.0, 4.0, 6.0, 0);
        LabelMap m = WeakBoxLabels.fromBoxes(List.of(bike, person), 8, 7,
                WeakBoxLabels.MSRS_DETECTION_TO_SEGMENTATION);
        assertEquals(2, m.get(0, 0));
        assertEquals(2, m.get(3, 5));
        assertEquals(0, m.get(4, 5));   // centre 4.5 is outside [0,4)
        assertEquals(3, m.get(2, 2));   // overlap: the smaller bike box wins
        assertEquals(3, m.get(5, 3));   // centre 5.5 < 5.6
        assertEquals(0, m.get(6, 3));   // centre 6.5 outside
        assertEquals(0, m.get(5, 4));   // centre y 4.5 outside [2,4)
        long[] h = m.histogram(9);
        // person 4x6 = 24 pixels minus the overlap (x 2..3, y 2..3 = 4) = 20; bike x 2..5 × y 2..3 = 8.
        assertEquals(20, h[2]);
        assertEquals(8, h[3]);
        assertEquals(8 * 7 - 28, h[0]);
    }

    @Test
    void boxesAreClippedToTheImageAndUnknownClassesRejected() {
        LabelMap m = WeakBoxLabels.fromBoxes(List.of(Box.truth(-5, -5, 2, 100, 2)), 4, 3,
                WeakBoxLabels.MSRS_DETECTION_TO_SEGMENTATION);
        assertEquals(6, m.histogram(9)[1]);
        assertThrows(IllegalArgumentException.class, () -> WeakBoxLabels.fromBoxes(List.of(Box.truth(0, 0, 1, 1, 7)),
                4, 3, WeakBoxLabels.MSRS_DETECTION_TO_SEGMENTATION));
    }

    /**
     * ../shared/data/msrs/det_labels/fusion/00001D.txt on its 640×480 image. In pixels its boxes are: person
     * (171.69,110.15)-(282.35,413.71) area 33591; car (106.71,171.57)-(280.31,270.05) area 17096; bicycle
     * (270.16,192.89)-(357.47,242.64) area 4343; plus three smaller people and a second bicycle on the right.
     */
    @Test
    void weakLabelsOfARealMsrsImage() throws Exception {
        Optional<Path> labels = SharedData.resolve("msrs/det_labels/fusion/00001D.txt");
        Optional<Path> ir = SharedData.resolve("msrs/ir/00001D.png");
        assumeTrue(labels.isPresent() && ir.isPresent(), SharedData.missingMessage("msrs"));
        int[] size = ImageReader.size(ir.get());
        LabelMap m = WeakBoxLabels.fromMsrsYolo(labels.get(), size[0], size[1]);
        assertEquals(640, m.width());
        assertEquals(480, m.height());
        assertEquals(1, m.get(150, 200));  // inside the car only
        assertEquals(2, m.get(227, 350));  // inside the big person only
        assertEquals(1, m.get(200, 220));  // person ∩ car: the smaller car is on top
        assertEquals(3, m.get(275, 220));  // person ∩ car ∩ bicycle: the bicycle is smallest
        assertEquals(0, m.get(106, 200));  // car's left edge 106.71: centre 106.5 outside
        assertEquals(1, m.get(107, 200));  // centre 107.5 inside
        assertEquals(0, m.get(10, 10));
        long[] h = m.histogram(9);
        int classes = 0;
        for (long c : h) {
            classes += c > 0 ? 1 : 0;
        }
        assertEquals(4, classes, "background, car, person, bike");
    }
}
