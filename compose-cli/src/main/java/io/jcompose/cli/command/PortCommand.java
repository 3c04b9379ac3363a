package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.model.Project;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jcompose port SERVICE PRIVATE_PORT}: the public address a container port is published on. */
@Command(name = "port", description = "Print the public port for a port binding")
public final class PortCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Mixin IndexOption index;

    @Option(names = "--protocol", paramLabel = "<string>", defaultValue = "tcp", description = "tcp or udp")
    String protocol;

    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;

    @Parameters(index = "1", paramLabel = "PRIVATE_PORT")
    String privatePort;

    @Override
    public void run() {
        ComposeContext ctx = new ComposeContext(root, spec);
        ComposeContext.oneLine(() -> {
            Project p = ctx.projectOrNull();
            ContainerSummary c = ServiceContainers.pick(ctx.client(), ctx.projectName(p), service, index.index);
            ctx.out().println(published(c, privatePort, protocol));
            ctx.out().flush();
        });
    }

    /**
     * {@code IP:PORT} of the first binding of {@code port} ({@code 80} or {@code 80/udp}; a
     * protocol in the argument wins over {@code --protocol}).
     *
     * @throws IllegalArgumentException with compose's words when the port is not published
     */
    public static String published(ContainerSummary c, String port, String protocol) {
        String[] parts = port.split("/", 2);
        String proto = (parts.length == 2 ? parts[1] : protocol).toLowerCase(Locale.ROOT);
        int number;
        try {
            number = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port \"" + port + "\": expected PRIVATE_PORT[/PROTOCOL]");
        }
        List<ContainerSummary.Port> ports = c.ports() == null ? List.of() : c.ports();
        return ports.stream()
                .filter(b -> b.privatePort() == number && b.publicPort() != null && proto.equalsIgnoreCase(b.type()))
                .findFirst()
                .map(b -> (b.ip() == null || b.ip().isEmpty() ? "0.0.0.0" : b.ip()) + ":" + b.publicPort())
                .orElseThrow(() -> new IllegalArgumentException(
                        "no port " + number + "/" + proto + " for container " + PsCommand.name(c)));
    }
}
