package org.irfuse.cli;

import java.util.List;

/** The arguments of the running command, recorded in model cards and run configs. */
final class CommandLines {
    private static volatile List<String> current = List.of();

    private CommandLines() {
    }

    static void set(String[] args) {
        current = List.of(args);
    }

    static List<String> current() {
        return current;
    }
}
