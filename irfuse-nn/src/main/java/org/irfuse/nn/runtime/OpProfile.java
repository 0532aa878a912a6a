package org.irfuse.nn.runtime;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * libtorch's operator profiler, reached through DJL ({@code JniUtils.startProfile}/{@code stopProfile}, which write
 * a Chrome trace), summarised as <em>self</em> time per operator: an operator's time minus the operators it called
 * (aten::conv2d calls aten::convolution … aten::mkldnn_convolution; only the innermost does the work). Events are
 * recorded on the calling thread; libtorch's intra-op threads work inside them. For finding where a forward pass
 * spends its time ({@code irfuse bench --profile}, docs/benchmarks.md).
 */
public final class OpProfile {
    private OpProfile() {
    }

    /** One operator: total self time in milliseconds and how many times it ran. */
    public record Op(String name, double selfMs, long calls) {
    }

    /**
     * Runs {@code work} with the profiler on, writes the trace to {@code trace} and returns the operators by self
     * time, largest first.
     */
    public static synchronized List<Op> record(Path trace, Runnable work) throws IOException {
        JniUtils.startProfile(false, true, false);
        try {
            work.run();
        } finally {
            JniUtils.stopProfile(trace.toString());
        }
        try (Reader in = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            return summarise(in);
        }
    }

    /** Self time per operator of a Chrome trace (complete events, {@code "ph": "X"}), largest first. */
    public static List<Op> summarise(Reader trace) {
        JsonArray events = JsonParser.parseReader(trace).getAsJsonArray();
        Map<String, List<double[]>> byThread = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (!o.has("ph") || !"X".equals(o.get("ph").getAsString())) {
                continue;
            }
            names.add(o.get("name").getAsString());
            // start, duration, index into names, time spent in children (filled below)
            byThread.computeIfAbsent(String.valueOf(o.get("tid")), k -> new ArrayList<>()).add(new double[] {
                o.get("ts").getAsDouble(), o.get("dur").getAsDouble(), names.size() - 1, 0});
        }
        Map<String, double[]> perName = new LinkedHashMap<>();
        for (List<double[]> list : byThread.values()) {
            // Parents start no later than their children and last longer: sort by start, then longest first.
            list.sort(Comparator.<double[]>comparingDouble(v -> v[0]).thenComparingDouble(v -> -v[1]));
            Deque<double[]> open = new ArrayDeque<>();
            for (double[] ev : list) {
                while (!open.isEmpty() && open.peek()[0] + open.peek()[1] <= ev[0]) {
                    open.pop();
                }
                if (!open.isEmpty()) {
                    open.peek()[3] += ev[1];
                }
                open.push(ev);
            }
            for (double[] ev : list) {
                double[] sum = perName.computeIfAbsent(names.get((int) ev[2]), k -> new double[2]);
                sum[0] += ev[1] - ev[3];
                sum[1]++;
            }
        }
        List<Op> out = new ArrayList<>();
        perName.forEach((name, v) -> out.add(new Op(name, v[0] / 1000.0, (long) v[1])));
        out.sort(Comparator.comparingDouble(Op::selfMs).reversed());
        return out;
    }
}
