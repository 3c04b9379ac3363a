package io.jcompose.cli;

import picocli.CommandLine.Command;

/** The top-level {@code jcompose} command: the {@code docker compose} command set. */
@Command(
        name = "jcompose",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Define and run multi-container applications, on jcompose's own engine.",
        subcommands = {VersionCommand.class})
public final class JcomposeCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
