package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.RunThreads;
import io.jcompose.model.Project;
import io.jcompose.planner.engine.ComposeLabels;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.client.StreamFrames;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose logs}: the service containers' output, each line prefixed with the container
 * name padded to the longest one and {@code  | }, as compose prints it.
 */
@Command(name = "logs", description = "View output from containers")
public final class LogsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;

    @Option(names = {"-n", "--tail"}, paramLabel = "<n>", defaultValue = "all", description = "Number of lines to show from the end of the logs for each container")
    String tail;

    @Option(names = "--no-log-prefix", description = "Don't print prefix in logs")
    boolean noPrefix;

    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();

    @Override
    public Integer call() {
        ComposeContext ctx = new ComposeContext(root, spec);
        Project p = ctx.projectOrNull();
        List<ContainerSummary> containers = containers(ctx.client(), ctx.projectName(p), services, false);
        print(ctx.threads(), ctx.client(), containers, ctx.out(), follow, timestamps, tail, !noPrefix, false);
        return 0;
    }

    /** The project's service containers (of {@code services} when given), sorted by name. */
    static List<ContainerSummary> containers(EngineClient client, String project, List<String> services, boolean all) {
        Map<String, Set<String>> f = new java.util.LinkedHashMap<>();
        f.put("label", new java.util.LinkedHashSet<>(ComposeContext.projectFilters(project, false)));
        return client.listContainers(true, new Filters(f)).stream()
                .filter(c -> services.isEmpty() || services.contains(c.labels().get(ComposeLabels.SERVICE)))
                .sorted(Comparator.comparing(PsCommand::name))
                .toList();
    }

    /**
     * Prints (and with {@code follow}, follows) the logs of the containers, one thread of the run
     * each ({@code jcompose-logs}), until every stream ends.
     *
     * @param threads the run's threads
     * @param exits also print compose's {@code <name> exited with code N} when a stream ends
     */
    static void print(RunThreads threads, EngineClient client, List<ContainerSummary> containers, PrintWriter out, boolean follow, boolean timestamps,
            String tail, boolean prefix, boolean exits) {
        // compose's log consumer: names padded to the longest one plus one, then " | "
        int width = containers.stream().mapToInt(c -> displayName(c).length()).max().orElse(0) + 1;
        try (ExecutorService pool = threads.newExecutor("jcompose-logs")) {
            for (ContainerSummary c : containers) {
                String name = displayName(c);
                String pre = prefix ? String.format("%-" + width + "s | ", name) : "";
                pool.submit(() -> {
                    boolean tty = Boolean.TRUE.equals(client.inspectContainer(c.id()).config().tty());
                    try (InputStream in = client.logs(c.id(), follow, timestamps, tail)) {
                        copyLines(in, tty, line -> {
                            synchronized (out) {
                                out.println(pre + line);
                                out.flush();
                            }
                        });
                    }
                    if (exits) {
                        int code = client.inspectContainer(c.id()).state().exitCode();
                        synchronized (out) {
                            out.println(name + " exited with code " + code);
                            out.flush();
                        }
                    }
                    return null;
                });
            }
        }
    }

    /**
     * The name compose shows in log prefixes: the container name without the project's
     * {@code <project>-} ({@code web-1}), as {@code getContainerNameWithoutProject} does.
     */
    static String displayName(ContainerSummary c) {
        String name = PsCommand.name(c);
        String project = c.labels().get(ComposeLabels.PROJECT);
        return project != null && name.startsWith(project + "-") ? name.substring(project.length() + 1) : name;
    }

    /** Splits a log stream (multiplexed frames unless the container has a TTY) into lines. */
    public static void copyLines(InputStream in, boolean tty, java.util.function.Consumer<String> line) throws IOException {
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        if (tty) {
            byte[] buf = new byte[8192];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                emit(pending, buf, n, line);
            }
        } else {
            StreamFrames frames = new StreamFrames(in);
            for (StreamFrames.Frame f = frames.next(); f != null; f = frames.next()) {
                emit(pending, f.payload(), f.payload().length, line);
            }
        }
        if (pending.size() > 0) {
            line.accept(pending.toString(StandardCharsets.UTF_8));
        }
    }

    private static void emit(ByteArrayOutputStream pending, byte[] data, int n, java.util.function.Consumer<String> line) {
        for (int i = 0; i < n; i++) {
            if (data[i] == '\n') {
                String s = pending.toString(StandardCharsets.UTF_8);
                line.accept(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
                pending.reset();
            } else {
                pending.write(data[i]);
            }
        }
    }
}
