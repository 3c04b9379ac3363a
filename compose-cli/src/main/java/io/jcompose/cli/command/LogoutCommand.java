package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.runtime.image.registry.RegistryException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jcompose logout [SERVER]}: forgets the stored credentials, with {@code docker logout}'s words. */
@Command(name = "logout", description = "Log out from a registry")
public final class LogoutCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Parameters(arity = "0..1", paramLabel = "SERVER", description = "Registry (default: Docker Hub)")
    String server;

    @Override
    public void run() {
        String name = RegistryLogins.display(RegistryLogins.registryHost(server));
        boolean removed;
        try {
            removed = RegistryLogins.authFile(root.environment()).remove(name);
        } catch (RegistryException e) {
            throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(removed ? "Removing login credentials for " + name : "Not logged in to " + name);
        out.flush();
    }
}
