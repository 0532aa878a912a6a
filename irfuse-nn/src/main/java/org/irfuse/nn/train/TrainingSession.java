package org.irfuse.nn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import org.irfuse.nn.optim.Optimizer;
import org.irfuse.nn.runtime.Compute;

/**
 * How every trainer (warm start, bi-level, detector) opens a run: open the run folder fresh or resume it (refusing
 * settings other than the run's), record the config, seed the initial weights, restore the last checkpoint. The
 * steps then run on a {@link TrainingLoop} whose listeners log, checkpoint and report progress
 * ({@link TrainingListeners}). Batches come from per-step seeds, so a resumed run continues exactly like an
 * uninterrupted one; keeping this in one place keeps that guarantee the same for every trainer.
 */
public final class TrainingSession {
    /** Progress of a run: called after every step with the values of that step (see {@link TrainingListeners#progress}). */
    public interface Listener {
        void onStep(long step, long total, Map<String, Object> values);
    }

    /** Settings a resumed run may change: they do not enter the parameters. */
    static final Set<String> MAY_CHANGE_ON_RESUME = Set.of("command", "checkpointEvery", "logEvery",
            "sampleEvery");

    private final RunFolder run;
    private final boolean resuming;

    private TrainingSession(RunFolder run, boolean resuming) {
        this.run = run;
        this.resuming = resuming;
    }

    /**
     * Opens a run: resumes when {@code resume} and a checkpoint exists, else starts fresh (refusing a folder that
     * holds a run unless {@code overwrite}); writes the config and seeds the engine so initial weights repeat.
     */
    public static TrainingSession open(RunFolder run, Object config, long seed, boolean resume, boolean overwrite) throws IOException {
        boolean resuming = resume && run.hasCheckpoint();
        if (resume) {
            if (!Files.isRegularFile(run.config())) {
                throw new IOException(run.dir() + ": nothing to resume (no training run in this folder); drop "
                        + "--resume to start one");
            }
            run.checkSameSettings(config, MAY_CHANGE_ON_RESUME);
        }
        if (!resuming) {
            // --resume before the first checkpoint: no step was kept, so the run starts again from step 0.
            run.startFresh(overwrite || resume);
        }
        run.writeConfig(config);
        Engine.getInstance().setRandomSeed((int) seed);
        return new TrainingSession(run, resuming);
    }

    public RunFolder run() {
        return run;
    }

    /**
     * When resuming, restores what a checkpoint holds in place (dropping log lines written after it). Returns the
     * last completed step (0 for a fresh run).
     */
    public long restore(Compute compute, Map<String, Block> blocks, Map<String, Optimizer> optimizers)
            throws IOException {
        if (!resuming) {
            return 0;
        }
        Checkpoint.Info info = Checkpoint.info(run.checkpoint());
        if (info.threads() != 0 && info.threads() != Compute.threads()) {
            throw new IOException(run.checkpoint() + ": checkpointed with " + info.threads() + " CPU thread(s), "
                    + "this run has " + Compute.threads() + "; pass --threads " + info.threads() + " (libtorch's "
                    + "results depend on the thread count, so only the same count continues the run exactly)");
        }
        long step = Checkpoint.restore(run.checkpoint(), compute.root(), blocks, optimizers, DataType.FLOAT32);
        run.truncateLogAfter(step);
        return step;
    }
}
