package org.irfuse.nn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Scalar arithmetic keeps the array's type, and its gradient does not depend on a garbage collection between the
 * forward and the backward pass (the scalar lives in memory libtorch owns, not in a Java buffer the JVM frees).
 */
class ScalarsTest {
    private static final double[] X = {-1.5, 0.25, 2.0};

    /** Value and gradient of {@code sum(op(x))} at {@link #X}, with a collection between forward and backward. */
    private static double[][] valueAndGradient(DataType type, UnaryOperator<NDArray> op) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(X).toType(type, false);
            x.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = op.apply(x);
                assertEquals(type, y.getDataType(), "the scalar must not change the array's type");
                NDArray loss = y.sum();
                NativeGarbage.collect();
                gc.backward(loss);
            }
            return new double[][] {y.toType(DataType.FLOAT64, false).toDoubleArray(),
                x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray()};
        }
    }

    private static void check(UnaryOperator<NDArray> op, double[] value, double[] gradient) {
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            double[][] r = valueAndGradient(type, op);
            assertArrayEquals(value, r[0], 0.0, type + " value");
            assertArrayEquals(gradient, r[1], 0.0, type + " gradient");
        }
    }

    @Test
    void multiplyAndDivide() {
        check(x -> Scalars.mul(x, 0.5), new double[] {-0.75, 0.125, 1.0}, new double[] {0.5, 0.5, 0.5});
        check(x -> Scalars.div(x, 4), new double[] {-0.375, 0.0625, 0.5}, new double[] {0.25, 0.25, 0.25});
    }

    @Test
    void addAndSubtract() {
        check(x -> Scalars.add(x, 3), new double[] {1.5, 3.25, 5.0}, new double[] {1, 1, 1});
        check(x -> Scalars.sub(x, 0.25), new double[] {-1.75, 0.0, 1.75}, new double[] {1, 1, 1});
    }

    @Test
    void maximumAndMinimum() {
        check(x -> Scalars.maximum(x, 0), new double[] {0, 0.25, 2.0}, new double[] {0, 1, 1});
        check(x -> Scalars.minimum(x, 0), new double[] {-1.5, 0, 0}, new double[] {1, 0, 0});
    }

    @Test
    void inPlaceMultiplyOutsideAGraph() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray b = m.create(new float[] {2f, -4f});
            NDArray same = Scalars.muli(b, 0.9);
            assertEquals(b, same);
            assertArrayEquals(new float[] {2f * 0.9f, -4f * 0.9f}, b.toFloatArray(), 0f);
        }
    }
}
