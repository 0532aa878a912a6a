package org.irfuse.cli.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.irfuse.cli.Progress;
import org.irfuse.cli.UserException;
import org.irfuse.core.pairs.FolderPairing;
import org.irfuse.core.pairs.ImagePair;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code irfuse report}: one self-contained HTML page per evaluation or training run. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a self-contained HTML report of an evaluation or a training run.",
        subcommands = {ReportCommand.Eval.class, ReportCommand.Run.class})
public final class ReportCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** MB option → bytes; refuses negative budgets. */
    static long budgetBytes(double megabytes) {
        if (!(megabytes >= 0)) {
            throw new UserException("--inline-full-mb must be 0 or more, got " + megabytes);
        }
        return (long) (megabytes * (1 << 20));
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Evaluation page: metrics table, bar charts, rank radar and an image grid with "
                    + "synchronized zoom.")
    static final class Eval implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        org.irfuse.cli.ImageLimits imageLimits;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--csv", required = true, paramLabel = "FILE",
                description = "Evaluation results with header " + org.irfuse.core.metrics.EvaluationCsv.HEADER + ".")
        Path csv;

        @Option(names = "--ir-dir", paramLabel = "DIR", description = "Infrared images (with --vis-dir: the grid).")
        Path irDir;

        @Option(names = "--vis-dir", paramLabel = "DIR", description = "Visible images, named like the infrared.")
        Path visDir;

        @Option(names = "--fused-dir", paramLabel = "NAME=DIR",
                showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
                        mapFallbackValue = CommandLine.Option.NULL_VALUE,
                description = "A method's fused images, named like the pairs; repeat per method (column order).")
        Map<String, Path> fusedDirs = new LinkedHashMap<>();

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "The HTML page.")
        Path output;

        @Option(names = "--title", paramLabel = "TEXT", defaultValue = "irfuse evaluation",
                description = "Page title.")
        String title;

        @Option(names = "--inline-full-mb", paramLabel = "MB", defaultValue = "12",
                description = "Embed full-size images while their files total at most this many MB; above, they "
                        + "go to <page>_files/ beside the page.")
        double inlineFullMb;

        @picocli.CommandLine.Mixin
        org.irfuse.cli.SharedOptions.Overwrite overwriteOption;

        @Override
        public Integer call() throws IOException {
            if ((irDir == null) != (visDir == null)) {
                throw new UserException("give both --ir-dir and --vis-dir (or neither, for a page without images)");
            }
            UserException.refuseInput(output, csv);
            for (Map.Entry<String, Path> e : fusedDirs.entrySet()) {
                if (e.getKey().isBlank() || e.getValue() == null) {
                    throw new UserException("--fused-dir expects NAME=DIR, got '" + e.getKey() + "'");
                }
            }
            if (irDir == null && !fusedDirs.isEmpty()) {
                throw new UserException("--fused-dir needs --ir-dir and --vis-dir (the grid pairs them by name)");
            }
            long budget = budgetBytes(inlineFullMb);
            EvaluationTable table = EvaluationTable.read(csv);
            List<ImagePair> pairs = List.of();
            var err = spec.commandLine().getErr();
            if (irDir != null) {
                FolderPairing.Result paired = FolderPairing.pair(irDir, visDir);
                if (paired.pairs().isEmpty()) {
                    throw new UserException("no image pairs: " + irDir + " and " + visDir
                            + " have no image names in common");
                }
                if (!paired.complete()) {
                    err.println("irfuse: warning: " + paired.onlyInFirst().size() + " infrared and "
                            + paired.onlyInSecond().size() + " visible images have no counterpart; left out");
                }
                pairs = paired.pairs();
            }
            for (String method : fusedDirs.keySet()) {
                if (!table.methods().contains(method)) {
                    err.println("irfuse: warning: method '" + method + "' has images but no rows in " + csv);
                }
            }
            EvaluationReport.Options options = EvaluationReport.Options.defaults().withTitle(title)
                    .withInlineBudget(budget);
            try (Progress progress = Progress.start("report", pairs.size(), "pairs")) {
                EvaluationReport.write(table, pairs, fusedDirs, output, overwriteOption.overwrite,
                        options.withProgress(progress::step));
            }
            spec.commandLine().getOut().println("wrote " + output);
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Training page: losses, r_k, aggregation weights, learning rate, checkpoint samples.")
    static final class Run implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--run-dir", required = true, paramLabel = "DIR",
                description = "Run folder (config.json, log.jsonl, samples/).")
        Path runDir;

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "The HTML page.")
        Path output;

        @Option(names = "--inline-full-mb", paramLabel = "MB", defaultValue = "12",
                description = "Embed full-size samples while their files total at most this many MB.")
        double inlineFullMb;

        @picocli.CommandLine.Mixin
        org.irfuse.cli.SharedOptions.Overwrite overwriteOption;

        @Override
        public Integer call() throws IOException {
            long budget = budgetBytes(inlineFullMb);
            TrainingRun run = TrainingRun.read(runDir);
            for (String warning : run.warnings()) {
                spec.commandLine().getErr().println("irfuse: warning: " + warning);
            }
            TrainingReport.write(run, output, overwriteOption.overwrite, budget);
            spec.commandLine().getOut().println("wrote " + output);
            return 0;
        }
    }
}
