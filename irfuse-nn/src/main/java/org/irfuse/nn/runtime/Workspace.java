package org.irfuse.nn.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Scratch memory that inference passes reuse from one call to the next instead of allocating it afresh
 * ({@link InferenceKernels}: fresh large arrays cost a kernel page fault and zero-fill per 4 KiB). Numbered flat
 * buffers, each grown to the largest size asked for and kept until {@link #close}; one owner at a time (a
 * {@code Fuser}, which is not shared between threads). Contents are not kept: every user overwrites what it reads.
 * It also keeps weights prepacked for the inference kernels ({@link #packed}), made once rather than per call.
 */
public final class Workspace implements AutoCloseable {
    private final InferenceKernels kernels;
    private final NDManager memory;
    private final NDArray[] buffers;
    private final long[] sizes;
    private DataType type;
    private final Map<Object, Packed> packed = new IdentityHashMap<>();

    /** {@code weights} as {@code result} holds them prepacked. */
    private record Packed(NDList weights, NDList result) {
    }

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

    /**
     * {@code weights} prepacked by {@code pack} (given them and the manager to make the result in) for
     * {@code user} (a block), made on first use and kept until {@link #close}; made anew when the arrays handed in
     * are not the very ones packed before (another parameter store). Only for weights that do not change while the
     * workspace lives, or whose packed form shares their memory (the float32 kernels return the arrays as they are).
     */
    public NDList packed(Object user, NDList weights, BiFunction<NDList, NDManager, NDList> pack) {
        Packed p = packed.get(user);
        if (p != null && sameArrays(p.weights(), weights)) {
            return p.result();
        }
        if (p != null) {
            p.result().close();
        }
        NDList result = pack.apply(weights, memory);
        packed.put(user, new Packed(weights, result));
        return result;
    }

    private static boolean sameArrays(NDList a, NDList b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
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
