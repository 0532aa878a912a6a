package org.irfuse.nn.modules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import org.irfuse.nn.runtime.Scalars;

/**
 * Group normalisation (Wu and He, ECCV 2018): channels split into G groups, each normalised over its channels and
 * all pixels of one sample, {@code (x − μ)/√(σ² + ε)}, then a learnable per-channel scale γ (initially 1) and shift
 * β (initially 0). Independent of the batch size, so training with batches of 1–4 and inference behave alike;
 * FCOS uses it in its head. DJL 0.32 has no GroupNorm block, so it is written here with array ops.
 */
public final class GroupNorm extends AbstractBlock {
    private static final double EPS = 1e-5;
    private final int channels;
    private final int groups;
    private final Parameter gamma;
    private final Parameter beta;

    public GroupNorm(int channels, int groups) {
        if (groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into " + groups + " groups");
        }
        this.channels = channels;
        this.groups = groups;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels)).optInitializer(new ConstantInitializer(1f)).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(channels)).optInitializer(new ConstantInitializer(0f)).build());
    }

    /** Groups for {@code channels}: 8 when they divide evenly, else the largest divisor below 8 (at least 1). */
    public static int defaultGroups(int channels) {
        for (int g = 8; g > 1; g--) {
            if (channels % g == 0) {
                return g;
            }
        }
        return 1;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        NDArray grouped = x.reshape(s.get(0), groups, -1);
        NDArray mean = grouped.mean(new int[] {2}, true);
        NDArray centred = grouped.sub(mean);
        NDArray variance = centred.square().mean(new int[] {2}, true);
        NDArray normalised = centred.div(variance.add(Scalars.of(variance, EPS)).sqrt()).reshape(s);
        NDArray g = ps.getValue(gamma, x.getDevice(), training).reshape(1, channels, 1, 1);
        NDArray b = ps.getValue(beta, x.getDevice(), training).reshape(1, channels, 1, 1);
        return new NDList(normalised.mul(g).add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
