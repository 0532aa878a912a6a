package org.irfuse.nn.runtime;

import java.nio.file.Path;

/**
 * What {@code bin/irfuse} sets before the JVM starts, applied from inside when it was not ({@code java -jar
 * irfuse.jar}, {@code bin\irfuse.cmd}, a library user's program), before libtorch first loads:
 * <ul>
 *   <li>{@code ai.djl.offline=true}: the natives come from the jar (pytorch-native-cpu), never a download;</li>
 *   <li>{@code ENGINE_CACHE_DIR}: where DJL unpacks them (about 430 MB), {@code IRFUSE_CACHE/djl}, else
 *       {@code $XDG_CACHE_HOME/irfuse/djl}, else {@code %LOCALAPPDATA%\irfuse\djl} on Windows, else
 *       {@code ~/.cache/irfuse/djl} (DJL reads the environment variable first, then this system property);</li>
 *   <li>{@code ai.djl.pytorch.num_interop_threads=1}: one inter-op pool; intra-op threads stay libtorch's
 *       default or {@code --threads}.</li>
 * </ul>
 * Anything already set (environment or {@code -D}) wins.
 */
public final class RuntimeDefaults {
    private RuntimeDefaults() {
    }

    public static synchronized void apply() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        if (System.getenv("ENGINE_CACHE_DIR") == null && System.getProperty("ENGINE_CACHE_DIR") == null) {
            System.setProperty("ENGINE_CACHE_DIR", cacheDir().resolve("djl").toString());
        }
    }

    /** The per-user cache folder of irfuse, as the launcher chooses it. */
    static Path cacheDir() {
        String irfuse = System.getenv("IRFUSE_CACHE");
        if (irfuse != null && !irfuse.isBlank()) {
            return Path.of(irfuse);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "irfuse");
        }
        String local = System.getenv("LOCALAPPDATA");
        if (local != null && !local.isBlank()) {
            return Path.of(local, "irfuse");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "irfuse");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
