package org.irfuse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageFormatException;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.io.SharedData;
import org.junit.jupiter.api.Test;

/**
 * VIFB's MATLAB values ({@code vifb/metrics/per_image.csv}, 5 significant digits) for every method with fused
 * images × 21 scenes, recomputed under {@code vifb}. JPEG decoders differ by ±1 grey level on some pixels, so a
 * value matches within 1e-3 relative, and each metric must match for at least 99 % of the images.
 *
 * <p>Two methods, YDTR and SwinFusion, are held to that only as a separate, reported figure: every mismatch of
 * the whole table (77 of 5,775 values) is one of theirs, while the other 23 methods match all their values.
 * Their JPEGs have the same format (baseline, 4:2:0, same quantisation tables) as the others, so the decoder is
 * not the cause; the values spread by 0.1–2.3 % in both directions, as if VIFB had scored different encodings of
 * those outputs than the ones shipped. They are still checked to 2e-2 relative (Cross_entropy, a relative
 * entropy of histograms that grey-level shifts move most, to 1e-1; worst seen 1.04 % and 6.0 %), so a broken
 * metric fails.
 */
class VifbGoldenTest {
    private static final String TABLE = "vifb/metrics/per_image.csv";
    /** Methods whose shipped images do not reproduce VIFB's values to 1e-3 (see the class comment). */
    private static final Set<String> DIVERGENT_IMAGES = Set.of("YDTR", "SwinFusion");
    /** VIFB's metric names and the irfuse metric each one is. */
    private static final Map<String, Metric> NAMES = Map.ofEntries(Map.entry("Entropy", Metric.EN),
            Map.entry("Mutinf", Metric.MI), Map.entry("Avg_gradient", Metric.AG),
            Map.entry("Spatial_frequency", Metric.SF), Map.entry("Variance", Metric.SD),
            Map.entry("Qabf", Metric.QABF), Map.entry("Ssim", Metric.SSIM), Map.entry("Psnr", Metric.PSNR),
            Map.entry("Rmse", Metric.RMSE), Map.entry("Cross_entropy", Metric.CROSS_ENTROPY),
            Map.entry("Edge_intensity", Metric.EDGE_INTENSITY));

    @Test
    void reproducesVifbPerImageTable() throws Exception {
        Optional<Path> table = SharedData.resolve(TABLE);
        assumeTrue(table.isPresent(), SharedData.missingMessage(TABLE));
        Path vifb = table.get().getParent().getParent();
        List<GoldenTable.Reference> refs = GoldenTable.read(table.get()).stream()
                .filter(r -> NAMES.containsKey(r.metric()))
                .filter(r -> Files.exists(fused(vifb, r)))
                .toList();
        long methods = refs.stream().map(GoldenTable.Reference::method).distinct().count();
        long scenes = refs.stream().map(GoldenTable.Reference::image).distinct().count();
        assertEquals(25, methods, "methods with fused images");
        assertEquals(21, scenes, "scenes");
        assertEquals(25 * 21 * NAMES.size(), refs.size(), "reference values with images");
        Evaluator evaluator = new Evaluator(Profile.VIFB, List.copyOf(NAMES.values()));
        Map<Path, Image> sources = new ConcurrentHashMap<>();

        List<GoldenTable.Outcome> outcomes = GoldenTable.compare(GoldenTable.byTriple(refs), triple -> {
            GoldenTable.Reference r = triple.get(0);
            try {
                Image ir = source(sources, vifb.resolve("ir").resolve(r.image() + ".jpg"));
                Image vi = source(sources, vifb.resolve("vi").resolve(r.image() + ".jpg"));
                Image f = ImageReader.read(fused(vifb, r));
                Map<Metric, Double> values = evaluator.evaluate(ir, vi, f);
                Map<String, Double> byName = new HashMap<>();
                NAMES.forEach((name, m) -> byName.put(name, values.get(m)));
                return byName;
            } catch (ImageFormatException e) {
                throw new IllegalStateException(e);
            }
        }, 1e-3);

        List<GoldenTable.Outcome> held = outcomes.stream()
                .filter(o -> !DIVERGENT_IMAGES.contains(o.ref().method())).toList();
        List<GoldenTable.Outcome> divergent = outcomes.stream()
                .filter(o -> DIVERGENT_IMAGES.contains(o.ref().method())).toList();
        String report = GoldenTable.report("vifb golden table (" + TABLE + "), 1e-3 relative, all 25 methods:",
                outcomes, 0)
                + GoldenTable.report("  of which the 23 methods held to 99 %:", held, 3)
                + GoldenTable.report("  of which " + DIVERGENT_IMAGES + " (shipped images differ from those VIFB "
                        + "scored):", divergent, 0);
        System.out.println(report);
        Path mismatches = Path.of("target", "vifb-golden-mismatches.txt");
        Files.createDirectories(mismatches.getParent());
        Files.writeString(mismatches, GoldenTable.report("all vifb mismatches:", outcomes, Integer.MAX_VALUE));
        String below = GoldenTable.perMetric(held).entrySet().stream()
                .filter(e -> e.getValue()[0] < 0.99 * e.getValue()[1])
                .map(Map.Entry::getKey).collect(Collectors.joining(", "));
        assertTrue(below.isEmpty(), "metrics matching fewer than 99 % of images: " + below + "\n" + report);
        String far = divergent.stream()
                .filter(o -> !(Math.abs(o.actual() - o.ref().value()) <= (o.ref().metric().equals("Cross_entropy")
                        ? 1e-1 : 2e-2) * Math.abs(o.ref().value())))
                .map(o -> o.ref().image() + " " + o.ref().method() + " " + o.ref().metric())
                .collect(Collectors.joining(", "));
        assertTrue(far.isEmpty(), "values of " + DIVERGENT_IMAGES + " off by more than 2e-2 (Cross_entropy 1e-1): "
                + far);
    }

    private static Image source(Map<Path, Image> cache, Path file) {
        return cache.computeIfAbsent(file, f -> {
            try {
                return ImageReader.read(f);
            } catch (ImageFormatException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Path fused(Path vifb, GoldenTable.Reference r) {
        return vifb.resolve("fused").resolve(r.image() + "_" + r.method() + ".jpg");
    }
}
