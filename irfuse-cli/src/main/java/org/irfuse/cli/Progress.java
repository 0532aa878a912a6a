package org.irfuse.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one progress bar of the command line (stderr, so stdout stays clean for tables and pipes), and the status
 * lines that go with it. The bar is drawn only when stderr is a terminal and {@code --quiet} is not given: in a
 * log file or a pipe it is noise (one redraw per second). Use with try-with-resources:
 * {@code try (Progress p = Progress.start("fuse", n)) { ... p.step(); }}.
 */
public final class Progress implements AutoCloseable {
    private static volatile boolean quiet;
    /** Tests force the terminal decision (null: detect). */
    static volatile Boolean terminalOverride;

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** {@code --quiet}: no progress bars and no status lines (warnings and errors still go to stderr). */
    public static void setQuiet(boolean q) {
        quiet = q;
    }

    public static boolean quiet() {
        return quiet;
    }

    /** A status line on stderr ({@code fused 12 of 12 pairs ...}), unless {@code --quiet}. */
    public static void status(String format, Object... args) {
        if (!quiet) {
            System.err.printf(java.util.Locale.ROOT, format + "%n", args);
        }
    }

    /**
     * True when stderr is an interactive terminal. Linux: {@code /proc/self/fd/2} points at a tty device; elsewhere
     * the JVM's console (JDK 22+ always returns one, so its {@code isTerminal()} is asked when present).
     */
    static boolean stderrIsTerminal() {
        Boolean forced = terminalOverride;
        if (forced != null) {
            return forced;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            if (!(Boolean) isTerminal.invoke(console)) {
                return false;
            }
        } catch (ReflectiveOperationException e) {
            // JDK < 22: a non-null console already means stdin and stdout are terminals.
        }
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(fd2)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return true;
            }
        }
        return true;
    }

    public static Progress start(String task, long total) {
        return start(task, total, "");
    }

    public static Progress start(String task, long total, String unitName) {
        if (quiet || !stderrIsTerminal()) {
            return new Progress(null);
        }
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

    /** True when a bar is drawn. */
    public boolean shown() {
        return bar != null;
    }

    public void step() {
        if (bar != null) {
            bar.step();
        }
    }

    public void stepBy(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    /** Text shown after the bar (current losses, file name, ...). */
    public void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(text);
        }
    }

    public void stepTo(long n) {
        if (bar != null) {
            bar.stepTo(n);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
