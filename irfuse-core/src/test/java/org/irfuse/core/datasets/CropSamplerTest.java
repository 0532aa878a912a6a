package org.irfuse.core.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.irfuse.core.detection.Box;
import org.junit.jupiter.api.Test;

class CropSamplerTest {
    @Test
    void boxesFollowCropAndFlips() {
        List<Box> in = List.of(Box.truth(10, 20, 30, 60, 2), Box.truth(0, 0, 4, 4, 0));
        // Crop at (8, 16), side 40: box → (2,4)-(22,40); the small box is 0 % inside → dropped.
        List<Box> plain = CropSampler.cropBoxes(in, 8, 16, 40, false, false);
        assertEquals(1, plain.size());
        assertEquals(new Box(2, 4, 22, 40, 2, 1), plain.get(0));
        List<Box> flipped = CropSampler.cropBoxes(in, 8, 16, 40, true, true);
        assertEquals(new Box(18, 0, 38, 36, 2, 1), flipped.get(0));
    }

    @Test
    void labelsAndPlanesShareGeometry() {
        List<PairSample> samples = PairDataset.synthetic(2, 80, 64, 3);
        CropSampler sampler = new CropSampler(samples, 32, 48);
        for (int step = 1; step <= 5; step++) {
            CropSampler.Batch b = sampler.next(CropSampler.forStep(1, step), 2);
            assertTrue(b.height() >= 32 && b.height() <= 48);
            assertEquals(b.size() * b.height() * b.width(), b.labels().length);
            // Objects are warm in infrared: labelled pixels are brighter there on average.
            double on = 0;
            double off = 0;
            int non = 0;
            int noff = 0;
            for (int i = 0; i < b.labels().length; i++) {
                if (b.labels()[i] != 0) {
                    on += b.ir()[i];
                    non++;
                } else {
                    off += b.ir()[i];
                    noff++;
                }
            }
            if (non > 0) {
                assertTrue(on / non > off / noff);
            }
        }
        CropSampler.Batch a = sampler.next(CropSampler.forStep(9, 4), 2);
        CropSampler.Batch c = sampler.next(CropSampler.forStep(9, 4), 2);
        assertEquals(java.util.Arrays.hashCode(a.ir()), java.util.Arrays.hashCode(c.ir()), "same step, same batch");
    }
}
