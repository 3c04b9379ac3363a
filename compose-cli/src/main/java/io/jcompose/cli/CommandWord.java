package io.jcompose.cli;

import java.util.Optional;
import java.util.Set;

/**
 * The sub-command of a command line ({@code exec} in {@code jcompose -p x exec web sh}), found by
 * skipping the global flags and their values, without a full parse. The native client skips the
 * same flags to find {@code -H} (compose-cli/src/main/c/jcompose-client.c).
 */
public final class CommandWord {
    /** The global flags that take a value as the next argument (see GlobalFlags). */
    public static final Set<String> VALUED = Set.of("-f", "--file", "-p", "--project-name", "--project-directory", "--workdir", "--env-file",
            "--profile", "--ansi", "--progress", "--parallel", "-H", "--host");

    private CommandWord() {}

    /**
     * The first argument that is neither a global flag nor a flag's value.
     *
     * @param args the command line after the program name
     * @return the sub-command, or empty when there is none (help, version flag)
     */
    public static Optional<String> of(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return i + 1 < args.length ? Optional.of(args[i + 1]) : Optional.empty();
            }
            if (!a.startsWith("-") || a.equals("-")) {
                return Optional.of(a);
            }
            if (VALUED.contains(a)) {
                i++; // "-f x": x is the flag's value ("-fx" and "--file=x" carry it themselves)
            }
        }
        return Optional.empty();
    }
}
