package org.irfuse.nn.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.core.image.Image;
import org.junit.jupiter.api.Test;

/** YOLOv5 post-processing, class mapping and padding on hand-made numbers (no network, no shared data). */
class YoloDetectorTest {
    private static final double EPS = 1e-9;

    /** One decoded row: cx, cy, w, h, objectness, then 80 class probabilities with the given ones set. */
    private static float[] row(float cx, float cy, float w, float h, float obj, int[] classes, float[] probs) {
        float[] r = new float[85];
        r[0] = cx;
        r[1] = cy;
        r[2] = w;
        r[3] = h;
        r[4] = obj;
        for (int i = 0; i < classes.length; i++) {
            r[5 + classes[i]] = probs[i];
        }
        return r;
    }

    private static float[] concat(float[]... rows) {
        float[] out = new float[rows.length * 85];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * 85, 85);
        }
        return out;
    }

    @Test
    void multiLabelCandidatesMappedClippedAndSuppressed() {
        ClassMapping msrs = ClassMapping.parse(null, ClassMapping.COCO, DetectionDataset.MSRS_CLASSES);
        float[] pred = concat(
                // a person and (weaker) a bicycle at the same place: both kept, classes never suppress each other
                row(116, 66, 40, 80, 0.9f, new int[] {0, 1}, new float[] {0.8f, 0.5f}),
                // the same person 2 px to the right, lower score: IoU 3040/3360 = 0.90 > 0.45, suppressed
                row(118, 66, 40, 80, 0.9f, new int[] {0}, new float[] {0.7f}),
                // a truck (COCO 7): not an MSRS class, dropped
                row(300, 200, 50, 50, 0.99f, new int[] {7}, new float[] {0.99f}),
                // a car crossing the right border of a 320×240 image: clipped
                row(326, 116, 40, 20, 0.5f, new int[] {2}, new float[] {0.5f}),
                // objectness × probability 0.04 × 0.02 = 0.0008 < 0.001: not a candidate
                row(50, 50, 10, 10, 0.04f, new int[] {0}, new float[] {0.02f}));
        // The image sits at (16, 16) of the padded input (centred padding).
        List<Box> boxes = YoloDetector.decode(pred, 5, 80, msrs, YoloDetector.Settings.evaluation(), 16, 16, 320,
                240);
        assertEquals(3, boxes.size(), boxes.toString());
        Box person = boxes.get(0);
        assertEquals(0, person.classId());
        assertEquals(0.9 * 0.8, person.score(), 1e-6);
        assertEquals(80, person.x0(), EPS);
        assertEquals(10, person.y0(), EPS);
        assertEquals(120, person.x1(), EPS);
        assertEquals(90, person.y1(), EPS);
        assertEquals(1, boxes.get(1).classId());
        assertEquals(0.45, boxes.get(1).score(), 1e-6);
        Box car = boxes.get(2);
        assertEquals(2, car.classId());
        assertEquals(0.25, car.score(), 1e-6);
        assertEquals(290, car.x0(), EPS);
        assertEquals(320, car.x1(), EPS, "clipped to the image width");
        assertEquals(90, car.y0(), EPS);
    }

    @Test
    void classMapsByNameOrIndexAndRefusesUnknownNames() {
        List<String> m3fd = List.of("People", "Car", "Bus", "Lamp", "Motorcycle", "Truck");
        ClassMapping m = ClassMapping.parse("person=People, car=Car, bus=2, 7=Truck, motorcycle=Motorcycle, "
                + "traffic light=Lamp", ClassMapping.COCO, m3fd);
        assertEquals(0, m.target(0));
        assertEquals(1, m.target(2));
        assertEquals(2, m.target(5));
        assertEquals(5, m.target(7));
        assertEquals(3, m.target(9));
        assertEquals(-1, m.target(1), "bicycle is not mapped");
        assertEquals("person=People,car=Car,motorcycle=Motorcycle,bus=Bus,truck=Truck,traffic light=Lamp",
                m.toString());
        ClassMapping msrs = ClassMapping.parse(" ", ClassMapping.COCO, DetectionDataset.MSRS_CLASSES);
        assertEquals("person=person,bicycle=bicycle,car=car", msrs.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassMapping.parse("pedestrian=People", ClassMapping.COCO, m3fd));
        assertTrue(e.getMessage().contains("'pedestrian' is not a detector class"), e.getMessage());
        // By name, M3FD's Car, Bus, Motorcycle and Truck match COCO classes (ignoring case); People and Lamp do not.
        assertEquals("car=Car,motorcycle=Motorcycle,bus=Bus,truck=Truck",
                ClassMapping.parse(null, ClassMapping.COCO, m3fd).toString());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClassMapping.parse(null, ClassMapping.COCO, List.of("pedestrian", "vehicle")));
        assertTrue(e.getMessage().contains("--class-map"), e.getMessage());
    }

    @Test
    void paddingPlacesTheImageAndFillsTheRest() {
        float[] d = new float[3 * 2 * 3];
        for (int i = 0; i < d.length; i++) {
            d[i] = i + 1;
        }
        Image img = new Image(3, 2, 3, d);
        Padding.Padded br = Padding.BOTTOM_RIGHT.pad(img, 4, -1);
        assertEquals(4, br.image().width());
        assertEquals(4, br.image().height());
        assertEquals(0, br.offsetX());
        assertEquals(1f, br.image().get(0, 0, 0));
        assertEquals(-1f, br.image().get(0, 3, 0));
        assertEquals(12f, br.image().get(1, 2, 1));
        // 640×480 needs no padding for YOLOv5n (480 = 15·32); 640×470 gets 5 rows above and 5 below.
        Image full = new Image(640, 480, 1, new float[640 * 480]);
        assertEquals(full, Padding.CENTER.pad(full, 32, 0.5f).image());
        Padding.Padded c = Padding.CENTER.pad(new Image(640, 470, 1, new float[640 * 470]), 32, 0.5f);
        assertEquals(480, c.image().height());
        assertEquals(5, c.offsetY());
        assertEquals(0, c.offsetX());
        assertEquals(0.5f, c.image().get(0, 0, 4));
        assertEquals(0f, c.image().get(0, 0, 5));
        assertEquals(0.5f, c.image().get(0, 0, 475));
    }
}
