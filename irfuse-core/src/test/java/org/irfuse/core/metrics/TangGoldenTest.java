package org.irfuse.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.irfuse.core.image.Image;
import org.irfuse.core.image.ImageFormatException;
import org.irfuse.core.image.ImageReader;
import org.irfuse.core.io.SharedData;
import org.junit.jupiter.api.Test;

/**
 * Every value of {@code tno/metrics/tang_matlab_2022.csv} (17 images × 9 methods × 11 metrics, computed by
 * Linfeng-Tang/Evaluation-for-Image-Fusion's 2022 MATLAB code) recomputed from the images under {@code tang2022}
 * within 1e-9 relative.
 */
class TangGoldenTest {
    private static final String TABLE = "tno/metrics/tang_matlab_2022.csv";

    @Test
    void reproducesEveryValueOfTheTang2022Table() throws Exception {
        Optional<Path> table = SharedData.resolve(TABLE);
        assumeTrue(table.isPresent(), SharedData.missingMessage(TABLE));
        Path tno = table.get().getParent().getParent();
        List<GoldenTable.Reference> refs = GoldenTable.read(table.get());
        assertEquals(17 * 9 * 11, refs.size(), "rows in " + TABLE);
        List<Metric> metrics = refs.stream().map(r -> Metric.parse(r.metric())).distinct().toList();
        Evaluator evaluator = new Evaluator(Profile.TANG2022, metrics);

        List<GoldenTable.Outcome> outcomes = GoldenTable.compare(GoldenTable.byTriple(refs), triple -> {
            GoldenTable.Reference r = triple.get(0);
            try {
                Image ir = ImageReader.read(tno.resolve("ir").resolve(r.image() + ".png"));
                Image vi = ImageReader.read(tno.resolve("vi").resolve(r.image() + ".png"));
                Image f = ImageReader.read(tno.resolve("fused").resolve(r.method()).resolve(r.image() + ".png"));
                Map<String, Double> byName = new HashMap<>();
                evaluator.evaluate(ir, vi, f).forEach((m, v) -> byName.put(m.label(), v));
                return byName;
            } catch (ImageFormatException e) {
                throw new IllegalStateException(e);
            }
        }, 1e-9);

        String report = GoldenTable.report("tang2022 golden table (" + TABLE + "), 1e-9 relative:", outcomes, 3);
        System.out.println(report);
        long matched = outcomes.stream().filter(GoldenTable.Outcome::matched).count();
        assertEquals(refs.size(), matched, report);
    }
}
