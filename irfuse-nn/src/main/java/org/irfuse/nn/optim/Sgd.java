package org.irfuse.nn.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.irfuse.nn.runtime.Scalars;

/**
 * SGD with momentum and L2 weight decay as in PyTorch's {@code torch.optim.SGD}:
 * {@code g ← g + λ w; b ← μ b + g} (first step {@code b = g}); {@code w ← w − lr · b}. METHOD.md uses momentum
 * 0.9 / weight decay 1e-4 for the lower level and plain SGD with weight decay 1e-3 for the upper level.
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final double weightDecay;

    public Sgd(NDManager manager, double momentum, double weightDecay) {
        super(manager);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    protected NDArray[] newState(NDArray w) {
        return momentum == 0 ? new NDArray[0] : new NDArray[] {manager.zeros(w.getShape(), w.getDataType())};
    }

    @Override
    protected NDArray update(NDArray w, NDArray grad, NDArray[] s, double lr, NDManager scratch) {
        NDArray g = grad.add(Scalars.mul(w, weightDecay));
        if (momentum == 0) {
            return Scalars.mul(g, lr);
        }
        // A fresh buffer is zero, so the first step gives b = g as in PyTorch.
        NDArray b = s[0];
        Scalars.muli(b, momentum).addi(g);
        return Scalars.mul(b, lr);
    }
}
