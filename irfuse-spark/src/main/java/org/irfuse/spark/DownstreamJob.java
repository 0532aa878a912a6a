package org.irfuse.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.irfuse.core.detection.Box;
import org.irfuse.core.detection.YoloLabels;
import org.irfuse.core.image.Image;
import org.irfuse.core.segmentation.ClassPalette;
import org.irfuse.core.segmentation.LabelMap;
import org.irfuse.core.segmentation.SegmentationLabels;
import org.irfuse.nn.downstream.DownstreamEvaluation;
import org.irfuse.nn.downstream.ImageSource;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Precision;

/**
 * {@code irfuse spark downstream}: the downstream score of {@code irfuse eval downstream}, judged where the images
 * are. Each task judges its samples with the executor's frozen judges ({@link JudgeWorkers}) through
 * {@link DownstreamEvaluation#judge} — infrared, visible, the mean and max baselines and every fused method, in
 * the CLI's order — and returns the per-image detections (and confusion matrices); the driver scores them in
 * sample order with {@link DownstreamEvaluation#score}, the same code and order the CLI uses, so the AP values are
 * the CLI's. A sample that cannot be judged is a {@code failed} row naming the file; since mAP over part of a set
 * is a different number, the scores are then not written.
 */
public final class DownstreamJob {
    /** A labelled pair: sources, box labels, optional segmentation labels, each method's fused file. */
    record Sample(String name, String infrared, String visible, String boxes, String segmentation,
            List<String> fused) implements Serializable {
    }

    /** What a task returns per sample: its row, and the judges' output when it succeeded. */
    record Outcome(PairResult result, DownstreamEvaluation.Judged judged) implements Serializable {
    }

    /** The job's result: one row per sample (input order), the scores, or none when a sample failed. */
    public record Result(List<PairResult> pairs, List<DownstreamEvaluation.SourceScore> scores) {
    }

    /** The column name of the fusion model run on the fly, as {@code irfuse eval downstream --fusion-model}. */
    static final String ON_THE_FLY = ImageSource.ON_THE_FLY;

    /** The built-in columns of {@code irfuse eval downstream}, before the fused methods. */
    static List<ImageSource> builtInSources() {
        return List.of(ImageSource.infrared(), ImageSource.visible(), ImageSource.mean(), ImageSource.max());
    }

    private DownstreamJob() {
    }

    /**
     * @param methods the fused methods' names, in the order each sample lists its fused files
     * @param fusion the model to fuse with on the executors ({@code --fusion-model}), judged as the last column
     *     {@link #ON_THE_FLY}, or null
     */
    static Result run(SparkSession spark, HadoopFiles files, List<Sample> samples, List<String> methods,
            FusionWorkers.Key fusion, JudgeWorkers.Key key, int threads, int partitions) {
        List<String> sourceNames = new ArrayList<>();
        builtInSources().forEach(s -> sourceNames.add(s.name()));
        sourceNames.addAll(methods);
        if (fusion != null) {
            sourceNames.add(ON_THE_FLY);
        }
        for (String m : sourceNames) {
            if (sourceNames.indexOf(m) != sourceNames.lastIndexOf(m)) {
                throw new IllegalArgumentException("two sources are named '" + m + "'");
            }
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Outcome> outcomes = sc.parallelize(samples, Math.max(1, Math.min(partitions, samples.size())))
                .mapPartitions(it -> FuseJob.stream(it, s -> judge(s, files, key, threads, methods, fusion)))
                .collect();
        List<PairResult> pairs = outcomes.stream().map(Outcome::result).toList();
        if (outcomes.stream().anyMatch(o -> o.judged() == null)) {
            return new Result(pairs, null);
        }
        List<DownstreamEvaluation.Judged> judged = outcomes.stream().map(Outcome::judged).toList();
        return new Result(pairs, DownstreamEvaluation.score(sourceNames, key.classes().size(),
                key.segmenterWeights() != null, judged));
    }

    /**
     * The fusion model of {@code irfuse eval downstream --fusion-model}: float32 with the default tiling whatever
     * the judges' precision, as the CLI's {@code new Fuser(network, compute)}, so the judges see the same image.
     */
    static FusionWorkers.Key fusionKey(String model, String device) {
        // "default" is the shipped model, the one spark fuse loads without --model: one key, one copy per JVM.
        return new FusionWorkers.Key(FusionModel.isDefault(java.nio.file.Path.of(model)) ? null : model, device, Precision.FP32.id(), Fuser.DEFAULT_TILE_ABOVE,
                Fuser.DEFAULT_TILE);
    }

    static Outcome judge(Sample s, HadoopFiles files, JudgeWorkers.Key key, int threads, List<String> methods,
            FusionWorkers.Key fusion) {
        long t0 = System.nanoTime();
        PairTask task = new PairTask(s.name(), s.infrared(), s.visible(), s.boxes());
        try {
            // Read as irfuse eval downstream reads (DownstreamEvaluation#run): infrared reduced to one channel.
            Image ir = files.readImage(s.infrared(), true);
            Image vis = files.readImage(s.visible(), false);
            if (!ir.sameSize(vis)) {
                throw new IOException(s.infrared() + ": size " + ir.sizeString() + " differs from " + s.visible()
                        + " (" + vis.sizeString() + ")");
            }
            List<Box> truth = YoloLabels.parse(files.readString(s.boxes()), s.boxes(), ir.width(), ir.height());
            LabelMap segTruth = null;
            if (key.segmenterWeights() != null && s.segmentation() != null) {
                segTruth = files.readLocally(s.segmentation(), f -> SegmentationLabels.read(f, ClassPalette.MSRS));
            }
            List<ImageSource> sources = new ArrayList<>(builtInSources());
            for (int i = 0; i < methods.size(); i++) {
                String file = s.fused().get(i);
                sources.add(ImageSource.of(methods.get(i), (id, a, b) -> fused(files, file, b)));
            }
            JudgeWorkers workers = JudgeWorkers.get(key, threads);
            FusionWorkers fusers = fusion == null ? null : FusionWorkers.get(fusion, threads);
            DownstreamEvaluation judges = workers.borrow();
            Fuser fuser = fusers == null ? null : fusers.borrow();
            try {
                if (fuser != null) {
                    // The CLI's on-the-fly column: fused here, rounded to 8 bits as a written PNG would be.
                    sources.add(ImageSource.fusion(ON_THE_FLY, fuser));
                }
                DownstreamEvaluation.Judged j = judges.judge(s.name(), ir, vis, truth, s.boxes(), segTruth,
                        s.segmentation(), sources, null);
                return new Outcome(new PairResult(s.name(), s.infrared(), s.visible(), null, PairResult.OK, null,
                        PairResult.since(t0), workers.precision().id()), j);
            } finally {
                workers.release(judges);
                if (fuser != null) {
                    fusers.release(fuser);
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Outcome(PairResult.failed(task, null, e, t0), null);
        }
    }

    /** A method's fused image, checked against its pair's size as {@link ImageSource#folder} checks it. */
    private static Image fused(HadoopFiles files, String file, Image vis) throws IOException {
        Image img = files.readImage(file, false);
        if (!img.sameSize(vis)) {
            throw new IOException(file + ": size " + img.sizeString() + " differs from its pair ("
                    + vis.sizeString() + ")");
        }
        return img;
    }

    /**
     * The driver's listing, from folders or a table ({@link PairInputs}). Box labels come from {@code --labels DIR}
     * ({@code NAME.txt}, checked here, as the CLI refuses a missing one) or, without it, from the table's
     * {@code label} column; each method's fused image from its {@code --fused-dir} folder (checked here) or its
     * {@code --fused-column}. A file a table names is not looked up here (one request per file on a cluster file
     * system): a missing one fails its pair in the task.
     */
    static List<Sample> samples(SparkSession spark, HadoopFiles files, PairInputs.Source source, String labels,
            String segLabels, Map<String, String> dirs, Map<String, String> columns) throws IOException {
        if (!source.isTable() && !columns.isEmpty()) {
            throw new IllegalArgumentException("--fused-column needs --table (with folders use --fused-dir)");
        }
        List<String> need = new ArrayList<>(new TreeSet<>(columns.values()));
        if (labels == null) {
            if (!source.isTable()) {
                throw new IllegalArgumentException("--labels DIR is needed with --ir-dir/--vis-dir (a --table may "
                        + "give a 'label' column instead)");
            }
            need.add(PairInputs.LABEL);
        }
        PairInputs.Listing listing = source.list(spark, files, need);
        if (!listing.unmatched().isEmpty()) {
            throw new IOException(listing.unmatched().size() + " images without a counterpart, e.g. "
                    + listing.unmatched().get(0).replace(" (skipped)", ""));
        }
        String labelDir = labels == null ? null : files.qualify(labels);
        if (labelDir != null && !files.isDirectory(labelDir)) {
            throw new IOException(labels + ": label folder not found");
        }
        Map<String, String> segIndex = segLabels == null ? Map.of() : files.index(files.qualify(segLabels));
        Map<String, Map<String, String>> fused = PairInputs.methods(files, listing, dirs, columns);
        List<String> methodNames = List.copyOf(fused.keySet());
        List<Sample> out = new ArrayList<>();
        for (PairTask p : listing.pairs()) {
            String box = p.label();
            if (labelDir != null) {
                box = labelDir + "/" + p.name() + ".txt";
                if (!files.exists(box)) {
                    throw new IOException(box + ": no box labels for pair '" + p.name() + "' (an image without "
                            + "objects needs an empty file)");
                }
            }
            String seg = null;
            if (segLabels != null) {
                seg = segIndex.get(p.name());
                if (seg == null) {
                    throw new IOException(segLabels + ": no segmentation label for pair '" + p.name() + "'");
                }
            }
            List<String> f = new ArrayList<>();
            for (String m : methodNames) {
                String file = fused.get(m).get(p.name());
                if (file == null) {
                    throw new IOException(dirs.get(m) + ": no fused image for pair '" + p.name() + "' (method " + m
                            + ")");
                }
                f.add(file);
            }
            out.add(new Sample(p.name(), p.infrared(), p.visible(), box, seg, f));
        }
        if (out.isEmpty()) {
            throw new IOException(source.describe() + ": no pairs");
        }
        return out;
    }
}
