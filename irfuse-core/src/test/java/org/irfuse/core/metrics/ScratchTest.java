package org.irfuse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.irfuse.core.image.Image;
import org.junit.jupiter.api.Test;

/** {@link Scratch} and the cold path that reuses its arrays: no value may depend on what ran before. */
class ScratchTest {
    private static Image noise(int w, int h, int channels, long seed) {
        Random r = new Random(seed);
        float[][] c = new float[channels][w * h];
        for (float[] plane : c) {
            for (int i = 0; i < plane.length; i++) {
                plane[i] = r.nextInt(256) / 255f;
            }
        }
        return channels == 1 ? Image.gray(w, h, c[0]) : Image.rgb(w, h, c[0], c[1], c[2]);
    }

    @Test
    void anArrayGivenBackIsTakenAgainOnlyForItsLengthAndOnlyOnce() {
        double[] a = new double[12_345];
        Scratch.give(a, null);
        assertNotSame(a, Scratch.take(12_344));
        assertSame(a, Scratch.take(12_345));
        assertNotSame(a, Scratch.take(12_345));
        double[] huge = new double[(int) (Scratch.MAX_BYTES / 8) + 1];
        Scratch.give(huge); // over the per-thread bound: not kept
        assertNotSame(huge, Scratch.take(huge.length));
    }

    @Test
    void coldTriplesOnOneThreadGiveTheValuesOfAFreshThreadBitForBit() throws Exception {
        for (Profile profile : new Profile[] {Profile.CDDFUSE, Profile.TANG2022, Profile.TANG2023}) {
            Evaluator ev = Evaluator.allMetrics(profile);
            Image[] small = {noise(61, 47, 3, 1), noise(61, 47, 1, 2), noise(61, 47, 1, 3)};
            Image[] other = {noise(80, 64, 1, 4), noise(80, 64, 3, 5), noise(80, 64, 1, 6)};
            Image[] again = {noise(61, 47, 3, 7), noise(61, 47, 3, 8), noise(61, 47, 1, 9)};
            // a fresh thread: nothing to reuse
            Map<Metric, Double> fresh = CompletableFuture.supplyAsync(() -> ev.evaluate(again[0], again[1],
                    again[2]), r -> new Thread(r).start()).get();
            // this thread: arrays of the same and other sizes, holding another triple's values, are reused
            ev.evaluate(small[0], small[1], small[2]);
            ev.evaluate(other[0], other[1], other[2]);
            Evaluator.Pair held = ev.pair(other[0], other[1]);
            held.evaluate(other[2]);
            Map<Metric, Double> reused = ev.evaluate(again[0], again[1], again[2]);
            for (Metric m : ev.metrics()) {
                assertEquals(Double.doubleToRawLongBits(fresh.get(m)), Double.doubleToRawLongBits(reused.get(m)),
                        profile + " " + m.label() + ": " + fresh.get(m) + " vs " + reused.get(m));
            }
            // a pair kept by the caller is not disturbed by cold triples in between
            Map<Metric, Double> first = held.evaluate(other[2]);
            ev.evaluate(small[0], small[1], small[2]);
            ev.evaluate(other[1], other[0], other[2]);
            assertEquals(first, held.evaluate(other[2]), profile + ": a held pair after cold triples");
        }
    }
}
