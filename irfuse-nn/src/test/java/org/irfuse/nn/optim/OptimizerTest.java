package org.irfuse.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.irfuse.nn.runtime.Compute;
import org.junit.jupiter.api.Test;

/**
 * The optimizers' updates, bit for bit, and their memory: a step must leave no array behind in any long-lived
 * manager (a training run makes 10^4–10^5 steps over hundreds of parameters).
 */
class OptimizerTest {
    private static final float[] W0 = {0.5f, -1.25f, 2.0f, 0.125f};

    /** Gradient of step {@code t} (1-based), varied so momentum and moments matter. */
    private static float[] gradient(int t) {
        return new float[] {0.1f * t, -0.3f, 0.7f / t, -0.05f * t * t};
    }

    /** Runs {@code steps} updates; returns the final weights and the root's array count after step 1 and at the end. */
    private static Object[] run(Function<NDManager, Optimizer> make, int steps) {
        try (Compute c = Compute.cpu()) {
            NDManager root = c.root();
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optArray(root.create(W0))
                    .build();
            Optimizer opt = make.apply(root);
            int afterFirst = -1;
            for (int t = 1; t <= steps; t++) {
                try (NDManager step = root.newSubManager()) {
                    opt.step(List.of(p), new NDList(step.create(gradient(t))), 0.1);
                }
                if (t == 1) {
                    afterFirst = root.getManagedArrays().size();
                }
            }
            return new Object[] {p.getArray().toFloatArray(), afterFirst, root.getManagedArrays().size()};
        }
    }

    /** The four configurations the trainers use: upper-level SGD, lower-level SGD, Adam with and without decay. */
    private static final List<Function<NDManager, Optimizer>> OPTIMIZERS = List.of(m -> new Sgd(m, 0, 1e-3),
            m -> new Sgd(m, 0.9, 1e-4), m -> new Adam(m, 1e-4), m -> new Adam(m, 0));

    /**
     * Weights after 5 steps, as float bits, recorded from the implementation before the scratch-manager change
     * (which must not alter a single bit: checkpoints resume exactly only if the update is deterministic).
     */
    private static final int[][] GOLDEN_BITS = {
        {1051923727, -1081296562, 1072393035, 1053606230},
        {1044073555, -1084554369, 1069398607, 1058863518},
        {1014249200, -1086324712, 1070049296, 1058211715},
        {1014261288, -1086324738, 1070049611, 1058211786}};

    @Test
    void updatesAreBitForBitThoseRecorded() {
        for (int k = 0; k < OPTIMIZERS.size(); k++) {
            float[] w = (float[]) run(OPTIMIZERS.get(k), 5)[0];
            int[] bits = new int[w.length];
            for (int i = 0; i < w.length; i++) {
                bits[i] = Float.floatToRawIntBits(w[i]);
            }
            assertArrayEquals(GOLDEN_BITS[k], bits, "optimizer " + k + ": " + Arrays.toString(w));
        }
    }

    /**
     * After the first step (which creates the state) the arrays in the root manager — parameters, state and any
     * sub-manager's arrays — stay at their number. Before the fix every step added 1 per parameter (SGD, the
     * w·λ of the decay) or 5–6 (Adam: the moments' quotients, √v̂ + ε, …).
     */
    @Test
    void aStepLeavesNoArrayBehind() {
        for (int k = 0; k < OPTIMIZERS.size(); k++) {
            Object[] r = run(OPTIMIZERS.get(k), 5);
            assertEquals(r[1], r[2], "optimizer " + k + ": arrays in the root manager after step 1 and step 5");
        }
    }
}
