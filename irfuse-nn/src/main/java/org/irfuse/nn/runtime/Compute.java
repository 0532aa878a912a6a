package org.irfuse.nn.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Locale;

/**
 * The one owner of native memory and device choice. Long-lived arrays (parameters, optimizer state) live in
 * {@link #root()}; every inference call or training step opens its own {@link #newStep()} sub-manager inside a
 * try-with-resources, so each step's intermediates are freed when it ends (STACK.md: without it memory grows
 * about 5 MiB per step).
 */
public final class Compute implements AutoCloseable {
    private final Device device;
    private final NDManager root;
    private final ParameterStore parameterStore;
    private Bfloat16 bfloat16;
    private InferenceKernels kernels;

    private Compute(Device device) {
        this.device = device;
        this.root = NDManager.newBaseManager(device);
        this.parameterStore = new ParameterStore(root, false);
    }

    /**
     * Opens a compute context.
     *
     * @param deviceChoice {@code auto} (a GPU when the engine has one, else the CPU), {@code cpu} or {@code gpu}
     * @throws IllegalArgumentException for an unknown choice, or {@code gpu} when the engine sees no GPU
     */
    public static Compute open(String deviceChoice) {
        RuntimeDefaults.apply();
        cleanNativeCacheOnce();
        return new Compute(resolve(deviceChoice));
    }

    /** A CPU context (tests, tools). */
    public static Compute cpu() {
        RuntimeDefaults.apply();
        cleanNativeCacheOnce();
        return new Compute(Device.cpu());
    }

    private static final java.util.concurrent.atomic.AtomicBoolean CACHE_CLEANED =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** Unpacking takes seconds; a temporary folder this old belongs to a process that was killed. */
    static final java.time.Duration ORPHAN_AGE = java.time.Duration.ofMinutes(30);

    private static void cleanNativeCacheOnce() {
        if (CACHE_CLEANED.compareAndSet(false, true)) {
            try {
                cleanNativeCache(ai.djl.util.Utils.getEngineCacheDir("pytorch"), ORPHAN_AGE);
            } catch (RuntimeException e) {
                // a courtesy only; the engine reports a cache it cannot use itself
            }
        }
    }

    /**
     * Removes what a process killed while unpacking libtorch left in the engine cache: DJL unpacks into
     * {@code tmp*} folders (and {@code jni*tmp} files) and renames them into place only when complete, so a
     * half-unpacked copy is never used, but it stays behind (up to 430 MB each). Only entries older than
     * {@code age} are removed, so a concurrent process that is unpacking right now keeps its folder.
     */
    static int cleanNativeCache(java.nio.file.Path cacheDir, java.time.Duration age) {
        int removed = 0;
        if (cacheDir == null || !java.nio.file.Files.isDirectory(cacheDir)) {
            return 0;
        }
        long cutoff = System.currentTimeMillis() - age.toMillis();
        java.util.List<java.nio.file.Path> candidates = new java.util.ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> top = java.nio.file.Files.list(cacheDir)) {
            top.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.startsWith("tmp") && java.nio.file.Files.isDirectory(p)) {
                    candidates.add(p);
                } else if (java.nio.file.Files.isDirectory(p)) {
                    try (java.util.stream.Stream<java.nio.file.Path> inner = java.nio.file.Files.list(p)) {
                        inner.filter(q -> q.getFileName().toString().matches("jni.*tmp")).forEach(candidates::add);
                    } catch (java.io.IOException e) {
                        // unreadable version folder: leave it
                    }
                }
            });
        } catch (java.io.IOException e) {
            return 0;
        }
        for (java.nio.file.Path p : candidates) {
            try {
                if (java.nio.file.Files.getLastModifiedTime(p).toMillis() < cutoff) {
                    try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(p)) {
                        for (java.nio.file.Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            java.nio.file.Files.deleteIfExists(q);
                        }
                    }
                    removed++;
                }
            } catch (java.io.IOException e) {
                // in use or vanished: leave it
            }
        }
        return removed;
    }

    static Device resolve(String choice) {
        String c = choice == null ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
        int gpus = Engine.getInstance().getGpuCount();
        switch (c) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpus == 0) {
                    throw new IllegalArgumentException("--device gpu: no GPU visible to the engine (this build "
                            + "carries the CPU natives; build with -Pcuda for the CUDA 12.4 natives)");
                }
                return Device.gpu();
            case "auto":
                return gpus > 0 ? Device.gpu() : Device.cpu();
            default:
                throw new IllegalArgumentException("unknown device '" + choice + "' (expected auto, cpu or gpu)");
        }
    }

    /**
     * Sets libtorch's intra-op thread count. Must be called before the engine first loads; the launcher also sets
     * {@code OMP_NUM_THREADS}, which libtorch reads when the process starts.
     */
    public static void configureThreads(int threads) {
        checkThreads(threads);
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    /**
     * Refuses a thread count below 1 or above the processors this JVM may use: more threads than cores only
     * contend (10^5 threads stalled the whole machine).
     */
    public static void checkThreads(int threads) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads < 1 || threads > cores) {
            throw new IllegalArgumentException("--threads must be between 1 and the " + cores + " processor(s) "
                    + "available, got " + threads);
        }
    }

    /** The CPU thread count libtorch uses: {@code --threads} or the launcher's setting, else every core. */
    public static int threads() {
        Integer t = Integer.getInteger("ai.djl.pytorch.num_threads");
        return t != null && t > 0 ? t : Runtime.getRuntime().availableProcessors();
    }

    public Device device() {
        return device;
    }

    public NDManager root() {
        return root;
    }

    /** The parameter store that hands parameters to blocks (no copies on a single device). */
    public ParameterStore parameters() {
        return parameterStore;
    }

    /** The bfloat16 cast (loaded on first use; it lives as long as this context). */
    public synchronized Bfloat16 bfloat16() {
        if (bfloat16 == null) {
            bfloat16 = Bfloat16.load(root);
        }
        return bfloat16;
    }

    /** The fusion network's in-place inference kernels (loaded on first use; they live as long as this context). */
    public synchronized InferenceKernels kernels() {
        if (kernels == null) {
            kernels = InferenceKernels.load(root);
        }
        return kernels;
    }

    /** A sub-manager for one step; close it (try-with-resources) to free everything the step made. */
    public NDManager newStep() {
        return root.newSubManager();
    }

    @Override
    public void close() {
        root.close();
    }
}
