package org.irfuse.nn.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * YOLOv5's C3 block (models/common.py, v6.x): {@code cv3(concat(m(cv1(x)), cv2(x)))} with cv1, cv2 1×1 CBS to
 * half the output width, m a chain of n bottlenecks ({@code x + cv2(cv1(x))} with a 1×1 then a 3×3 CBS; the
 * residual only with {@code shortcut}), cv3 a 1×1 CBS to the output width.
 */
public final class CrossStagePartial extends PretrainedBlock {
    private final ConvBnAct cv1;
    private final ConvBnAct cv2;
    private final ConvBnAct cv3;
    private final List<ConvBnAct[]> bottlenecks = new ArrayList<>();
    private final boolean shortcut;

    /**
     * @param name checkpoint prefix, e.g. {@code layers.2}
     * @param n number of bottlenecks
     */
    public CrossStagePartial(String name, int in, int out, int n, boolean shortcut) {
        int hidden = out / 2;
        this.shortcut = shortcut;
        cv1 = addChildBlock("cv1", YoloV5n.cbs(name + ".cv1", in, hidden, 1, 1));
        cv2 = addChildBlock("cv2", YoloV5n.cbs(name + ".cv2", in, hidden, 1, 1));
        cv3 = addChildBlock("cv3", YoloV5n.cbs(name + ".cv3", 2 * hidden, out, 1, 1));
        for (int i = 0; i < n; i++) {
            String m = name + ".m." + i;
            bottlenecks.add(new ConvBnAct[] {
                addChildBlock("m" + i + "cv1", YoloV5n.cbs(m + ".cv1", hidden, hidden, 1, 1)),
                addChildBlock("m" + i + "cv2", YoloV5n.cbs(m + ".cv2", hidden, hidden, 3, 1))});
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray a = cv1.apply(ps, x, training);
        for (ConvBnAct[] b : bottlenecks) {
            NDArray y = b[1].apply(ps, b[0].apply(ps, a, training), training);
            a = shortcut ? a.add(y) : y;
        }
        return new NDList(cv3.apply(ps, a.concat(cv2.apply(ps, x, training), 1), training));
    }
}
