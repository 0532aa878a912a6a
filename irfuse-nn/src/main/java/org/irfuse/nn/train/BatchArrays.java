package org.irfuse.nn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.irfuse.core.datasets.CropSampler;

/** A {@link CropSampler.Batch} as N×1×H×W tensors in one step's manager. */
public record BatchArrays(NDArray infrared, NDArray luminance, NDArray cb, NDArray cr, NDArray target,
        NDArray labels) {

    public static BatchArrays of(CropSampler.Batch b, NDManager step, DataType dataType) {
        Shape s = new Shape(b.size(), 1, b.height(), b.width());
        NDArray labels = b.labels() == null ? null
                : step.create(b.labels(), new Shape(b.size(), b.height(), b.width())).toType(DataType.INT64, false);
        return new BatchArrays(plane(step, b.ir(), s, dataType), plane(step, b.y(), s, dataType),
                plane(step, b.cb(), s, dataType), plane(step, b.cr(), s, dataType),
                plane(step, b.target(), s, dataType), labels);
    }

    private static NDArray plane(NDManager m, float[] v, Shape s, DataType t) {
        NDArray a = m.create(v, s);
        return t == DataType.FLOAT32 ? a : a.toType(t, false);
    }
}
