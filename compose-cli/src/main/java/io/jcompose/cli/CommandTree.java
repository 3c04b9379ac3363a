package io.jcompose.cli;

import picocli.CommandLine;

/**
 * The picocli command tree of one {@code jcompose} run: the root command, every sub-command and
 * their option models. Building it reflects over all command classes (the larger part of a warm
 * run's CPU), and picocli keeps parsed values in it, so a tree serves exactly one run: the CLI
 * server builds the next one ahead, while it waits, instead of sharing one between runs
 * ({@link io.jcompose.cli.server.ReadyCommandTrees}).
 */
public final class CommandTree {
    private final JcomposeCommand root;
    private final CommandLine commandLine;

    private CommandTree(JcomposeCommand root, CommandLine commandLine) {
        this.root = root;
        this.commandLine = commandLine;
    }

    /**
     * Builds a tree no run has used yet: it holds no invocation, streams or parsed values.
     *
     * @return the tree, for one {@link Main#run(CommandTree, Invocation, java.io.PrintStream, java.io.PrintStream, String...)}
     */
    public static CommandTree build() {
        JcomposeCommand root = new JcomposeCommand();
        CommandLine cli = new CommandLine(root);
        // exec's options end at the service: what follows is the command and its own flags
        cli.getSubcommands().get("exec").setStopAtPositional(true);
        cli.getSubcommands().get("run").setStopAtPositional(true);
        cli.setAllowSubcommandsAsOptionParameters(true); // "--profile push push", "-p up up": a flag's value may be a command's name
        return new CommandTree(root, cli);
    }

    JcomposeCommand root() {
        return root;
    }

    CommandLine commandLine() {
        return commandLine;
    }
}
