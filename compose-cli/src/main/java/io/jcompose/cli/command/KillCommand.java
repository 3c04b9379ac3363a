package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jcompose kill [SERVICE...]}: force stop service containers. */
@Command(name = "kill", description = "Force stop service containers")
public final class KillCommand implements Runnable {
    private static final EachContainer EACH = new EachContainer("kill", "Killing", "Killed");

    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Mixin ServiceArgs args;

    @Option(names = {"-s", "--signal"}, paramLabel = "<string>", defaultValue = "SIGKILL", description = "SIGNAL to send to the container")
    String signal;

    @Override
    public void run() {
        EACH.run(new ComposeContext(root, spec), args.services, (client, id) -> client.killContainer(id, signal));
    }
}
