package org.irfuse.nn.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * YOLOv5's SPPF (spatial pyramid pooling, fast): cv1 1×1 CBS to half width, three chained 5×5 stride-1 max-pools
 * (padding 2, so −∞ padding as PyTorch), concat of the four, cv2 1×1 CBS — equal to SPP with 5, 9, 13 kernels.
 */
public final class Sppf extends PretrainedBlock {
    private static final Shape KERNEL = new Shape(5, 5);
    private static final Shape STRIDE = new Shape(1, 1);
    private static final Shape PAD = new Shape(2, 2);

    private final ConvBnAct cv1;
    private final ConvBnAct cv2;

    public Sppf(String name, int in, int out) {
        int hidden = in / 2;
        cv1 = addChildBlock("cv1", YoloV5n.cbs(name + ".cv1", in, hidden, 1, 1));
        cv2 = addChildBlock("cv2", YoloV5n.cbs(name + ".cv2", 4 * hidden, out, 1, 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = cv1.apply(ps, inputs.singletonOrThrow(), training);
        NDArray y1 = Pool.maxPool2d(x, KERNEL, STRIDE, PAD, false);
        NDArray y2 = Pool.maxPool2d(y1, KERNEL, STRIDE, PAD, false);
        NDArray y3 = Pool.maxPool2d(y2, KERNEL, STRIDE, PAD, false);
        return new NDList(cv2.apply(ps, NDArrays.concat(new NDList(x, y1, y2, y3), 1), training));
    }
}
