package org.irfuse.core.align;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.YCbCr;

/**
 * Aligns an infrared image to a visible one: estimates the {@link Transform} that maps the visible pixel grid onto
 * the infrared image, warps the infrared image with it, marks where no infrared data exists, and says how far the
 * result can be trusted ({@link AlignmentQuality}).
 *
 * <pre>{@code
 * Alignment a = Aligner.builder().model(Transform.Model.DEFORMABLE).threads(2).build().align(ir, vis);
 * if (a.quality().trusted()) { ... a.aligned() ... }
 * }</pre>
 */
public final class Aligner {
    /** Grid stride (pixels) of the written displacement field: the B-spline is sampled this densely. */
    public static final int FIELD_STRIDE = 4;
    private final Transform.Model model;
    private final int threads;
    private final double minConfidence;
    final double sigma;
    final double eta;
    final int minSide;
    final int searchRadius;
    final int globalFinest;
    final int globalIterations;
    final int affineCoarsest;
    final java.util.List<DeformableEstimator.Stage> deformableStages;
    final double tikhonov;

    private Aligner(Builder b) {
        model = b.model;
        threads = b.threads;
        minConfidence = b.minConfidence;
        sigma = b.sigma;
        eta = b.eta;
        minSide = b.minSide;
        searchRadius = b.searchRadius;
        globalFinest = b.globalFinest;
        globalIterations = b.globalIterations;
        affineCoarsest = b.affineCoarsest;
        deformableStages = java.util.List.copyOf(b.deformableStages);
        tikhonov = b.tikhonov;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Transform.Model model() {
        return model;
    }

    /**
     * Aligns {@code infrared} (any size; reduced to one channel) to {@code visible} (its BT.601 luma is the target).
     * Never throws for an untrustworthy estimate: the {@link AlignmentQuality} says so, and callers refuse.
     */
    public Alignment align(Image infrared, Image visible) {
        if (threads <= 0) {
            return alignHere(infrared, visible);
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(() -> alignHere(infrared, visible)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("alignment interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Aligns for fusion: the aligned infrared image with its no-data pixels filled by the visible luminance (so
     * the fused image shows the visible scene there instead of a black wedge).
     *
     * @throws UntrustedAlignmentException naming both files when the estimate is not trustworthy
     */
    public Image alignForFusion(Image infrared, Image visible, Path infraredFile, Path visibleFile)
            throws UntrustedAlignmentException {
        Alignment a = align(infrared, visible);
        if (!a.quality().trusted()) {
            throw new UntrustedAlignmentException(infraredFile, visibleFile, a.quality());
        }
        return a.alignedFilledWith(visible.isGray() ? visible.plane(0) : YCbCr.luma(visible));
    }

    private Alignment alignHere(Image infrared, Image visible) {
        Image ir = ImageReader.toGray(infrared);
        float[] targetPlane = visible.isGray() ? visible.plane(0) : YCbCr.luma(visible);
        FloatGrid target = new FloatGrid(visible.width(), visible.height(), targetPlane);
        FloatGrid source = new FloatGrid(ir.width(), ir.height(), ir.plane(0));
        float[] validity = NoDataMask.validity(ir);
        AlignmentProblem problem = new AlignmentProblem(target, source,
                new FloatGrid(ir.width(), ir.height(), validity), sigma, eta, minSide);
        Transform initial = Transform.none(visible.width(), visible.height(), ir.width(), ir.height());
        Transform t = initial;
        if (model != Transform.Model.NONE) {
            int finest = Math.min(globalFinest, problem.levels - 1);
            AffineTransform a = new GlobalEstimator(problem, model != Transform.Model.TRANSLATION, searchRadius,
                    finest, globalIterations, affineCoarsest).estimate(initial.affine());
            DisplacementField field = null;
            if (model == Transform.Model.DEFORMABLE) {
                field = new DeformableEstimator(problem, deformableStages, tikhonov, FIELD_STRIDE).estimate(a);
            }
            t = new Transform(model, visible.width(), visible.height(), ir.width(), ir.height(), a, field);
        }
        Transform.Warped warped = t.warp(ir, validity);
        AlignmentQuality q = AlignmentQuality.measure(problem, initial, t, warped.mask(), minConfidence);
        return new Alignment(t, warped.image(), warped.mask(), q);
    }

    /** Options; the defaults are the settings measured in docs/alignment.md. */
    public static final class Builder {
        private Transform.Model model = Transform.Model.AFFINE;
        private int threads = 0;
        private double minConfidence = AlignmentQuality.DEFAULT_MIN_CONFIDENCE;
        double sigma = 1.0;
        double eta = 0.1;
        int minSide = 48;
        int searchRadius = 4;
        int globalFinest = 1;
        int globalIterations = 10;
        int affineCoarsest = 2;
        // One 64-px grid on levels 2 then 1. Coarse-to-fine grids (160 → 80 → 40 px, 128 → 64 px) were measured
        // and are not better on MSRS: the NGF optimum against the visible image lies 2-4 px from the registered
        // infrared even for an affine map, so finer grids fit that bias (docs/alignment.md, "Why not lower").
        java.util.List<DeformableEstimator.Stage> deformableStages = java.util.List.of(
                new DeformableEstimator.Stage(64, 2, 5, 0.1),
                new DeformableEstimator.Stage(64, 1, 5, 0.1));
        double tikhonov = 1;

        public Builder model(Transform.Model m) {
            this.model = m;
            return this;
        }

        /** Threads of the alignment's own pool; 0 (default) runs on the caller's pool (the common pool). */
        public Builder threads(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("threads must be >= 0, got " + n);
            }
            this.threads = n;
            return this;
        }

        /** The confidence below which {@link AlignmentQuality#trusted()} is false. */
        public Builder minConfidence(double c) {
            this.minConfidence = c;
            return this;
        }

        public Aligner build() {
            return new Aligner(this);
        }
    }
}
