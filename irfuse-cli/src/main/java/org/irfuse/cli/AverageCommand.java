package org.irfuse.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.irfuse.nn.model.FusionModel;
import org.irfuse.nn.model.ModelAverage;
import org.irfuse.nn.runtime.Compute;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code irfuse average}: the uniform weight average ("model soup") of fusion models fine-tuned from one starting
 * model, such as the seeds of one recipe, into a new model folder ({@link ModelAverage}).
 */
@Command(name = "average", mixinStandardHelpOptions = true,
        description = "Average the parameters of fusion models fine-tuned from one starting model (a uniform "
                + "model soup) into a new model folder.")
public final class AverageCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "MODEL", description = "model folders (at least two, same width)")
    List<Path> models;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "model folder to write")
    Path outDir;

    @Option(names = "--notes", paramLabel = "TEXT",
            description = "text added before the card's notes (which list the averaged models)")
    String notes;

    @picocli.CommandLine.Mixin
    SharedOptions.Overwrite overwriteOption;

    @Override
    public Integer call() throws Exception {
        UserException.refuseInput(outDir, models.toArray(Path[]::new));
        UserException.refuseUnwritable(outDir);
        try (Compute compute = Compute.cpu()) {
            FusionModel m = ModelAverage.average(models, compute);
            m.card().command = "irfuse " + String.join(" ", CommandLines.current());
            m.card().date = LocalDate.now().toString();
            if (notes != null) {
                m.card().notes = notes + " " + m.card().notes;
            }
            m.save(outDir, overwriteOption.overwrite);
            Progress.status("%s", "averaged " + models.size() + " " + m.network().width().id()
                    + " fusion models into " + outDir);
        }
        return 0;
    }
}
