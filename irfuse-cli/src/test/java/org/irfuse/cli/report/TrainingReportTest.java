package org.irfuse.cli.report;

import static org.irfuse.cli.report.EvaluationReportTest.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingReportTest {
    @TempDir
    Path tmp;

    @Test
    void everyFieldIsPlottedInItsGroupAndSamplesAreInStepOrder() throws IOException {
        Path run = ReportFixtures.writeRun(tmp.resolve("run"), 200);
        Path page = tmp.resolve("train.html");
        TrainingReport.write(run, page, false);
        String html = Files.readString(page);
        // Every report's footer names the irfuse version that wrote it.
        org.junit.jupiter.api.Assertions.assertTrue(html.contains("<footer class=\"irfuse-version\">Written by irfuse "
                + org.irfuse.core.Version.get() + "</footer>"), "version footer");

        List<String> groups = new ArrayList<>();
        Matcher g = Pattern.compile("data-group=\"([^\"]+)\"").matcher(html);
        while (g.find()) {
            groups.add(g.group(1));
        }
        assertEquals(List.of("loss", "r", "weight", "gradnorm", "lr", "aux"), groups, "unknown groups still shown");
        for (String field : List.of("lr", "loss.fusion", "loss.D", "loss.T", "loss.upper.D", "loss.upper.T", "r.D",
                "r.T", "weight.D", "weight.T", "gradnorm.D", "gradnorm.T", "gradnorm.agg", "aux.extra")) {
            assertEquals(1, count(html, "data-series=\"" + field + "\""), field);
        }
        assertTrue(html.contains(">warmup</text>"), "warm-up stage shaded and labelled");
        Matcher street = Pattern.compile("alt=\"street at step (\\d+)\"").matcher(html);
        List<Integer> steps = new ArrayList<>();
        while (street.find()) {
            steps.add(Integer.parseInt(street.group(1)));
        }
        assertEquals(List.of(66, 133, 199), steps);
        assertEquals(6, count(html, "<img class=\"lightbox\""));
        assertTrue(html.contains("data-sample=\"car park\""));
        assertTrue(html.contains("&lt;b&gt;not bold&lt;/b&gt;"), "config escaped");
    }

    @Test
    void stepOrderIsNumericNotByFolderName() throws IOException {
        Path run = ReportFixtures.writeRun(tmp.resolve("run"), 30);
        // An unpadded folder sorts before step-000010 by name but belongs after it.
        Path odd = run.resolve("samples/step-500");
        Files.createDirectories(odd);
        Files.copy(run.resolve("samples/step-000010/street.png"), odd.resolve("street.png"));
        List<TrainingRun.Sample> s = TrainingRun.read(run).samples().get("street");
        assertEquals(List.of(10L, 20L, 29L, 500L), s.stream().map(TrainingRun.Sample::step).toList());
    }

    @Test
    void halfWrittenLastLineIsSkippedButBadLinesElsewhereAreErrors() throws IOException {
        Path run = ReportFixtures.writeRun(tmp.resolve("run"), 20);
        Path log = run.resolve("log.jsonl");
        Files.writeString(log, Files.readString(log) + "{\"step\": 20, \"loss.D\": 0.");
        TrainingRun r = TrainingRun.read(run);
        assertEquals(20, r.log().size());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("line 21")), r.warnings().toString());

        Files.writeString(log, "{\"step\": 0, \"lr\": 1}\n{\"lr\": 2}\n{\"step\": 2, \"lr\": 3}\n");
        IOException e = assertThrows(IOException.class, () -> TrainingRun.read(run));
        assertTrue(e.getMessage().contains(log.toString()) && e.getMessage().contains("line 2")
                && e.getMessage().contains("step"), e.getMessage());

        Files.writeString(log, "{\"step\": 0, \"lr\": 1}\nnot json\n{\"step\": 2, \"lr\": 3}\n");
        e = assertThrows(IOException.class, () -> TrainingRun.read(run));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());

        Files.delete(log);
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> TrainingRun.read(run));
        assertTrue(missing.getFile().endsWith("log.jsonl"));
    }
}
