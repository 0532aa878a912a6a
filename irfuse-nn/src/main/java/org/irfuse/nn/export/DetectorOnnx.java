package org.irfuse.nn.export;

import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.core.io.NpzArchive.Array;
import org.irfuse.nn.pretrained.NpzWeights;
import org.irfuse.nn.pretrained.YoloV5n;

/**
 * The pretrained YOLOv5n detector ({@link YoloV5n}, v6.x layout) as an ONNX model (opset 13), written from its
 * known structure with the weights under their checkpoint names ({@code layers.<i>...}, ../shared/models/README.md).
 * CBS = Conv (no bias) → BatchNormalization (inference, ε 1e−3) → SiLU as {@code x·Sigmoid(x)}; C3 and SPPF as in
 * {@link org.irfuse.nn.pretrained.CrossStagePartial} and {@link org.irfuse.nn.pretrained.Sppf}; nearest ×2
 * up-sampling as Resize (asymmetric, floor: output pixel (y, x) takes input (⌊y/2⌋, ⌊x/2⌋), as PyTorch).
 *
 * <p>Input {@code images}: float32 [batch, 3, height, width], RGB in [0, 1], height and width multiples of 32.
 * Outputs {@code p3}, {@code p4}, {@code p5}: the raw Detect logits at strides 8, 16, 32, each
 * [batch, 3, ny·nx, 85] (anchor, cell in row-major order, channel) — {@link YoloV5n#raw}'s N×3×ny×nx×85 with the
 * two grid axes merged. The decode (sigmoid; centre {@code (2σ − 0.5 + cell)·stride}, size
 * {@code (2σ)²·anchor}) and NMS stay outside the graph, as docs/export.md describes.
 */
public final class DetectorOnnx {
    private final OnnxGraph g = new OnnxGraph();
    private final Map<String, Parameter> params;
    private final Map<String, Array> used = new LinkedHashMap<>();

    private DetectorOnnx(YoloV5n net) {
        params = NpzWeights.parameters(net);
    }

    /** Writes the detector's ONNX file atomically. */
    public static void write(YoloV5n net, Path file, boolean overwrite) throws IOException {
        AtomicFiles.writeBytes(file, overwrite, toBytes(net));
    }

    /** The serialised ModelProto. */
    public static byte[] toBytes(YoloV5n net) {
        return new DetectorOnnx(net).build();
    }

    private byte[] build() {
        String x = cbs("layers.0", "images", 6, 2, 2);
        x = cbs("layers.1", x, 3, 2, 1);
        x = c3("layers.2", x, 1, true);
        x = cbs("layers.3", x, 3, 2, 1);
        String p3 = c3("layers.4", x, 2, true);
        x = cbs("layers.5", p3, 3, 2, 1);
        String p4 = c3("layers.6", x, 3, true);
        x = cbs("layers.7", p4, 3, 2, 1);
        x = c3("layers.8", x, 1, true);
        x = sppf("layers.9", x);
        String x10 = cbs("layers.10", x, 1, 1, 0);
        x = c3("layers.13", concat("layers.12", up("layers.11", x10), p4), 1, false);
        String x14 = cbs("layers.14", x, 1, 1, 0);
        String out3 = c3("layers.17", concat("layers.16", up("layers.15", x14), p3), 1, false);
        String out4 = c3("layers.20", concat("layers.19", cbs("layers.18", out3, 3, 2, 1), x14), 1, false);
        String out5 = c3("layers.23", concat("layers.22", cbs("layers.21", out4, 3, 2, 1), x10), 1, false);
        g.int64Initializer("detect_split", 0, 3, YoloV5n.COCO_CLASSES + 5, -1);
        String[] outs = {out3, out4, out5};
        for (int i = 0; i < 3; i++) {
            String m = "layers.24.m." + i;
            String conv = g.node("Conv", m, List.of(outs[i], weight(m + ".weight"), weight(m + ".bias")),
                    OnnxGraph.ints("kernel_shape", 1, 1));
            // N×255×ny×nx → N×3×85×(ny·nx) → N×3×(ny·nx)×85, the same memory as YoloV5n's N×3×ny×nx×85.
            String flat = g.node("Reshape", m + "_flatten", List.of(conv, "detect_split"));
            g.node("Transpose", m + "_transpose", List.of(flat), "p" + (i + 3), OnnxGraph.ints("perm", 0, 1, 3, 2));
            g.output("p" + (i + 3), "batch", 3, "cells" + (i + 3), 85);
        }
        used.forEach(g::initializer);
        g.input("images", "batch", 3, "height", "width");
        return g.model("yolov5n", "YOLOv5n (v6.x) raw Detect outputs, exported by irfuse");
    }

    private String weight(String name) {
        Parameter p = params.get(name);
        if (p == null) {
            throw new IllegalStateException("YOLOv5n has no parameter " + name);
        }
        used.computeIfAbsent(name, k -> new Array(p.getArray().getShape().getShape(), p.getArray().toFloatArray()));
        return name;
    }

    /** Conv (no bias) → BatchNormalization → SiLU. */
    private String cbs(String name, String input, int kernel, int stride, int pad) {
        String conv = g.node("Conv", name + ".conv", List.of(input, weight(name + ".conv.weight")),
                OnnxGraph.ints("kernel_shape", kernel, kernel), OnnxGraph.ints("strides", stride, stride),
                OnnxGraph.ints("pads", pad, pad, pad, pad));
        String bn = g.node("BatchNormalization", name + ".bn", List.of(conv, weight(name + ".bn.weight"),
                weight(name + ".bn.bias"), weight(name + ".bn.running_mean"), weight(name + ".bn.running_var")),
                OnnxGraph.real("epsilon", 1e-3f));
        String sigmoid = g.node("Sigmoid", name + "_sigmoid", List.of(bn));
        return g.node("Mul", name + "_silu", List.of(bn, sigmoid));
    }

    /** C3: cv3(concat(m(cv1(x)), cv2(x))), bottleneck m = x + cv2(cv1(x)) with shortcut, else cv2(cv1(x)). */
    private String c3(String name, String input, int n, boolean shortcut) {
        String a = cbs(name + ".cv1", input, 1, 1, 0);
        for (int i = 0; i < n; i++) {
            String m = name + ".m." + i;
            String y = cbs(m + ".cv2", cbs(m + ".cv1", a, 1, 1, 0), 3, 1, 1);
            a = shortcut ? g.node("Add", m + "_shortcut", List.of(a, y)) : y;
        }
        return cbs(name + ".cv3", concat(name + "_concat", a, cbs(name + ".cv2", input, 1, 1, 0)), 1, 1, 0);
    }

    private String sppf(String name, String input) {
        String x = cbs(name + ".cv1", input, 1, 1, 0);
        List<String> parts = new ArrayList<>(List.of(x));
        for (int i = 1; i <= 3; i++) {
            parts.add(g.node("MaxPool", name + "_pool" + i, List.of(parts.get(i - 1)),
                    OnnxGraph.ints("kernel_shape", 5, 5), OnnxGraph.ints("strides", 1, 1),
                    OnnxGraph.ints("pads", 2, 2, 2, 2)));
        }
        return cbs(name + ".cv2", g.node("Concat", name + "_concat", parts, OnnxGraph.integer("axis", 1)), 1, 1, 0);
    }

    private String concat(String name, String a, String b) {
        return g.node("Concat", name, List.of(a, b), OnnxGraph.integer("axis", 1));
    }

    /** Nearest ×2: Resize(X, roi = none, scales = [1, 1, 2, 2]). */
    private String up(String name, String input) {
        if (!used.containsKey("upsample_scales")) {
            used.put("upsample_scales", new Array(new long[] {4}, new float[] {1, 1, 2, 2}));
        }
        return g.node("Resize", name, List.of(input, "", "upsample_scales"), OnnxGraph.text("mode", "nearest"),
                OnnxGraph.text("coordinate_transformation_mode", "asymmetric"),
                OnnxGraph.text("nearest_mode", "floor"));
    }
}
