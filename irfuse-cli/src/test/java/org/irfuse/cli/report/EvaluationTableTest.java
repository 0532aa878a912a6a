package org.irfuse.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.irfuse.cli.report.EvaluationTable.Column;
import org.irfuse.core.metrics.MetricRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTableTest {
    @TempDir
    Path tmp;

    private Path csv(String content) throws IOException {
        Path f = tmp.resolve("results.csv");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void readsLongFormWithQuotesNanAndProfiles() throws IOException {
        EvaluationTable t = EvaluationTable.read(csv("\uFEFF" + org.irfuse.core.metrics.EvaluationCsv.HEADER + "\n"
                + "A,01,EN,tang2022,7.0\n"
                + "\"B, v2\",01,EN,tang2022,6.5\n"
                + "A,02,EN,tang2022,NaN\n"
                + "A,01,EN,vifb,7.2\n\n"));
        assertEquals(List.of("A", "B, v2"), t.methods());
        assertEquals(List.of("01", "02"), t.images());
        assertEquals(List.of(new Column("EN", "tang2022"), new Column("EN", "vifb")), t.columns());
        assertEquals(List.of("tang2022", "vifb"), t.profiles());
        assertEquals(6.5, t.value("B, v2", "01", new Column("EN", "tang2022")));
        assertTrue(Double.isNaN(t.value("A", "02", new Column("EN", "tang2022"))));
        assertTrue(Double.isNaN(t.value("B, v2", "02", new Column("EN", "tang2022"))), "absent cell is NaN");
    }

    @Test
    void errorsNameTheFileAndLine() throws IOException {
        Path f = csv(org.irfuse.core.metrics.EvaluationCsv.HEADER + "\nA,01,EN,tang2022,7\nA,02,EN,tang2022,seven\n");
        IOException e = assertThrows(IOException.class, () -> EvaluationTable.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("line 3"), e.getMessage());

        Path bad = csv("image,method,metric,value\n01,A,EN,7\n");
        e = assertThrows(IOException.class, () -> EvaluationTable.read(bad));
        assertTrue(e.getMessage().contains("header") && e.getMessage().contains(org.irfuse.core.metrics.EvaluationCsv.HEADER));

        Path dup = csv(org.irfuse.core.metrics.EvaluationCsv.HEADER + "\nA,01,EN,p,1\nA,01,EN,p,2\n");
        e = assertThrows(IOException.class, () -> EvaluationTable.read(dup));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("line 2"), e.getMessage());

        Path fields = csv(org.irfuse.core.metrics.EvaluationCsv.HEADER + "\nA,01,EN,7\n");
        e = assertThrows(IOException.class, () -> EvaluationTable.read(fields));
        assertTrue(e.getMessage().contains("expected 5 fields"), e.getMessage());

        Path empty = csv(org.irfuse.core.metrics.EvaluationCsv.HEADER + "\n");
        assertThrows(IOException.class, () -> EvaluationTable.read(empty));
        assertThrows(NoSuchFileException.class, () -> EvaluationTable.read(tmp.resolve("absent.csv")));
    }

    @Test
    void directionsFollowTheMetricName() {
        for (String lower : List.of("Nabf", "MSE", "Rmse", "Cross_entropy", "mse")) {
            assertTrue(EvaluationTable.lowerIsBetter(lower), lower);
        }
        for (String higher : List.of("EN", "SD", "SF", "AG", "MI", "SCD", "CC", "VIF", "Qabf", "SSIM", "PSNR")) {
            assertFalse(EvaluationTable.lowerIsBetter(higher), higher);
        }
    }

    @Test
    void meanStdBestAndRanksFollowDirection() {
        Column en = new Column("EN", "p");
        Column mse = new Column("MSE", "p");
        EvaluationTable t = EvaluationTable.of(List.of(
                new MetricRow("A", "1", "EN", "p", 6), new MetricRow("A", "2", "EN", "p", 8),
                new MetricRow("B", "1", "EN", "p", 5), new MetricRow("B", "2", "EN", "p", 5),
                new MetricRow("C", "1", "EN", "p", 7), new MetricRow("C", "2", "EN", "p", 7),
                new MetricRow("A", "1", "MSE", "p", 3), new MetricRow("B", "1", "MSE", "p", 1), new MetricRow("C", "1", "MSE", "p", 1)));
        MetricSummary s = MetricSummary.of(t);
        assertEquals(7.0, s.stat("A", en).mean(), 1e-12);
        assertEquals(Math.sqrt(2), s.stat("A", en).std(), 1e-12, "sample standard deviation (n-1)");
        assertTrue(Double.isNaN(s.stat("A", mse).std()), "one value has no sample std");
        // The console/JSON summary states the same numbers (one statistic, MetricTable.meanAndStd).
        org.irfuse.core.metrics.MetricTable json = new org.irfuse.core.metrics.MetricTable(t.rows());
        for (String m : List.of("A", "B", "C")) {
            assertEquals(s.stat(m, en).std(), json.stats(m, "EN").orElseThrow().std(), 0, m);
            assertEquals(s.stat(m, en).mean(), json.stats(m, "EN").orElseThrow().mean(), 0, m);
        }
        // EN higher is better: A and C tie at 7 (ranks 1.5), B last.
        assertEquals(Set.of("A", "C"), s.best(en));
        assertEquals(1.5, s.rank("A", en));
        assertEquals(1.5, s.rank("C", en));
        assertEquals(3.0, s.rank("B", en));
        // MSE lower is better: B and C share the best value.
        assertEquals(Set.of("B", "C"), s.best(mse));
        assertEquals(3.0, s.rank("A", mse));
        assertEquals((1.5 + 1.5) / 2, s.meanRank("C"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> EvaluationTable.of(List.of(
                new MetricRow("A", "1", "EN", "p", 1), new MetricRow("A", "1", "EN", "p", 2))));
    }
}
