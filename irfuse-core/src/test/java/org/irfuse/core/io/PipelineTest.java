package org.irfuse.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PipelineTest {
    @Test
    void everyItemFlowsThroughInOrderAndFailuresAreCollectedPerStage() throws Exception {
        List<Integer> items = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        List<Integer> computedOrder = new ArrayList<>();
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        List<Pipeline.Failure<Integer>> failures = Pipeline.run(items, 2,
                (i, none) -> {
                    if (i == 3) {
                        throw new IOException("cannot read " + i);
                    }
                    return "r" + i;
                },
                (i, r) -> {
                    if (i == 5) {
                        throw new IllegalStateException("cannot compute " + i);
                    }
                    return r + "c";
                },
                (i, c) -> {
                    if (i == 7) {
                        throw new IOException("cannot write " + i);
                    }
                    written.add(c + "w");
                    return null;
                },
                computedOrder::add);
        assertEquals(items, computedOrder, "the compute stage sees every item once, in order");
        assertEquals(List.of("r0cw", "r1cw", "r2cw", "r4cw", "r6cw", "r8cw", "r9cw"), written,
                "one writer thread keeps the order");
        assertEquals(3, failures.size());
        assertEquals("cannot read 3", failures.get(0).error().getMessage());
        assertEquals("cannot compute 5", failures.get(1).error().getMessage());
        assertEquals("cannot write 7", failures.get(2).error().getMessage());
        assertEquals(List.of(3, 5, 7), failures.stream().map(Pipeline.Failure::item).toList());
    }

    @Test
    void readsRunAtMostDepthItemsAheadOfTheComputation() throws Exception {
        int depth = 2;
        AtomicInteger read = new AtomicInteger();
        AtomicInteger computed = new AtomicInteger();
        AtomicInteger worstLead = new AtomicInteger();
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            items.add(i);
        }
        Pipeline.run(items, depth,
                (i, none) -> {
                    worstLead.accumulateAndGet(read.incrementAndGet() - computed.get(), Math::max);
                    return i;
                },
                (i, r) -> {
                    Thread.sleep(2);
                    computed.incrementAndGet();
                    return r;
                },
                (i, c) -> null,
                i -> { });
        // The item being computed, plus depth + 1 read ahead of it.
        assertTrue(worstLead.get() <= depth + 2, "reads ran " + worstLead.get() + " items ahead");
        assertEquals(30, computed.get());
    }
}
