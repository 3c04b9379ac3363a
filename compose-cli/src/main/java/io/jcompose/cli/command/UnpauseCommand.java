package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.runtime.api.client.EngineClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jcompose unpause [SERVICE...]}: unpause services. */
@Command(name = "unpause", description = "Unpause services")
public final class UnpauseCommand implements Runnable {
    private static final EachContainer EACH = new EachContainer("unpause", "Unpausing", "Unpaused");

    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Mixin ServiceArgs args;

    @Override
    public void run() {
        EACH.run(new ComposeContext(root, spec), args.services, EngineClient::unpauseContainer);
    }
}
