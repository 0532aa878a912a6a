import java.io.*;
import java.lang.management.*;
import java.lang.reflect.*;
import java.net.*;
import java.nio.file.*;
import java.util.*;

/**
 * Two builds of the irfuse metrics side by side, each in its own class loader of one JVM (docs/benchmarks.md,
 * "exact faster kernels"). {@code dump CP FILE}: every metric of the four profiles on TNO, VIFB, MSRS and M3FD
 * triples from ../shared/data, one line per value (compare two dumps with cmp or diff). {@code time OLD_CP NEW_CP
 * ROUNDS [profile]}: both warmed up, then timed alternately (which goes first alternates), medians and the median
 * of per-round ratios new/old, which is robust to the load of a shared machine. CP: a jar or classes folder (plus
 * gson), colon-separated. Run from the project root: {@code java tools/metrics-ab/MetricsAB.java time old.jar
 * irfuse-cli/target/irfuse.jar 31}.
 */
public class MetricsAB {
    static final Path DATA = Path.of(System.getProperty("irfuse.shared", "../shared"), "data");

    static final class Impl {
        final ClassLoader cl;
        final Method read, toGray, allMetrics, parse, evaluate, pair, pairEvaluate, gray;

        Impl(String cp) throws Exception {
            URL[] urls = Arrays.stream(cp.split(":")).map(s -> {
                try { return Path.of(s).toUri().toURL(); } catch (Exception e) { throw new RuntimeException(e); }
            }).toArray(URL[]::new);
            cl = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
            Class<?> ev = cl.loadClass("org.irfuse.core.metrics.Evaluator");
            Class<?> prof = cl.loadClass("org.irfuse.core.metrics.Profile");
            Class<?> img = cl.loadClass("org.irfuse.core.image.Image");
            Class<?> reader = cl.loadClass("org.irfuse.core.image.ImageReader");
            read = reader.getMethod("read", Path.class);
            toGray = reader.getMethod("toGray", img);
            allMetrics = ev.getMethod("allMetrics", prof);
            parse = prof.getMethod("parse", String.class);
            evaluate = ev.getMethod("evaluate", img, img, img);
            pair = ev.getMethod("pair", img, img);
            pairEvaluate = cl.loadClass("org.irfuse.core.metrics.Evaluator$Pair").getMethod("evaluate", img);
            gray = img.getMethod("gray", int.class, int.class, float[].class);
        }

        Object evaluator(String profile) throws Exception {
            return allMetrics.invoke(null, parse.invoke(null, profile));
        }

        Object read(Path p) throws Exception {
            return read.invoke(null, p);
        }

        /** w·gray(A) + (1 − w)·gray(B). */
        Object blend(Object a, Object b, float w) throws Exception {
            Object ga = toGray.invoke(null, a);
            Object gb = toGray.invoke(null, b);
            float[] da = (float[]) ga.getClass().getMethod("data").invoke(ga);
            float[] db = (float[]) gb.getClass().getMethod("data").invoke(gb);
            int width = (int) ga.getClass().getMethod("width").invoke(ga);
            int height = (int) ga.getClass().getMethod("height").invoke(ga);
            float[] f = new float[da.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = w == 0.5f ? (da[i] + db[i]) / 2 : w * da[i] + (1 - w) * db[i];
            }
            return gray.invoke(null, width, height, f);
        }
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "dump" -> dump(new Impl(args[1]), Path.of(args[2]));
            case "time" -> time(new Impl(args[1]), new Impl(args[2]), Integer.parseInt(args[3]), args.length > 4 ? args[4] : "cddfuse");
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    static void put(PrintWriter out, String key, Object map) {
        for (Map.Entry<Object, Double> e : ((Map<Object, Double>) map).entrySet()) {
            out.printf(Locale.ROOT, "%s %s %s%n", key, e.getKey(), Double.toString(e.getValue()));
        }
    }

    static void dump(Impl im, Path file) throws Exception {
        String[] profiles = {"tang2022", "tang2023", "cddfuse", "vifb"};
        Object[] ev = new Object[profiles.length];
        for (int i = 0; i < profiles.length; i++) {
            ev[i] = im.evaluator(profiles[i]);
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            // TNO: 17 scenes x 3 methods (one RGB, two gray); every profile through one prepared pair per scene.
            String[] tnoMethods = {"DenseFuse", "SeAFusion", "U2Fusion"};
            for (String n : names(DATA.resolve("tno/ir"))) {
                Object a = im.read(DATA.resolve("tno/ir").resolve(n));
                Object b = im.read(DATA.resolve("tno/vi").resolve(n));
                for (int p = 0; p < profiles.length; p++) {
                    Object pr = im.pair.invoke(ev[p], a, b);
                    for (String m : tnoMethods) {
                        Object f = im.read(DATA.resolve("tno/fused").resolve(m).resolve(n));
                        put(out, "tno/" + n + "/" + m + "/" + profiles[p], im.pairEvaluate.invoke(pr, f));
                    }
                }
            }
            // VIFB: 21 scenes x 3 methods, cold evaluate per triple.
            String[] vifbMethods = {"CNN", "SeAFusion", "TIF"};
            for (String n : names(DATA.resolve("vifb/ir"))) {
                Object a = im.read(DATA.resolve("vifb/ir").resolve(n));
                Object b = im.read(DATA.resolve("vifb/vi").resolve(n));
                String scene = n.substring(0, n.lastIndexOf('.'));
                for (String m : vifbMethods) {
                    Path fp = DATA.resolve("vifb/fused").resolve(scene + "_" + m + ".jpg");
                    if (!Files.exists(fp)) {
                        continue;
                    }
                    Object f = im.read(fp);
                    for (int p = 0; p < profiles.length; p++) {
                        put(out, "vifb/" + scene + "/" + m + "/" + profiles[p], im.evaluate.invoke(ev[p], a, b, f));
                    }
                }
            }
            // MSRS: 34 pairs, F = mean and 0.3-blend of the gray sources, plus F = A and F = B (edge cases g_X = g_F).
            for (String n : names(DATA.resolve("msrs/ir"))) {
                Object a = im.read(DATA.resolve("msrs/ir").resolve(n));
                Object b = im.read(DATA.resolve("msrs/vi").resolve(n));
                Object[] fs = {im.blend(a, b, 0.5f), im.blend(a, b, 0.3f), a, b};
                String[] fn = {"mean", "blend03", "A", "B"};
                for (int p = 0; p < profiles.length; p++) {
                    Object pr = im.pair.invoke(ev[p], a, b);
                    for (int k = 0; k < fs.length; k++) {
                        put(out, "msrs/" + n + "/" + fn[k] + "/" + profiles[p], im.pairEvaluate.invoke(pr, fs[k]));
                    }
                }
            }
            // M3FD (1024x768): 4 pairs with the BDLFusion outputs where present, else the mean.
            List<String> m3 = names(DATA.resolve("m3fd/ir"));
            for (String n : m3.subList(0, Math.min(6, m3.size()))) {
                Object a = im.read(DATA.resolve("m3fd/ir").resolve(n));
                Object b = im.read(DATA.resolve("m3fd/vi").resolve(n));
                Object f = im.blend(a, b, 0.5f);
                for (int p = 0; p < profiles.length; p++) {
                    put(out, "m3fd/" + n + "/mean/" + profiles[p], im.evaluate.invoke(ev[p], a, b, f));
                }
            }
        }
    }

    interface Job {
        void run() throws Exception;
    }

    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** {wall ms, thread cpu ms} of one run. */
    static double[] once(Job j) throws Exception {
        long c = MX.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        j.run();
        return new double[] {(System.nanoTime() - t) / 1e6, (MX.getCurrentThreadCpuTime() - c) / 1e6};
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static void time(Impl old, Impl neu, int rounds, String profile) throws Exception {
        Impl[] im = {old, neu};
        Job[] cold = new Job[2];
        Job[] more = new Job[2];
        String n = "00001D.png";
        for (int k = 0; k < 2; k++) {
            Impl x = im[k];
            Object ev = x.evaluator(profile);
            Object a = x.read(DATA.resolve("msrs/ir").resolve(n));
            Object b = x.read(DATA.resolve("msrs/vi").resolve(n));
            Object f = x.blend(a, b, 0.5f);
            Object other = x.blend(a, b, 0.3f);
            Object pr = x.pair.invoke(ev, a, b);
            x.pairEvaluate.invoke(pr, f);
            cold[k] = () -> x.evaluate.invoke(ev, a, b, f);
            more[k] = () -> x.pairEvaluate.invoke(pr, other);
        }
        for (int i = 0; i < 15; i++) {
            for (int k = 0; k < 2; k++) {
                cold[k].run();
                more[k].run();
            }
        }
        String[] what = {"one triple (cold)", "one more F of a prepared pair"};
        Job[][] jobs = {cold, more};
        for (int w = 0; w < 2; w++) {
            double[][] wall = new double[2][rounds];
            double[][] cpu = new double[2][rounds];
            double[] ratioWall = new double[rounds];
            double[] ratioCpu = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                int first = r % 2; // alternate which goes first
                for (int q = 0; q < 2; q++) {
                    int k = q == 0 ? first : 1 - first;
                    double[] t = once(jobs[w][k]);
                    wall[k][r] = t[0];
                    cpu[k][r] = t[1];
                }
                ratioWall[r] = wall[1][r] / wall[0][r];
                ratioCpu[r] = cpu[1][r] / cpu[0][r];
            }
            System.out.printf(Locale.ROOT, "%s, %s, %d alternating rounds: old wall %.1f ms cpu %.1f ms | new wall %.1f ms cpu %.1f ms | median ratio new/old wall %.3f cpu %.3f%n",
                    profile, what[w], rounds, median(wall[0]), median(cpu[0]), median(wall[1]), median(cpu[1]),
                    median(ratioWall), median(ratioCpu));
        }
    }
}
