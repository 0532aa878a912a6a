package org.irfuse.core.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.io.SharedData;
import org.irfuse.core.pairs.FolderPairing;

/**
 * Times the metrics of a profile (default {@code cddfuse}, all its metrics): the median over repetitions for one
 * 640×480 triple on one thread, per metric and all together; the same for one more fused image of a pair whose
 * source statistics are already prepared ({@link Evaluator#pair}: the cost of each further method of a scene);
 * the gray conversion alone; and the median wall time of a folder of 50 triples on 2 threads. Triples are MSRS pairs from {@code ../shared/data/msrs} (F = the mean of A and B) or, without
 * the shared data, seeded noise. Images are decoded before timing. Run:
 * {@code java -cp irfuse-core/target/classes:$(gson jar) org.irfuse.core.metrics.MetricsBenchmark [profile]}.
 */
public final class MetricsBenchmark {
    private MetricsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Profile profile = args.length > 0 ? Profile.parse(args[0]) : Profile.DEFAULT;
        List<Image[]> triples = triples(50);
        Evaluator all = Evaluator.allMetrics(profile);
        Image[] one = triples.get(0);
        System.out.printf(Locale.ROOT, "profile %s, %d metrics, triple %s, %s%n", profile.id(),
                all.metrics().size(), one[0].sizeString(), source);
        for (int i = 0; i < 15; i++) {
            all.evaluate(one[0], one[1], one[2]); // warm-up (JIT)
        }
        System.out.printf(Locale.ROOT, "one triple, 1 thread, all metrics: median %.1f ms%n",
                median(21, () -> all.evaluate(one[0], one[1], one[2])));
        // The fused side alone: a pair whose source statistics are already prepared scoring another fused image
        // (what each further method costs when eval scores several methods of one scene).
        Image other = blend(one[0], one[1], 0.3f);
        Evaluator.Pair prepared = all.pair(one[0], one[1]);
        prepared.evaluate(one[2]);
        System.out.printf(Locale.ROOT, "one more fused image of a prepared pair, 1 thread, all metrics: median %.1f ms%n",
                median(21, () -> prepared.evaluate(other)));
        System.out.printf(Locale.ROOT, "per metric, 1 thread (median ms): one triple | fused side of a prepared pair%n");
        List<Metric> rows = new ArrayList<>(profile.metrics());
        rows.add(0, null); // no metric: the three gray conversions alone, included in every figure
        for (Metric m : rows) {
            Evaluator single = new Evaluator(profile, m == null ? List.of() : List.of(m));
            Evaluator.Pair pair = single.pair(one[0], one[1]);
            pair.evaluate(one[2]);
            System.out.printf(Locale.ROOT, "  %-15s %6.1f | %6.1f%n", m == null ? "(gray only)" : m.label(),
                    median(11, () -> single.evaluate(one[0], one[1], one[2])),
                    median(11, () -> pair.evaluate(other)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            double folder = median(5, () -> {
                List<Future<Map<Metric, Double>>> fs = new ArrayList<>();
                for (Image[] t : triples) {
                    fs.add(pool.submit(() -> all.evaluate(t[0], t[1], t[2])));
                }
                for (Future<Map<Metric, Double>> f : fs) {
                    try {
                        f.get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            System.out.printf(Locale.ROOT, "%d triples, 2 threads, all metrics: median %.2f s%n", triples.size(),
                    folder / 1000);
        } finally {
            pool.shutdown();
        }
    }

    private static String source = "seeded noise";

    private static double median(int runs, Runnable r) {
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[runs / 2];
    }

    private static List<Image[]> triples(int n) throws Exception {
        List<Image[]> out = new ArrayList<>();
        Optional<Path> msrs = SharedData.resolve("msrs");
        if (msrs.isPresent()) {
            List<Image[]> pairs = new ArrayList<>();
            for (var p : FolderPairing.pair(msrs.get().resolve("ir"), msrs.get().resolve("vi")).pairs()) {
                Image a = ImageReader.read(p.infrared());
                Image b = ImageReader.read(p.visible());
                if (a.width() == 640 && a.height() == 480 && b.sameSize(a)) {
                    pairs.add(new Image[] {a, b, mean(ImageReader.toGray(a), ImageReader.toGray(b))});
                }
            }
            if (!pairs.isEmpty()) {
                source = pairs.size() + " MSRS pairs from " + msrs.get() + " (F = mean of gray A and B)";
                for (int i = 0; i < n; i++) {
                    out.add(pairs.get(i % pairs.size()));
                }
                return out;
            }
        }
        Random r = new Random(42);
        for (int i = 0; i < n; i++) {
            out.add(new Image[] {noise(r), noise(r), noise(r)});
        }
        return out;
    }

    private static Image mean(Image a, Image b) {
        float[] f = new float[a.pixels()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (a.data()[i] + b.data()[i]) / 2;
        }
        return Image.gray(a.width(), a.height(), f);
    }

    /** w·gray(A) + (1 − w)·gray(B): a second "method" for the same pair. */
    private static Image blend(Image a, Image b, float w) {
        Image ga = ImageReader.toGray(a);
        Image gb = ImageReader.toGray(b);
        float[] f = new float[a.pixels()];
        for (int i = 0; i < f.length; i++) {
            f[i] = w * ga.data()[i] + (1 - w) * gb.data()[i];
        }
        return Image.gray(a.width(), a.height(), f);
    }

    private static Image noise(Random r) {
        float[] f = new float[640 * 480];
        for (int i = 0; i < f.length; i++) {
            f[i] = r.nextInt(256) / 255f;
        }
        return Image.gray(640, 480, f);
    }

}
