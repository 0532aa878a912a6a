package org.irfuse.core.align;

import java.util.Arrays;

/**
 * A smooth displacement field stored on a regular grid of nodes, {@code stride} target pixels apart, interpolated
 * bilinearly. Node {@code (i, j)} sits at target pixel {@code ((i + 0.5)·stride − 0.5, (j + 0.5)·stride − 0.5)}:
 * the centre of pixel {@code (i, j)} of pyramid level {@code log2(stride)}, where the deformable estimator works.
 * Outside the outermost nodes the field is constant (clamped). Values are source (infrared) pixels.
 */
public final class DisplacementField {
    private final int stride;
    private final FloatGrid dx;
    private final FloatGrid dy;

    public DisplacementField(int stride, int gridWidth, int gridHeight, float[] dx, float[] dy) {
        this(stride, new FloatGrid(gridWidth, gridHeight, dx), new FloatGrid(gridWidth, gridHeight, dy));
    }

    DisplacementField(int stride, FloatGrid dx, FloatGrid dy) {
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be at least 1, got " + stride);
        }
        if (dx.w() != dy.w() || dx.h() != dy.h()) {
            throw new IllegalArgumentException("dx and dy grids differ in size");
        }
        this.stride = stride;
        this.dx = dx;
        this.dy = dy;
    }

    public int stride() {
        return stride;
    }

    public int gridWidth() {
        return dx.w();
    }

    public int gridHeight() {
        return dx.h();
    }

    /** A copy of the x components, row-major over the nodes. */
    public float[] dx() {
        return dx.v().clone();
    }

    public float[] dy() {
        return dy.v().clone();
    }

    FloatGrid dxGrid() {
        return dx;
    }

    FloatGrid dyGrid() {
        return dy;
    }

    public double dxAt(double x, double y) {
        return dx.sampleClamped((x + 0.5) / stride - 0.5, (y + 0.5) / stride - 0.5);
    }

    public double dyAt(double x, double y) {
        return dy.sampleClamped((x + 0.5) / stride - 0.5, (y + 0.5) / stride - 0.5);
    }

    /** The largest displacement length over the nodes. */
    public double maxLength() {
        double m = 0;
        for (int i = 0; i < dx.v().length; i++) {
            m = Math.max(m, Math.hypot(dx.v()[i], dy.v()[i]));
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DisplacementField f && f.stride == stride && f.dx.w() == dx.w() && f.dx.h() == dx.h()
                && Arrays.equals(f.dx.v(), dx.v()) && Arrays.equals(f.dy.v(), dy.v());
    }

    @Override
    public int hashCode() {
        return 31 * stride + Arrays.hashCode(dx.v()) + 7 * Arrays.hashCode(dy.v());
    }
}
