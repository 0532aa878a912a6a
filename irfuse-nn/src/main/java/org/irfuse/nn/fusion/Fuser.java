package org.irfuse.nn.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.YCbCr;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.InferencePrecision;
import org.irfuse.nn.runtime.Intermediates;
import org.irfuse.nn.runtime.Precision;
import org.irfuse.nn.runtime.Workspace;

/**
 * Fuses one infrared/visible pair: Ŷ = θ(I, Y) on the visible luminance, then the clamped Ŷ recombined with the
 * visible chroma (METHOD.md, {@code C(Ŷ, V)}); a gray visible image gives a gray result.
 *
 * <p>Large images are fused in tiles so memory stays bounded. Each tile is computed with a halo of
 * {@link #HALO} pixels around the part it keeps. The network's receptive field reaches 23 pixels from the centre
 * (3×3 head: 1; two dense blocks of five 3×3 convs at dilation 2: 20; two 3×3 convs: 2), so every kept pixel
 * sees exactly the inputs it would see untiled: the tiles join without seams and without blending, and the result
 * equals untiled fusion up to floating-point summation order.
 *
 * <p>Speed (docs/benchmarks.md): the input is laid out channels-last (a contiguous N×H×W×C array viewed as
 * N×C×H×W), which makes libtorch's oneDNN convolutions run in NHWC and every activation follow; in
 * {@link Precision#BF16} the input and weights are cast to bfloat16 ({@link org.irfuse.nn.runtime.Bfloat16}) and
 * the result cast back to float32. Tiles reuse one input buffer and copy their result straight into the output.
 * The network runs its inference pass ({@link FusionNetwork#infer}: in-place activations, dense-block concatenations
 * in a {@link Workspace} kept from call to call, as large as the largest image or tile seen); close the fuser to
 * free it.
 */
public final class Fuser implements AutoCloseable {
    /** Pixels of context around each tile; at least the receptive-field radius (23). */
    public static final int HALO = 24;
    /** Images above this many pixels are tiled by default (4 megapixels). */
    public static final long DEFAULT_TILE_ABOVE = 4_000_000L;
    /** Side of the kept part of each tile by default. */
    public static final int DEFAULT_TILE = 512;

    /** Told after each row of tiles of a tiled image. */
    @FunctionalInterface
    public interface TileProgress {
        void rowDone(int rowsDone, int rows);
    }

    private final FusionNetwork network;
    private final Compute compute;
    private final Precision precision;
    private final long tileAbove;
    private final int tile;
    private final InferencePrecision inference;
    private final Workspace workspace;
    /** The missing-kernels warning is printed once per process, not once per fuser. */
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private ByteBuffer input = ByteBuffer.allocateDirect(0);
    private TileProgress tileProgress = (done, rows) -> { };

    /** Exact float32 fusion with the default tiling. */
    public Fuser(FusionNetwork network, Compute compute) {
        this(network, compute, Precision.FP32, DEFAULT_TILE_ABOVE, DEFAULT_TILE);
    }

    /** Exact float32 fusion with the given tiling. */
    public Fuser(FusionNetwork network, Compute compute, long tileAbove, int tile) {
        this(network, compute, Precision.FP32, tileAbove, tile);
    }

    /**
     * @param precision {@link Precision#BF16} casts the network's weights once, here; later changes to them are not
     *     seen by this fuser (make a new one)
     * @param tileAbove images with more pixels than this are tiled (0 tiles everything)
     * @param tile side of the kept part of each tile
     */
    public Fuser(FusionNetwork network, Compute compute, Precision precision, long tileAbove, int tile) {
        this(network, compute, precision, tileAbove, tile, true);
    }

    /** {@code kernels} false: the plain forward pass, as on a libtorch without oneDNN ({@link #openWorkspace}). */
    Fuser(FusionNetwork network, Compute compute, Precision precision, long tileAbove, int tile, boolean kernels) {
        if (tile < 16) {
            throw new IllegalArgumentException("tile size must be at least 16 pixels, got " + tile);
        }
        this.network = network;
        this.compute = compute;
        this.precision = precision;
        this.tileAbove = tileAbove;
        this.tile = tile;
        this.inference = new InferencePrecision(compute, precision);
        this.workspace = kernels ? openWorkspace(compute) : null;
    }

    /**
     * The inference kernels' workspace, or null when this libtorch cannot load them: they call oneDNN's fused
     * operators ({@code mkldnn::_convolution_pointwise}, {@code _linear_pointwise}), which exist only in builds with
     * oneDNN — DJL's Linux x86-64 libtorch has them, builds for other platforms were not checked. Without them the
     * network's plain forward pass runs instead: the same results bit for bit ({@code FuserFallbackTest}),
     * slower and with more memory traffic (docs/benchmarks.md, "Fused convolution kernels").
     */
    static Workspace openWorkspace(Compute compute) {
        try {
            return new Workspace(compute, 2);
        } catch (RuntimeException e) {
            if (WARNED.compareAndSet(false, true)) {
                System.err.println("irfuse: warning: this libtorch cannot load the fused inference kernels ("
                        + e.getMessage() + "); fusing with the plain network instead (same results, slower)");
            }
            return null;
        }
    }

    public Precision precision() {
        return precision;
    }

    /** Reports progress per row of tiles (only tiled images have rows). */
    public Fuser onTileRow(TileProgress progress) {
        this.tileProgress = progress;
        return this;
    }

    /** True when an image of w×h pixels is fused in tiles. */
    public boolean tiles(int w, int h) {
        return (long) w * h > tileAbove;
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
        float[] out = new float[w * h];
        if (!tiles(w, h)) {
            forward(ir, y, w, 0, 0, w, h, out, 0, 0, w, h);
            return out;
        }
        int rows = (h + tile - 1) / tile;
        for (int ty = 0; ty < h; ty += tile) {
            for (int tx = 0; tx < w; tx += tile) {
                int x0 = Math.max(0, tx - HALO);
                int y0 = Math.max(0, ty - HALO);
                int x1 = Math.min(w, tx + tile + HALO);
                int y1 = Math.min(h, ty + tile + HALO);
                forward(ir, y, w, x0, y0, x1 - x0, y1 - y0, out, tx, ty, Math.min(w, tx + tile),
                        Math.min(h, ty + tile));
            }
            tileProgress.rowDone(ty / tile + 1, rows);
        }
        return out;
    }

    /**
     * Runs the network on the cw×ch window at (x0, y0) of the planes (row width w) and writes the part from
     * (keepX0, keepY0) to (keepX1, keepY1), in image coordinates, into {@code out}.
     */
    private void forward(float[] ir, float[] y, int w, int x0, int y0, int cw, int ch, float[] out,
            int keepX0, int keepY0, int keepX1, int keepY1) {
        FloatBuffer nhwc = inputBuffer(cw * ch * 2);
        for (int yy = 0; yy < ch; yy++) {
            int src = (y0 + yy) * w + x0;
            for (int xx = 0; xx < cw; xx++) {
                nhwc.put(ir[src + xx]);
                nhwc.put(y[src + xx]);
            }
        }
        // Inference: no gradient is recorded, whatever this thread's grad mode (it is on in Spark's task threads).
        Intermediates.withoutGradients(() -> {
            try (NDManager step = compute.newStep()) {
                // N×H×W×2 contiguous, viewed as N×2×H×W: channels-last strides, which the convolutions keep.
                NDArray x = step.create(input, new Shape(1, ch, cw, 2), DataType.FLOAT32).transpose(0, 3, 1, 2);
                NDArray raw = workspace != null
                        ? network.infer(inference.weights(), inference.input(x), workspace)
                        : network.forward(inference.weights(), new NDList(inference.input(x)), false)
                                .singletonOrThrow();
                NDArray fused = inference.output(raw);
                if (fused != raw) {
                    Intermediates.release(raw);
                }
                // N×1×H×W: one channel, so channels-last and row-major are the same memory.
                FloatBuffer result = fused.toByteBuffer().asFloatBuffer();
                int keepW = keepX1 - keepX0;
                for (int yy = keepY0; yy < keepY1; yy++) {
                    result.position((yy - y0) * cw + (keepX0 - x0));
                    result.get(out, yy * w + keepX0, keepW);
                }
            }
            return null;
        });
    }

    /** The reused direct input buffer, cleared and sized for {@code floats} values. */
    private FloatBuffer inputBuffer(int floats) {
        int bytes = floats * Float.BYTES;
        if (input.capacity() < bytes) {
            input = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        input.clear().limit(bytes);
        return input.asFloatBuffer();
    }

    /** The {@code cw×ch} window at (x0, y0) of a row-major plane of width {@code w}. */
    public static float[] crop(float[] src, int w, int x0, int y0, int cw, int ch) {
        float[] out = new float[cw * ch];
        for (int yy = 0; yy < ch; yy++) {
            System.arraycopy(src, (y0 + yy) * w + x0, out, yy * cw, cw);
        }
        return out;
    }

    /** Frees the workspace and the bf16 weight copies. */
    @Override
    public void close() {
        if (workspace != null) {
            workspace.close();
        }
        inference.close();
    }
}
