package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.runtime.api.client.EngineClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jcompose pause [SERVICE...]}: pause services. */
@Command(name = "pause", description = "Pause services")
public final class PauseCommand implements Runnable {
    private static final EachContainer EACH = new EachContainer("pause", "Pausing", "Paused");

    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Mixin ServiceArgs args;

    @Override
    public void run() {
        EACH.run(new ComposeContext(root, spec), args.services, EngineClient::pauseContainer);
    }
}
