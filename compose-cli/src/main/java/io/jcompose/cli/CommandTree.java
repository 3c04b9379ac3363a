package io.jcompose.cli;

import io.jcompose.cli.command.BuildCommand;
import io.jcompose.cli.command.ConfigCommand;
import io.jcompose.cli.command.CpCommand;
import io.jcompose.cli.command.CreateCommand;
import io.jcompose.cli.command.DownCommand;
import io.jcompose.cli.command.EngineCommand;
import io.jcompose.cli.command.EventsCommand;
import io.jcompose.cli.command.ExecCommand;
import io.jcompose.cli.command.ImagesCommand;
import io.jcompose.cli.command.KillCommand;
import io.jcompose.cli.command.LoginCommand;
import io.jcompose.cli.command.LogoutCommand;
import io.jcompose.cli.command.LogsCommand;
import io.jcompose.cli.command.LsCommand;
import io.jcompose.cli.command.PauseCommand;
import io.jcompose.cli.command.PortCommand;
import io.jcompose.cli.command.PsCommand;
import io.jcompose.cli.command.PullCommand;
import io.jcompose.cli.command.PushCommand;
import io.jcompose.cli.command.RestartCommand;
import io.jcompose.cli.command.RmCommand;
import io.jcompose.cli.command.RunCommand;
import io.jcompose.cli.command.StartCommand;
import io.jcompose.cli.command.StopCommand;
import io.jcompose.cli.command.TopCommand;
import io.jcompose.cli.command.UnpauseCommand;
import io.jcompose.cli.command.UpCommand;
import io.jcompose.cli.command.VersionCommand;
import io.jcompose.cli.command.WaitCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The picocli command tree of one {@code jcompose} run: the root command with its sub-commands
 * and their option models. picocli keeps a run's parsed values in the tree, so every run gets its
 * own and none is shared. Building the model reflects over the command classes, which for all of
 * them costs more CPU than a warm build's whole CLI side; so a run that names a command
 * ({@link CommandWord}) gets the root with that one command only, and only a run without one
 * ({@code jcompose --help}) or with an unknown one (whose error lists nothing but needs the full
 * set to be the same error) gets all.
 */
public final class CommandTree {
    /** The sub-commands, in the order the root's help lists them. */
    static final List<Class<?>> COMMANDS = List.of(BuildCommand.class, ConfigCommand.class, DownCommand.class, EngineCommand.class,
            ExecCommand.class, KillCommand.class, LoginCommand.class, LogoutCommand.class, LogsCommand.class, LsCommand.class,
            PauseCommand.class, PortCommand.class, PsCommand.class, RunCommand.class, CreateCommand.class, WaitCommand.class,
            RestartCommand.class, RmCommand.class, StartCommand.class, StopCommand.class, UnpauseCommand.class, UpCommand.class,
            CpCommand.class, EventsCommand.class, ImagesCommand.class, PullCommand.class, PushCommand.class, TopCommand.class,
            VersionCommand.class);

    /** Sub-command class by name, from their annotations (read once). */
    private static final Map<String, Class<?>> BY_NAME = byName();

    /** The commands whose options end at their first positional (the service): the rest is the container's command line. */
    private static final Set<String> STOP_AT_POSITIONAL = Set.of("exec", "run");

    private final JcomposeCommand root;
    private final CommandLine commandLine;

    private CommandTree(JcomposeCommand root, CommandLine commandLine) {
        this.root = root;
        this.commandLine = commandLine;
    }

    /**
     * The tree a command line needs: the root and the command it names, or every command when it
     * names none that exists.
     *
     * @param args the command line after the program name
     * @return a tree no run has used
     */
    public static CommandTree forArgs(String... args) {
        Class<?> named = CommandWord.of(args).map(BY_NAME::get).orElse(null);
        return named == null ? full() : of(List.of(named));
    }

    /**
     * The tree with every command, for help and tests.
     *
     * @return a tree no run has used
     */
    public static CommandTree full() {
        return of(COMMANDS);
    }

    private static CommandTree of(List<Class<?>> commands) {
        JcomposeCommand root = new JcomposeCommand();
        CommandLine cli = new CommandLine(root);
        for (Class<?> c : commands) {
            CommandLine sub = new CommandLine(c);
            if (STOP_AT_POSITIONAL.contains(sub.getCommandName())) {
                sub.setStopAtPositional(true);
            }
            cli.addSubcommand(sub);
        }
        cli.setAllowSubcommandsAsOptionParameters(true); // "--profile push push", "-p up up": a flag's value may be a command's name
        return new CommandTree(root, cli);
    }

    private static Map<String, Class<?>> byName() {
        Map<String, Class<?>> out = new LinkedHashMap<>();
        for (Class<?> c : COMMANDS) {
            Command command = c.getAnnotation(Command.class);
            out.put(command.name(), c);
            for (String alias : command.aliases()) {
                out.put(alias, c);
            }
        }
        return Map.copyOf(out);
    }

    JcomposeCommand root() {
        return root;
    }

    /**
     * The picocli command line of the tree (tests parse with it; runs go through {@link Main}).
     *
     * @return the root command line
     */
    public CommandLine commandLine() {
        return commandLine;
    }
}
