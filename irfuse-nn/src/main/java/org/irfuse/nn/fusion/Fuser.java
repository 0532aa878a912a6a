package org.irfuse.nn.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.YCbCr;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.runtime.Compute;

/**
 * Fuses one infrared/visible pair: Ŷ = θ(I, Y) on the visible luminance, then the clamped Ŷ recombined with the
 * visible chroma (METHOD.md, {@code C(Ŷ, V)}); a gray visible image gives a gray result.
 *
 * <p>Large images are fused in tiles so memory stays bounded. Each tile is computed with a halo of
 * {@link #HALO} pixels around the part it keeps. The network's receptive field reaches 23 pixels from the centre
 * (3×3 head: 1; two dense blocks of five 3×3 convs at dilation 2: 20; two 3×3 convs: 2), so every kept pixel
 * sees exactly the inputs it would see untiled: the tiles join without seams and without blending, and the result
 * equals untiled fusion up to floating-point summation order.
 */
public final class Fuser {
    /** Pixels of context around each tile; at least the receptive-field radius (23). */
    public static final int HALO = 24;
    /** Images above this many pixels are tiled by default (4 megapixels). */
    public static final long DEFAULT_TILE_ABOVE = 4_000_000L;
    /** Side of the kept part of each tile by default. */
    public static final int DEFAULT_TILE = 512;

    private final FusionNetwork network;
    private final Compute compute;
    private final long tileAbove;
    private final int tile;

    public Fuser(FusionNetwork network, Compute compute) {
        this(network, compute, DEFAULT_TILE_ABOVE, DEFAULT_TILE);
    }

    /**
     * @param tileAbove images with more pixels than this are tiled (0 tiles everything)
     * @param tile side of the kept part of each tile
     */
    public Fuser(FusionNetwork network, Compute compute, long tileAbove, int tile) {
        if (tile < 16) {
            throw new IllegalArgumentException("tile size must be at least 16 pixels, got " + tile);
        }
        this.network = network;
        this.compute = compute;
        this.tileAbove = tileAbove;
        this.tile = tile;
    }

    /** Fuses a one-channel infrared image with a gray or RGB visible image of the same size. */
    public Image fuse(Image infrared, Image visible) {
        if (!infrared.isGray()) {
            throw new IllegalArgumentException("infrared image must have one channel");
        }
        if (!infrared.sameSize(visible)) {
            throw new IllegalArgumentException("infrared " + infrared.sizeString() + " and visible "
                    + visible.sizeString() + " differ in size");
        }
        float[][] ycc = YCbCr.split(visible);
        float[] fusedY = fuseLuminance(infrared.plane(0), ycc[0], infrared.width(), infrared.height());
        return visible.isGray() ? YCbCr.merge(visible.width(), visible.height(), fusedY, null, null)
                : YCbCr.merge(visible.width(), visible.height(), fusedY, ycc[1], ycc[2]);
    }

    /** Ŷ for row-major planes of size w×h (not clamped). */
    public float[] fuseLuminance(float[] ir, float[] y, int w, int h) {
        if ((long) w * h <= tileAbove) {
            return forward(ir, y, w, h);
        }
        float[] out = new float[w * h];
        for (int ty = 0; ty < h; ty += tile) {
            for (int tx = 0; tx < w; tx += tile) {
                int x0 = Math.max(0, tx - HALO);
                int y0 = Math.max(0, ty - HALO);
                int x1 = Math.min(w, tx + tile + HALO);
                int y1 = Math.min(h, ty + tile + HALO);
                int cw = x1 - x0;
                int ch = y1 - y0;
                float[] tileOut = forward(crop(ir, w, x0, y0, cw, ch), crop(y, w, x0, y0, cw, ch), cw, ch);
                int keepX1 = Math.min(w, tx + tile);
                int keepY1 = Math.min(h, ty + tile);
                for (int yy = ty; yy < keepY1; yy++) {
                    System.arraycopy(tileOut, (yy - y0) * cw + (tx - x0), out, yy * w + tx, keepX1 - tx);
                }
            }
        }
        return out;
    }

    private float[] forward(float[] ir, float[] y, int w, int h) {
        try (NDManager step = compute.newStep()) {
            Shape shape = new Shape(1, 1, h, w);
            NDArray a = step.create(ir, shape);
            NDArray b = step.create(y, shape);
            return network.fuse(compute.parameters(), a, b, false).toFloatArray();
        }
    }

    /** The {@code cw×ch} window at (x0, y0) of a row-major plane of width {@code w}. */
    public static float[] crop(float[] src, int w, int x0, int y0, int cw, int ch) {
        float[] out = new float[cw * ch];
        for (int yy = 0; yy < ch; yy++) {
            System.arraycopy(src, (y0 + yy) * w + x0, out, yy * cw, cw);
        }
        return out;
    }
}
