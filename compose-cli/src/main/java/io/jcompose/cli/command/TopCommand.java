package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.model.Project;
import io.jcompose.runtime.api.model.ContainerSummary;
import io.jcompose.runtime.api.model.ContainerTop;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose top [SERVICE...]}: the processes of each running container (one-offs
 * included), by container name, each as compose prints it: the name, a table, an empty line.
 */
@Command(name = "top", description = "Display the running processes")
public final class TopCommand implements Runnable {
    /** compose's psPrinter: tabwriter.NewWriter(out, 5, 1, 3, ' ', 0). */
    private static final TabWriter TABLE = new TabWriter(5, 3);

    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Mixin ServiceArgs args;

    @Override
    public void run() {
        ComposeContext ctx = new ComposeContext(root, spec);
        ComposeContext.oneLine(() -> {
            Project p = ctx.projectOrNull();
            List<ContainerSummary> containers = ServiceContainers.ofProject(ctx.client(), ctx.projectName(p), args.services, false, true)
                    .stream().sorted(Comparator.comparing(PsCommand::name)).toList();
            for (ContainerSummary c : containers) {
                ContainerTop top = ctx.client().topContainer(c.id());
                ctx.out().print(PsCommand.name(c) + "\n" + table(top) + "\n");
            }
            ctx.out().flush();
        });
    }

    /** The titles (last one unpadded) and one row per process (every cell tab-terminated, as compose writes them). */
    static String table(ContainerTop top) {
        List<String> lines = new ArrayList<>();
        lines.add(String.join("\t", top.titles()));
        for (List<String> process : top.processes() == null ? List.<List<String>>of() : top.processes()) {
            lines.add(String.join("\t", process) + "\t");
        }
        return TABLE.format(lines);
    }
}
