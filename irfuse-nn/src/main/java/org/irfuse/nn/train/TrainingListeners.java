package org.irfuse.nn.train;

import ai.djl.nn.Block;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import org.irfuse.core.datasets.PairSample;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.optim.Optimizer;
import org.irfuse.nn.runtime.Compute;

/** The listeners every trainer puts on its {@link TrainingLoop}, in the order they should run. */
public final class TrainingListeners {
    private TrainingListeners() {
    }

    /**
     * Stops the run with {@link TrainingDivergedException} when a numeric value whose key {@code checked} accepts
     * is not finite: "training diverged: KEY became VALUE at step N; HINT". First on the loop, so a diverged step
     * is neither logged nor checkpointed.
     */
    public static TrainingLoop.Listener divergence(Predicate<String> checked, String hint) {
        return new TrainingLoop.Listener() {
            @Override
            public void onStep(long step, long total, Map<String, Object> values) {
                for (Map.Entry<String, Object> e : values.entrySet()) {
                    if (checked.test(e.getKey()) && e.getValue() instanceof Number n
                            && !Double.isFinite(n.doubleValue())) {
                        throw new TrainingDivergedException("training diverged: " + e.getKey() + " became "
                                + n.doubleValue() + " at step " + step + "; " + hint);
                    }
                }
            }
        };
    }

    /** Fuses the preview pairs into {@code samples/step-N/} every {@code every} steps and at the last step. */
    public static TrainingLoop.Listener samples(RunFolder run, int every, List<PairSample> previews,
            FusionModel model, Compute compute) {
        return new TrainingLoop.Listener() {
            @Override
            public void onStep(long step, long total, Map<String, Object> values) throws IOException {
                if (step % every == 0 || step == total) {
                    WarmupTrainer.writeSamples(run, step, previews, model, compute);
                }
            }
        };
    }

    /**
     * Appends the step's values to {@code log.jsonl} every {@code every} steps, at the last step, and at steps
     * {@code also} accepts (the bi-level upper steps), leaving out {@code drop} (wall-clock times, so a resumed
     * run's log equals an uninterrupted one's).
     */
    public static TrainingLoop.Listener log(RunFolder run, int every, LongPredicate also, Set<String> drop) {
        return new TrainingLoop.Listener() {
            @Override
            public void onStep(long step, long total, Map<String, Object> values) throws IOException {
                if (step % every == 0 || step == total || also.test(step)) {
                    Map<String, Object> logged = new LinkedHashMap<>(values);
                    logged.keySet().removeAll(drop);
                    run.appendLog(logged);
                }
            }
        };
    }

    /**
     * Saves every network and optimizer atomically every {@code every} steps and at the last step (with the thread
     * count, which exact resume needs; {@link Checkpoint} refuses non-finite parameters).
     */
    public static TrainingLoop.Listener checkpoint(RunFolder run, int every, Map<String, Block> blocks,
            Map<String, Optimizer> optimizers) {
        return new TrainingLoop.Listener() {
            @Override
            public void onStep(long step, long total, Map<String, Object> values) throws IOException {
                if (step % every == 0 || step == total) {
                    Checkpoint.save(run.checkpoint(), step, Compute.threads(), blocks, optimizers);
                }
            }
        };
    }

    /** The caller's progress callback (a bar, a test's kill switch) as a listener; null gives none. */
    public static TrainingLoop.Listener progress(TrainingSession.Listener progress) {
        return progress == null ? null : new TrainingLoop.Listener() {
            @Override
            public void onStep(long step, long total, Map<String, Object> values) {
                progress.onStep(step, total, values);
            }
        };
    }
}
