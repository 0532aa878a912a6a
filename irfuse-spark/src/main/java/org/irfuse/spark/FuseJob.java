package org.irfuse.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import java.io.ByteArrayInputStream;
import java.util.Map;
import javax.imageio.ImageIO;
import org.irfuse.core.align.Aligner;
import org.irfuse.core.align.Transform;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.image.Resize;
import org.irfuse.core.metrics.Evaluator;
import org.irfuse.core.metrics.Metric;
import org.irfuse.core.metrics.Profile;
import org.irfuse.nn.fusion.Fuser;

/**
 * {@code irfuse spark fuse}: the fusion of {@code irfuse fuse}, partitioned over pairs. Each task streams its
 * pairs through the executor's one model ({@link FusionWorkers}); every image is read through the Hadoop file
 * system and decoded by the project's reader, fused, encoded by the project's writer (so the bytes equal the CLI's
 * for the same precision) and written atomically. A pair whose output exists is skipped (reruns finish what is
 * left); a pair that fails is a {@code failed} row with its error, never a failed job.
 */
public final class FuseJob {
    /** Everything a task needs, shipped with it. */
    /**
     * @param align {@code none}, {@code translation}, {@code affine} or {@code deformable} (as {@code irfuse fuse
     *     --align})
     * @param profile the metric profile when the job scores what it writes, else null
     * @param metrics the metric labels to compute (in this order), or null for none
     */
    public record Options(String model, String device, String precision, String format, boolean overwrite,
            boolean resizeIr, long tileAbove, int tile, int threadsPerTask, String align, String profile,
            List<String> metrics) implements Serializable {
        public Options {
            format = format.toLowerCase(Locale.ROOT);
            if (!format.equals("png") && !format.equals("jpg")) {
                throw new IllegalArgumentException("--image-format must be png or jpg, got '" + format + "'");
            }
            Transform.Model.parse(align); // an unknown model is refused on the driver, once
            metrics = metrics == null ? null : List.copyOf(metrics);
            if (metrics != null) {
                // Refuses an unknown profile or a metric the profile does not define before any task runs.
                new Evaluator(Profile.parse(profile), metrics.stream().map(Metric::parse).toList());
            }
        }

        /** The options without metrics or alignment (as before they existed). */
        public Options(String model, String device, String precision, String format, boolean overwrite,
                boolean resizeIr, long tileAbove, int tile, int threadsPerTask) {
            this(model, device, precision, format, overwrite, resizeIr, tileAbove, tile, threadsPerTask, "none", null,
                    null);
        }

        FusionWorkers.Key key() {
            return new FusionWorkers.Key(model, device, precision, tileAbove, tile);
        }
    }

    private FuseJob() {
    }

    /**
     * Fuses {@code pairs} into {@code outDir} ({@code name.png|jpg}) in {@code partitions} tasks and returns one
     * result per pair, in input order.
     */
    public static List<PairResult> run(SparkSession spark, HadoopFiles files, List<PairTask> pairs, String outDir,
            int partitions, Options options) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return sc.parallelize(pairs, Math.max(1, Math.min(partitions, pairs.size())))
                .mapPartitions(it -> stream(it, t -> fuseOne(t, files, outDir, options)))
                .collect();
    }

    /** Processes a partition's pairs one at a time as Spark pulls them (nothing buffered). */
    static <T, R> Iterator<R> stream(Iterator<T> in, java.util.function.Function<T, R> work) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return in.hasNext();
            }

            @Override
            public R next() {
                return work.apply(in.next());
            }
        };
    }

    static String output(String outDir, String name, String format) {
        return outDir + "/" + name + "." + format;
    }

    static PairResult fuseOne(PairTask t, HadoopFiles files, String outDir, Options o) {
        long t0 = System.nanoTime();
        String out = output(outDir, t.name(), o.format());
        try {
            if (!o.overwrite() && files.exists(out)) {
                return new PairResult(t.name(), t.infrared(), t.visible(), out, PairResult.SKIPPED, null,
                        PairResult.since(t0), null);
            }
            Image vis = files.readImage(t.visible(), false);
            // Read once: fusion takes it reduced to one channel (ImageReader#readInfrared is this reduction of
            // the read image); the metrics score against it as read, as irfuse eval does.
            Image irRead = files.readImage(t.infrared(), false);
            Image ir = ImageReader.toGray(irRead);
            boolean moved = false;
            Transform.Model align = Transform.Model.parse(o.align());
            if (align != Transform.Model.NONE) {
                // irfuse fuse --align: its public entry point, called as FuseCommand calls it.
                // An untrusted alignment fuses unaligned, with the CLI's warning (in the executor's log).
                java.util.Optional<Image> aligned = Aligner.builder().model(align).threads(o.threadsPerTask())
                        .build().alignForFusion(ir, vis, messagePath(t.infrared()), messagePath(t.visible()),
                                w -> System.err.println("irfuse: warning: " + w));
                if (aligned.isPresent()) {
                    ir = aligned.get();
                    moved = true;
                }
            }
            if (!moved && !ir.sameSize(vis)) {
                if (!o.resizeIr()) {
                    throw new IOException(t.infrared() + ": size " + ir.sizeString() + " differs from "
                            + t.visible() + " (" + vis.sizeString() + "); pass --resize-ir to resize the infrared "
                            + "image to the visible one");
                }
                ir = Resize.bilinear(ir, vis.width(), vis.height());
                moved = true;
            }
            FusionWorkers workers = FusionWorkers.get(o.key(), o.threadsPerTask());
            Fuser fuser = workers.borrow();
            Image fused;
            try {
                fused = fuser.fuse(ir, vis);
            } finally {
                workers.release(fuser);
            }
            byte[] encoded = ImageWriter.encode(fused, o.format().equals("png") ? "png" : "jpeg",
                    ImageWriter.JPEG_QUALITY);
            double[] metrics = o.metrics() == null ? null : score(encoded, moved ? ir : irRead, vis, o);
            files.writeAtomically(out, encoded, o.overwrite());
            return new PairResult(t.name(), t.infrared(), t.visible(), out, PairResult.OK, null,
                    PairResult.since(t0), workers.precision().id(), metrics);
        } catch (IOException | RuntimeException e) {
            return PairResult.failed(t, out, e, t0);
        }
    }

    /**
     * The metrics of the image as written: the encoded bytes decoded by the project's one conversion
     * ({@link ImageReader#fromBufferedImage}), so the values are those {@code irfuse eval} computes from the saved
     * file, without reading it back. An infrared image that was aligned or resized is scored on the visible grid.
     */
    static double[] score(byte[] encoded, Image ir, Image vis, Options o) throws IOException {
        Image saved = ImageReader.fromBufferedImage(ImageIO.read(new ByteArrayInputStream(encoded)));
        Evaluator evaluator = new Evaluator(Profile.parse(o.profile()),
                o.metrics().stream().map(Metric::parse).toList());
        Map<Metric, Double> values = evaluator.pair(ir, vis).evaluate(saved);
        double[] out = new double[o.metrics().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(Metric.parse(o.metrics().get(i)));
        }
        return out;
    }

    /** A file as the aligner names it in messages: the local path of a file: URI, else the URI. */
    private static java.nio.file.Path messagePath(String uri) {
        java.net.URI u = java.net.URI.create(uri);
        return "file".equals(u.getScheme()) ? java.nio.file.Path.of(u) : java.nio.file.Path.of(uri);
    }
}
