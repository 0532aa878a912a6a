package org.irfuse.nn.bilevel;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.irfuse.core.datasets.CropSampler;
import org.irfuse.core.datasets.PairDataset;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.nn.modules.FusionNetwork;
import org.irfuse.nn.modules.FusionNetwork.Width;
import org.irfuse.nn.modules.PixelDiscriminator;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.train.BilevelStep;
import org.irfuse.nn.train.BilevelTrainer;

/** Tiny float64 networks and synthetic batches for exactness tests, plus helpers that read gradients out. */
final class TinySystem {
    static final List<PairSample> SCENES = PairDataset.synthetic(4, 96, 72, 11);

    final Compute compute;
    final BilevelStep trainer;

    TinySystem(Compute compute, String mode, String aggregation, long seed) {
        this.compute = compute;
        Engine.getInstance().setRandomSeed((int) seed);
        FusionNetwork fusion = new FusionNetwork(Width.NANO);
        fusion.initialize(compute.root(), DataType.FLOAT64, FusionNetwork.initShape());
        PixelDiscriminator disc = new PixelDiscriminator();
        disc.initialize(compute.root(), DataType.FLOAT64, PixelDiscriminator.initShape());
        TinySegmentationTask task = new TinySegmentationTask(compute.root(), DataType.FLOAT64);
        BilevelTrainer.Config cfg = new BilevelTrainer.Config();
        cfg.mode = mode;
        cfg.aggregation = aggregation;
        cfg.batch = 2;
        cfg.upperBatch = 2;
        cfg.minCrop = 16;
        cfg.maxCrop = 20;
        cfg.seed = seed;
        trainer = new BilevelStep(cfg, fusion, disc, task, compute, DataType.FLOAT64);
    }

    static CropSampler.Batch batch(long seed) {
        return new CropSampler(SCENES, 16, 20).next(CropSampler.forStep(seed, 1), 2);
    }

    /** The gradient of {@code loss} w.r.t. {@code params} as one flat double vector (buffers zeroed around). */
    static double[] gradient(Supplier<NDArray> loss, List<Parameter> params, List<Parameter> all) {
        return gradient(loss, params, all, () -> { });
    }

    /** As {@link #gradient(Supplier, List, List)}, running {@code between} after the forward pass, before backward. */
    static double[] gradient(Supplier<NDArray> loss, List<Parameter> params, List<Parameter> all, Runnable between) {
        for (Parameter p : all) {
            zero(p);
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.get();
            between.run();
            gc.backward(l);
        }
        List<double[]> parts = new ArrayList<>();
        int n = 0;
        for (Parameter p : params) {
            double[] g = p.getArray().getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            parts.add(g);
            n += g.length;
        }
        for (Parameter p : all) {
            zero(p);
        }
        return concat(parts, n);
    }

    private static void zero(Parameter p) {
        NDArray g = p.getArray().getGradient();
        g.subi(g);
    }

    static double[] flat(NDList list) {
        List<double[]> parts = new ArrayList<>();
        int n = 0;
        for (NDArray a : list) {
            double[] v = a.toType(DataType.FLOAT64, false).toDoubleArray();
            parts.add(v);
            n += v.length;
        }
        return concat(parts, n);
    }

    private static double[] concat(List<double[]> parts, int n) {
        double[] out = new double[n];
        int off = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** ‖a − b‖ / ‖b‖. */
    static double relativeError(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return norm(d) / norm(b);
    }

    static double relativeError(double a, double b) {
        return Math.abs(a - b) / Math.abs(b);
    }

    List<Parameter> all() {
        List<Parameter> all = new ArrayList<>(trainer.theta());
        all.addAll(trainer.omegaD());
        all.addAll(trainer.omegaT());
        return all;
    }
}
