package org.irfuse.nn.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.irfuse.core.io.AtomicFiles;
import org.irfuse.core.io.NpzArchive.Array;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.modules.FusionNetwork;

/**
 * The fusion network as an ONNX model (opset 13, IR version 7), written from the network's known structure
 * ({@link FusionNetwork}: concat → conv → PReLU → two dilated residual dense blocks → conv → PReLU → conv → PReLU)
 * with the weights as initializers under the names of {@link FusionWeights}. DJL's PyTorch engine cannot export
 * ONNX, so the ModelProto is serialised here ({@link OnnxGraph}).
 *
 * <p>Inputs {@code infrared} and {@code luminance}, float32 [batch, 1, height, width] in [0, 1] (the visible image's
 * BT.601 Y); output {@code fused}, the same shape, the fused luminance Ŷ before clamping — what
 * {@link org.irfuse.nn.fusion.Fuser#fuseLuminance} returns. Batch, height and width are symbolic (dim_param), so
 * one file runs at any size.
 */
public final class FusionOnnx {
    /** ONNX operator set the graph is written against (Conv, Concat, Relu, PRelu, Add are all stable since). */
    public static final int OPSET = OnnxGraph.OPSET;

    private FusionOnnx() {
    }

    /** Writes the model's ONNX file atomically. */
    public static void write(FusionModel model, Path file, boolean overwrite) throws IOException {
        byte[] bytes = toBytes(model.network(), "irfuse fusion network (" + model.network().width().id() + ")");
        AtomicFiles.writeBytes(file, overwrite, bytes);
    }

    /** The serialised ModelProto. */
    public static byte[] toBytes(FusionNetwork net, String docString) {
        Map<String, Array> weights = FusionWeights.of(net);
        OnnxGraph g = new OnnxGraph();
        String x = g.node("Concat", "concat", List.of("infrared", "luminance"), OnnxGraph.integer("axis", 1));
        x = conv(g, "head", x, 1, 1);
        x = g.node("PRelu", "head_prelu", List.of(x, "prelu.weight"));
        for (int k = 1; k <= 2; k++) {
            String block = "drdb" + k;
            String input = x;
            String features = x;
            for (int i = 0; i < 5; i++) {
                String c = conv(g, block + ".dense" + i, features, 2, 2);
                String relu = g.node("Relu", block + ".dense" + i + "_relu", List.of(c));
                features = g.node("Concat", block + ".dense" + i + "_concat", List.of(features, relu),
                        OnnxGraph.integer("axis", 1));
            }
            String fuse = conv(g, block + ".fuse", features, 0, 1);
            String relu = g.node("Relu", block + ".fuse_relu", List.of(fuse));
            x = g.node("Add", block + "_residual", List.of(relu, input));
        }
        x = conv(g, "reduce", x, 1, 1);
        x = g.node("PRelu", "reduce_prelu", List.of(x, "prelu.weight"));
        x = conv(g, "out", x, 1, 1);
        g.node("PRelu", "out_prelu", List.of(x, "prelu.weight"), "fused");
        weights.forEach(g::initializer);
        g.input("infrared", "batch", 1, "height", "width");
        g.input("luminance", "batch", 1, "height", "width");
        g.output("fused", "batch", 1, "height", "width");
        return g.model("irfuse_fusion", docString);
    }

    /** Convolution with weight {@code <prefix>.weight}, bias {@code <prefix>.bias}; 1×1 when {@code pad} is 0. */
    private static String conv(OnnxGraph g, String prefix, String input, int pad, int dilation) {
        int kernel = pad == 0 ? 1 : 3;
        return g.node("Conv", prefix, List.of(input, prefix + ".weight", prefix + ".bias"),
                OnnxGraph.ints("kernel_shape", kernel, kernel), OnnxGraph.ints("pads", pad, pad, pad, pad),
                OnnxGraph.ints("dilations", dilation, dilation), OnnxGraph.ints("strides", 1, 1));
    }
}
