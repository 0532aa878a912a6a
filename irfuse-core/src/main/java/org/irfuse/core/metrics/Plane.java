package org.irfuse.core.metrics;

/**
 * One image channel as row-major doubles ({@code v[y·width + x]}), normally 8-bit sample values 0..255.
 * The metrics never modify a plane they are given.
 */
public record Plane(int width, int height, double[] v) {
    public Plane {
        if (width <= 0 || height <= 0 || v.length != width * height) {
            throw new IllegalArgumentException("plane " + width + "x" + height + " with " + v.length + " values");
        }
    }

    public int size() {
        return v.length;
    }

    public boolean sameSize(Plane o) {
        return width == o.width && height == o.height;
    }

    /** This plane with every value multiplied by {@code factor} (divided when {@code divide}). */
    Plane scaled(double factor, boolean divide) {
        double[] out = new double[v.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = divide ? v[i] / factor : v[i] * factor;
        }
        return new Plane(width, height, out);
    }

    static Plane of(int width, int height, int[] samples) {
        double[] d = new double[samples.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = samples[i];
        }
        return new Plane(width, height, d);
    }
}
