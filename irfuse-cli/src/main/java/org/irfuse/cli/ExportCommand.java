package org.irfuse.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.irfuse.nn.export.DetectorOnnx;
import org.irfuse.nn.export.FusionWeights;
import org.irfuse.nn.pretrained.YoloV5n;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse export}: a fusion model to ONNX, {@code .npz} or {@code .safetensors}, or the pretrained YOLOv5n
 * detector to ONNX (docs/export.md).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a fusion model to ONNX (opset 13, any image size), .npz or .safetensors "
                + "(format from the extension; array names in docs/export.md), or with --detector-weights the "
                + "pretrained YOLOv5n to ONNX.")
public final class ExportCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    SharedOptions.Model model;

    @Option(names = "--detector-weights", paramLabel = "FILE",
            description = "export the pretrained YOLOv5n of these .npz weights (to .onnx) instead of a fusion model")
    Path detectorWeights;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
            description = "FILE.onnx, FILE.npz or FILE.safetensors")
    Path output;

    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;

    @Override
    public Integer call() throws Exception {
        FusionWeights.Format format = FusionWeights.Format.of(output);
        UserException.refuseExisting(output, overwriteOption.overwrite);
        if (detectorWeights != null) {
            if (format != FusionWeights.Format.ONNX) {
                throw new UserException(output + ": the detector is exported to .onnx (its weights already are "
                        + ".npz)");
            }
            UserException.refuseInput(output, detectorWeights);
            try (Compute compute = Compute.cpu()) {
                DetectorOnnx.write(YoloV5n.load(detectorWeights, compute.root()), output, overwriteOption.overwrite);
            }
            Progress.status("%s", "exported YOLOv5n (" + detectorWeights + ") to " + output + " (onnx)");
            return 0;
        }
        try (Compute compute = Compute.cpu()) {
            FusionModel m = model.load(compute);
            FusionWeights.write(m, output, overwriteOption.overwrite);
            Progress.status("%s", "exported " + m.network().width().id() + " fusion model ("
                    + FusionModel.parameterCount(m.network()) + " parameters) to " + output + " ("
                    + format.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        return 0;
    }
}
