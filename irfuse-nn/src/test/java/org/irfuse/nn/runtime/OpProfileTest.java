package org.irfuse.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OpProfileTest {
    private static String event(String name, double ts, double dur, int tid) {
        return String.format(java.util.Locale.ROOT, "{\"name\": \"%s\", \"ph\": \"X\", \"ts\": %.3f, \"dur\": %.3f, "
                + "\"tid\": %d, \"pid\": \"CPU Functions\", \"shape\": [], \"args\": {}}", name, ts, dur, tid);
    }

    @Test
    void selfTimeIsTimeMinusNestedCallsPerThread() {
        // Thread 1: conv2d [0, 1000) calls convolution [10, 990), which calls mkldnn [20, 980); then relu_ [1000,
        // 1100), which starts exactly when conv2d ends (not nested). Thread 2: a second mkldnn [0, 500) overlapping
        // thread 1 in time but not nested in it.
        String trace = "[" + String.join(",\n", event("aten::relu_", 1000, 100, 1), event("aten::mkldnn", 20, 960, 1),
                event("aten::conv2d", 0, 1000, 1), event("aten::convolution", 10, 980, 1),
                event("aten::mkldnn", 0, 500, 2), "{\"name\": \"meta\", \"ph\": \"M\"}") + "]";
        List<OpProfile.Op> ops = OpProfile.summarise(new StringReader(trace));
        assertEquals(List.of("aten::mkldnn", "aten::relu_"), ops.subList(0, 2).stream().map(OpProfile.Op::name)
                .toList(), "largest self time first");
        Map<String, String> got = new TreeMap<>();
        for (OpProfile.Op o : ops) {
            got.put(o.name(), String.format(Locale.ROOT, "%.3f ms x%d", o.selfMs(), o.calls()));
        }
        assertEquals(Map.of("aten::mkldnn", "1.460 ms x2", "aten::relu_", "0.100 ms x1",
                "aten::convolution", "0.020 ms x1", "aten::conv2d", "0.020 ms x1"), got);
    }
}
