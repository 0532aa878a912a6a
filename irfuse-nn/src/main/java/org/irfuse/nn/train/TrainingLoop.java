package org.irfuse.nn.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one training loop of the warm-up, detector and bi-level trainers: steps {@code first..total} of a
 * {@link Step} function, with {@link Listener}s told about the start, every step and the end — DJL's
 * {@code EasyTrain.fit} with its {@code TrainingListener}s, reduced to what these trainers need. The step function
 * does the work (batch, forward, backward, update) and returns the values of its step; the listeners do
 * everything else, in the order they were added: the divergence check, samples, the log, checkpoints, progress
 * ({@link TrainingListeners}). A listener that throws stops the run there (a diverged step is refused before it is
 * logged or checkpointed, because the divergence check comes first).
 *
 * <p>Exact resume rests on two things outside the loop: batches come from per-step seeds, and the checkpoint holds
 * every network and optimizer; the loop starts at the step after the restored one ({@link TrainingSession}).
 */
public final class TrainingLoop {
    /** One training step: does step {@code step}'s work and returns its values (logged as one line of log.jsonl). */
    @FunctionalInterface
    public interface Step {
        Map<String, Object> run(long step) throws IOException;
    }

    /** Hooks around a run. Every method does nothing by default. */
    public interface Listener {
        /** Before the first step of this invocation ({@code first} > 1 when resuming). */
        default void onStart(long first, long total) throws IOException {
        }

        /** After step {@code step} with the values it returned (the same map for every listener, in order). */
        default void onStep(long step, long total, Map<String, Object> values) throws IOException {
        }

        /** After the last step, when every step has run. */
        default void onEnd(long total) throws IOException {
        }
    }

    private final List<Listener> listeners = new ArrayList<>();

    /** Adds a listener; listeners are called in the order they were added. */
    public TrainingLoop listen(Listener listener) {
        if (listener != null) {
            listeners.add(listener);
        }
        return this;
    }

    /** Runs steps {@code done + 1 .. total} ({@code done} is the step restored from a checkpoint, 0 when fresh). */
    public void run(long done, long total, Step step) throws IOException {
        for (Listener l : listeners) {
            l.onStart(done + 1, total);
        }
        for (long s = done + 1; s <= total; s++) {
            Map<String, Object> values = step.run(s);
            for (Listener l : listeners) {
                l.onStep(s, total, values);
            }
        }
        for (Listener l : listeners) {
            l.onEnd(total);
        }
    }
}
