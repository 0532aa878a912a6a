package org.irfuse.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.irfuse.cli.Main;
import org.irfuse.core.io.SharedData;
import org.irfuse.core.metrics.EvaluationCsv;
import org.irfuse.core.metrics.MetricRow;
import org.irfuse.core.metrics.Profile;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One small Spark job in local[2] on three real MSRS pairs (plus a corrupt one), against what the real
 * {@code irfuse fuse} and {@code irfuse eval} commands write in this JVM: byte-identical images, equal metric
 * rows, a failed row (not a failed job) for the corrupt pair, and a rerun that skips what is done.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkJobsTest {
    static final List<String> NAMES = List.of("00001D", "00003N", "00006N");

    @TempDir
    static Path dir;
    static Path good;
    static Path all;
    static Path cliOut;
    static Path sparkOut;
    static boolean haveData;
    static SparkSession spark;
    /** The first fuse run's table, with the cddfuse metric columns (the rerun replaces the file). */
    static List<String> fuseTable;

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        Optional<Path> data = SharedData.data();
        haveData = data.isPresent() && Files.isDirectory(data.get().resolve("msrs/ir"));
        if (!haveData) {
            System.err.println("SparkJobsTest skipped: ../shared/data/msrs is absent (set -Dirfuse.shared)");
            return;
        }
        // No web UI, no guessing of this host's name: the job stays on loopback.
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.driver.host", "localhost");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
        // One session for every test: the commands join a running session instead of starting their own.
        spark = SparkSession.builder().master("local[2]").appName("SparkJobsTest").getOrCreate();
        Path msrs = data.get().resolve("msrs");
        good = dir.resolve("good");
        all = dir.resolve("all");
        for (Path root : List.of(good, all)) {
            Files.createDirectories(root.resolve("ir"));
            Files.createDirectories(root.resolve("vi"));
            for (String n : NAMES) {
                Files.copy(msrs.resolve("ir/" + n + ".png"), root.resolve("ir/" + n + ".png"));
                Files.copy(msrs.resolve("vi/" + n + ".png"), root.resolve("vi/" + n + ".png"));
            }
        }
        // A corrupt infrared file: the first half of a PNG.
        byte[] png = Files.readAllBytes(msrs.resolve("ir/00005N.png"));
        Files.write(all.resolve("ir/00005N.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Files.copy(msrs.resolve("vi/00005N.png"), all.resolve("vi/00005N.png"));
        cliOut = dir.resolve("cli");
        sparkOut = dir.resolve("spark");
        assertEquals(0, Main.execute("fuse", "--ir-dir", good.resolve("ir").toString(), "--vis-dir",
                good.resolve("vi").toString(), "--out-dir", cliOut.toString(), "--precision", "fp32",
                "--threads", "1"));
    }

    static Map<String, String[]> resultRows(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertTrue(lines.get(0).startsWith(String.join(",", PairResult.COLUMNS)), lines.get(0));
        return lines.stream().skip(1).map(l -> l.split(",", -1)).collect(Collectors.toMap(f -> f[0], f -> f));
    }

    @Test
    @Order(1)
    void fusesByteIdenticalToTheCliAndAFailedPairIsARow() throws Exception {
        assumeTrue(haveData, "../shared/data/msrs is absent");
        int code = SparkMain.execute("fuse", "--ir-dir", all.resolve("ir").toString(), "--vis-dir",
                all.resolve("vi").toString(), "--out-dir", sparkOut.toString(), "--precision", "fp32",
                "--master", "local[2]", "--profile", "cddfuse");
        assertEquals(SparkMain.SOME_FAILED, code, "one pair failed, so the exit code says so");
        fuseTable = Files.readAllLines(sparkOut.resolve("_irfuse/fuse-results.csv"));
        for (String n : NAMES) {
            assertArrayEquals(Files.readAllBytes(cliOut.resolve(n + ".png")),
                    Files.readAllBytes(sparkOut.resolve(n + ".png")), n + ": bytes differ from irfuse fuse");
        }
        assertFalse(Files.exists(sparkOut.resolve("00005N.png")), "no output for the corrupt pair");
        try (Stream<Path> s = Files.list(sparkOut)) {
            assertEquals(List.of("00001D.png", "00003N.png", "00006N.png", "_irfuse"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary or checksum files");
        }
        Map<String, String[]> rows = resultRows(sparkOut.resolve("_irfuse/fuse-results.csv"));
        assertEquals(4, rows.size());
        for (String n : NAMES) {
            assertEquals("ok", rows.get(n)[4]);
            assertEquals("fp32", rows.get(n)[7]);
            assertTrue(Double.parseDouble(rows.get(n)[6]) > 0);
        }
        String[] bad = rows.get("00005N");
        assertEquals("failed", bad[4]);
        assertTrue(bad[5].contains("00005N.png") && bad[5].contains("corrupt"), bad[5]);
        assertTrue(Files.isDirectory(sparkOut.resolve("_irfuse/fuse-results.parquet")));
    }

    @Test
    @Order(2)
    void rerunSkipsWhatIsDoneAndATableNamesOutputs() throws Exception {
        assumeTrue(haveData, "../shared/data/msrs is absent");
        Path first = sparkOut.resolve("00001D.png");
        Files.setLastModifiedTime(first, FileTime.fromMillis(1_000_000_000_000L));
        int code = SparkMain.execute("fuse", "--ir-dir", all.resolve("ir").toString(), "--vis-dir",
                all.resolve("vi").toString(), "--out-dir", sparkOut.toString(), "--precision", "fp32",
                "--master", "local[2]");
        assertEquals(SparkMain.SOME_FAILED, code);
        Map<String, String[]> rows = resultRows(sparkOut.resolve("_irfuse/fuse-results.csv"));
        NAMES.forEach(n -> assertEquals("skipped", rows.get(n)[4], n));
        assertEquals("failed", rows.get("00005N")[4]);
        assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(first).toMillis(), "a done image is untouched");

        // A table input: relative paths, a name column that renames the output.
        Files.writeString(good.resolve("pairs.csv"), "infrared,visible,name\nir/00003N.png,vi/00003N.png,night\n");
        Path tableOut = dir.resolve("table-out");
        assertEquals(0, SparkMain.execute("fuse", "--table", good.resolve("pairs.csv").toString(), "--out-dir",
                tableOut.toString(), "--precision", "fp32", "--master", "local[2]"));
        assertArrayEquals(Files.readAllBytes(cliOut.resolve("00003N.png")),
                Files.readAllBytes(tableOut.resolve("night.png")));
    }

    @Test
    @Order(3)
    void evalRowsEqualTheCli() throws Exception {
        assumeTrue(haveData, "../shared/data/msrs is absent");
        Path cliCsv = dir.resolve("cli-eval.csv");
        assertEquals(0, Main.execute("eval", "--ir-dir", good.resolve("ir").toString(), "--vis-dir",
                good.resolve("vi").toString(), "--fused-dir", "Ours=" + cliOut, "--out", cliCsv.toString(),
                "--threads", "1"));
        Path sparkCsv = dir.resolve("spark-eval.csv");
        assertEquals(0, SparkMain.execute("eval", "--ir-dir", good.resolve("ir").toString(), "--vis-dir",
                good.resolve("vi").toString(), "--fused-dir", "Ours=" + sparkOut, "--out", sparkCsv.toString(),
                "--master", "local[2]"));
        List<MetricRow> expected = EvaluationCsv.read(cliCsv);
        assertEquals(3 * Profile.CDDFUSE.metrics().size(), expected.size(), "every cddfuse metric of 3 images");
        assertEquals(expected, EvaluationCsv.read(sparkCsv));
        assertEquals(Files.readString(cliCsv), Files.readString(sparkCsv), "the same file, byte for byte");
        Map<String, String[]> pairs = resultRows(dir.resolve("spark-eval-pairs.csv"));
        NAMES.forEach(n -> assertEquals("ok", pairs.get(n)[4], n));

        // The metric columns spark fuse --profile cddfuse computed right after fusing equal irfuse eval's values
        // on the written files, exactly; the failed pair has none.
        String[] header = fuseTable.get(0).split(",");
        List<String> labels = Profile.CDDFUSE.metrics().stream().map(m -> m.label()).toList();
        assertEquals(labels, List.of(header).subList(PairResult.COLUMNS.length, header.length));
        Map<String, Double> cli = expected.stream().collect(Collectors.toMap(r -> r.image() + "/" + r.metric(),
                MetricRow::value));
        for (String line : fuseTable.subList(1, fuseTable.size())) {
            String[] f = line.split(",", -1);
            for (int i = 0; i < labels.size(); i++) {
                String v = f[PairResult.COLUMNS.length + i];
                if (f[0].equals("00005N")) {
                    assertEquals("", v, "no metrics for the failed pair");
                } else {
                    assertEquals(cli.get(f[0] + "/" + labels.get(i)), Double.parseDouble(v), 0.0,
                            f[0] + " " + labels.get(i));
                }
            }
        }
        assertTrue(Files.isDirectory(dir.resolve("spark-eval.parquet")));

        // The same scenes from a CSV table (rows out of order, relative and file: paths, the fused images in a
        // column) give the same file; a fourth row whose fused image is missing is a failed row naming it, not a
        // failed job, and adds no metric rows.
        StringBuilder table = new StringBuilder("infrared,visible,fused,name\n");
        for (String n : List.of("00006N", "00001D", "00003N")) {
            table.append("ir/").append(n).append(".png,vi/").append(n).append(".png,")
                    .append(cliOut.resolve(n + ".png").toUri()).append(',').append(n).append('\n');
        }
        // Named, since its infrared file's name is taken.
        table.append("ir/00001D.png,vi/00001D.png,").append(cliOut.resolve("gone.png").toUri()).append(",lost\n");
        Files.writeString(good.resolve("eval.csv"), table);
        Path tableCsv = dir.resolve("table-eval.csv");
        assertEquals(SparkMain.SOME_FAILED, SparkMain.execute("eval", "--table", good.resolve("eval.csv").toString(),
                "--fused-column", "Ours=fused", "--out", tableCsv.toString(), "--master", "local[2]"));
        assertEquals(Files.readString(cliCsv), Files.readString(tableCsv), "table input gives irfuse eval's file");
        String[] lost = resultRows(dir.resolve("table-eval-pairs.csv")).get("lost");
        assertEquals("failed", lost[4]);
        assertTrue(lost[5].contains(cliOut.resolve("gone.png").toString()), lost[5]);

        // A table that cannot be used is refused as a whole, naming the file (and column or row), exit 2.
        org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
        HadoopFiles files = new HadoopFiles(conf);
        String evalTable = good.resolve("eval.csv").toString();
        java.io.IOException noColumn = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> PairInputs.table(spark, files, evalTable, List.of("theirs")));
        assertTrue(noColumn.getMessage().startsWith(evalTable + ": no column 'theirs'"), noColumn.getMessage());
        assertEquals(SparkMain.USER_ERROR, SparkMain.execute("eval", "--table", evalTable, "--fused-column",
                "Theirs=theirs", "--out", dir.resolve("never.csv").toString()));
        assertFalse(Files.exists(dir.resolve("never-pairs.csv")), "nothing written for a bad table");
        Path garbage = dir.resolve("garbage.parquet");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        java.io.IOException unreadable = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> PairInputs.table(spark, files, garbage.toString(), List.of()));
        assertEquals(garbage + ": not a Parquet file (no PAR1 magic at its start and end)", unreadable.getMessage());
        // In a folder (as Spark writes Parquet) the file is found by Spark's read: the cause's one line, the table
        // named.
        Path garbageDir = dir.resolve("garbage-dir.parquet");
        Files.createDirectories(garbageDir);
        Files.copy(garbage, garbageDir.resolve("part-0.parquet"));
        java.io.IOException inFolder = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> PairInputs.table(spark, files, garbageDir.toString(), List.of()));
        assertTrue(inFolder.getMessage().startsWith(garbageDir + ": cannot read it as Parquet (")
                && inFolder.getMessage().contains("part-0.parquet is not a Parquet file"), inFolder.getMessage());
        Path empty = good.resolve("empty-cell.csv");
        Files.writeString(empty, "infrared,visible,fused\nir/00001D.png,vi/00001D.png,\n");
        java.io.IOException emptyCell = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> PairInputs.table(spark, files, empty.toString(), List.of("fused")));
        assertEquals(empty + ": row 1: empty 'fused' path", emptyCell.getMessage());
    }

    @Test
    @Order(4)
    void downstreamEqualsTheCli() throws Exception {
        assumeTrue(haveData, "../shared/data/msrs is absent");
        Optional<Path> weights = SharedData.model("yolov5n_coco.npz");
        assumeTrue(weights.isPresent(), SharedData.missingModelMessage("yolov5n_coco.npz"));
        Path labels = dir.resolve("labels");
        Files.createDirectories(labels);
        for (String n : NAMES) {
            Files.copy(SharedData.data().get().resolve("msrs/det_labels/fusion/" + n + ".txt"),
                    labels.resolve(n + ".txt"));
        }
        String[] common = {"--ir-dir", good.resolve("ir").toString(), "--vis-dir", good.resolve("vi").toString(),
            "--labels", labels.toString(), "--detector-weights", weights.get().toString(), "--fused-dir",
            "Ours=" + cliOut};
        Path cliCsv = dir.resolve("cli-ds.csv");
        Path sparkCsv = dir.resolve("spark-ds.csv");
        List<String> cli = new java.util.ArrayList<>(List.of("eval", "downstream"));
        cli.addAll(List.of(common));
        cli.addAll(List.of("--out", cliCsv.toString(), "--threads", "1"));
        assertEquals(0, Main.execute(cli.toArray(String[]::new)));
        List<String> job = new java.util.ArrayList<>(List.of("downstream"));
        job.addAll(List.of(common));
        job.addAll(List.of("--out", sparkCsv.toString(), "--master", "local[2]"));
        assertEquals(0, SparkMain.execute(job.toArray(String[]::new)));
        String csv = Files.readString(cliCsv);
        // 5 sources (infrared, visible, mean, max, Ours) × 2 interpolations × (2 mAP rows + 2 per labelled class).
        assertTrue(csv.lines().filter(l -> l.startsWith("Ours,detection,all,mAP50,voc,")).count() == 1, csv);
        assertEquals(csv, Files.readString(sparkCsv), "the same CSV, byte for byte");
        assertEquals(Files.readString(dir.resolve("cli-ds.json")), Files.readString(dir.resolve("spark-ds.json")),
                "the same JSON summary");
        Map<String, String[]> pairs = resultRows(dir.resolve("spark-ds-pairs.csv"));
        NAMES.forEach(n -> assertEquals("ok", pairs.get(n)[4], n));

        // The same pairs from a Parquet table (relative source paths, file: label URIs, the fused images in a
        // column): the same scores; only the boxes reference names the table's label column instead of the folder.
        Path dsTable = dir.resolve("ds-pairs.parquet");
        List<org.apache.spark.sql.Row> rows = NAMES.stream().map(n -> org.apache.spark.sql.RowFactory.create(
                "good/ir/" + n + ".png", "good/vi/" + n + ".png", labels.resolve(n + ".txt").toUri().toString(),
                cliOut.resolve(n + ".png").toString())).toList();
        spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType()
                .add("infrared", "string").add("visible", "string").add("label", "string").add("ours", "string"))
                .coalesce(1).write().parquet(dsTable.toString());
        try (Stream<Path> parts = Files.list(dsTable)) {
            Path part = parts.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
            assertTrue(new HadoopFiles(spark.sparkContext().hadoopConfiguration()).hasParquetMagic(part.toString()),
                    part + ": a Parquet file Spark wrote has the magic");
        }
        Path tableCsv = dir.resolve("table-ds.csv");
        assertEquals(0, SparkMain.execute("downstream", "--table", dsTable.toString(), "--detector-weights",
                weights.get().toString(), "--fused-column", "Ours=ours", "--out", tableCsv.toString(), "--master",
                "local[2]"));
        String reference = dsTable + "#label";
        assertEquals(csv.replace(labels.toString(), reference), Files.readString(tableCsv));
        assertEquals(Files.readString(dir.resolve("cli-ds.json")).replace(labels.toString(), reference),
                Files.readString(dir.resolve("table-ds.json")));

        // --fusion-model default on one pair (a fusion costs more than the judges): the files of irfuse eval
        // downstream --fusion-model default; and the column fused on the fly scores exactly as the PNG irfuse fuse
        // wrote with the same model (Ours), since it is rounded to 8 bits as the PNG is.
        Path single = dir.resolve("single");
        for (String sub : List.of("ir", "vi")) {
            Files.createDirectories(single.resolve(sub));
            Files.copy(good.resolve(sub + "/00001D.png"), single.resolve(sub + "/00001D.png"));
        }
        String[] fusing = {"--ir-dir", single.resolve("ir").toString(), "--vis-dir", single.resolve("vi").toString(),
            "--labels", labels.toString(), "--detector-weights", weights.get().toString(), "--fused-dir",
            "Ours=" + cliOut, "--fusion-model", "default"};
        List<String> cliFusing = new java.util.ArrayList<>(List.of("eval", "downstream"));
        cliFusing.addAll(List.of(fusing));
        cliFusing.addAll(List.of("--out", dir.resolve("cli-fm.csv").toString(), "--threads", "1"));
        assertEquals(0, Main.execute(cliFusing.toArray(String[]::new)));
        List<String> jobFusing = new java.util.ArrayList<>(List.of("downstream"));
        jobFusing.addAll(List.of(fusing));
        jobFusing.addAll(List.of("--out", dir.resolve("spark-fm.csv").toString(), "--master", "local[2]"));
        assertEquals(0, SparkMain.execute(jobFusing.toArray(String[]::new)));
        String fm = Files.readString(dir.resolve("cli-fm.csv"));
        assertEquals(fm, Files.readString(dir.resolve("spark-fm.csv")), "the same CSV as the CLI's, byte for byte");
        assertEquals(Files.readString(dir.resolve("cli-fm.json")), Files.readString(dir.resolve("spark-fm.json")));
        List<String> onTheFly = fm.lines().filter(l -> l.startsWith("irfuse,")).map(l -> l.substring(7)).toList();
        // 2 interpolations × (2 mAP rows + AP50 and AP50:95 of each of the 3 classes labelled in 00001D).
        assertEquals(16, onTheFly.size(), fm);
        assertEquals(fm.lines().filter(l -> l.startsWith("Ours,")).map(l -> l.substring(5)).toList(), onTheFly);

        // A pair that cannot be read (the corrupt infrared file of setUp): a failed row naming it, exit 1, and no
        // scores over part of the set. One pair, failing before any detection, so it costs no inference.
        Path one = dir.resolve("one");
        for (String sub : List.of("ir", "vi", "labels")) {
            Files.createDirectories(one.resolve(sub));
        }
        Files.copy(all.resolve("ir/00005N.png"), one.resolve("ir/00005N.png"));
        Files.copy(all.resolve("vi/00005N.png"), one.resolve("vi/00005N.png"));
        Files.copy(SharedData.data().get().resolve("msrs/det_labels/fusion/00005N.txt"),
                one.resolve("labels/00005N.txt"));
        Path brokenCsv = dir.resolve("broken-ds.csv");
        assertEquals(SparkMain.SOME_FAILED, SparkMain.execute("downstream", "--ir-dir", one.resolve("ir").toString(),
                "--vis-dir", one.resolve("vi").toString(), "--labels", one.resolve("labels").toString(),
                "--detector-weights", weights.get().toString(), "--out", brokenCsv.toString()));
        assertFalse(Files.exists(brokenCsv), "no scores when a pair failed");
        String[] bad = resultRows(dir.resolve("broken-ds-pairs.csv")).get("00005N");
        assertEquals("failed", bad[4]);
        assertTrue(bad[5].contains("00005N.png") && bad[5].contains("corrupt"), bad[5]);
    }

    @Test
    @Order(5)
    void alignsAsIrfuseFuseAligns() throws Exception {
        assumeTrue(haveData, "../shared/data/msrs is absent");
        Path msrs = SharedData.data().get().resolve("msrs");
        Path warped = msrs.resolve("ir_warp/00005N.png");
        assumeTrue(Files.exists(warped), SharedData.missingMessage("msrs/ir_warp"));
        Path cliFused = dir.resolve("aligned-cli.png");
        assertEquals(0, Main.execute("fuse", "--ir", warped.toString(), "--vis", msrs.resolve("vi/00005N.png")
                .toString(), "-o", cliFused.toString(), "--align", "translation", "--precision", "fp32",
                "--threads", "1"));
        Path table = dir.resolve("warped.csv");
        Files.writeString(table, "infrared,visible\n" + warped + "," + msrs.resolve("vi/00005N.png") + "\n");
        Path out = dir.resolve("aligned-spark");
        assertEquals(0, SparkMain.execute("fuse", "--table", table.toString(), "--out-dir", out.toString(),
                "--align", "translation", "--precision", "fp32", "--master", "local[2]"));
        assertArrayEquals(Files.readAllBytes(cliFused), Files.readAllBytes(out.resolve("00005N.png")),
                "spark fuse --align writes the bytes irfuse fuse --align writes");
        assertEquals(2, SparkMain.execute("fuse", "--table", table.toString(), "--out-dir", out.toString(),
                "--align", "sideways"), "an unknown model is a usage error before any work");
    }
}
