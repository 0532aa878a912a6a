package org.irfuse.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.irfuse.nn.export.FusionWeights;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.runtime.Compute;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code irfuse import}: fusion weights trained elsewhere in the paper's architecture ({@code .npz} or
 * {@code .safetensors} with the names of docs/export.md) into a model folder with its card, usable as
 * {@code --model DIR} everywhere.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import fusion weights (.npz or .safetensors, names in docs/export.md) into a model folder.")
public final class ImportCommand implements Callable<Integer> {
    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "FILE.npz or FILE.safetensors")
    Path weights;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "model folder to write")
    Path outDir;

    @Option(names = "--notes", paramLabel = "TEXT",
            description = "text for the model card's notes (default: where the weights came from)")
    String notes;

    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;

    @Override
    public Integer call() throws Exception {
        UserException.refuseInput(outDir, weights);
        UserException.refuseUnwritable(outDir);
        try (Compute compute = Compute.cpu()) {
            FusionModel m = FusionWeights.toModel(FusionWeights.read(weights), weights.toString(), compute);
            m.card().command = "irfuse " + String.join(" ", CommandLines.current());
            m.card().date = LocalDate.now().toString();
            if (notes != null) {
                m.card().notes = notes;
            }
            m.save(outDir, overwriteOption.overwrite);
            Progress.status("%s", "imported " + m.network().width().id() + " fusion model (" + m.card().parameters
                    + " parameters) from " + weights + " into " + outDir);
        }
        return 0;
    }
}
