package org.irfuse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary's spread is the sample standard deviation (n − 1), the one statistic every output uses. */
class MetricTableStdTest {
    @Test
    void sampleStandardDeviationOnExactValues() {
        // {0, 2, 4, 6}: mean 3, Σ(x − 3)² = 20, sample std √(20/3) (the population one would be √5).
        MetricTable t = new MetricTable(List.of(
                new MetricRow("A", "1", "EN", "cddfuse", 0), new MetricRow("A", "2", "EN", "cddfuse", 2),
                new MetricRow("A", "3", "EN", "cddfuse", 4), new MetricRow("A", "4", "EN", "cddfuse", 6),
                new MetricRow("B", "1", "EN", "cddfuse", 5)));
        MetricTable.Stats a = t.stats("A", "EN").orElseThrow();
        assertEquals(3, a.mean(), 0);
        assertEquals(Math.sqrt(20.0 / 3), a.std(), 1e-15);
        assertTrue(Double.isNaN(t.stats("B", "EN").orElseThrow().std()), "one image has no sample spread");
        JsonObject root = JsonParser.parseString(t.summaryJson()).getAsJsonObject();
        assertTrue(root.get("std").getAsString().startsWith("sample standard deviation"));
        JsonObject methods = root.getAsJsonObject("methods");
        assertEquals(Math.sqrt(20.0 / 3), methods.getAsJsonObject("A").getAsJsonObject("EN").get("std").getAsDouble(),
                1e-15);
        assertTrue(methods.getAsJsonObject("B").getAsJsonObject("EN").get("std").isJsonNull());
    }
}
