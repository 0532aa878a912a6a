package org.irfuse.core.align;

/**
 * A 2-D affine map {@code (x, y) ↦ (a·x + b·y + c, d·x + e·y + f)} between pixel coordinates (pixel centres at
 * integers, 0-based). In a {@link Transform} it maps a target (visible) pixel to the source (infrared) position it
 * shows.
 */
public record AffineTransform(double a, double b, double c, double d, double e, double f) {
    public static final AffineTransform IDENTITY = new AffineTransform(1, 0, 0, 0, 1, 0);

    public static AffineTransform translation(double tx, double ty) {
        return new AffineTransform(1, 0, tx, 0, 1, ty);
    }

    /**
     * The map from a {@code targetW × targetH} pixel grid to a {@code sourceW × sourceH} one covering the same
     * field of view: {@code x_s = (x + 0.5)·sourceW/targetW − 0.5} (bilinear resizing, align corners false).
     */
    public static AffineTransform resize(int sourceW, int sourceH, int targetW, int targetH) {
        double sx = (double) sourceW / targetW;
        double sy = (double) sourceH / targetH;
        return new AffineTransform(sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5);
    }

    public double applyX(double x, double y) {
        return a * x + b * y + c;
    }

    public double applyY(double x, double y) {
        return d * x + e * y + f;
    }

    /** {@code this ∘ inner}: first {@code inner}, then this. */
    public AffineTransform compose(AffineTransform inner) {
        return new AffineTransform(
                a * inner.a + b * inner.d, a * inner.b + b * inner.e, a * inner.c + b * inner.f + c,
                d * inner.a + e * inner.d, d * inner.b + e * inner.e, d * inner.c + e * inner.f + f);
    }

    public double determinant() {
        return a * e - b * d;
    }

    public AffineTransform inverse() {
        double det = determinant();
        if (Math.abs(det) < 1e-12) {
            throw new IllegalStateException("affine map is singular: " + this);
        }
        double ia = e / det;
        double ib = -b / det;
        double id = -d / det;
        double ie = a / det;
        return new AffineTransform(ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f));
    }

    /**
     * The same map expressed on pyramid level {@code level} of both grids, where level pixel {@code x_L} has its
     * centre at {@code 2^L·x_L + (2^L − 1)/2} of level 0: {@code A_L = S⁻¹ ∘ A ∘ S}.
     */
    public AffineTransform atLevel(int level) {
        double s = 1 << level;
        double o = (s - 1) / 2;
        AffineTransform up = new AffineTransform(s, 0, o, 0, s, o);
        AffineTransform down = new AffineTransform(1 / s, 0, -o / s, 0, 1 / s, -o / s);
        return down.compose(this).compose(up);
    }

    /** The inverse of {@link #atLevel}: a level-{@code level} map expressed on level 0. */
    public AffineTransform fromLevel(int level) {
        double s = 1 << level;
        double o = (s - 1) / 2;
        AffineTransform up = new AffineTransform(s, 0, o, 0, s, o);
        AffineTransform down = new AffineTransform(1 / s, 0, -o / s, 0, 1 / s, -o / s);
        return up.compose(this).compose(down);
    }

    double[] toArray() {
        return new double[] {a, b, c, d, e, f};
    }
}
