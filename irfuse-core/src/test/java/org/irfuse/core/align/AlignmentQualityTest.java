package org.irfuse.core.align;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.irfuse.core.image.Image;
import org.junit.jupiter.api.Test;

class AlignmentQualityTest {
    /** The discs image moved right by {@code dx} pixels (the uncovered strip mid-grey, so it still holds data). */
    static FloatGrid shifted(Image img, int dx) {
        int w = img.width();
        int h = img.height();
        float[] v = new float[w * h];
        float[] src = img.plane(0);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                v[y * w + x] = x - dx >= 0 && x - dx < w ? src[y * w + x - dx] : 0.5f;
            }
        }
        return new FloatGrid(w, h, v);
    }

    static double misfitOfIdentity(Image target, FloatGrid source) {
        int w = target.width();
        int h = target.height();
        float[] ones = new float[w * h];
        java.util.Arrays.fill(ones, 1f);
        AlignmentProblem p = new AlignmentProblem(new FloatGrid(w, h, target.plane(0)), source,
                new FloatGrid(w, h, ones), 1.0, 0.1, 48);
        return AlignmentQuality.misfit(p, Transform.none(w, h, w, h));
    }

    @Test
    void misfitCountsRegionsWhoseOwnBestMatchIsFartherThanEightPixels() {
        Image discs = AlignerTest.discs(5);
        // The identity map against a source moved by 12 px: every textured region matches best 12 px away (6
        // level-1 pixels, inside the ±10 search), so all of them are misfits; moved by 4 px, none is.
        assertEquals(1.0, misfitOfIdentity(discs, shifted(discs, 12)), 1e-12);
        assertEquals(0.0, misfitOfIdentity(discs, shifted(discs, 4)), 1e-12);
        assertEquals(0.0, misfitOfIdentity(discs, shifted(discs, 0)), 1e-12);
    }

    @Test
    void anImageTooSmallForOneTileHasNoMisfit() {
        // 120 × 100: level 1 is 60 × 50, less than one 48-px tile plus its ±10 search margin on either side.
        float[] v = new float[120 * 100];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7919 % 101) / 100f;
        }
        Image img = Image.gray(120, 100, v);
        assertEquals(0.0, misfitOfIdentity(img, new FloatGrid(120, 100, v.clone())), 0);
    }
}
