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
     * the fused image shows the visible scene there instead of a black wedge). An alignment that is not trusted
     * falls back: to the global stage when only the deformable field was rejected (inside {@link #align}), else
     * to no alignment — empty, and {@code warnings} gets one line naming both files and the reason, so the
     * caller fuses the images as they are (fusing a wrongly warped image would be worse than an unaligned one).
     */
    public java.util.Optional<Image> alignForFusion(Image infrared, Image visible, Path infraredFile,
            Path visibleFile, java.util.function.Consumer<String> warnings) {
        Alignment a = align(infrared, visible);
        if (!a.quality().trusted()) {
            warnings.accept(new UntrustedAlignmentException(infraredFile, visibleFile, a.quality()).getMessage()
                    + "; fusing without alignment");
            return java.util.Optional.empty();
        }
        if (!a.quality().fallback().isEmpty()) {
            warnings.accept(infraredFile + ": " + a.quality().fallback());
        }
        return java.util.Optional.of(a.alignedFilledWith(visible.isGray() ? visible.plane(0) : YCbCr.luma(visible)));
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
        if (model == Transform.Model.NONE) {
            return result(problem, ir, validity, initial, initial, AlignmentQuality.misfit(problem, initial));
        }
        int finest = Math.min(globalFinest, problem.levels - 1);
        AffineTransform a = new GlobalEstimator(problem, model != Transform.Model.TRANSLATION, searchRadius,
                finest, globalIterations, affineCoarsest).estimate(initial.affine());
        Transform.Model globalModel = model == Transform.Model.TRANSLATION ? model : Transform.Model.AFFINE;
        Transform global = new Transform(globalModel, visible.width(), visible.height(), ir.width(), ir.height(), a,
                null);
        // The local misfit of the global stage decides whether the basin is right; the deformable field refines
        // locally (and would fit local residuals away), so it is judged by the global map it starts from.
        double misfit = AlignmentQuality.misfit(problem, global);
        if (model != Transform.Model.DEFORMABLE) {
            return result(problem, ir, validity, initial, global, misfit);
        }
        DisplacementField field = new DeformableEstimator(problem, deformableStages, tikhonov, FIELD_STRIDE)
                .estimate(a);
        Transform deformed = new Transform(model, visible.width(), visible.height(), ir.width(), ir.height(), a,
                field);
        Alignment d = result(problem, ir, validity, initial, deformed, misfit);
        if (d.quality().trusted() || misfit >= AlignmentQuality.MAX_MISFIT) {
            return d;
        }
        // The field itself was rejected (it folds, or lost edge agreement): the best trusted stage is the global
        // map, if it passes on its own.
        Alignment g = result(problem, ir, validity, initial, global, misfit);
        if (!g.quality().trusted()) {
            return d;
        }
        String why = "deformable field rejected (" + d.quality().reason() + "); the " + globalModel.id()
                + " map is used";
        return new Alignment(g.transform(), g.aligned(), g.mask(), g.quality().withFallback(why));
    }

    private Alignment result(AlignmentProblem problem, Image ir, float[] validity, Transform initial, Transform t,
            double misfit) {
        Transform.Warped warped = t.warp(ir, validity);
        AlignmentQuality q = AlignmentQuality.measure(problem, initial, t, warped.mask(), misfit, minConfidence);
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
