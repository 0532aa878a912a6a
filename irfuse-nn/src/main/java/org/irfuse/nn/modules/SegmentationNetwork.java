package org.irfuse.nn.modules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The light segmentation network ω_T of METHOD.md (Modules → task network): a three-level encoder–decoder on the
 * colour fused image C(Ŷ, V) (N×3×H×W). Encoder: 3×3 conv 3→c, then two stride-2 3×3 convs (c→2c→4c) each
 * followed by a 3×3 conv at that scale; decoder: bilinear upsampling to the skip's size (transposed convolution
 * is not implemented in DJL's PyTorch engine), concatenation with the skip and a 3×3 conv, twice; a 1×1 conv to
 * the class scores. ReLU after every conv but the last; no normalisation. Output: logits N×classes×H×W for any
 * H×W (odd sizes too: upsampling targets the skip's exact size).
 */
public final class SegmentationNetwork extends AbstractBlock {
    /** PyTorch's interpolation mode code for bilinear in DJL's engine. */
    private static final int BILINEAR = 1;

    private final int classes;
    private final int channels;
    private final Block stem;
    private final Block down1;
    private final Block mid1;
    private final Block down2;
    private final Block mid2;
    private final Block up1;
    private final Block up2;
    private final Block classify;

    /**
     * @param classes number of classes (9 for MSRS/MFNet)
     * @param channels width c of the first level (16 is light enough for a CPU)
     */
    public SegmentationNetwork(int classes, int channels) {
        if (classes < 2) {
            throw new IllegalArgumentException("a segmentation network needs at least 2 classes, got " + classes);
        }
        this.classes = classes;
        this.channels = channels;
        stem = addChildBlock("stem", Convolutions.same(channels, 3));
        down1 = addChildBlock("down1", Convolutions.strided(2 * channels, 3, 2, true));
        mid1 = addChildBlock("mid1", Convolutions.same(2 * channels, 3));
        down2 = addChildBlock("down2", Convolutions.strided(4 * channels, 3, 2, true));
        mid2 = addChildBlock("mid2", Convolutions.same(4 * channels, 3));
        up1 = addChildBlock("up1", Convolutions.same(2 * channels, 3));
        up2 = addChildBlock("up2", Convolutions.same(channels, 3));
        classify = addChildBlock("classify", Convolutions.pointwise(classes, true));
    }

    public int classes() {
        return classes;
    }

    /** Class scores (logits) N×classes×H×W of an N×3×H×W image. */
    public NDArray logits(ParameterStore ps, NDArray colour, boolean training) {
        return forward(ps, new NDList(colour), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray s1 = relu(stem, ps, inputs.singletonOrThrow(), training);
        NDArray s2 = relu(mid1, ps, relu(down1, ps, s1, training), training);
        NDArray s3 = relu(mid2, ps, relu(down2, ps, s2, training), training);
        NDArray d2 = relu(up1, ps, upsampleTo(s3, s2).concat(s2, 1), training);
        NDArray d1 = relu(up2, ps, upsampleTo(d2, s1).concat(s1, 1), training);
        return classify.forward(ps, new NDList(d1), training);
    }

    private static NDArray relu(Block b, ParameterStore ps, NDArray x, boolean training) {
        return Activation.relu(b.forward(ps, new NDList(x), training).singletonOrThrow());
    }

    /** Bilinear upsampling of {@code x} to the spatial size of {@code like}. */
    public static NDArray upsampleTo(NDArray x, NDArray like) {
        Shape s = like.getShape();
        return x.getNDArrayInternal().interpolation(new long[] {s.get(2), s.get(3)}, BILINEAR, false);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), classes, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        long n = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        long h2 = (h + 1) / 2;
        long w2 = (w + 1) / 2;
        long h4 = (h2 + 1) / 2;
        long w4 = (w2 + 1) / 2;
        int c = channels;
        stem.initialize(manager, dataType, new Shape(n, 3, h, w));
        down1.initialize(manager, dataType, new Shape(n, c, h, w));
        mid1.initialize(manager, dataType, new Shape(n, 2 * c, h2, w2));
        down2.initialize(manager, dataType, new Shape(n, 2 * c, h2, w2));
        mid2.initialize(manager, dataType, new Shape(n, 4 * c, h4, w4));
        up1.initialize(manager, dataType, new Shape(n, 6 * c, h2, w2));
        up2.initialize(manager, dataType, new Shape(n, 3 * c, h, w));
        classify.initialize(manager, dataType, new Shape(n, c, h, w));
    }

    /** Input shape used to initialise: one colour image (any size works afterwards). */
    public static Shape initShape() {
        return new Shape(1, 3, 32, 32);
    }
}
