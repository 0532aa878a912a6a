package org.irfuse.cli;

import org.irfuse.cli.report.ReportCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code irfuse} command: one subcommand per job. */
@Command(name = "irfuse", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Infrared/visible image fusion trained for what comes after it.",
        subcommands = {FuseCommand.class, AlignCommand.class, TrainCommand.class, EvalCommand.class,
            DetectCommand.class, SegmentCommand.class, TrainDetectorCommand.class, ReportCommand.class,
            SampleCommand.class, BenchCommand.class, BenchPretrainedCommand.class,
            BenchBilevelCommand.class, BenchMetricsCommand.class, BenchAlignCommand.class, ExportCommand.class,
            ImportCommand.class, AverageCommand.class, ExportDatasetCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Inherited by every subcommand, so {@code irfuse fuse --quiet ...} works wherever a bar or status is shown. */
    @CommandLine.Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "no progress bars or status lines on stderr (warnings and errors are still printed)")
    void setQuiet(boolean quiet) {
        Progress.setQuiet(quiet);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // java -jar irfuse.jar works without bin/irfuse: offline natives, the same cache (RuntimeDefaults).
        org.irfuse.nn.runtime.RuntimeDefaults.apply();
        System.exit(execute(args));
    }

    /** Runs the command line in-process and returns its exit code (tests call this). */
    public static int execute(String... args) {
        Progress.setQuiet(false);
        CommandLine cl = commandLine();
        String[] current = DeprecatedNames.rewrite(cl, args);
        CommandLines.set(current);
        return cl.execute(current);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Errors());
        showDefaults(cl);
        return cl;
    }

    /**
     * Every {@code --help} shows each option's default value on a "Default: X" line of its own, so descriptions
     * do not repeat it; options without a default value say what their absence means in words.
     */
    private static void showDefaults(CommandLine cl) {
        cl.getCommandSpec().usageMessage().showDefaultValues(true);
        cl.getSubcommands().values().forEach(Main::showDefaults);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"irfuse " + org.irfuse.core.Version.get()};
        }
    }
}
