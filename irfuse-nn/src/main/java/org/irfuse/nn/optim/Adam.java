package org.irfuse.nn.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.irfuse.nn.runtime.Scalars;

/**
 * Adam as in PyTorch's {@code torch.optim.Adam} (Kingma & Ba 2015, bias-corrected):
 * {@code m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; w ← w − lr · m̂ / (√v̂ + ε)}, {@code m̂ = m/(1−β1^t)},
 * {@code v̂ = v/(1−β2^t)}; optional L2 weight decay added to the gradient.
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    public Adam(NDManager manager, double weightDecay) {
        this(manager, 0.9, 0.999, 1e-8, weightDecay);
    }

    public Adam(NDManager manager, double beta1, double beta2, double eps, double weightDecay) {
        super(manager);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    protected NDArray[] newState(NDArray w) {
        NDArray m = manager.zeros(w.getShape(), w.getDataType());
        NDArray v = manager.zeros(w.getShape(), w.getDataType());
        return new NDArray[] {m, v};
    }

    @Override
    protected NDArray update(NDArray w, NDArray grad, NDArray[] s, double lr, NDManager scratch) {
        NDArray g = grad;
        if (weightDecay != 0) {
            g = grad.add(Scalars.mul(w, weightDecay));
        }
        NDArray m = s[0];
        NDArray v = s[1];
        Scalars.muli(m, beta1).addi(Scalars.mul(g, 1 - beta1));
        Scalars.muli(v, beta2).addi(Scalars.mul(g.square(), 1 - beta2));
        double c1 = 1 - Math.pow(beta1, steps);
        double c2 = 1 - Math.pow(beta2, steps);
        return Scalars.mul(Scalars.div(m, c1).div(Scalars.add(Scalars.div(v, c2).sqrt(), eps)), lr);
    }
}
