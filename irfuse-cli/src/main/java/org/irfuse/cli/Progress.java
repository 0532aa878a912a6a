package org.irfuse.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one progress bar of the command line (stderr, so stdout stays clean for tables and pipes).
 * Use with try-with-resources: {@code try (Progress p = Progress.start("fuse", n)) { ... p.step(); }}.
 */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    public static Progress start(String task, long total) {
        return start(task, total, "");
    }

    public static Progress start(String task, long total, String unitName) {
        PrintStream err = System.err;
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000)
                .showSpeed()
                .continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(err));
        if (!unitName.isEmpty()) {
            b.setUnit(" " + unitName, 1);
        }
        return new Progress(b.build());
    }

    public void step() {
        bar.step();
    }

    public void stepBy(long n) {
        bar.stepBy(n);
    }

    /** Text shown after the bar (current losses, file name, ...). */
    public void message(String text) {
        bar.setExtraMessage(text);
    }

    public void stepTo(long n) {
        bar.stepTo(n);
    }

    @Override
    public void close() {
        bar.close();
    }
}
