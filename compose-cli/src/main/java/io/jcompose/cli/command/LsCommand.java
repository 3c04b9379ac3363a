package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.planner.engine.ComposeLabels;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code jcompose ls}: the projects the engine holds, found by the Compose project label of
 * their containers (no file needed). Without {@code -a} only running containers count, as in compose.
 */
@Command(name = "ls", description = "List running compose projects")
public final class LsCommand implements Runnable {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Option(names = {"-a", "--all"}, description = "Show all stopped Compose projects")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only display project names")
    boolean quiet;

    @Option(names = "--format", paramLabel = "<string>", defaultValue = "table", description = "Format the output. Values: [table | json]")
    String format;

    /** One project as compose's ls shows it. */
    record Stack(String name, String status, String configFiles) {}

    @Override
    public void run() {
        ComposeContext ctx = new ComposeContext(root, spec);
        ComposeContext.oneLine(() -> {
            if (!format.equals("table") && !format.equals("json")) {
                throw new IllegalArgumentException("unsupported format \"" + format + "\": use table or json");
            }
            Map<String, Set<String>> f = new LinkedHashMap<>();
            f.put("label", new LinkedHashSet<>(List.of(ComposeLabels.PROJECT)));
            List<Stack> stacks = stacks(ctx.client().listContainers(all, new Filters(f)));
            ctx.out().print(render(stacks, quiet, format));
            ctx.out().flush();
        });
    }

    /** Projects sorted by name: states counted as compose does ({@code exited(1), running(2)}), config files joined by commas. */
    static List<Stack> stacks(List<ContainerSummary> containers) {
        Map<String, TreeMap<String, Integer>> states = new TreeMap<>();
        Map<String, Set<String>> files = new TreeMap<>();
        for (ContainerSummary c : containers) {
            String project = c.labels().get(ComposeLabels.PROJECT);
            states.computeIfAbsent(project, p -> new TreeMap<>()).merge(c.state(), 1, Integer::sum);
            String config = c.labels().get(ComposeLabels.CONFIG_FILES);
            Set<String> set = files.computeIfAbsent(project, p -> new LinkedHashSet<>());
            if (config != null && !config.isEmpty()) {
                set.addAll(List.of(config.split(",")));
            }
        }
        List<Stack> out = new ArrayList<>();
        states.forEach((project, counts) -> {
            List<String> parts = new ArrayList<>();
            counts.forEach((state, n) -> parts.add(state + "(" + n + ")"));
            out.add(new Stack(project, String.join(", ", parts), String.join(",", files.get(project))));
        });
        return out;
    }

    /** The table (tab-aligned like {@code ps}), the names only, or compose's JSON array. */
    static String render(List<Stack> stacks, boolean quiet, String format) {
        StringBuilder sb = new StringBuilder();
        if (quiet) {
            stacks.forEach(s -> sb.append(s.name()).append('\n'));
            return sb.toString();
        }
        if (format.equals("json")) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (Stack s : stacks) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("Name", s.name());
                m.put("Status", s.status());
                m.put("ConfigFiles", s.configFiles());
                rows.add(m);
            }
            return JsonMapper.builder().build().writeValueAsString(rows) + "\n";
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "STATUS", "CONFIG FILES"));
        stacks.forEach(s -> rows.add(List.of(s.name(), s.status(), s.configFiles())));
        return PsCommand.tabwriter(rows);
    }
}
