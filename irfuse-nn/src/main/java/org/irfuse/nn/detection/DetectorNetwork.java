package org.irfuse.nn.detection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.irfuse.nn.modules.Convolutions;
import org.irfuse.nn.modules.GroupNorm;
import org.irfuse.nn.runtime.Scalars;

/**
 * A light one-stage anchor-free detector of the FCOS family (Tian et al., "FCOS: Fully Convolutional One-Stage
 * Object Detection", ICCV 2019), sized for CPU training.
 *
 * <ul>
 *   <li>Backbone: five stride-2 stages (3×3 conv, GroupNorm, ReLU, then a 3×3 conv, GroupNorm, ReLU; the stem
 *       has one conv) of widths c, 2c, 4c, 6c, 8c; the outputs of strides 8, 16, 32 are C3, C4, C5. GroupNorm
 *       (as FCOS's head) makes training from scratch with small batches stable.
 *   <li>Feature pyramid (Lin et al. 2017): 1×1 laterals to 4c channels, top-down path with bilinear upsampling to
 *       the exact size of the finer level (DJL's PyTorch engine has no transposed convolution), a 3×3 smoothing
 *       conv per level; {@link #levels()} 2 (strides 8, 16) or 3 (8, 16, 32) levels are used.
 *   <li>Head shared by all levels: a classification tower (3×3 conv, GroupNorm, ReLU) and a 3×3 conv to K class logits (bias
 *       initialised to −log((1−π)/π), π = 0.01, as in RetinaNet/FCOS); a regression tower (3×3 conv, GroupNorm, ReLU) and two
 *       3×3 convs, to the 4 distances (l, t, r, b) and to the centerness logit (centerness on the regression branch,
 *       as in FCOS's later versions). Distances are {@code stride · exp(x)}, x clipped to [−8, 8], so they are
 *       positive and of the level's scale.
 * </ul>
 *
 * Input: N×3×H×W in [0,1], any H, W. Output ({@link Outputs}): every level's locations concatenated, each level in
 * row-major order, level by level; level l has {@code ceil(H/s)×ceil(W/s)} locations (every stride-2 conv with
 * kernel 3, padding 1 maps n to ceil(n/2)), location (i, j) sits at image point (⌊s/2⌋ + j·s, ⌊s/2⌋ + i·s).
 */
public final class DetectorNetwork extends AbstractBlock {
    /** Strides of the pyramid levels, finest first. */
    public static final int[] ALL_STRIDES = {8, 16, 32};
    /** Focal-loss prior π of the classification bias (RetinaNet, §4.1). */
    public static final double PRIOR = 0.01;
    private static final float MAX_LOG_DISTANCE = 8f;

    private final int numClasses;
    private final int width;
    private final int levels;
    private final List<Block> backbone = new ArrayList<>();
    private final List<Block> backboneNorms = new ArrayList<>();
    private final List<Block> laterals = new ArrayList<>();
    private final List<Block> smooths = new ArrayList<>();
    private final Block classTower;
    private final Block classTowerNorm;
    private final Block classOut;
    private final Block boxTower;
    private final Block boxTowerNorm;
    private final Block boxOut;
    private final Block centernessOut;

    /** The three per-location outputs, all levels concatenated (N×L×K logits, N×L×4 pixels, N×L logits). */
    public record Outputs(NDArray classLogits, NDArray distances, NDArray centernessLogits) {
    }

    /**
     * @param numClasses K, at least 1
     * @param width base channel count c (e.g. 16)
     * @param levels pyramid levels, 2 or 3
     */
    public DetectorNetwork(int numClasses, int width, int levels) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("a detector needs at least one class, got " + numClasses);
        }
        if (width < 4) {
            throw new IllegalArgumentException("detector width must be at least 4, got " + width);
        }
        if (levels < 2 || levels > ALL_STRIDES.length) {
            throw new IllegalArgumentException("pyramid levels must be 2 or 3, got " + levels);
        }
        this.numClasses = numClasses;
        this.width = width;
        this.levels = levels;
        int[] stageWidths = stageWidths(width);
        for (int s = 0; s < stageWidths.length; s++) {
            int w = stageWidths[s];
            backbone.add(addChildBlock("down" + s, Convolutions.strided(w, 3, 2, false)));
            backboneNorms.add(addChildBlock("downNorm" + s, new GroupNorm(w, GroupNorm.defaultGroups(w))));
            if (s > 0) {
                backbone.add(addChildBlock("conv" + s, Convolutions.strided(w, 3, 1, false)));
                backboneNorms.add(addChildBlock("convNorm" + s, new GroupNorm(w, GroupNorm.defaultGroups(w))));
            }
        }
        int f = pyramidChannels();
        for (int l = 0; l < levels; l++) {
            laterals.add(addChildBlock("lateral" + l, Convolutions.pointwise(f, true)));
            smooths.add(addChildBlock("smooth" + l, Convolutions.same(f, 3)));
        }
        classTower = addChildBlock("classTower", Convolutions.strided(f, 3, 1, false));
        classTowerNorm = addChildBlock("classTowerNorm", new GroupNorm(f, GroupNorm.defaultGroups(f)));
        Conv2d cls = Convolutions.same(numClasses, 3);
        cls.getParameters().get("bias").setInitializer(new ConstantInitializer(
                (float) -Math.log((1 - PRIOR) / PRIOR)));
        classOut = addChildBlock("classOut", cls);
        boxTower = addChildBlock("boxTower", Convolutions.strided(f, 3, 1, false));
        boxTowerNorm = addChildBlock("boxTowerNorm", new GroupNorm(f, GroupNorm.defaultGroups(f)));
        boxOut = addChildBlock("boxOut", Convolutions.same(4, 3));
        centernessOut = addChildBlock("centernessOut", Convolutions.same(1, 3));
    }

    private static int[] stageWidths(int c) {
        return new int[] {c, 2 * c, 4 * c, 6 * c, 8 * c};
    }

    public int numClasses() {
        return numClasses;
    }

    public int width() {
        return width;
    }

    public int levels() {
        return levels;
    }

    /** Channels of every pyramid level and of the head towers (4c). */
    public int pyramidChannels() {
        return 4 * width;
    }

    /** The strides of the levels in use, finest first. */
    public int[] strides() {
        int[] s = new int[levels];
        System.arraycopy(ALL_STRIDES, 0, s, 0, levels);
        return s;
    }

    /** Forward pass on a colour image N×3×H×W. */
    public Outputs detect(ParameterStore ps, NDArray image, boolean training) {
        NDList out = forward(ps, new NDList(image), training);
        return new Outputs(out.get(0), out.get(1), out.get(2));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        // Backbone: down0 (stride 2), then per stage down + conv; stage outputs at strides 8, 16, 32.
        List<NDArray> stageOutputs = new ArrayList<>();
        x = convNormRelu(0, ps, x, training);
        for (int s = 1; s < 5; s++) {
            x = convNormRelu(2 * s - 1, ps, x, training);
            x = convNormRelu(2 * s, ps, x, training);
            stageOutputs.add(x);
        }
        // stageOutputs: strides 4, 8, 16, 32 → C3 = index 1.
        NDArray[] pyramid = new NDArray[levels];
        NDArray top = null;
        for (int l = levels - 1; l >= 0; l--) {
            NDArray lateral = apply(laterals.get(l), ps, stageOutputs.get(l + 1), training);
            if (top != null) {
                Shape s = lateral.getShape();
                NDArray up = top.getNDArrayInternal().interpolation(new long[] {s.get(2), s.get(3)}, 1, false);
                lateral = lateral.add(up);
            }
            top = lateral;
            pyramid[l] = apply(smooths.get(l), ps, lateral, training);
        }
        NDList classes = new NDList(levels);
        NDList distances = new NDList(levels);
        NDList centerness = new NDList(levels);
        for (int l = 0; l < levels; l++) {
            NDArray p = pyramid[l];
            long n = p.getShape().get(0);
            long hw = p.getShape().get(2) * p.getShape().get(3);
            NDArray c = apply(classOut, ps, relu(apply(classTowerNorm, ps, apply(classTower, ps, p, training),
                    training)), training);
            NDArray r = relu(apply(boxTowerNorm, ps, apply(boxTower, ps, p, training), training));
            NDArray box = apply(boxOut, ps, r, training).clip(-MAX_LOG_DISTANCE, MAX_LOG_DISTANCE).exp();
            box = box.mul(Scalars.of(box, ALL_STRIDES[l]));
            NDArray ctr = apply(centernessOut, ps, r, training);
            classes.add(c.reshape(n, numClasses, hw).transpose(0, 2, 1));
            distances.add(box.reshape(n, 4, hw).transpose(0, 2, 1));
            centerness.add(ctr.reshape(n, hw));
        }
        return new NDList(NDArrays.concat(classes, 1), NDArrays.concat(distances, 1),
                NDArrays.concat(centerness, 1));
    }

    private NDArray convNormRelu(int i, ParameterStore ps, NDArray x, boolean training) {
        return relu(apply(backboneNorms.get(i), ps, apply(backbone.get(i), ps, x, training), training));
    }

    private static NDArray relu(NDArray x) {
        return Activation.relu(x);
    }

    private static NDArray apply(Block b, ParameterStore ps, NDArray x, boolean training) {
        return b.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** Locations of one image of the given size, over the levels in use. */
    public static long locationCount(int height, int width, int[] strides) {
        long n = 0;
        for (int s : strides) {
            n += (long) ceilDiv(height, s) * ceilDiv(width, s);
        }
        return n;
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long locations = locationCount((int) s.get(2), (int) s.get(3), strides());
        return new Shape[] {new Shape(s.get(0), locations, numClasses), new Shape(s.get(0), locations, 4),
            new Shape(s.get(0), locations)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        List<Shape> stageShapes = new ArrayList<>();
        for (int i = 0; i < backbone.size(); i++) {
            s = init(backbone.get(i), manager, dataType, s);
            init(backboneNorms.get(i), manager, dataType, s);
            if (i > 0 && i % 2 == 0) {
                stageShapes.add(s);
            }
        }
        Shape level = null;
        for (int l = 0; l < levels; l++) {
            level = init(laterals.get(l), manager, dataType, stageShapes.get(l + 1));
            init(smooths.get(l), manager, dataType, level);
        }
        Shape tower = init(classTower, manager, dataType, level);
        init(classTowerNorm, manager, dataType, tower);
        init(classOut, manager, dataType, tower);
        init(boxTower, manager, dataType, level);
        init(boxTowerNorm, manager, dataType, tower);
        init(boxOut, manager, dataType, tower);
        init(centernessOut, manager, dataType, tower);
    }

    private static Shape init(Block b, NDManager manager, DataType dataType, Shape in) {
        b.initialize(manager, dataType, in);
        return b.getOutputShapes(new Shape[] {in})[0];
    }

    /** Input shape used to initialise (any size works afterwards). */
    public static Shape initShape() {
        return new Shape(1, 3, 64, 64);
    }
}
