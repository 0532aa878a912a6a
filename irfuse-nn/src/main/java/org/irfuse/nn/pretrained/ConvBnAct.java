package org.irfuse.nn.pretrained;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * Convolution, optional BatchNorm, optional activation — the unit both checkpoints are built of, with explicit
 * parameters named as in PyTorch ({@code <name>.conv.weight}, {@code <name>.bn.running_var}, ...; without BN the
 * convolution's own {@code <name>.weight}, {@code <name>.bias}).
 *
 * <p>BatchNorm is <em>frozen</em>: it always normalises with the running statistics,
 * {@code y = γ·(x − μ)/√(σ² + ε) + β} (PyTorch's eval mode), also in a training forward, and the running
 * statistics take no gradient. That is how these networks are used here (frozen judges; fine-tuning at batch
 * sizes of a few images, where batch statistics would be noise). γ and β, like the convolution, do take gradients
 * unless the block is frozen.
 */
public final class ConvBnAct extends PretrainedBlock {
    /** The activation after the (normalised) convolution. */
    public enum Act {
        NONE,
        /** SiLU x·σ(x) (YOLOv5). */
        SILU,
        /** LeakyReLU with slope 0.2 (MFNet). */
        LEAKY_0_2
    }

    private final String name;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final float eps;
    private final Act act;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    private ConvBnAct(Builder b) {
        this.name = b.name;
        this.stride = b.stride;
        this.padding = b.padding < 0 ? b.dilation * (b.kernel - 1) / 2 : b.padding;
        this.dilation = b.dilation;
        this.eps = b.eps;
        this.act = b.act;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(b.out, b.in, b.kernel, b.kernel)).build());
        bias = b.bias ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(b.out)).build()) : null;
        if (b.eps > 0) {
            gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                    .optShape(new Shape(b.out)).build());
            beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                    .optShape(new Shape(b.out)).build());
            runningMean = addParameter(Parameter.builder().setName("runningMean")
                    .setType(Parameter.Type.RUNNING_MEAN).optRequiresGrad(false).optShape(new Shape(b.out)).build());
            runningVar = addParameter(Parameter.builder().setName("runningVar")
                    .setType(Parameter.Type.RUNNING_VAR).optRequiresGrad(false).optShape(new Shape(b.out)).build());
        } else {
            gamma = null;
            beta = null;
            runningMean = null;
            runningVar = null;
        }
    }

    public static Builder builder(String name, int in, int out, int kernel) {
        return new Builder(name, in, out, kernel);
    }

    @Override
    public void collect(Map<String, Parameter> out) {
        if (gamma == null) {
            out.put(name + ".weight", weight);
            if (bias != null) {
                out.put(name + ".bias", bias);
            }
            return;
        }
        out.put(name + ".conv.weight", weight);
        if (bias != null) {
            out.put(name + ".conv.bias", bias);
        }
        out.put(name + ".bn.weight", gamma);
        out.put(name + ".bn.bias", beta);
        out.put(name + ".bn.running_mean", runningMean);
        out.put(name + ".bn.running_var", runningVar);
    }

    /** The output of one input array. */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device d = x.getDevice();
        NDArray y = Conv2d.conv2d(x, ps.getValue(weight, d, training),
                bias == null ? null : ps.getValue(bias, d, training), new Shape(stride, stride),
                new Shape(padding, padding), new Shape(dilation, dilation), 1).singletonOrThrow();
        if (gamma != null) {
            // training=false: running statistics, whatever the caller's mode (frozen BN, see the class comment).
            y = BatchNorm.batchNorm(y, ps.getValue(runningMean, d, false), ps.getValue(runningVar, d, false),
                    ps.getValue(gamma, d, training), ps.getValue(beta, d, training), 1, 0.1f, eps, false)
                    .singletonOrThrow();
        }
        return new NDList(switch (act) {
            case NONE -> y;
            case SILU -> y.mul(Activation.sigmoid(y));
            case LEAKY_0_2 -> Activation.leakyRelu(y, 0.2f);
        });
    }

    /** Options of one unit; padding defaults to {@code dilation·(k−1)/2} ('same' for odd k at stride 1). */
    public static final class Builder {
        private final String name;
        private final int in;
        private final int out;
        private final int kernel;
        private int stride = 1;
        private int padding = -1;
        private int dilation = 1;
        private boolean bias;
        private float eps;
        private Act act = Act.NONE;

        private Builder(String name, int in, int out, int kernel) {
            this.name = name;
            this.in = in;
            this.out = out;
            this.kernel = kernel;
        }

        public Builder stride(int s) {
            this.stride = s;
            return this;
        }

        public Builder padding(int p) {
            this.padding = p;
            return this;
        }

        public Builder dilation(int d) {
            this.dilation = d;
            return this;
        }

        public Builder bias(boolean b) {
            this.bias = b;
            return this;
        }

        /** BatchNorm after the convolution with this ε (1e-3 in YOLOv5, 1e-5 PyTorch's default in MFNet). */
        public Builder batchNorm(float epsilon) {
            this.eps = epsilon;
            return this;
        }

        public Builder act(Act a) {
            this.act = a;
            return this;
        }

        public ConvBnAct build() {
            return new ConvBnAct(this);
        }
    }
}
