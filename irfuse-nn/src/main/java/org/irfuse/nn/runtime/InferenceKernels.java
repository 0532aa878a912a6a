package org.irfuse.nn.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import java.util.Arrays;

/**
 * The fusion network's inference kernels that DJL 0.32 cannot express: in-place PReLU and residual additions,
 * dense-block concatenations written into reused memory, and oneDNN's fused convolution + ReLU on prepacked weights. They live
 * in a weight-free TorchScript module ({@code tools/torchscript/inference_kernels.py}) that takes the network's
 * weights as arguments and computes what the DJL blocks compute, in the same order and with the same oneDNN
 * arithmetic, so results are bit for bit those of the blocks (tested).
 *
 * <p>Why (docs/benchmarks.md, "Where the time goes"): every fresh array above glibc's 32 MB mmap threshold is mapped
 * anew and zero-filled by the kernel page by page on first touch. The dense blocks' five growing concatenations and
 * the four-pass PReLU made about 1.9 GB of such arrays per 640×480 pair at paper width in bf16, and the system time
 * that cost equalled the convolutions'. For inference only: the in-place kernels would break an autograd graph, so
 * callers check {@link Intermediates#recording()} first.
 */
public final class InferenceKernels {
    static final String RESOURCE = "/irfuse/torchscript/inference_kernels.torchscript";

    private final PtSymbolBlock module;

    private InferenceKernels(PtSymbolBlock module) {
        this.module = module;
    }

    /** Loads the module into {@code manager}; it is freed when the manager closes. */
    static InferenceKernels load(NDManager manager) {
        return new InferenceKernels(TorchScripts.load(manager, RESOURCE, "fusion inference"));
    }

    /** An uninitialised flat array of {@code elements} values of {@code like}'s type (bf16 too), in {@code owner}. */
    NDArray buffer(NDArray like, long elements, NDManager owner) {
        return call(owner, "buffer", IValue.from(pt(like)), IValue.from(elements));
    }

    /** {@code x ← max(0,x) + a·min(0,x)} in place, for a one-element slope {@code a} of {@code x}'s type. */
    public void preluInPlace(NDArray x, NDArray slope) {
        guard();
        IValue[] in = {IValue.from(pt(x)), IValue.from(pt(slope))};
        try (IValue out = IValueUtils.runMethod(module, "prelu_", in)) {
            // x itself, changed in place
        } finally {
            close(in);
        }
    }

    /**
     * A dense block's 12 weight arrays (as {@link #denseBlock} takes them) in the form it runs fastest on, in
     * {@code owner}: in bf16 oneDNN's blocked layouts, and the 1×1 convolution's weight as a matrix (oneDNN's
     * opaque arrays: only hand them back to {@link #denseBlock}); in float32 the same arrays. Same results bit for
     * bit; made once per fuser ({@link Workspace#packed}).
     */
    public NDList packDenseBlock(int dilation, NDList weights, NDManager owner) {
        IValue[] in = withDenseWeights(weights, IValue.from(dilation));
        try (IValue out = IValueUtils.runMethod(module, "pack_dense_block", in)) {
            return new NDList(out.toTensorArray((PtNDManager) owner));
        } finally {
            close(in);
        }
    }

    /**
     * One dilated residual dense block (METHOD.md; {@code DilatedResidualDenseBlock}): five 3×3 convolutions at the
     * given dilation, each followed by ReLU and concatenated onto its input, then a 1×1 convolution, ReLU and the
     * block input added. The concatenations are written alternately into {@code a} (layers 0, 2, 4: at least
     * N·H·W·(C+5G) elements) and {@code b} (layers 1, 3: N·H·W·(C+4G)), whose contents are overwritten.
     *
     * <p>On the CPU each convolution and its ReLU run as one oneDNN primitive, and in bf16 the 1×1 convolution as a
     * matrix product on the NHWC rows (docs/benchmarks.md, "Fused convolution kernels").
     *
     * @param weights weight and bias of the five dilated convolutions, then of the 1×1 convolution (12 arrays),
     *     as {@link #packDenseBlock} made them
     * @return a new array, in {@code x}'s manager
     */
    public NDArray denseBlock(NDArray x, NDArray a, NDArray b, int dilation, NDList weights) {
        guard();
        return call(x.getManager(), "dense_block", withDenseWeights(weights, IValue.from(pt(x)), IValue.from(pt(a)),
                IValue.from(pt(b)), IValue.from(dilation)));
    }

    /**
     * {@code cat(features, y)} along the channels, written into the first N·H·W·(C+G) elements of {@code buffer}
     * (whose contents are overwritten) in {@code features}' memory format: the dense blocks' concatenation, exposed
     * so that {@code irfuse bench --copy-only} times the very kernel the blocks run.
     *
     * @return a view of {@code buffer} as an N×(C+G)×H×W array, in {@code features}' manager
     */
    public NDArray concatenateInto(NDArray buffer, NDArray features, NDArray y) {
        guard();
        return call(features.getManager(), "cat_into", IValue.from(pt(buffer)), IValue.from(pt(features)),
                IValue.from(pt(y)));
    }

    /** The method's leading arguments {@code head}, then a dense block's 12 weight arrays. */
    private static IValue[] withDenseWeights(NDList weights, IValue... head) {
        if (weights.size() != 12) {
            close(head);
            throw new IllegalArgumentException("a dense block has 12 weight arrays, got " + weights.size());
        }
        IValue[] in = Arrays.copyOf(head, head.length + weights.size());
        for (int i = 0; i < weights.size(); i++) {
            in[head.length + i] = IValue.from(pt(weights.get(i)));
        }
        return in;
    }

    private NDArray call(NDManager owner, String method, IValue... in) {
        try (IValue out = IValueUtils.runMethod(module, method, in)) {
            return out.toTensor((PtNDManager) owner);
        } finally {
            close(in);
        }
    }

    private static void guard() {
        if (Intermediates.recording()) {
            throw new IllegalStateException("in-place inference kernels cannot run under a gradient collector");
        }
    }

    private static PtNDArray pt(NDArray a) {
        return (PtNDArray) a;
    }

    private static void close(IValue[] values) {
        for (IValue v : values) {
            v.close();
        }
    }
}
