package org.irfuse.core.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.irfuse.core.image.Image;
import org.junit.jupiter.api.Test;

class TransformTest {
    @Test
    void affineAlgebra() {
        AffineTransform a = new AffineTransform(1.1, 0.2, 3, -0.1, 0.9, -4);
        AffineTransform i = a.compose(a.inverse());
        assertEquals(1, i.a(), 1e-12);
        assertEquals(0, i.c(), 1e-12);
        assertEquals(1, i.e(), 1e-12);
        // Level 2 then back to level 0 is the identity; level pixel 0 of level 1 is the centre of 0 and 1.
        AffineTransform back = a.atLevel(2).fromLevel(2);
        assertArrayEquals(a.toArray(), back.toArray(), 1e-12);
        AffineTransform t = AffineTransform.translation(4, -2).atLevel(1);
        assertEquals(2, t.applyX(0, 0), 1e-12);
        assertEquals(-1, t.applyY(0, 0), 1e-12);
        // Resize: pixel centres of a 2x-wider target fall between the source's.
        AffineTransform r = AffineTransform.resize(320, 240, 640, 480);
        assertEquals(-0.25, r.applyX(0, 0), 1e-12);
        assertEquals(319.25, r.applyX(639, 0), 1e-12);
    }

    @Test
    void jsonRoundTripIsExact() {
        float[] dx = {0.1f, -2.5f, 3.25f, 1e-7f, 4, 5};
        float[] dy = {1, 2, 3, 4, 5, -0.333f};
        Transform t = new Transform(Transform.Model.DEFORMABLE, 12, 8, 24, 16,
                new AffineTransform(2.0000001, 0.01, -0.3, 0.02, 1.9999, 0.7), new DisplacementField(4, 3, 2, dx, dy));
        Transform back = Transform.fromJson(t.toJson());
        assertEquals(t.affine(), back.affine());
        assertEquals(t.field(), back.field());
        assertEquals(Transform.Model.DEFORMABLE, back.model());
        assertEquals(24, back.sourceWidth());
        assertEquals(t.mapX(5.5, 3.25), back.mapX(5.5, 3.25), 0);
        Transform global = Transform.none(10, 10, 10, 10);
        assertEquals(null, Transform.fromJson(global.toJson()).field());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Transform.fromJson("{\"format\": \"other\"}"));
        assertTrue(e.getMessage().contains("irfuse-transform/1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Transform.fromJson(t.toJson().replace("\"dy\"", "\"dz\"")));
    }

    @Test
    void fieldInterpolatesBetweenNodesAndWarpMarksNoData() {
        // Nodes at level-0 x = 1.5 and 5.5 (stride 4): halfway between them the field is the mean.
        DisplacementField f = new DisplacementField(4, 2, 1, new float[] {0, 2}, new float[] {0, 0});
        assertEquals(1, f.dxAt(3.5, 1.5), 1e-6);
        assertEquals(0, f.dxAt(0, 0), 1e-6);
        assertEquals(2, f.dxAt(7, 3), 1e-6);
        // A shift of +1.5 px: the last target pixel samples beyond the source and holds no data.
        Image src = Image.gray(4, 1, new float[] {0.1f, 0.2f, 0.3f, 0.4f});
        Transform shift = new Transform(Transform.Model.TRANSLATION, 4, 1, 4, 1, AffineTransform.translation(1.5, 0),
                null);
        Transform.Warped w = shift.warp(src, null);
        assertArrayEquals(new float[] {0.25f, 0.35f, 0.4f, 0}, w.image().data(), 1e-6f);
        assertArrayEquals(new float[] {1, 1, 1, 0}, w.mask().data());
        // An invalid source pixel removes every sample that weighs it.
        Transform.Warped v = shift.warp(src, new float[] {1, 1, 0, 1});
        assertArrayEquals(new float[] {0, 0, 1, 0}, v.mask().data());
    }

    @Test
    void noDataIsBlackConnectedToTheBorderPlusAMargin() {
        int w = 20;
        int h = 10;
        float[] v = new float[w * h];
        java.util.Arrays.fill(v, 0.5f);
        for (int y = 0; y < h; y++) {
            v[y * w] = 0; // a black column on the left border: no data
        }
        v[5 * w + 12] = 0; // a black pixel inside: dark scene content, data
        float[] m = NoDataMask.validity(Image.gray(w, h, v));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x <= NoDataMask.MARGIN; x++) {
                assertEquals(0, m[y * w + x], "no data at " + x + "," + y);
            }
            assertEquals(1, m[y * w + NoDataMask.MARGIN + 1]);
        }
        assertEquals(1, m[5 * w + 12]);
    }
}
