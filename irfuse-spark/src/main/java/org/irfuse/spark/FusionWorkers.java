package org.irfuse.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.irfuse.nn.fusion.Fuser;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import org.irfuse.nn.runtime.Precision;

/**
 * The fusion model of one executor JVM, loaded once and shared by the tasks that JVM runs at the same time.
 *
 * <p>Spark runs several tasks per executor as threads. The network's parameters live once, in one
 * {@link Compute}; each running task borrows a {@link Fuser} (the part with per-call state: the input buffer and,
 * in bf16, a cast weight copy) from a pool and gives it back, so at most one Fuser per task slot is ever made.
 * libtorch's intra-op thread count is process-wide and read when the engine first loads, so the first task sets
 * it (the driver chose it as cores / task slots) and later settings are ignored. The model stays loaded until the
 * JVM exits (executors are reused between stages and jobs); the natives are unpacked once per machine into
 * {@code ENGINE_CACHE_DIR}.
 */
final class FusionWorkers {
    /** What identifies a loaded model and how it fuses. */
    record Key(String model, String device, String precision, long tileAbove, int tile)
            implements java.io.Serializable {
    }

    private static final Map<Key, FusionWorkers> LOADED = new HashMap<>();

    private final Compute compute;
    private final FusionModel model;
    private final Precision precision;
    private final Key key;
    private final ConcurrentLinkedDeque<Fuser> idle = new ConcurrentLinkedDeque<>();

    private FusionWorkers(Key key) throws IOException {
        this.key = key;
        this.compute = Compute.open(key.device());
        boolean ok = false;
        try {
            this.model = key.model() == null ? FusionModel.loadDefault(compute)
                    : FusionModel.load(Path.of(key.model()), compute);
            this.precision = Precision.resolve(key.precision(), compute.device());
            ok = true;
        } finally {
            if (!ok) {
                compute.close();
            }
        }
    }

    /** The JVM's workers for {@code key}, loading the model on first use with {@code threads} libtorch threads. */
    static synchronized FusionWorkers get(Key key, int threads) throws IOException {
        FusionWorkers w = LOADED.get(key);
        if (w == null) {
            configureEngine(threads);
            w = new FusionWorkers(key);
            LOADED.put(key, w);
        }
        return w;
    }

    private static boolean engineConfigured;

    /**
     * Before this JVM's first model loads (fusion or judges), once: offline natives and libtorch's thread count,
     * which is process-wide and cannot change after the engine loads.
     */
    static synchronized void configureEngine(int threads) {
        if (!engineConfigured) {
            System.setProperty("ai.djl.offline", "true");
            Compute.configureThreads(threads);
            engineConfigured = true;
        }
    }

    Precision precision() {
        return precision;
    }

    /** A fuser for the calling task; give it back with {@link #release}. */
    Fuser borrow() {
        Fuser f = idle.pollFirst();
        return f != null ? f : new Fuser(model.network(), compute, precision, key.tileAbove(), key.tile());
    }

    void release(Fuser fuser) {
        idle.addFirst(fuser);
    }
}
