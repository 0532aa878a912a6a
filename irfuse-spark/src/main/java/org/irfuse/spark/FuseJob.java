package org.irfuse.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageWriter;
import org.irfuse.core.image.Resize;
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
    public record Options(String model, String device, String precision, String format, boolean overwrite,
            boolean resizeIr, long tileAbove, int tile, int threadsPerTask) implements Serializable {
        public Options {
            format = format.toLowerCase(Locale.ROOT);
            if (!format.equals("png") && !format.equals("jpg")) {
                throw new IllegalArgumentException("--format must be png or jpg, got '" + format + "'");
            }
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
            Image ir = files.readImage(t.infrared(), true);
            if (!ir.sameSize(vis)) {
                if (!o.resizeIr()) {
                    throw new IOException(t.infrared() + ": size " + ir.sizeString() + " differs from "
                            + t.visible() + " (" + vis.sizeString() + "); pass --resize-ir to resize the infrared "
                            + "image to the visible one");
                }
                ir = Resize.bilinear(ir, vis.width(), vis.height());
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
            files.writeAtomically(out, encoded, o.overwrite());
            return new PairResult(t.name(), t.infrared(), t.visible(), out, PairResult.OK, null,
                    PairResult.since(t0), workers.precision().id());
        } catch (IOException | RuntimeException e) {
            return PairResult.failed(t, out, e, t0);
        }
    }
}
