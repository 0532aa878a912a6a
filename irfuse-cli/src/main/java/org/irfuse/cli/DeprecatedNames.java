package org.irfuse.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The option spellings issue 12 retired, still accepted so existing scripts keep working: each is rewritten to its
 * new name before picocli parses, with a one-line warning on stderr. The old names are not declared as options, so
 * {@code --help} shows only the current ones. Keys are command paths as typed ({@code "eval det"}).
 */
final class DeprecatedNames {
    /** command path → (old name → new name). */
    static final Map<String, Map<String, String>> ALIASES = Map.ofEntries(
            Map.entry("fuse", Map.of("--format", "--image-format")),
            Map.entry("detect", Map.of("--format", "--det-format")),
            Map.entry("eval det", Map.of("--format", "--gt-format")),
            Map.entry("export", Map.of("--output", "--out")),
            Map.entry("export-dataset", Map.of("--out-dir", "--out")),
            Map.entry("import", Map.of("--out-dir", "--out")),
            Map.entry("sample", Map.of("--out-dir", "--out")),
            Map.entry("report eval", Map.of("--output", "--out")),
            Map.entry("report run", Map.of("--output", "--out", "--run", "--run-dir")),
            Map.entry("align", Map.of("--model", "--align")),
            Map.entry("bench-align", Map.of("--model", "--align")),
            Map.entry("bench-bilevel", Map.of("--crop", "--crop-side")));

    private DeprecatedNames() {
    }

    /**
     * The arguments with every retired option name of the command they address replaced by its new name (also in
     * the {@code --old=value} form); each replacement prints one warning. Arguments after {@code --} are left alone.
     */
    static String[] rewrite(CommandLine root, String[] args) {
        List<String> out = new ArrayList<>(args.length);
        CommandLine current = root;
        String path = "";
        boolean endOfOptions = false;
        boolean atCommand = true;   // the previous argument was a command name or the flag -q/--quiet
        for (String arg : args) {
            if (!endOfOptions && atCommand && current.getSubcommands().containsKey(arg)) {
                current = current.getSubcommands().get(arg);
                path = path.isEmpty() ? arg : path + " " + arg;
                out.add(arg);
                continue;
            }
            atCommand = "-q".equals(arg) || "--quiet".equals(arg);
            if ("--".equals(arg)) {
                endOfOptions = true;
            }
            out.add(endOfOptions ? arg : replace(path, arg));
        }
        return out.toArray(String[]::new);
    }

    private static String replace(String path, String arg) {
        Map<String, String> names = ALIASES.get(path);
        if (names == null || !arg.startsWith("--")) {
            return arg;
        }
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        String now = names.get(name);
        if (now == null) {
            return arg;
        }
        System.err.printf("irfuse %s: warning: %s is deprecated, use %s%n", path, name, now);
        return eq < 0 ? now : now + arg.substring(eq);
    }
}
