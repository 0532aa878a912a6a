package org.irfuse.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.image.ImageWriter;

/** Inputs for report tests, made here: images, evaluation CSVs computed from real pixels, and run folders. */
final class ReportFixtures {
    private ReportFixtures() {
    }

    /** A smooth gradient with noise (so it compresses like a photo, not like a flat field). */
    static Image texturedImage(int w, int h, int channels, long seed) {
        Random rnd = new Random(seed);
        float[] d = new float[channels * w * h];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 0.5 + 0.35 * Math.sin((x + 13 * c + seed) / 17.0) * Math.cos(y / 23.0)
                            + 0.04 * rnd.nextGaussian();
                    d[(c * h + y) * w + x] = (float) Math.max(0, Math.min(1, v));
                }
            }
        }
        return new Image(w, h, channels, d);
    }

    /** ir/, vi/ and one fused folder per method under {@code root}, {@code n} pairs of w×h. */
    static void writeDataset(Path root, int n, int w, int h, List<String> methods) throws IOException {
        for (int i = 0; i < n; i++) {
            String name = String.format("%03d", i);
            ImageWriter.write(texturedImage(w, h, 1, i), root.resolve("ir/" + name + ".png"), false);
            ImageWriter.write(texturedImage(w, h, 3, 1000 + i), root.resolve("vi/" + name + ".png"), false);
            for (int m = 0; m < methods.size(); m++) {
                ImageWriter.write(texturedImage(w, h, 3, 7 * m + 31L * i),
                        root.resolve("fused/" + methods.get(m) + "/" + name + ".png"), false);
            }
        }
    }

    /**
     * Real per-image statistics of fused images, in the evaluator's long form: mean intensity (MEAN), standard
     * deviation (SD), Shannon entropy of the 8-bit histogram (EN) and mean squared error against the infrared
     * image (MSE, lower is better).
     */
    static Path writeStatisticsCsv(Path csv, Path irDir, Map<String, Path> fusedDirs, String profile)
            throws IOException {
        StringBuilder sb = new StringBuilder(org.irfuse.core.metrics.EvaluationCsv.HEADER).append('\n');
        for (Map.Entry<String, Path> m : fusedDirs.entrySet()) {
            List<Path> files = new ArrayList<>();
            try (var s = Files.list(m.getValue())) {
                s.filter(ImageReader::hasImageExtension).sorted().forEach(files::add);
            }
            for (Path f : files) {
                String image = org.irfuse.core.pairs.FolderPairing.stem(f);
                Image fused = ImageReader.toGray(ImageReader.read(f));
                Path irFile = org.irfuse.core.pairs.FolderPairing.index(irDir).get(image);
                Image ir = ImageReader.readInfrared(irFile);
                int[] g = fused.samples8(0);
                int[] r = ir.samples8(0);
                double mean = 0;
                for (int v : g) {
                    mean += v;
                }
                mean /= g.length;
                double var = 0;
                double mse = 0;
                int[] hist = new int[256];
                for (int i = 0; i < g.length; i++) {
                    var += (g[i] - mean) * (g[i] - mean);
                    mse += (double) (g[i] - r[i]) * (g[i] - r[i]);
                    hist[g[i]]++;
                }
                double en = 0;
                for (int c : hist) {
                    if (c > 0) {
                        double p = c / (double) g.length;
                        en -= p * Math.log(p) / Math.log(2);
                    }
                }
                row(sb, m.getKey(), image, "MEAN", profile, mean);
                row(sb, m.getKey(), image, "SD", profile, Math.sqrt(var / g.length));
                row(sb, m.getKey(), image, "EN", profile, en);
                row(sb, m.getKey(), image, "MSE", profile, mse / g.length);
            }
        }
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Files.writeString(csv, sb.toString());
        return csv;
    }

    private static void row(StringBuilder sb, String method, String image, String metric, String profile,
            double value) {
        sb.append(csvField(method)).append(',').append(csvField(image)).append(',').append(metric).append(',')
                .append(profile).append(',').append(String.format(Locale.ROOT, "%.6f", value)).append('\n');
    }

    static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /**
     * A run folder like the trainer's: warm-up then bi-level steps, every documented field plus an unknown one
     * ({@code aux.extra}), and samples at three checkpoints for two sample names.
     */
    static Path writeRun(Path run, int steps) throws IOException {
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), "{\"lr\": 0.001, \"tasks\": [\"D\", \"T\"], "
                + "\"note\": \"<b>not bold</b>\"}");
        StringBuilder log = new StringBuilder();
        for (int s = 0; s < steps; s++) {
            boolean warm = s < steps / 4;
            double t = s + 1.0;
            log.append(String.format(Locale.ROOT, "{\"step\": %d, \"stage\": \"%s\", \"lr\": %.6g, "
                    + "\"loss.fusion\": %.6g, \"loss.D\": %.6g, \"loss.T\": %.6g", s, warm ? "warmup" : "bilevel",
                    1e-3 * Math.pow(0.999, s), 1.0 / Math.sqrt(t), 2.0 / t + 0.1, 1.5 / Math.sqrt(t) + 0.05));
            if (!warm) {
                double wd = 0.5 + 0.3 * Math.sin(s / 10.0);
                log.append(String.format(Locale.ROOT, ", \"loss.upper.D\": %.6g, \"loss.upper.T\": %.6g, "
                        + "\"r.D\": %.6g, \"r.T\": %.6g, \"weight.D\": %.6g, \"weight.T\": %.6g, "
                        + "\"gradnorm.D\": %.6g, \"gradnorm.T\": %.6g, \"gradnorm.agg\": %.6g, \"aux.extra\": %d",
                        1.0 / t, 1.2 / t, 0.9 + 0.1 * Math.cos(s / 7.0), 1.1 - 0.1 * Math.cos(s / 7.0), wd, 1 - wd,
                        3.0 / Math.sqrt(t), 2.0 / Math.sqrt(t), 2.5 / Math.sqrt(t), s % 5));
            }
            log.append("}\n");
        }
        Files.writeString(run.resolve("log.jsonl"), log.toString());
        int[] checkpoints = {steps / 3, 2 * steps / 3, steps - 1};
        for (int k = 0; k < checkpoints.length; k++) {
            Path dir = run.resolve(String.format("samples/step-%06d", checkpoints[k]));
            ImageWriter.write(texturedImage(120, 90, 1, 50 + k), dir.resolve("street.png"), false);
            ImageWriter.write(texturedImage(120, 90, 3, 80 + k), dir.resolve("car park.png"), false);
        }
        Files.createDirectories(run.resolve("model"));
        return run;
    }
}
