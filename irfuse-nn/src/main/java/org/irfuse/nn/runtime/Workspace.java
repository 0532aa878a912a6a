package org.irfuse.nn.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Scratch memory that inference passes reuse from one call to the next instead of allocating it afresh
 * ({@link InferenceKernels}: fresh large arrays cost a kernel page fault and zero-fill per 4 KiB). Numbered flat
 * buffers, each grown to the largest size asked for and kept until {@link #close}; one owner at a time (a
 * {@code Fuser}, which is not shared between threads). Contents are not kept: every user overwrites what it reads.
 */
public final class Workspace implements AutoCloseable {
    private final InferenceKernels kernels;
    private final NDManager memory;
    private final NDArray[] buffers;
    private final long[] sizes;
    private DataType type;

    /** @param slots how many buffers (numbered from 0) */
    public Workspace(Compute compute, int slots) {
        this.kernels = compute.kernels();
        this.memory = compute.root().newSubManager();
        this.buffers = new NDArray[slots];
        this.sizes = new long[slots];
    }

    public InferenceKernels kernels() {
        return kernels;
    }

    /**
     * Buffer {@code slot}, a flat array of at least {@code elements} values of {@code like}'s type (bf16 arrays report
     * {@link DataType#UNKNOWN} to DJL; a workspace serves one precision, and a change of reported type starts over).
     */
    public NDArray buffer(int slot, long elements, NDArray like) {
        DataType t = like.getDataType();
        if (t != type) {
            for (int i = 0; i < buffers.length; i++) {
                release(i);
            }
            type = t;
        }
        if (sizes[slot] < elements) {
            release(slot);
            buffers[slot] = kernels.buffer(like, elements, memory);
            sizes[slot] = elements;
        }
        return buffers[slot];
    }

    private void release(int slot) {
        if (buffers[slot] != null) {
            buffers[slot].close();
            buffers[slot] = null;
            sizes[slot] = 0;
        }
    }

    /** Frees the buffers. */
    @Override
    public void close() {
        memory.close();
    }
}
