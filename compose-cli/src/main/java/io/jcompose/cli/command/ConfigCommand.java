package io.jcompose.cli.command;

import io.jcompose.cli.CliException;
import io.jcompose.cli.ExitCodes;
import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.UsageException;
import io.jcompose.cli.engine.EngineConnection;
import io.jcompose.model.Project;
import io.jcompose.model.print.ConfigPrinter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose config}: loads, validates and prints the project in the canonical form of
 * {@code docker compose config} (docker/compose {@code cmd/compose/config.go}). The list flags
 * are checked in compose's order (services, volumes, networks, profiles, images) and the first
 * one given wins; they print to stdout even with {@code -o}, as in compose.
 */
@Command(name = "config", description = "Parse, resolve and render compose file in canonical format")
public final class ConfigCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Option(names = "--format", paramLabel = "<format>", defaultValue = "yaml",
            description = "Format the output. Values: [yaml | json]")
    String format;

    @Option(names = {"-q", "--quiet"}, description = "Only validate the configuration, don't print anything")
    boolean quiet;

    @Option(names = "--services", description = "Print the service names, one per line")
    boolean services;

    @Option(names = "--volumes", description = "Print the volume names, one per line")
    boolean volumes;

    @Option(names = "--networks", description = "Print the network names, one per line")
    boolean networks;

    @Option(names = "--profiles", description = "Print the profile names, one per line")
    boolean profiles;

    @Option(names = "--images", description = "Print the image names, one per line")
    boolean images;

    @Option(names = "--no-interpolate", description = "Don't interpolate environment variables")
    boolean noInterpolate;

    @Option(names = "--resolve-image-digests", description = "Pin image tags to digests")
    boolean resolveImageDigests;

    @Option(names = {"-o", "--output"}, paramLabel = "<file>", description = "Save to file (default to stdout)")
    String output;

    @Override
    public void run() {
        if (!format.equals("yaml") && !format.equals("json")) {
            throw new UsageException("unsupported format \"" + format + "\"");
        }
        Project project = root.loadProject(!noInterpolate);
        if (resolveImageDigests) {
            project = ImageDigests.pin(project, EngineConnection.of(root.globalOptions(), root.environment()).connect());
        }
        PrintWriter out = spec.commandLine().getOut();
        String list = services ? ConfigPrinter.services(project)
                : volumes ? ConfigPrinter.volumes(project)
                : networks ? ConfigPrinter.networks(project)
                : profiles ? ConfigPrinter.profiles(project)
                : images ? ConfigPrinter.images(project)
                : null;
        if (list != null) {
            out.print(list);
            out.flush();
            return;
        }
        String content = format.equals("json")
                ? ConfigPrinter.json(project, !noInterpolate)
                : ConfigPrinter.yaml(project, !noInterpolate);
        if (quiet) {
            return;
        }
        if (output != null && !content.isEmpty()) {
            Path file = root.resolve(output);
            try {
                Files.writeString(file, content, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException("open " + output + ": " + reason(e), ExitCodes.FAILURE, e);
            }
            return;
        }
        out.print(content);
        out.flush();
    }

    private static String reason(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "no such file or directory";
            case java.nio.file.AccessDeniedException a -> "permission denied";
            default -> e.getMessage();
        };
    }
}
