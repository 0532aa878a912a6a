package org.irfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.io.SharedData;
import org.irfuse.core.metrics.EvaluationCsv;
import org.irfuse.core.metrics.Evaluator;
import org.irfuse.core.metrics.Metric;
import org.irfuse.core.metrics.MetricRow;
import org.irfuse.core.metrics.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void evaluatesTwoTnoMethodsIntoLongFormCsvSummaryAndTable() throws Exception {
        Optional<Path> tno = SharedData.resolve("tno");
        assumeTrue(tno.isPresent(), SharedData.missingMessage("tno"));
        Path csv = tmp.resolve("res.csv");
        int code = run("eval", "--ir-dir", tno.get().resolve("ir").toString(), "--vis-dir",
                tno.get().resolve("vi").toString(), "--fused-dir", "DenseFuse=" + tno.get().resolve("fused/DenseFuse"),
                "--fused-dir", "SeAFusion=" + tno.get().resolve("fused/SeAFusion"), "--metrics", "EN,SD,MI,Qabf",
                "--threads", "2", "--out", csv.toString());
        assertEquals(0, code, err.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("method,image,metric,profile,value", lines.get(0));
        assertEquals(2 * 17 * 4, lines.size() - 1);
        List<MetricRow> rows = EvaluationCsv.read(csv);
        MetricRow row = rows.stream().filter(r -> r.method().equals("SeAFusion") && r.image().equals("05")
                && r.metric().equals("Qabf")).findFirst().orElseThrow();
        assertEquals("cddfuse", row.profile());
        Map<Metric, Double> library = new Evaluator(Profile.CDDFUSE, List.of(Metric.QABF)).evaluate(
                ImageReader.read(tno.get().resolve("ir/05.png")), ImageReader.read(tno.get().resolve("vi/05.png")),
                ImageReader.read(tno.get().resolve("fused/SeAFusion/05.png")));
        assertEquals(library.get(Metric.QABF), row.value(), 0.0);

        String json = Files.readString(tmp.resolve("res.json"));
        assertTrue(json.contains("\"best\"") && json.contains("\"direction\": \"higher\""), json);
        assertTrue(out.toString().contains("profile cddfuse"), out.toString());
        assertTrue(out.toString().contains(" *"), "best value marked: " + out);

        // A second run refuses to overwrite, and leaves the file as it was.
        String before = Files.readString(csv);
        assertEquals(Errors.USER_ERROR, run("eval", "--ir-dir", tno.get().resolve("ir").toString(), "--vis-dir",
                tno.get().resolve("vi").toString(), "--fused-dir", "D=" + tno.get().resolve("fused/DenseFuse"),
                "--out", csv.toString()));
        assertTrue(err.toString().contains("already exists"), err.toString());
        assertEquals(before, Files.readString(csv));
    }

    /** ir/, vis/, fused/ with images a and b (64×48 gray, noise; VIF's four scales need at least about 50 px). */
    private Path smallSet() throws Exception {
        Random r = new Random(1);
        for (String dir : List.of("ir", "vis", "fused")) {
            for (String name : List.of("a", "b")) {
                float[] v = new float[64 * 48];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextInt(256) / 255f;
                }
                ImageWriter.write(Image.gray(64, 48, v), tmp.resolve(dir).resolve(name + ".png"), false);
            }
        }
        return tmp;
    }

    private String[] args(Path root, String... extra) {
        String[] base = {"eval", "--ir-dir", root.resolve("ir").toString(), "--vis-dir",
                root.resolve("vis").toString(), "--fused-dir", "M=" + root.resolve("fused"), "--out",
                root.resolve("out.csv").toString(), "--threads", "2"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void smallSetEvaluatesEveryMetricOfTheDefaultProfile() throws Exception {
        Path root = smallSet();
        assertEquals(0, run(args(root)), err.toString());
        assertEquals(2 * Profile.CDDFUSE.metrics().size(), EvaluationCsv.read(root.resolve("out.csv")).size());
    }

    @Test
    void missingFolderIsOneLineNamingItAndWritesNothing() throws Exception {
        Path root = smallSet();
        int code = run("eval", "--ir-dir", root.resolve("nope").toString(), "--vis-dir",
                root.resolve("vis").toString(), "--fused-dir", "M=" + root.resolve("fused"), "--out",
                root.resolve("out.csv").toString());
        assertEquals(Errors.USER_ERROR, code);
        assertTrue(err.toString().contains(root.resolve("nope").toString()), err.toString());
        assertFalse(Files.exists(root.resolve("out.csv")));
    }

    @Test
    void corruptImageIsNamedAndNothingIsWritten() throws Exception {
        Path root = smallSet();
        Path bad = root.resolve("fused/b.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        assertNotEquals(0, run(args(root)));
        assertTrue(err.toString().contains(bad.toString()), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
        assertFalse(Files.exists(root.resolve("out.csv")));
        assertFalse(Files.exists(root.resolve("out.json")));
    }

    @Test
    void sizeMismatchIsListedAndFailsUnlessSkipped() throws Exception {
        Path root = smallSet();
        Path odd = root.resolve("fused/b.png");
        Files.delete(odd);
        ImageWriter.write(Image.gray(60, 48, new float[60 * 48]), odd, false);
        assertNotEquals(0, run(args(root)));
        assertTrue(err.toString().contains(odd.toString()) && err.toString().contains("60x48"), err.toString());
        assertFalse(Files.exists(root.resolve("out.csv")));

        assertEquals(0, run(args(root, "--skip-missing")), err.toString());
        List<MetricRow> rows = EvaluationCsv.read(root.resolve("out.csv"));
        assertTrue(rows.stream().allMatch(r -> r.image().equals("a")), "only the complete image: " + rows);
    }

    @Test
    void missingCounterpartIsListedAndFailsUnlessSkipped() throws Exception {
        Path root = smallSet();
        Path lonely = root.resolve("vis/c.png");
        ImageWriter.write(Image.gray(64, 48, new float[64 * 48]), lonely, false);
        assertNotEquals(0, run(args(root)));
        assertTrue(err.toString().contains(lonely.toString()) && err.toString().contains("infrared"),
                err.toString());
        assertFalse(Files.exists(root.resolve("out.csv")));
        assertEquals(0, run(args(root, "--skip-missing", "--metrics", "EN")), err.toString());
        assertEquals(2, EvaluationCsv.read(root.resolve("out.csv")).size());
    }

    @Test
    void imageTooSmallForAMetricIsNamed() throws Exception {
        Path root = tmp.resolve("tiny");
        for (String dir : List.of("ir", "vis", "fused")) {
            ImageWriter.write(Image.gray(16, 12, new float[192]), root.resolve(dir).resolve("t.png"), false);
        }
        assertEquals(Errors.USER_ERROR, run(args(root, "--metrics", "VIF")));
        assertTrue(err.toString().contains(root.resolve("fused/t.png").toString()), err.toString());
        assertFalse(Files.exists(root.resolve("out.csv")));
    }

    @Test
    void unknownMetricOrProfileIsAUserError() throws Exception {
        Path root = smallSet();
        assertEquals(Errors.USER_ERROR, run(args(root, "--metrics", "EN,Bogus")));
        assertTrue(err.toString().contains("Bogus"), err.toString());
        assertEquals(Errors.USER_ERROR, run(args(root, "--profile", "vifb", "--metrics", "VIF")));
        assertFalse(Files.exists(root.resolve("out.csv")));
    }
}
