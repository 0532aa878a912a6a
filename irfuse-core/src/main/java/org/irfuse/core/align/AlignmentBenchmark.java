package org.irfuse.core.align;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.pairs.FolderPairing;

/**
 * Measures alignment on the deliberately warped MSRS infrared images ({@code msrs/ir_warp}, README of the shared
 * data): each is aligned to its visible image ({@code msrs/vi}) and compared with its registered version
 * ({@code msrs/ir}) as the mean absolute difference in grey levels (0–255) inside {@code msrs/ir_valid} (the whole
 * image when a pair has no validity file) and inside the aligned image's own data mask, before and after
 * alignment; coverage says what fraction of the valid area the aligned image holds data for. Also the time per
 * pair (images decoded beforehand) with the aligner's thread count.
 */
public final class AlignmentBenchmark {
    /** One pair's figures. */
    public record PairResult(String name, double madBefore, double madAfter, double coverage, double millis,
            AlignmentQuality quality) {
    }

    private AlignmentBenchmark() {
    }

    /** Aligns every {@code ir_warp} image of the MSRS folder and measures it (at most {@code limit} pairs). */
    public static List<PairResult> run(Path msrs, Aligner aligner, int limit) throws Exception {
        List<PairResult> out = new ArrayList<>();
        var pairs = FolderPairing.pair(msrs.resolve("ir_warp"), msrs.resolve("vi")).pairs();
        for (var p : pairs.subList(0, Math.min(limit, pairs.size()))) {
            Image warped = ImageReader.readInfrared(p.infrared());
            Image vis = ImageReader.read(p.visible());
            Image registered = ImageReader.readInfrared(msrs.resolve("ir").resolve(p.infrared().getFileName()));
            Path validFile = msrs.resolve("ir_valid").resolve(p.infrared().getFileName());
            int[] valid = Files.exists(validFile) ? ImageReader.read(validFile).samples8(0) : null;
            long t0 = System.nanoTime();
            Alignment a = aligner.align(warped, vis);
            double ms = (System.nanoTime() - t0) / 1e6;
            int[] w = warped.samples8(0);
            int[] r = registered.samples8(0);
            int[] al = a.aligned().samples8(0);
            float[] m = a.mask().data();
            double before = 0;
            double after = 0;
            long nb = 0;
            long na = 0;
            for (int i = 0; i < w.length; i++) {
                if (valid != null && valid[i] < 128) {
                    continue;
                }
                before += Math.abs(w[i] - r[i]);
                nb++;
                if (m[i] > 0) {
                    after += Math.abs(al[i] - r[i]);
                    na++;
                }
            }
            out.add(new PairResult(p.name(), before / nb, na == 0 ? Double.NaN : after / na, na / (double) nb, ms,
                    a.quality()));
        }
        return out;
    }

    /** The report: one line per pair, then median and worst before/after, over all pairs and over trusted ones. */
    public static String report(List<PairResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("pair      MAD before  after  coverage  confidence  trusted   ms\n");
        for (PairResult r : results) {
            sb.append(String.format(Locale.ROOT, "%-8s %8.2f %8.2f %8.3f %10.2f %8s %6.0f%n", r.name(), r.madBefore(),
                    r.madAfter(), r.coverage(), r.quality().confidence(), r.quality().trusted() ? "yes" : "no",
                    r.millis()));
        }
        double[] before = results.stream().mapToDouble(PairResult::madBefore).sorted().toArray();
        double[] after = results.stream().mapToDouble(PairResult::madAfter).sorted().toArray();
        double[] trusted = results.stream().filter(r -> r.quality().trusted()).mapToDouble(PairResult::madAfter)
                .sorted().toArray();
        double[] ms = results.stream().mapToDouble(PairResult::millis).sorted().toArray();
        sb.append(String.format(Locale.ROOT, "%d pairs: MAD before median %.2f worst %.2f; after median %.2f worst "
                + "%.2f; trusted %d: median %.2f worst %.2f; min coverage %.3f; time per pair median %.0f ms%n",
                results.size(), median(before), before[before.length - 1], median(after), after[after.length - 1],
                trusted.length, trusted.length == 0 ? Double.NaN : median(trusted),
                trusted.length == 0 ? Double.NaN : trusted[trusted.length - 1],
                results.stream().mapToDouble(PairResult::coverage).min().orElse(Double.NaN), median(ms)));
        return sb.toString();
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
