package org.irfuse.nn.runtime;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;

/**
 * Test support: runs the garbage collector and waits until the JVM has freed the native memory of unreachable
 * direct buffers. DJL's PyTorch engine builds an array made from Java data ({@code manager.create(0.5)}, every
 * {@code NDArray.mul(Number)}) on the memory of a direct {@link ByteBuffer} ({@code torch::from_blob}), which the
 * JVM frees (from its Reference Handler thread) once the buffer is unreachable — at a moment a test cannot
 * otherwise choose. Calling this between a forward and a backward pass makes such a free happen at that point.
 */
public final class NativeGarbage {
    private NativeGarbage() {
    }

    /** Collects garbage until a sentinel direct buffer dropped now has been freed, then once more. */
    public static void collect() {
        ReferenceQueue<ByteBuffer> queue = new ReferenceQueue<>();
        PhantomReference<ByteBuffer> sentinel = new PhantomReference<>(ByteBuffer.allocateDirect(8), queue);
        try {
            for (int i = 0; i < 50; i++) {
                System.gc();
                if (queue.remove(100) != null) {
                    break;
                }
            }
            // The sentinel's buffer and the others found in the same collection are freed by one thread in one
            // batch; one more round lets that batch finish.
            System.gc();
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sentinel.clear();
    }
}
