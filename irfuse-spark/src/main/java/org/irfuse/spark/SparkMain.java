package org.irfuse.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ai.djl.Device;
import org.apache.spark.sql.SparkSession;
import org.irfuse.core.detection.DetectionDataset;
import org.irfuse.core.metrics.EvaluationCsv;
import org.irfuse.core.metrics.Metric;
import org.irfuse.core.metrics.MetricRow;
import org.irfuse.core.metrics.MetricTable;
import org.irfuse.core.metrics.Profile;
import org.irfuse.nn.downstream.DownstreamResults;
import org.irfuse.nn.pretrained.ClassMapping;
import org.irfuse.nn.pretrained.Padding;
import org.irfuse.nn.pretrained.YoloDetector;
import org.irfuse.nn.runtime.Precision;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse spark}: fusion and metrics partitioned over pairs on Apache Spark. {@code bin/irfuse spark ...}
 * runs it on this machine ({@code --master local[N]}); on a cluster, {@code spark-submit --class
 * org.irfuse.spark.SparkMain irfuse-spark.jar fuse ...} (docs/spark.md). The commands parse options, build the
 * Spark session and call {@link FuseJob} / {@link EvalJob}.
 */
@Command(name = "irfuse spark", mixinStandardHelpOptions = true,
        description = "Fusion and metrics partitioned over pairs on Apache Spark (docs/spark.md).",
        subcommands = {SparkMain.Fuse.class, SparkMain.Eval.class, SparkMain.Downstream.class,
            CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {
    /** Exit code when some pairs failed (listed, the others done), as irfuse fuse (docs/reliability.md). */
    static final int SOME_FAILED = 1;
    /** Exit code for a usage or input error (nothing done), as the irfuse command. */
    static final int USER_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command in-process and returns its exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof IOException || ex instanceof IllegalArgumentException) {
                line.getErr().println("irfuse spark: error: " + ex.getMessage());
                line.getErr().flush();
                return USER_ERROR;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    /** Options every job has. */
    static class Common {
        @Option(names = "--master", paramLabel = "URL",
                description = "Spark master, e.g. local[2] (default: spark-submit's, else local[*])")
        String master;

        @Option(names = "--partitions", paramLabel = "N",
                description = "tasks to split the pairs into (default: 4 per task slot)")
        Integer partitions;

        @Option(names = "--overwrite", description = "replace existing outputs")
        boolean overwrite;

        /** Whether this command made its session (and so stops it); false when it joined a running one. */
        private boolean ownSession;

        /**
         * The running session when there is one (a program or test that calls {@link #execute} with its own
         * session keeps it, and {@code --master} is then ignored), else a new one that {@link #finish} stops.
         */
        SparkSession session(String job) {
            scala.Option<SparkSession> running = SparkSession.getActiveSession().isDefined()
                    ? SparkSession.getActiveSession() : SparkSession.getDefaultSession();
            if (running.isDefined() && !running.get().sparkContext().isStopped()) {
                ownSession = false;
                return running.get();
            }
            ownSession = true;
            SparkSession.Builder b = SparkSession.builder().appName("irfuse " + job);
            if (master != null) {
                b.master(master);
            } else if (System.getProperty("spark.master") == null) {
                b.master("local[*]");
            }
            SparkSession spark = b.getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            return spark;
        }

        void finish(SparkSession spark) {
            if (ownSession) {
                spark.stop();
            }
        }

        int partitions(SparkSession spark) {
            if (partitions != null) {
                if (partitions < 1) {
                    throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
                }
                return partitions;
            }
            return 4 * spark.sparkContext().defaultParallelism();
        }
    }

    /**
     * The pairs of every job, read one way ({@link PairInputs}): two folders paired by name, or a table.
     * Used as an exclusive {@code @ArgGroup(multiplicity = "1")}.
     */
    static final class Pairs {
        @ArgGroup(exclusive = false)
        Folders folders;

        @Option(names = "--table", paramLabel = "FILE", description = ".csv (with header) or .parquet (any "
                + "Hadoop URI) with columns infrared, visible and optional name, label, plus the job's path columns "
                + "(docs/spark.md); relative paths are relative to the table")
        String table;

        static final class Folders {
            @Option(names = "--ir-dir", required = true, paramLabel = "DIR") String irDir;
            @Option(names = "--vis-dir", required = true, paramLabel = "DIR") String visDir;
        }

        PairInputs.Source source() {
            return table != null ? new PairInputs.Source(null, null, table)
                    : new PairInputs.Source(folders.irDir, folders.visDir, null);
        }
    }

    /** The fused methods of eval and downstream: folders paired by name, and (with a table) columns. */
    static final class FusedMethods {
        @Option(names = "--fused-dir", paramLabel = "NAME=DIR",
                description = "a method's fused images, by pair name (repeatable; also with --table)")
        List<String> dirs = new ArrayList<>();

        @Option(names = "--fused-column", paramLabel = "NAME=COLUMN",
                description = "with --table: a method's fused image per row, in COLUMN (repeatable; COLUMN alone "
                        + "names the method after it); listed after the --fused-dir methods")
        List<String> columns = new ArrayList<>();

        Map<String, String> dirs() {
            return methods(dirs, "--fused-dir", "DIR");
        }

        Map<String, String> columns() {
            // A name given by both options is refused where they meet (PairInputs#methods).
            return methods(columns.stream().map(x -> x.contains("=") ? x : x + "=" + x).toList(), "--fused-column",
                    "COLUMN");
        }
    }

    /**
     * libtorch threads per task: in {@code local[N]} the machine's cores shared by the N task slots of the one JVM
     * (libtorch's pool is process-wide); on a cluster {@code spark.task.cpus} (executor cores / task slots).
     */
    static int threadsPerTask(SparkSession spark) {
        String master = spark.sparkContext().master();
        int cores = Runtime.getRuntime().availableProcessors();
        if (master.equals("local")) {
            return cores;
        }
        Matcher m = Pattern.compile("^local\\[(\\d+|\\*)").matcher(master);
        if (m.find()) {
            int slots = m.group(1).equals("*") ? cores : Integer.parseInt(m.group(1));
            return Math.max(1, cores / Math.max(1, slots));
        }
        return Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
    }

    @Command(name = "fuse", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Fuse pairs on Spark, as irfuse fuse; writes OUT/NAME.png and a per-pair result table.",
                "  irfuse spark fuse --ir-dir IR --vis-dir VIS --out-dir OUT --master local[2]",
                "  irfuse spark fuse --table pairs.csv --out-dir hdfs:///fused"})
    static final class Fuse extends Common implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Pairs input;

        @Option(names = "--out-dir", required = true, paramLabel = "DIR", description = "fused images (path or URI)")
        String outDir;

        @Option(names = "--image-format", defaultValue = "png", paramLabel = "png|jpg",
                description = "fused image format (as irfuse fuse --image-format)") String format;

        @Option(names = "--results", paramLabel = "DIR",
                description = "where fuse-results.csv and .parquet go (default: OUT/_irfuse)")
        String results;

        @Option(names = "--model", paramLabel = "DIR",
                description = "a saved model folder present on every executor (default: the shipped model)")
        String model;

        @Option(names = "--precision", defaultValue = "auto", description = "fp32, bf16 or auto (as irfuse fuse)")
        String precision;

        @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu") String device;

        @Option(names = "--resize-ir", description = "resize the infrared image to the visible one's size")
        boolean resizeIr;

        @Option(names = "--tile-above", defaultValue = "4", paramLabel = "MP",
                description = "fuse images above this many megapixels in tiles (as irfuse fuse)")
        double tileAboveMegapixels;

        @Option(names = "--tile", defaultValue = "512", description = "side of a tile in pixels") int tile;

        @Option(names = "--threads-per-task", paramLabel = "N",
                description = "libtorch threads per task (default: cores / task slots in local mode, "
                        + "spark.task.cpus on a cluster)")
        Integer threadsPerTask;

        @Option(names = "--align", defaultValue = "none", description = "align the infrared image to the visible "
                + "one first: none (default), translation, affine or deformable (as irfuse fuse)")
        String align;

        @Option(names = "--profile", paramLabel = "PROFILE", description = "also score each written image with "
                + "this metric profile's metrics (cddfuse, tang2022, tang2023, vifb; as irfuse eval): one column "
                + "per metric in the result table")
        String profile;

        @Option(names = "--metrics", paramLabel = "LIST", split = ",",
                description = "metrics to add as columns (default with --profile: all it defines; alone: of cddfuse)")
        List<String> metrics;

        @Override
        public Integer call() throws Exception {
            PrintStream err = System.err;
            String metricProfile = profile != null ? profile : metrics != null ? "cddfuse" : null;
            // Labels as irfuse eval writes them (a user's "en" is the column EN).
            List<String> metricLabels = metricProfile == null ? null
                    : (metrics != null ? metrics.stream().map(Metric::parse).toList()
                            : Profile.parse(metricProfile).metrics()).stream().map(Metric::label).toList();
            SparkSession spark = session("fuse");
            try {
                HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
                PairInputs.Listing listing = input.source().list(spark, files, List.of());
                listing.unmatched().forEach(u -> err.println("irfuse spark: " + u));
                if (listing.pairs().isEmpty()) {
                    throw new IOException("no pairs: no file name appears in both folders");
                }
                String out = files.qualify(outDir);
                int threads = threadsPerTask != null ? threadsPerTask : threadsPerTask(spark);
                // The model path is read on each executor as given (a relative path resolves in the executor's working
                // folder, where --archives unpacks), never made absolute here.
                FuseJob.Options o = new FuseJob.Options(model, device, precision, format, overwrite, resizeIr,
                        (long) (tileAboveMegapixels * 1_000_000L), tile, threads, align, metricProfile,
                        metricLabels);
                if (tile < 16) {
                    throw new IllegalArgumentException("--tile must be at least 16 pixels, got " + tile);
                }
                // Unknown words are refused here, once, rather than as a failed row for every pair.
                Precision.resolve(precision, Device.cpu());
                if (!List.of("auto", "cpu", "gpu").contains(device.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("unknown device '" + device + "' (expected auto, cpu or gpu)");
                }
                long t0 = System.nanoTime();
                List<PairResult> rows = FuseJob.run(spark, files, listing.pairs(), out, partitions(spark), o);
                double seconds = (System.nanoTime() - t0) / 1e9;
                String resultsDir = results != null ? files.qualify(results) : out + "/_irfuse";
                ResultTables.writePairs(spark, files, resultsDir, "fuse-results", rows,
                        metricLabels == null ? List.of() : metricLabels);
                return report(err, "fused", rows, seconds, spark, threads, resultsDir + "/fuse-results.csv");
            } finally {
                finish(spark);
            }
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Fusion metrics on Spark, as irfuse eval: the same per-image CSV rows, plus a per-scene "
                    + "result table.",
                "  irfuse spark eval --ir-dir IR --vis-dir VIS --fused-dir Ours=OUT --profile cddfuse --out r.csv",
                "  irfuse spark eval --table pairs.parquet --fused-column Ours=fused --out r.csv"})
    static final class Eval extends Common implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Pairs input;

        @CommandLine.Mixin
        FusedMethods fused;

        @Option(names = "--profile", defaultValue = "cddfuse",
                description = "cddfuse (default), tang2022, tang2023, vifb (as irfuse eval)")
        String profile;

        @Option(names = "--metrics", paramLabel = "LIST", split = ",",
                description = "metrics to compute (default: all the profile defines)")
        List<String> metrics;

        @Option(names = "--out", defaultValue = "results.csv", paramLabel = "FILE",
                description = "per-image CSV (irfuse eval's format); beside it NAME.json (summary), NAME.parquet "
                        + "and NAME-pairs.csv/.parquet (per-scene status)")
        String out;

        @Override
        public Integer call() throws Exception {
            Map<String, String> dirs = fused.dirs();
            Map<String, String> columns = fused.columns();
            if (dirs.isEmpty() && columns.isEmpty()) {
                throw new IllegalArgumentException("no method to score: give --fused-dir NAME=DIR (or, with "
                        + "--table, --fused-column NAME=COLUMN)");
            }
            if (!out.toLowerCase(Locale.ROOT).endsWith(".csv")) {
                throw new IllegalArgumentException("--out must end in .csv, got " + out);
            }
            SparkSession spark = session("eval");
            try {
                HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
                String csv = files.qualify(out);
                String stem = csv.substring(0, csv.length() - 4);
                if (!overwrite && files.exists(csv)) {
                    throw new IOException(csv + ": exists; pass --overwrite to replace it");
                }
                long t0 = System.nanoTime();
                List<EvalJob.Scene> scenes = EvalJob.scenes(spark, files, input.source(), dirs, columns);
                List<String> methods = new ArrayList<>(dirs.keySet());
                methods.addAll(columns.keySet());
                EvalJob.Result r = EvalJob.run(spark, files, scenes, methods, profile, metrics, partitions(spark));
                double seconds = (System.nanoTime() - t0) / 1e9;
                String dir = stem.substring(0, stem.lastIndexOf('/'));
                String base = stem.substring(stem.lastIndexOf('/') + 1);
                ResultTables.writePairs(spark, files, dir, base + "-pairs", r.pairs());
                if (!r.rows().isEmpty()) {
                    List<MetricRow> rows = r.rows();
                    files.writeAtomically(csv, EvaluationCsv.format(rows).getBytes(StandardCharsets.UTF_8), true);
                    files.writeAtomically(stem + ".json", new MetricTable(rows).summaryJson()
                            .getBytes(StandardCharsets.UTF_8), true);
                    ResultTables.writeMetrics(spark, stem + ".parquet", rows);
                    System.out.println("wrote " + csv + " (" + rows.size() + " values), " + stem + ".json and "
                            + stem + ".parquet");
                }
                return report(System.err, "evaluated", r.pairs(), seconds, spark, 0, stem + "-pairs.csv");
            } finally {
                finish(spark);
            }
        }
    }

    @Command(name = "downstream", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Downstream score on Spark, as irfuse eval downstream: the frozen YOLOv5n (and MFNet) judge "
                    + "infrared, visible, mean/max baselines and each fused method on the executors; AP on the driver.",
                "  irfuse spark downstream --ir-dir msrs/ir --vis-dir msrs/vi --labels msrs/det_labels/fusion \\",
                "      --detector-weights yolov5n_coco.npz --fused-dir Ours=OUT --out downstream.csv",
                "  irfuse spark downstream --table pairs.parquet --detector-weights yolov5n_coco.npz \\",
                "      --fusion-model default --out downstream.csv"})
    static final class Downstream extends Common implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Pairs input;

        @Option(names = "--labels", paramLabel = "DIR",
                description = "YOLO box labels <id>.txt (cls cx cy w h, normalised), one per pair; needed with "
                        + "folders, else a --table's label column")
        String labels;

        @Option(names = "--classes", defaultValue = "msrs", paramLabel = "SET",
                description = "dataset classes: msrs (person, bicycle, car), m3fd, a classes.txt, or a comma list")
        String classes;

        @Option(names = "--class-map", paramLabel = "COCO=CLASS,...",
                description = "COCO classes counted as dataset classes (default: same names)")
        String classMap;

        @Option(names = "--detector-weights", required = true, paramLabel = "FILE",
                description = "YOLOv5n weights .npz, readable at this path on every executor")
        String detectorWeights;

        @Option(names = "--segmenter-weights", paramLabel = "FILE",
                description = "MFNet weights .npz (on every executor): also score segmentation (mIoU)")
        String segmenterWeights;

        @Option(names = "--seg-labels", paramLabel = "DIR",
                description = "9-class label PNGs <id>.png (default: pseudo-labels MFNet(visible, infrared))")
        String segLabels;

        @CommandLine.Mixin
        FusedMethods fused;

        @Option(names = "--fusion-model", paramLabel = "default|DIR",
                description = "also fuse on the executors with this model (the shipped one: default; a folder "
                        + "present on every executor), judged as column 'irfuse' (as irfuse eval downstream)")
        String fusionModel;

        @Option(names = "--pad", defaultValue = "bottom-right", paramLabel = "WHERE",
                description = "padding to a multiple of 32 (gray 114): bottom-right (default) or center")
        String pad;

        @Option(names = "--score-threshold", defaultValue = "0.001") double scoreThreshold;
        @Option(names = "--nms-iou", defaultValue = "0.45") double nmsIou;
        @Option(names = "--max-per-class", defaultValue = "300") int maxPerClass;

        @Option(names = "--out", defaultValue = "downstream.csv", paramLabel = "FILE",
                description = "long-form CSV (irfuse eval downstream's); beside it NAME.json (summary) and "
                        + "NAME-pairs.csv/.parquet (per-pair status)")
        String out;

        @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu") String device;

        @Option(names = "--precision", defaultValue = "fp32",
                description = "fp32 (default), bf16 or auto for the judges (as irfuse eval downstream)")
        String precision;

        @Option(names = "--threads-per-task", paramLabel = "N",
                description = "libtorch threads per task (default as spark fuse)")
        Integer threadsPerTask;

        @Override
        public Integer call() throws Exception {
            Map<String, String> dirs = fused.dirs();
            Map<String, String> columns = fused.columns();
            if (!out.toLowerCase(Locale.ROOT).endsWith(".csv")) {
                throw new IllegalArgumentException("--out must end in .csv, got " + out);
            }
            if (segLabels != null && segmenterWeights == null) {
                throw new IllegalArgumentException("--seg-labels needs --segmenter-weights");
            }
            List<String> classNames = DetectionDataset.classes(classes);
            // Refused here, once, rather than on every executor.
            ClassMapping mapping = ClassMapping.parse(classMap, ClassMapping.COCO, classNames);
            YoloDetector.Settings settings = new YoloDetector.Settings(scoreThreshold, nmsIou, maxPerClass,
                    Padding.parse(pad));
            Precision.resolve(precision, Device.cpu());
            SparkSession spark = session("downstream");
            try {
                HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
                String csv = files.qualify(out);
                String stem = csv.substring(0, csv.length() - 4);
                for (String f : List.of(csv, stem + ".json")) {
                    if (!overwrite && files.exists(f)) {
                        throw new IOException(f + ": exists; pass --overwrite to replace it");
                    }
                }
                PairInputs.Source source = input.source();
                List<DownstreamJob.Sample> samples = DownstreamJob.samples(spark, files, source, labels, segLabels,
                        dirs, columns);
                List<String> methods = new ArrayList<>(dirs.keySet());
                methods.addAll(columns.keySet());
                int threads = threadsPerTask != null ? threadsPerTask : threadsPerTask(spark);
                JudgeWorkers.Key key = new JudgeWorkers.Key(detectorWeights, segmenterWeights, device, precision,
                        classNames, classMap, scoreThreshold, nmsIou, maxPerClass, pad);
                long t0 = System.nanoTime();
                FusionWorkers.Key fusion = fusionModel == null ? null
                        : DownstreamJob.fusionKey(fusionModel, device);
                DownstreamJob.Result r = DownstreamJob.run(spark, files, samples, methods, fusion, key, threads,
                        partitions(spark));
                double seconds = (System.nanoTime() - t0) / 1e9;
                String dir = stem.substring(0, stem.lastIndexOf('/'));
                String base = stem.substring(stem.lastIndexOf('/') + 1);
                ResultTables.writePairs(spark, files, dir, base + "-pairs", r.pairs());
                if (r.scores() != null) {
                    // The CLI's files: the same references and settings, as the user wrote the paths.
                    DownstreamResults.References refs = new DownstreamResults.References(labels != null
                            ? asGiven(labels) : asGiven(source.table()) + "#" + PairInputs.LABEL,
                            segLabels == null ? "" : asGiven(segLabels));
                    Map<String, Object> set = DownstreamResults.settings(asGiven(detectorWeights),
                            segmenterWeights == null ? null : asGiven(segmenterWeights), mapping, settings);
                    files.writeAtomically(csv, DownstreamResults.csv(r.scores(), classNames, refs)
                            .getBytes(StandardCharsets.UTF_8), true);
                    files.writeAtomically(stem + ".json", DownstreamResults.json(r.scores(), classNames, refs,
                            samples.size(), set).getBytes(StandardCharsets.UTF_8), true);
                    System.out.print(DownstreamResults.table(r.scores(), classNames));
                    System.out.println("wrote " + csv + " and " + stem + ".json");
                } else {
                    System.err.println("irfuse spark: scores not written: mAP over part of the set would be another "
                            + "number; fix the failed pairs and rerun");
                }
                return report(System.err, "judged", r.pairs(), seconds, spark, threads, stem + "-pairs.csv");
            } finally {
                finish(spark);
            }
        }
    }

    /** A path as {@code irfuse} prints it (a local path normalised as {@link java.nio.file.Path} does; URIs as given). */
    static String asGiven(String p) {
        return p.contains(":") ? p : java.nio.file.Path.of(p).toString();
    }

    /** {@code NAME=VALUE} options in order, refusing a malformed one or a name given twice. */
    static Map<String, String> methods(List<String> values, String option, String what) {
        Map<String, String> methods = new LinkedHashMap<>();
        for (String s : values) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new IllegalArgumentException(option + " expects NAME=" + what + ", got '" + s + "'");
            }
            if (methods.put(s.substring(0, eq).strip(), s.substring(eq + 1)) != null) {
                throw new IllegalArgumentException(option + ": method name '" + s.substring(0, eq).strip()
                        + "' given twice");
            }
        }
        return methods;
    }

    /** One summary line, the failures (first 20), and the exit code: {@link #SOME_FAILED} when any failed. */
    static int report(PrintStream err, String verb, List<PairResult> rows, double seconds, SparkSession spark,
            int threads, String table) {
        long ok = rows.stream().filter(r -> r.status().equals(PairResult.OK)).count();
        long skipped = rows.stream().filter(r -> r.status().equals(PairResult.SKIPPED)).count();
        List<PairResult> failed = rows.stream().filter(r -> r.status().equals(PairResult.FAILED)).toList();
        failed.stream().limit(20).forEach(f -> err.println("irfuse spark: failed: " + f.error()));
        if (failed.size() > 20) {
            err.println("irfuse spark: ... and " + (failed.size() - 20) + " more failures (see " + table + ")");
        }
        err.printf(Locale.ROOT, "%s %d, skipped %d, failed %d of %d pairs in %.1f s (%.3f pairs/s) on %s%s; "
                + "table %s%n", verb, ok, skipped, failed.size(), rows.size(), seconds, ok / seconds,
                spark.sparkContext().master(), threads > 0 ? ", " + threads + " libtorch thread(s) per task" : "",
                table);
        err.flush();
        return failed.isEmpty() ? 0 : SOME_FAILED;
    }
}
