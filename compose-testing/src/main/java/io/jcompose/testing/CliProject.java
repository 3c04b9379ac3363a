package io.jcompose.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One project's commands for the CLI server: the working directory, environment and global flags
 * ({@code -f}, {@code -p}, {@code --profile}) that make the server load the same project as
 * {@link ComposeProject#load()} does in this JVM.
 *
 * @param server the CLI server
 * @param cwd the project folder (the working directory of every command)
 * @param env the environment (this JVM's, the test's variables, the engine and the session)
 * @param globalFlags the flags before the command
 */
record CliProject(CliServerCall server, Path cwd, Map<String, String> env, List<String> globalFlags) {
    CliProject {
        env = Map.copyOf(env);
        globalFlags = List.copyOf(globalFlags);
    }

    /**
     * Runs {@code jcompose <global flags> <command...>} in the server.
     *
     * @return the outcome, or empty when the server is not there or declines (do it in this JVM)
     */
    Optional<CliServerCall.Outcome> run(String... command) {
        List<String> args = new ArrayList<>(globalFlags);
        args.addAll(List.of(command));
        return server.run(cwd, env, args);
    }

    /** {@link CliServerCall#follow} of {@code jcompose <global flags> <command...>}. */
    CliServerCall.Followed follow(java.util.function.Predicate<String> until, long deadlineNanos, String... command) {
        List<String> args = new ArrayList<>(globalFlags);
        args.addAll(List.of(command));
        return server.follow(cwd, env, args, until, deadlineNanos);
    }
}
