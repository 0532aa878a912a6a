package org.irfuse.api;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageFormatException;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.model.ModelCard;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;

/**
 * The Java entry point for fusing infrared/visible pairs, for programs that use irfuse as a library (no command
 * line, no picocli). It owns the native memory of one loaded model, so use it with try-with-resources:
 *
 * <pre>{@code
 * try (IrFuse fuse = IrFuse.open()) {                       // the model shipped in the jar
 *     BufferedImage fused = fuse.fuse(irImage, visImage);
 *     fuse.fuse(Path.of("ir.png"), Path.of("vis.png"), Path.of("fused.png"));
 * }
 * try (IrFuse fuse = IrFuse.builder().model(Path.of("runs/warm/model")).precision("fp32").threads(2).build()) {
 *     ...
 * }
 * }</pre>
 *
 * The infrared image is reduced to one channel (equal channels taken as gray, else BT.601 luma); the fused
 * luminance replaces the visible image's Y and the visible chroma is kept (a gray visible image gives a gray
 * result) — exactly what {@code irfuse fuse} does. Calls are serialised: one instance fuses one pair at a time.
 */
public final class IrFuse implements AutoCloseable {
    private final Compute compute;
    private final Fuser fuser;
    private final ModelCard card;

    private IrFuse(Compute compute, Fuser fuser, ModelCard card) {
        this.compute = compute;
        this.fuser = fuser;
        this.card = card;
    }

    /** The shipped model, precision {@code auto}, default tiling. */
    public static IrFuse open() throws IOException {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fuses two in-memory images of the same size into a new 8-bit image (gray or RGB, as the visible one). */
    public synchronized BufferedImage fuse(BufferedImage infrared, BufferedImage visible) {
        Image ir = ImageReader.toGray(ImageReader.fromBufferedImage(infrared));
        Image vis = ImageReader.fromBufferedImage(visible);
        return ImageWriter.toBufferedImage(fuse(ir, vis));
    }

    /** Fuses the library's own images (values in [0,1]; the result is not clamped until written). */
    public synchronized Image fuse(Image infrared, Image visible) {
        return fuser.fuse(ImageReader.toGray(infrared), visible);
    }

    /**
     * Reads a pair, fuses it and writes {@code out} (.png or .jpg) through a temporary file and a rename, so a
     * failure leaves no half-written image. An existing {@code out} is replaced, as {@link java.nio.file.Files#write}
     * would. Unreadable inputs or differing sizes throw an {@link ImageFormatException} naming the file.
     */
    public void fuse(Path infrared, Path visible, Path out) throws IOException {
        if (!ImageWriter.isWritableFormat(out)) {
            throw new IllegalArgumentException(out + ": output must end in .png or .jpg");
        }
        Image ir = ImageReader.readInfrared(infrared);
        Image vis = ImageReader.read(visible);
        if (!ir.sameSize(vis)) {
            throw new ImageFormatException(infrared, "size " + ir.sizeString() + " differs from " + visible + " ("
                    + vis.sizeString() + ")");
        }
        Image fused;
        synchronized (this) {
            fused = fuser.fuse(ir, vis);
        }
        ImageWriter.write(fused, out, true);
    }

    /** The card of the loaded model (width, training data, version that wrote it, ...). */
    public ModelCard modelCard() {
        return card;
    }

    /** The precision the network runs in ({@code auto} resolved). */
    public Precision precision() {
        return fuser.precision();
    }

    @Override
    public synchronized void close() {
        try {
            fuser.close();
        } finally {
            compute.close();
        }
    }

    /** Options of {@link IrFuse}; every one has the command line's default. */
    public static final class Builder {
        private String model = FusionModel.DEFAULT_NAME;
        private String precision = "auto";
        private String device = "cpu";
        private Integer threads;
        private long tileAbove = Fuser.DEFAULT_TILE_ABOVE;
        private int tile = Fuser.DEFAULT_TILE;

        private Builder() {
        }

        /** A saved model folder (from {@code irfuse train}); the default is the model shipped in the jar. */
        public Builder model(Path folder) {
            this.model = folder.toString();
            return this;
        }

        /** {@code "default"} (the shipped model) or a model folder's path. */
        public Builder model(String defaultOrFolder) {
            this.model = defaultOrFolder;
            return this;
        }

        /** {@code fp32}, {@code bf16} or {@code auto} (bf16 where the CPU has native bf16; the default). */
        public Builder precision(String precision) {
            this.precision = precision;
            return this;
        }

        public Builder precision(Precision precision) {
            this.precision = precision.id();
            return this;
        }

        /** {@code cpu} (the default), {@code gpu} or {@code auto}; gpu needs the CUDA build. */
        public Builder device(String device) {
            this.device = device;
            return this;
        }

        /**
         * libtorch CPU threads, 1 to the processor count. libtorch reads it once, when the engine first loads in
         * this JVM, so it only has an effect if this is the first use of the engine.
         */
        public Builder threads(int threads) {
            Compute.checkThreads(threads);
            this.threads = threads;
            return this;
        }

        /** Images with more pixels than this are fused in overlapping tiles (seamless; default 4,000,000). */
        public Builder tileAbove(long pixels) {
            this.tileAbove = pixels;
            return this;
        }

        /** Side of a tile in pixels (default 512). */
        public Builder tile(int tile) {
            this.tile = tile;
            return this;
        }

        /** Loads the model; the returned instance owns native memory until closed. */
        public IrFuse build() throws IOException {
            if (threads != null) {
                Compute.configureThreads(threads);
            }
            Compute compute = Compute.open(device);
            try {
                Precision p = Precision.resolve(precision, compute.device());
                FusionModel m = FusionModel.resolve(model, compute);
                Fuser fuser = new Fuser(m.network(), compute, p, tileAbove, tile);
                return new IrFuse(compute, fuser, m.card());
            } catch (IOException | RuntimeException e) {
                compute.close();
                throw e;
            }
        }
    }
}
