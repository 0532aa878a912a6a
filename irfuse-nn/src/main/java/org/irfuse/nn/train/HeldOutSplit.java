package org.irfuse.nn.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.irfuse.core.datasets.PairSample;

/**
 * Training and upper samples of a bi-level run: a real held-out split of a data source. The upper share is never
 * used for lower updates; it feeds the upper batches and the final held-out evaluation.
 */
public record HeldOutSplit(List<PairSample> train, List<PairSample> upper) {
    /**
     * Holds out {@code share} of {@code samples} (at least one, shuffled by {@code seed}) for upper batches; the
     * rest trains the lower level. Needs at least two samples.
     */
    public static HeldOutSplit of(List<PairSample> samples, double share, long seed) {
        if (samples.size() < 2) {
            throw new IllegalArgumentException("a bi-level run needs at least 2 samples per data source (one is "
                    + "held out for upper batches), got " + samples.size());
        }
        List<PairSample> shuffled = new ArrayList<>(samples);
        Collections.shuffle(shuffled, new Random(seed));
        int held = (int) Math.max(1, Math.min(samples.size() - 1, Math.round(share * samples.size())));
        return new HeldOutSplit(new ArrayList<>(shuffled.subList(held, shuffled.size())),
                new ArrayList<>(shuffled.subList(0, held)));
    }

    /** Each source split on its own (so every source is represented in both parts), then joined. */
    public static HeldOutSplit ofEach(List<List<PairSample>> sources, double share, long seed) {
        List<PairSample> train = new ArrayList<>();
        List<PairSample> upper = new ArrayList<>();
        for (List<PairSample> source : sources) {
            HeldOutSplit s = of(source, share, seed);
            train.addAll(s.train());
            upper.addAll(s.upper());
        }
        return new HeldOutSplit(train, upper);
    }
}
