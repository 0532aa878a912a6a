package org.irfuse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11: the summary JSON is strict JSON; non-finite means are null, counted. */
class MetricTableJsonTest {
    @Test
    void nonFiniteValuesAreNullAndCountedNotBareNaN() {
        MetricTable t = new MetricTable(List.of(
                new MetricRow("A", "1", "EN", "cddfuse", 6.0),
                new MetricRow("A", "2", "EN", "cddfuse", 7.0),
                new MetricRow("A", "1", "SCD", "cddfuse", Double.NaN),
                new MetricRow("A", "2", "SCD", "cddfuse", 1.5),
                new MetricRow("B", "1", "SCD", "cddfuse", Double.POSITIVE_INFINITY)));
        String json = t.summaryJson();
        assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
        JsonObject root = JsonParser.parseString(json).getAsJsonObject();
        assertEquals(2, root.get("non_finite_values").getAsInt());
        JsonObject a = root.getAsJsonObject("methods").getAsJsonObject("A");
        assertEquals(6.5, a.getAsJsonObject("EN").get("mean").getAsDouble(), 0);
        assertEquals(0, a.getAsJsonObject("EN").get("non_finite").getAsInt());
        assertTrue(a.getAsJsonObject("SCD").get("mean").isJsonNull());
        assertEquals(1, a.getAsJsonObject("SCD").get("non_finite").getAsInt());
        assertEquals(2, a.getAsJsonObject("SCD").get("n").getAsInt());
    }
}
