package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.UsageException;
import io.jcompose.runtime.image.registry.DockerConfigAuthSource;
import io.jcompose.runtime.image.registry.RegistryClient;
import io.jcompose.runtime.image.registry.RegistryCredentials;
import io.jcompose.runtime.image.registry.RegistryException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose login [SERVER]}: checks the credentials against the registry as
 * {@code docker login} does, then stores them where the Docker CLI keeps them (its config file,
 * or the credential helper it names), so the engine's pulls and {@code docker} both use them.
 */
@Command(name = "login", description = "Log in to a registry")
public final class LoginCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Option(names = {"-u", "--username"}, paramLabel = "<username>", description = "Username")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "<password>", description = "Password")
    String password;

    @Option(names = "--password-stdin", description = "Take the password from stdin")
    boolean passwordStdin;

    @Parameters(arity = "0..1", paramLabel = "SERVER", description = "Registry (default: Docker Hub)")
    String server;

    @Override
    public void run() {
        if (password != null && passwordStdin) {
            throw new UsageException("--password and --password-stdin are mutually exclusive");
        }
        if (passwordStdin) {
            if (username == null || username.isEmpty()) {
                throw new UsageException("Must provide --username with --password-stdin");
            }
            password = readStdin();
        }
        if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
            throw new UsageException("login needs --username and --password (or --password-stdin): jcompose does not prompt");
        }
        PrintWriter err = spec.commandLine().getErr();
        if (!passwordStdin) {
            err.println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
            err.flush();
        }
        String host = RegistryLogins.registryHost(server);
        DockerConfigAuthSource auth = RegistryLogins.authFile(root.environment());
        RegistryCredentials credentials = new RegistryCredentials(username, password);
        try (RegistryClient client = new RegistryClient(RegistryLogins.registryConfig(root, auth))) {
            client.checkLogin(host, credentials);
            auth.save(RegistryLogins.display(host), credentials);
        } catch (RegistryException e) {
            throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Login Succeeded");
        out.flush();
    }

    private static String readStdin() {
        try {
            String s = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            return s.endsWith("\n") ? s.substring(0, s.length() - 1).replaceAll("\r$", "") : s;
        } catch (IOException e) {
            throw new CliException("cannot read the password from stdin: " + e.getMessage(), ExitCodes.FAILURE, e);
        }
    }
}
