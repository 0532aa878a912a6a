package org.irfuse.cli.report;

import org.irfuse.cli.CliRun;
import static org.irfuse.cli.report.EvaluationReportTest.count;
import static org.irfuse.cli.report.EvaluationReportTest.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.irfuse.core.io.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    /** Three of the TNO peer methods: two gray, one colour (SeAFusion). */
    static final List<String> TNO_METHODS = List.of("DenseFuse", "SeAFusion", "U2Fusion");

    @TempDir
    Path tmp;

    /** The TNO folder, or the test is skipped with the shared-data message. */
    static Path tno() {
        var tno = SharedData.resolve("tno/fused");
        Assumptions.assumeTrue(tno.isPresent(), SharedData.missingMessage("tno"));
        return tno.get().getParent();
    }

    /** {@code irfuse report eval} arguments for TNO with a statistics CSV computed from the fused images. */
    static String[] tnoEvalArgs(Path tmp, Path page) throws IOException {
        Path tno = tno();
        Map<String, Path> dirs = new LinkedHashMap<>();
        TNO_METHODS.forEach(m -> dirs.put(m, tno.resolve("fused/" + m)));
        Path csv = ReportFixtures.writeStatisticsCsv(tmp.resolve("tno.csv"), tno.resolve("ir"), dirs, "tang2022");
        List<String> args = new java.util.ArrayList<>(List.of("report", "eval", "--csv", csv.toString(),
                "--ir-dir", tno.resolve("ir").toString(), "--vis-dir", tno.resolve("vi").toString(),
                "-o", page.toString(), "--title", "TNO: 3 methods <statistics>"));
        dirs.forEach((m, d) -> {
            args.add("--fused-dir");
            args.add(m + "=" + d);
        });
        return args.toArray(String[]::new);
    }

    @Test
    void evalPageForTnoWithThreeMethods() throws IOException {
        Path page = tmp.resolve("tno.html");
        long t0 = System.nanoTime();
        CliRun run = CliRun.of(tnoEvalArgs(tmp, page));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, run.exitCode(), run.err());
        String html = Files.readString(page);
        long filesBytes = 0;
        for (String f : list(tmp.resolve("tno_files"))) {
            filesBytes += Files.size(tmp.resolve("tno_files").resolve(f));
        }
        System.out.printf("TNO report: 17 pairs x (2 + %d methods), page %.2f MB, tno_files %.1f MB, %d ms%n",
                TNO_METHODS.size(), Files.size(page) / 1e6, filesBytes / 1e6, ms);
        assertEquals(17, count(html, "<section class=\"pair\""));
        assertEquals(17 * 5, count(html, "<div class=\"frame\"><img "));
        assertEquals(17 * 5, list(tmp.resolve("tno_files")).size(), "TNO exceeds the inline budget: files beside");
        assertEquals(3, count(html, "<tr data-method="));
        assertTrue(html.contains("<title>TNO: 3 methods &lt;statistics&gt;</title>"));
        assertTrue(html.contains("MSE ↓"));
        assertEquals(4, count(html, "<svg class=\"chart bar\""));
        assertEquals(1, count(html, "<svg class=\"chart radar\""));
        assertTrue(Files.size(page) < 5_000_000, "thumbnails keep the TNO page small: " + Files.size(page));
    }

    @Test
    void badInputFailsWithTheFileNamedAndNoOutput() throws IOException {
        Path data = tmp.resolve("data");
        ReportFixtures.writeDataset(data, 2, 40, 30, List.of("M1"));
        Path csv = ReportFixtures.writeStatisticsCsv(tmp.resolve("r.csv"), data.resolve("ir"),
                Map.of("M1", data.resolve("fused/M1")), "p");
        Path page = tmp.resolve("out/page.html");
        String ir = data.resolve("ir").toString();
        String vi = data.resolve("vi").toString();

        CliRun missingCsv = CliRun.of("report", "eval", "--csv", tmp.resolve("nope.csv").toString(), "-o",
                page.toString());
        assertEquals(2, missingCsv.exitCode());
        assertTrue(missingCsv.err().contains("nope.csv"), missingCsv.err());

        Path badCsv = tmp.resolve("bad.csv");
        Files.writeString(badCsv, "method,image,metric,value\nA,1,EN,3\n");
        CliRun header = CliRun.of("report", "eval", "--csv", badCsv.toString(), "-o", page.toString());
        assertEquals(2, header.exitCode());
        assertTrue(header.err().contains("bad.csv") && header.err().contains("header"), header.err());

        CliRun noDir = CliRun.of("report", "eval", "--csv", csv.toString(), "--ir-dir", ir, "--vis-dir", vi,
                "--fused-dir", "M1=" + tmp.resolve("missing-dir"), "-o", page.toString());
        assertEquals(2, noDir.exitCode());
        assertTrue(noDir.err().contains("missing-dir"), noDir.err());

        CliRun halfPair = CliRun.of("report", "eval", "--csv", csv.toString(), "--ir-dir", ir, "-o",
                page.toString());
        assertEquals(2, halfPair.exitCode());
        assertTrue(halfPair.err().contains("--vis-dir"), halfPair.err());

        CliRun badRun = CliRun.of("report", "run", "--run-dir", tmp.resolve("no-run").toString(), "-o", page.toString());
        assertEquals(2, badRun.exitCode());
        assertTrue(badRun.err().contains("no-run"), badRun.err());
        assertTrue(!Files.exists(page.getParent()) || list(page.getParent()).isEmpty(), "no output left behind");

        CliRun ok = CliRun.of("report", "eval", "--csv", csv.toString(), "--ir-dir", ir, "--vis-dir", vi,
                "--fused-dir", "M1=" + data.resolve("fused/M1"), "-o", page.toString());
        assertEquals(0, ok.exitCode(), ok.err());
        String written = Files.readString(page);
        CliRun again = CliRun.of("report", "eval", "--csv", csv.toString(), "-o", page.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("--overwrite"), again.err());
        assertEquals(written, Files.readString(page), "refused overwrite leaves the page as it was");
        CliRun tableOnly = CliRun.of("report", "eval", "--csv", csv.toString(), "-o", page.toString(),
                "--overwrite");
        assertEquals(0, tableOnly.exitCode(), tableOnly.err());
        assertEquals(0, count(Files.readString(page), "<section class=\"pair\""));
    }

    @Test
    void runPage() throws IOException {
        Path run = ReportFixtures.writeRun(tmp.resolve("run"), 120);
        Path page = tmp.resolve("train.html");
        CliRun r = CliRun.of("report", "run", "--run-dir", run.toString(), "-o", page.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("wrote " + page), r.out());
        String html = Files.readString(page);
        assertEquals(6, count(html, "<svg class=\"chart line\""));
        assertEquals(6, count(html, "<img class=\"lightbox\""));
    }
}
