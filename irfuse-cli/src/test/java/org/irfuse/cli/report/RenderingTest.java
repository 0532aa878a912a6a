package org.irfuse.cli.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.irfuse.core.metrics.MetricRow;
import org.junit.jupiter.api.Test;

/** HTML and SVG generation without images: escaping, best marking, ranks, sortable table, chart geometry. */
class RenderingTest {
    private static final String EVIL = "<img src=x onerror=alert(1)>&\"'";

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void escapesTextAndAttributes() {
        assertEquals("&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;", Html.esc(EVIL));
        assertEquals("ab", Html.esc("a\u0000b"), "control characters are dropped");
        assertEquals("—", Html.num(Double.NaN));
        assertEquals("6.812", Html.num(6.81234));
        assertEquals("1234", Html.num(1234.4));
        assertEquals("1.235e+05", Html.num(123456.0));
    }

    @Test
    void niceTicksCoverTheRangeWithRoundSteps() {
        assertArrayEquals(new double[] {0, 2, 4, 6, 8}, Svg.niceTicks(0, 7.3, 5), 1e-12);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3}, Svg.niceTicks(0.12, 0.29, 2), 1e-12);
        assertEquals("50", Svg.tickLabel(50, new double[] {0, 50, 100}));
        assertEquals("0.02", Svg.tickLabel(0.02, new double[] {0, 0.02, 0.04}));
        assertEquals("2.5", Svg.tickLabel(2.5, new double[] {0, 0.5, 1}));
        double[] flat = Svg.niceTicks(5, 5, 5);
        assertTrue(flat[0] < 5 && flat[flat.length - 1] > 5, "a constant series still gets an axis");
    }

    private static String metricsHtml(EvaluationTable t) throws IOException {
        StringWriter w = new StringWriter();
        MetricSummary s = MetricSummary.of(t);
        EvaluationReport.metricsTable(w, s);
        EvaluationReport.barCharts(w, s);
        EvaluationReport.radar(w, s);
        return w.toString();
    }

    @Test
    void tableMarksBestByDirectionEscapesNamesAndIsSortable() throws IOException {
        EvaluationTable t = EvaluationTable.of(List.of(
                new MetricRow(EVIL, "1", "EN", "tang2022", 7.5), new MetricRow("Plain", "1", "EN", "tang2022", 6.0),
                new MetricRow(EVIL, "1", "MSE", "tang2022", 0.09), new MetricRow("Plain", "1", "MSE", "tang2022", 0.02),
                new MetricRow(EVIL, "1", "Qabf", "tang2022", 0.5), new MetricRow("Plain", "1", "Qabf", "tang2022", 0.4)));
        String html = metricsHtml(t);
        assertFalse(html.contains("<img src=x"), "a method name must not become markup");
        assertTrue(html.contains(Html.esc(EVIL)));
        assertTrue(html.contains("tang2022"), "profile named");
        assertTrue(html.contains("class=\"metrics sortable\""));
        // Rows: each method once, in table order.
        Matcher rows = Pattern.compile("<tr data-method=\"([^\"]*)\">(.*?)</tr>").matcher(html);
        assertTrue(rows.find());
        assertEquals(Html.esc(EVIL), rows.group(1));
        String evilRow = rows.group(2);
        assertTrue(rows.find());
        String plainRow = rows.group(2);
        // EN higher better → evil best; MSE lower better → Plain best; Qabf higher → evil best.
        String e = Html.esc(EVIL);
        assertTrue(evilRow.contains("<td data-value=\"7.5\" class=\"best\" title=\"" + e + ", EN (tang2022): n=1\">7.500"),
                evilRow);
        assertTrue(evilRow.contains("<td data-value=\"0.09\" title=\"" + e + ", MSE (tang2022): n=1\">0.09000"), evilRow);
        assertTrue(evilRow.contains("<td data-value=\"0.5\" class=\"best\" title=\"" + e + ", Qabf (tang2022): n=1\">"),
                evilRow);
        assertTrue(plainRow.contains("<td data-value=\"6.0\" title=\"Plain, EN (tang2022): n=1\">6.000"), plainRow);
        assertTrue(plainRow.contains("class=\"best\" title=\"Plain, MSE (tang2022): n=1\">0.02000"), plainRow);
        assertTrue(html.contains("data-lower=\"true\" title=\"↓ lower is better\">MSE ↓"));
        assertTrue(html.contains("data-lower=\"false\" title=\"↑ higher is better\">EN ↑"));
        // Bar charts: one per metric, the best bar marked in each.
        assertEquals(3, count(html, "<svg class=\"chart bar\""));
        assertEquals(6, count(html, "class=\"barrect"));
        assertEquals(3, count(html, "class=\"barrect best\""));
        // Radar: one polygon per method; evil ranks 1 on EN and Qabf, 2 on MSE.
        assertEquals(2, count(html, "<polygon class=\"method\""));
        assertTrue(html.contains("(mean rank 1.333)"), html);
    }

    @Test
    void radarNeedsThreeMetrics() throws IOException {
        EvaluationTable t = EvaluationTable.of(List.of(new MetricRow("A", "1", "EN", "p", 1), new MetricRow("B", "1", "EN", "p", 2)));
        String html = metricsHtml(t);
        assertFalse(html.contains("chart radar"));
        assertTrue(html.contains("needs at least 3 metrics"));
    }

    @Test
    void lineChartHasAxesLegendGapsAndLogScaleForWideRanges() {
        double[] x = {0, 1, 2, 3, 4};
        String svg = Svg.lineChart("Losses", "step", List.of(
                new Svg.Series("loss.D", x, new double[] {10, 1, 0.1, 0.01, 0.001}),
                new Svg.Series("loss.<T>", x, new double[] {5, Double.NaN, 3, 2, 1})),
                List.of(new Svg.Band(0, 2, "warmup")));
        assertTrue(svg.contains("(log scale)"));
        assertTrue(svg.contains(">loss.&lt;T&gt;</text>"), "legend entry escaped");
        assertEquals(2, count(svg, "class=\"series\""));
        Matcher d = Pattern.compile("data-series=\"loss.&lt;T&gt;\" d=\"([^\"]*)\"").matcher(svg);
        assertTrue(d.find());
        assertEquals(2, count(d.group(1), "M"), "a missing value breaks the line: " + d.group(1));
        assertTrue(svg.contains(">warmup</text>"));
        assertTrue(svg.contains(">step</text>"));
        String linear = Svg.lineChart("lr", "step", List.of(new Svg.Series("lr", x, new double[] {1, 2, 3, 4, 5})),
                List.of());
        assertFalse(linear.contains("log scale"));
    }

    @Test
    void decimationKeepsSpikesAndBoundsPoints() {
        int n = 100_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = Math.sin(i / 1000.0);
        }
        y[54_321] = 50;
        Svg.Series d = Svg.decimate(new Svg.Series("s", x, y));
        assertTrue(d.x().length <= 2 * Svg.MAX_BUCKETS, "points: " + d.x().length);
        double max = java.util.Arrays.stream(d.y()).max().orElseThrow();
        assertEquals(50, max, "the spike survives");
        for (int i = 1; i < d.x().length; i++) {
            assertTrue(d.x()[i] > d.x()[i - 1], "steps stay in order");
        }
    }
}
