package org.irfuse.nn.pretrained;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import org.irfuse.nn.runtime.Scalars;

/**
 * YOLOv5's Detect head (models/yolo.py, v6.x): per level i one 1×1 convolution with bias to
 * {@code anchors × (5 + classes)} channels, reshaped to N×A×ny×nx×(5+K) (anchor, row, column, channel) — the raw
 * outputs a training loss works on. {@link #decode} applies the inference transform: {@code y = σ(p)},
 * centre {@code (2·y_xy − 0.5 + (col, row))·s}, size {@code (2·y_wh)²·anchor·s}, objectness and class
 * probabilities {@code y[4:]}; levels concatenated, anchor-major within a level, row-major within an anchor.
 * The anchors (stride units, array {@code anchors} of shape levels×A×2) are a non-trainable parameter loaded
 * with the weights.
 */
public final class YoloDetect extends PretrainedBlock {
    /** The COCO anchors of yolov5n.yaml in pixels (P3, P4, P5). */
    static final float[][] DEFAULT_ANCHOR_PIXELS = {
        {10, 13, 16, 30, 33, 23}, {30, 61, 62, 45, 59, 119}, {116, 90, 156, 198, 373, 326}};

    private final String name;
    private final int[] strides;
    private final int outputs;
    private final ConvBnAct[] convs;
    private final Parameter anchors;

    public YoloDetect(String name, int[] inChannels, int[] strides, int anchorsPerLevel, int classes) {
        this.name = name;
        this.strides = strides.clone();
        this.outputs = 5 + classes;
        convs = new ConvBnAct[inChannels.length];
        for (int i = 0; i < inChannels.length; i++) {
            convs[i] = addChildBlock("m" + i, ConvBnAct.builder(name + ".m." + i, inChannels[i],
                    anchorsPerLevel * outputs, 1).bias(true).build());
        }
        int levels = inChannels.length;
        anchors = addParameter(Parameter.builder().setName("anchors").setType(Parameter.Type.OTHER)
                .optRequiresGrad(false).optShape(new Shape(levels, anchorsPerLevel, 2))
                .optInitializer((manager, shape, dataType) -> defaultAnchors(manager, strides, shape))
                .build());
    }

    private static NDArray defaultAnchors(NDManager manager, int[] strides, Shape shape) {
        float[] a = new float[(int) shape.size()];
        int per = (int) (shape.get(1) * 2);
        for (int l = 0; l < shape.get(0); l++) {
            for (int k = 0; k < per; k++) {
                a[l * per + k] = l < DEFAULT_ANCHOR_PIXELS.length && k < DEFAULT_ANCHOR_PIXELS[l].length
                        ? DEFAULT_ANCHOR_PIXELS[l][k] / strides[l] : 1;
            }
        }
        return manager.create(a, shape);
    }

    @Override
    public void collect(Map<String, Parameter> out) {
        super.collect(out);
        out.put(name + ".anchors", anchors);
    }

    public int[] strides() {
        return strides.clone();
    }

    public int outputsPerAnchor() {
        return outputs;
    }

    /** Anchors in stride units, levels×A×2. */
    public float[] anchors() {
        return anchors.getArray().toFloatArray();
    }

    /** Inputs: the level features (strides 8, 16, 32); outputs: the raw N×A×ny×nx×(5+K) arrays, pre-sigmoid. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList raw = new NDList(convs.length);
        for (int i = 0; i < convs.length; i++) {
            NDArray p = convs[i].apply(ps, inputs.get(i), training);
            Shape s = p.getShape();
            long a = s.get(1) / outputs;
            raw.add(p.reshape(s.get(0), a, outputs, s.get(2), s.get(3)).transpose(0, 1, 3, 4, 2));
        }
        return raw;
    }

    /** The decoded N×boxes×(5+K) output (centre x, centre y, w, h in input pixels; objectness; classes). */
    public NDArray decode(ParameterStore ps, NDList raw) {
        // A copy in the outputs' manager: every array is made in the manager of its first operand, and the
        // anchors parameter lives in the network's long-lived one, where slices and products of it would stay
        // until the network is closed, 9 per image (YoloV5nTest.decodingLeavesNoArrayInTheNetworksManager).
        NDArray anchorArray = ps.getValue(anchors, raw.get(0).getDevice(), false).duplicate();
        anchorArray.attach(raw.get(0).getManager());
        NDList levels = new NDList(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            NDArray p = raw.get(i);
            Shape s = p.getShape();
            long n = s.get(0);
            long a = s.get(1);
            int ny = (int) s.get(2);
            int nx = (int) s.get(3);
            float[] g = new float[ny * nx * 2];
            for (int r = 0; r < ny; r++) {
                for (int c = 0; c < nx; c++) {
                    g[2 * (r * nx + c)] = c - 0.5f;
                    g[2 * (r * nx + c) + 1] = r - 0.5f;
                }
            }
            NDArray grid = p.getManager().create(g, new Shape(1, 1, ny, nx, 2));
            NDArray anchorGrid = Scalars.mul(anchorArray.get(i), strides[i]).reshape(1, a, 1, 1, 2);
            NDArray y = Activation.sigmoid(p);
            NDArray xy = Scalars.mul(Scalars.mul(y.get("..., 0:2"), 2).add(grid), strides[i]);
            NDArray wh = Scalars.mul(y.get("..., 2:4"), 2).square().mul(anchorGrid);
            NDArray rest = y.get("..., 4:");
            levels.add(NDArrays.concat(new NDList(xy, wh, rest), -1).reshape(n, -1, outputs));
        }
        return NDArrays.concat(levels, 1);
    }
}
