package org.irfuse.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.irfuse.core.io.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: leftovers of killed processes (native unpacking, atomic writes) are cleaned, live ones kept. */
class OrphanCleanupTest {
    @TempDir
    Path dir;

    @Test
    void oldHalfUnpackedNativeFoldersAreRemovedYoungOnesAndTheCacheKept() throws Exception {
        Path cache = dir.resolve("pytorch");
        Path version = Files.createDirectories(cache.resolve("2.5.1-cpu-linux-x86_64"));
        Files.writeString(version.resolve("libtorch.so"), "lib");
        Path killed = Files.createDirectories(cache.resolve("tmp123"));
        Files.writeString(killed.resolve("libtorch_cpu.so"), "half");
        Path jni = Files.writeString(version.resolve("jni456tmp"), "half");
        Path live = Files.createDirectories(cache.resolve("tmp789"));
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - Duration.ofHours(2).toMillis());
        for (Path p : new Path[] {killed, jni, version, version.resolve("libtorch.so")}) {
            Files.setLastModifiedTime(p, old);
        }
        assertEquals(2, Compute.cleanNativeCache(cache, Duration.ofMinutes(30)));
        assertFalse(Files.exists(killed));
        assertFalse(Files.exists(jni));
        assertTrue(Files.isDirectory(live), "a concurrent unpacking keeps its folder");
        assertTrue(Files.isRegularFile(version.resolve("libtorch.so")), "the unpacked cache is reused");
    }

    @Test
    void temporaryFilesOfDeadWritersAreRemovedOnTheNextWrite() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        // No process has this id (above Linux's largest pid_max, 2^22).
        Path orphan = Files.writeString(out.resolve(".a.png.99999999-123e4567-e89b-12d3-a456-426614174000.tmp"), "x");
        Path mine = Files.writeString(out.resolve(".b.png." + ProcessHandle.current().pid()
                + "-123e4567-e89b-12d3-a456-426614174000.tmp"), "x");
        Path user = Files.writeString(out.resolve(".notes.tmp"), "x");
        AtomicFiles.writeString(out.resolve("c.txt"), false, "c");
        assertFalse(Files.exists(orphan));
        assertTrue(Files.exists(mine) && Files.exists(user));
    }
}
