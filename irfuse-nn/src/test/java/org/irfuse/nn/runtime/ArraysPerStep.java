package org.irfuse.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.irfuse.nn.train.TrainingSession;

/**
 * Test support: a training listener counting the arrays held by the long-lived root manager (and its open
 * sub-managers) after every step. A trainer that makes an array per step in a long-lived manager — an optimizer
 * intermediate, a gradient handle, a preview — grows this count until the run ends; a step's own arrays live in
 * its step manager, which is closed before the listeners run.
 */
public final class ArraysPerStep implements TrainingSession.Listener {
    private final NDManager root;
    private final Map<Long, Integer> counts = new TreeMap<>();
    private final Map<Long, Long> bytes = new TreeMap<>();

    public ArraysPerStep(Compute compute) {
        this.root = compute.root();
    }

    @Override
    public void onStep(long step, long total, Map<String, Object> values) {
        List<NDArray> arrays = root.getManagedArrays();
        counts.put(step, arrays.size());
        bytes.put(step, arrays.stream().mapToLong(a -> a.size() * a.getDataType().getNumOfBytes()).sum());
    }

    /** Asserts the count after step {@code last} equals that after step {@code first} (state already created). */
    public void assertNoGrowth(long first, long last) {
        assertEquals(counts.get(first), counts.get(last), "arrays in the root manager after step " + first
                + " and after step " + last + " (all counts: " + counts + "; bytes " + bytes.get(first) + " -> "
                + bytes.get(last) + ")");
    }
}
