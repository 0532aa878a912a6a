package org.irfuse.nn.bilevel;

import static org.irfuse.nn.bilevel.TinySystem.dot;
import static org.irfuse.nn.bilevel.TinySystem.flat;
import static org.irfuse.nn.bilevel.TinySystem.gradient;
import static org.irfuse.nn.bilevel.TinySystem.norm;
import static org.irfuse.nn.bilevel.TinySystem.relativeError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.irfuse.nn.loss.FusionLoss;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.NativeGarbage;
import org.irfuse.nn.task.ColourComposite;
import org.irfuse.nn.task.MfNetSegmentationTask;
import org.irfuse.nn.train.BilevelStep;
import org.irfuse.nn.train.BilevelTrainer;
import org.junit.jupiter.api.Test;

/**
 * The trainer's hypergradient against an independent computation of METHOD.md's formula, in float64 on tiny
 * networks: every gradient recomputed here from the losses written out directly (no {@link BilevelObjectives},
 * no {@link Hypergradient}, no detached Ŷ), r_k and G_k combined in plain Java doubles.
 */
class HypergradientTest {
    static final double TOLERANCE = 1e-9;

    /** The independent reference for one module. */
    record Reference(double r, double[] g, double[] correction) {
    }

    /** Losses written out from the primitives: f_D, f̃_D (= F_D on the upper batch), f_T (= f̃_T, F_T). */
    static final class Losses {
        final TinySystem sys;
        final ParameterStore ps;

        Losses(TinySystem sys) {
            this.sys = sys;
            this.ps = sys.compute.parameters();
        }

        NDArray fused(TrainingBatch b) {
            return sys.trainer.fusion().fuse(ps, b.arrays().infrared(), b.arrays().luminance(), true);
        }

        NDArray d(NDArray x) {
            return sys.trainer.discriminator().score(ps, x, true).mean();
        }

        NDArray lowerD(TrainingBatch b) {
            NDArray y = fused(b);
            return FusionLoss.of(y, b.arrays().target()).add(d(y).sub(d(b.arrays().target())).mul(0.25));
        }

        NDArray generatorD(TrainingBatch b) {
            NDArray y = fused(b);
            return FusionLoss.of(y, b.arrays().target()).sub(d(y).mul(0.5));
        }

        NDArray task(TrainingBatch b) {
            NDArray y = fused(b);
            NDArray colour = ColourComposite.of(y, b.arrays().cb(), b.arrays().cr());
            NDArray logits = ((TinySegmentationTask) sys.trainer.task()).logits(ps, colour, true);
            NDArray labels = b.scope().create(b.raw().labels(),
                    new ai.djl.ndarray.types.Shape(b.raw().size(), b.raw().height(), b.raw().width()))
                    .toType(ai.djl.ndarray.types.DataType.INT64, false);
            // Cross-entropy written with one-hot rather than gather: an independent formulation.
            NDArray oneHot = labels.oneHot(9, ai.djl.ndarray.types.DataType.FLOAT64).transpose(0, 3, 1, 2);
            NDArray ce = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).mean().neg();
            return ce.sub(d(y).mul(0.01));
        }
    }

    /** G_k = ∇θF_k − r_k ∇θf̃_k with r_k = ⟨∇ωf_k, ∇ωF_k⟩/(‖∇ωf_k‖² + ε), from four separate gradients. */
    static Reference reference(TinySystem sys, List<Parameter> omega, Function<TrainingBatch, NDArray> lower,
            Function<TrainingBatch, NDArray> generator, TrainingBatch train, TrainingBatch upper) {
        List<Parameter> all = sys.all();
        List<Parameter> theta = sys.trainer.theta();
        double[] lowerOmega = gradient(() -> lower.apply(train), omega, all);
        double[] upperOmega = gradient(() -> generator.apply(upper), omega, all);
        double[] upperTheta = gradient(() -> generator.apply(upper), theta, all);
        double[] generatorTheta = gradient(() -> generator.apply(train), theta, all);
        double r = dot(lowerOmega, upperOmega) / (dot(lowerOmega, lowerOmega) + Hypergradient.EPSILON);
        double[] g = new double[upperTheta.length];
        double[] correction = new double[upperTheta.length];
        for (int i = 0; i < g.length; i++) {
            correction[i] = r * generatorTheta[i];
            g[i] = upperTheta[i] - correction[i];
        }
        return new Reference(r, g, correction);
    }

    static Reference referenceD(TinySystem sys, TrainingBatch train, TrainingBatch upper) {
        Losses l = new Losses(sys);
        return reference(sys, sys.trainer.omegaD(), l::lowerD, l::generatorD, train, upper);
    }

    static Reference referenceT(TinySystem sys, TrainingBatch train, TrainingBatch upper) {
        Losses l = new Losses(sys);
        return reference(sys, sys.trainer.omegaT(), l::task, l::task, train, upper);
    }

    @Test
    void trainerHypergradientEqualsTheFormulaForBothModules() {
        try (Compute compute = Compute.cpu(); NDManager scope = compute.newStep()) {
            TinySystem sys = new TinySystem(compute, "bilevel", "mean", 3);
            TrainingBatch train = sys.trainer.tensors(TinySystem.batch(21), scope);
            TrainingBatch upper = sys.trainer.tensors(TinySystem.batch(22), scope);
            BilevelStep.UpperStep u = sys.trainer.upperGradients(train, upper, 1, 0.1, scope);

            Reference d = referenceD(sys, train, upper);
            Reference t = referenceT(sys, train, upper);
            double errRD = relativeError(u.discriminator().r(), d.r());
            double errRT = relativeError(u.task().r(), t.r());
            double errGD = relativeError(flat(u.discriminator().g()), d.g());
            double errGT = relativeError(flat(u.task().g()), t.g());
            System.out.printf("hypergradient relative errors: r_D %.2e, r_T %.2e, G_D %.2e, G_T %.2e "
                    + "(r_D %.4g, r_T %.4g)%n", errRD, errRT, errGD, errGT, d.r(), t.r());
            assertTrue(errRD <= TOLERANCE, "r_D relative error " + errRD);
            assertTrue(errRT <= TOLERANCE, "r_T relative error " + errRT);
            assertTrue(errGD <= TOLERANCE, "G_D relative error " + errGD);
            assertTrue(errGT <= TOLERANCE, "G_T relative error " + errGT);
            // The correction term is not negligible, so a wrong sign or scale of it could not pass the above.
            assertTrue(norm(d.correction()) > 1e-4 * norm(d.g()), "D correction too small to be tested");
            assertTrue(norm(t.correction()) > 1e-4 * norm(t.g()), "T correction too small to be tested");
            // mean aggregation: ½(G_D + G_T)
            double[] agg = flat(u.aggregated());
            double[] expected = new double[agg.length];
            for (int i = 0; i < agg.length; i++) {
                expected[i] = 0.5 * d.g()[i] + 0.5 * t.g()[i];
            }
            assertTrue(relativeError(agg, expected) <= TOLERANCE);
        }
    }

    /** Ratio of the trainer's r_D after a lower step to the fresh reference r_D, minus one (and G likewise). */
    static double[] deviationAfterLowerStep(String mode) {
        try (Compute compute = Compute.cpu(); NDManager scope = compute.newStep()) {
            TinySystem sys = new TinySystem(compute, mode, "mean", 5);
            TrainingBatch lowerBatch = sys.trainer.tensors(TinySystem.batch(31), scope);
            sys.trainer.lowerStep(lowerBatch, 0.05, 0.05);
            // θ did not change in the lower step, so this batch's detached Ŷ is still current.
            TrainingBatch train = sys.trainer.tensors(TinySystem.batch(32), scope);
            TrainingBatch upper = sys.trainer.tensors(TinySystem.batch(33), scope);
            BilevelStep.UpperStep u = sys.trainer.upperGradients(train, upper, 1, 0.1, scope);
            Reference d = referenceD(sys, train, upper);
            Reference t = referenceT(sys, train, upper);
            return new double[] {relativeError(u.discriminator().r(), d.r()), relativeError(u.task().r(), t.r()),
                relativeError(flat(u.discriminator().g()), d.g()), relativeError(flat(u.task().g()), t.g())};
        }
    }

    @Test
    void afterALowerStepTheUpperStepUsesFreshGradientsOnly() {
        double[] formula = deviationAfterLowerStep("bilevel");
        System.out.printf("after a lower step, bilevel: r_D %.2e r_T %.2e G_D %.2e G_T %.2e%n", formula[0],
                formula[1], formula[2], formula[3]);
        for (double e : formula) {
            assertTrue(e <= TOLERANCE, "bilevel deviates from fresh gradients: " + e);
        }
        // The same check fails on the release's behaviour (stale ω buffers, lr-scaled sign-flipped correction):
        double[] release = deviationAfterLowerStep("release-compat");
        System.out.printf("after a lower step, release-compat: r_D %.2e r_T %.2e G_D %.2e G_T %.2e%n", release[0],
                release[1], release[2], release[3]);
        assertTrue(release[0] > 1e-3 && release[1] > 1e-3, "stale buffers should change r_k");
        assertTrue(release[2] > 1e-6 && release[3] > 1e-6, "release-compat should change G_k");
    }

    @Test
    void garbageLeftInGradientBuffersDoesNotReachTheHypergradient() {
        try (Compute compute = Compute.cpu(); NDManager scope = compute.newStep()) {
            TinySystem sys = new TinySystem(compute, "bilevel", "mean", 7);
            TrainingBatch train = sys.trainer.tensors(TinySystem.batch(41), scope);
            TrainingBatch upper = sys.trainer.tensors(TinySystem.batch(42), scope);
            sys.trainer.lowerStep(train, 0.0, 0.0);
            for (Parameter p : sys.all()) {
                NDArray g = p.getArray().getGradient();
                g.addi(g.onesLike().mul(1e3));
            }
            BilevelStep.UpperStep u = sys.trainer.upperGradients(train, upper, 1, 0.1, scope);
            Reference d = referenceD(sys, train, upper);
            Reference t = referenceT(sys, train, upper);
            double eD = relativeError(flat(u.discriminator().g()), d.g());
            double eT = relativeError(flat(u.task().g()), t.g());
            System.out.printf("garbage in buffers: G_D %.2e G_T %.2e r_D %.4g vs %.4g%n", eD, eT, u.discriminator().r(), d.r());
            assertTrue(eD <= TOLERANCE, "G_D " + eD);
            assertTrue(eT <= TOLERANCE, "G_T " + eT);
            assertEquals(d.r(), u.discriminator().r(), Math.abs(d.r()) * TOLERANCE);
        }
    }

    /**
     * Each objective's gradient (θ, ω_D and ω_T at once) is bit for bit the same when the JVM frees unreachable
     * native memory between the forward and the backward pass. DJL's {@code NDArray.mul(Number)} makes its scalar on
     * a Java direct buffer and closes it at once, while the autograd graph keeps reading it in backward: after a
     * garbage collection the backward pass read freed memory (G_D 0.11 off in 1 of 4 full test runs; see
     * docs/bilevel.md, "Known issues"). Forcing the collection there makes that failure deterministic.
     */
    @Test
    void aGarbageCollectionBetweenForwardAndBackwardChangesNoGradient() {
        try (Compute compute = Compute.cpu(); NDManager scope = compute.newStep()) {
            TinySystem sys = new TinySystem(compute, "bilevel", "mean", 9);
            TrainingBatch train = sys.trainer.tensors(TinySystem.batch(51), scope);
            TrainingBatch upper = sys.trainer.tensors(TinySystem.batch(52), scope);
            BilevelObjectives o = sys.trainer.objectives();
            List<Hypergradient.Module> modules = List.of(o.discriminatorModule(sys.trainer.omegaD(), train, upper),
                    o.taskModule(sys.trainer.omegaT(), train, upper));
            List<Parameter> all = sys.all();
            List<String> changed = new ArrayList<>();
            for (Hypergradient.Module k : modules) {
                Map<String, Supplier<NDArray>> objectives = new LinkedHashMap<>();
                objectives.put("f_" + k.name(), k::lower);
                objectives.put("f~_" + k.name(), k::generator);
                objectives.put("F_" + k.name(), k::upper);
                for (Map.Entry<String, Supplier<NDArray>> e : objectives.entrySet()) {
                    double[] plain = gradient(e.getValue(), all, all);
                    double[] collected = gradient(e.getValue(), all, all, NativeGarbage::collect);
                    assertTrue(norm(plain) > 0, e.getKey() + " has no gradient to compare");
                    double err = relativeError(collected, plain);
                    System.out.printf("garbage collection before backward: %s relative error %.2e%n", e.getKey(),
                            err);
                    if (!Arrays.equals(plain, collected)) {
                        changed.add(e.getKey() + " (relative error " + err + ")");
                    }
                }
            }
            assertTrue(changed.isEmpty(), "a garbage collection before backward changed the gradient of " + changed);
        }
    }

    @Test
    void crossEntropyMatchesItsDefinition() {
        try (NDManager m = NDManager.newBaseManager()) {
            // N=1, K=3, H=1, W=2, channel-major: pixel 0 has logits (1, 0.5, 0), pixel 1 has (2, -1, 3).
            double[] logits = {1.0, 2.0, 0.5, -1.0, 0.0, 3.0};
            NDArray l = m.create(logits, new ai.djl.ndarray.types.Shape(1, 3, 1, 2));
            NDArray labels = m.create(new long[] {1, 2}, new ai.djl.ndarray.types.Shape(1, 1, 2));
            double p0 = Math.exp(0.5) / (Math.exp(1.0) + Math.exp(0.5) + Math.exp(0.0));
            double p1 = Math.exp(3.0) / (Math.exp(2.0) + Math.exp(-1.0) + Math.exp(3.0));
            double expected = -(Math.log(p0) + Math.log(p1)) / 2;
            assertEquals(expected, MfNetSegmentationTask.crossEntropy(l, labels).getDouble(), 1e-12);
        }
    }
}
