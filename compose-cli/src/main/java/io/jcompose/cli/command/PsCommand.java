package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.UsageException;
import io.jcompose.model.Project;
import io.jcompose.planner.engine.ComposeLabels;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code jcompose ps}: the project's containers as compose v2 lists them (docker/compose
 * {@code cmd/compose/ps.go}, the docker CLI's table writer and {@code go-units} durations).
 */
@Command(name = "ps", description = "List containers")
public final class PsCommand implements Runnable {
    private static final Set<String> STATES = Set.of("paused", "restarting", "removing", "running", "dead", "created", "exited");

    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Option(names = {"-a", "--all"}, description = "Show all stopped containers (including those created by the run command)")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only display IDs")
    boolean quiet;

    @Option(names = "--services", description = "Display services")
    boolean servicesOnly;

    @Option(names = "--status", paramLabel = "<status>", description = "Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]")
    List<String> status = new ArrayList<>();

    @Option(names = "--format", paramLabel = "<format>", defaultValue = "table", description = "Format the output. Values: [table | json]")
    String format;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Parameters(paramLabel = "SERVICE", arity = "0..*")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
        for (String s : status) {
            if (!STATES.contains(s)) {
                throw new UsageException("invalid filter 'status=" + s + "'");
            }
        }
        if (!format.equals("table") && !format.equals("json")) {
            throw new UsageException("unsupported format \"" + format + "\": use table or json");
        }
        ComposeContext ctx = new ComposeContext(root, spec);
        Project p = ctx.projectOrNull();
        if (p != null) {
            for (String s : services) {
                if (!p.services().containsKey(s)) {
                    throw new UsageException("no such service: " + s);
                }
            }
        }
        Map<String, Set<String>> filters = new LinkedHashMap<>();
        filters.put("label", new LinkedHashSet<>(ComposeContext.projectFilters(ctx.projectName(p), true)));
        List<ContainerSummary> containers = ctx.client().listContainers(all || !status.isEmpty(), new Filters(filters)).stream()
                .filter(c -> services.isEmpty() || services.contains(c.labels().get(ComposeLabels.SERVICE)))
                .filter(c -> status.isEmpty() || status.contains(c.state()))
                .sorted(Comparator.comparing(PsCommand::name))
                .toList();
        PrintWriter out = ctx.out();
        if (quiet) {
            containers.forEach(c -> out.println(c.id()));
        } else if (servicesOnly) {
            Set<String> names = new LinkedHashSet<>();
            containers.forEach(c -> names.add(c.labels().get(ComposeLabels.SERVICE)));
            out.println(String.join("\n", names));
        } else if (format.equals("json")) {
            JsonMapper json = JsonMapper.builder().build();
            containers.forEach(c -> out.println(json.writeValueAsString(jsonOf(c, Instant.now()))));
        } else {
            out.print(table(containers, Instant.now(), !noTrunc));
        }
        out.flush();
    }

    /** The container's name without Docker's leading slash. */
    static String name(ContainerSummary c) {
        String n = c.names() == null || c.names().isEmpty() ? c.id() : c.names().getFirst();
        return n.startsWith("/") ? n.substring(1) : n;
    }

    /** Compose's table: NAME IMAGE COMMAND SERVICE CREATED STATUS PORTS, tab-aligned as the docker CLI does. */
    static String table(List<ContainerSummary> containers, Instant now, boolean truncate) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"));
        for (ContainerSummary c : containers) {
            String command = c.command() == null ? "" : c.command();
            rows.add(List.of(name(c), c.image(), "\"" + (truncate ? ellipsis(command, 20) : command) + "\"",
                    c.labels().getOrDefault(ComposeLabels.SERVICE, ""), humanDuration(Duration.between(Instant.ofEpochSecond(c.created()), now)) + " ago",
                    c.status(), ports(c)));
        }
        return tabwriter(rows);
    }

    /** Go's text/tabwriter with the docker CLI's settings: minimum width 10, padding 3, last cell unpadded. */
    static String tabwriter(List<List<String>> rows) {
        int columns = rows.getFirst().size();
        int[] width = new int[columns];
        for (List<String> r : rows) {
            for (int i = 0; i < columns - 1; i++) {
                width[i] = Math.max(width[i], Math.max(10, r.get(i).codePointCount(0, r.get(i).length()) + 3));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = r.get(i);
                line.append(cell);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - cell.codePointCount(0, cell.length())));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** The docker CLI's {@code Ellipsis}: at most {@code max} characters, the last one {@code …}. */
    static String ellipsis(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    /** go-units {@code HumanDuration}, which the docker CLI uses for CREATED. */
    static String humanDuration(Duration d) {
        long seconds = d.toSeconds();
        long minutes = d.toMinutes();
        double hours = d.toMillis() / 3_600_000.0;
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        } else if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        } else if (Math.round(hours) == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return (long) hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return (long) (hours / 24) + " days";
        } else if (hours < 24 * 30 * 2) {
            return (long) (hours / 24 / 7) + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return (long) (hours / 24 / 30) + " months";
        }
        return (long) (hours / 24 / 365) + " years";
    }

    /** Published ports as {@code 0.0.0.0:8080->80/tcp}, exposed ones as {@code 80/tcp}, sorted and comma-separated. */
    static String ports(ContainerSummary c) {
        if (c.ports() == null) {
            return "";
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (ContainerSummary.Port p : c.ports()) {
            String target = p.privatePort() + "/" + (p.type() == null ? "tcp" : p.type());
            String text;
            if (p.publicPort() != null && p.publicPort() > 0) {
                String ip = p.ip() == null || p.ip().isEmpty() ? "0.0.0.0" : p.ip();
                text = ip + ":" + p.publicPort() + "->" + target; // IPv6 unbracketed, as compose 2.26 shows ":::8080->80/tcp"
            } else {
                text = target;
            }
            sorted.put(String.format("%08d%s", p.privatePort(), text), text);
        }
        return String.join(", ", sorted.values());
    }

    /** One line of {@code --format json}, with compose's field names. */
    static Map<String, Object> jsonOf(ContainerSummary c, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Command", c.command() == null ? "" : "\"" + c.command() + "\"");
        m.put("CreatedAt", Instant.ofEpochSecond(c.created()).toString());
        m.put("ExitCode", exitCode(c.status()));
        m.put("Health", health(c.status()));
        m.put("ID", c.id());
        m.put("Image", c.image());
        m.put("Labels", String.join(",", new TreeMap<>(c.labels()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        m.put("Name", name(c));
        m.put("Names", name(c));
        m.put("Project", c.labels().getOrDefault(ComposeLabels.PROJECT, ""));
        List<Map<String, Object>> publishers = new ArrayList<>();
        if (c.ports() != null) {
            for (ContainerSummary.Port p : c.ports()) {
                Map<String, Object> pub = new LinkedHashMap<>();
                pub.put("URL", p.ip() == null ? "" : p.ip());
                pub.put("TargetPort", p.privatePort());
                pub.put("PublishedPort", p.publicPort() == null ? 0 : p.publicPort());
                pub.put("Protocol", p.type());
                publishers.add(pub);
            }
        }
        m.put("Publishers", publishers);
        m.put("RunningFor", humanDuration(Duration.between(Instant.ofEpochSecond(c.created()), now)) + " ago");
        m.put("Service", c.labels().getOrDefault(ComposeLabels.SERVICE, ""));
        m.put("State", c.state());
        m.put("Status", c.status());
        return m;
    }

    private static String health(String status) {
        if (status == null) {
            return "";
        }
        for (String h : List.of("healthy", "unhealthy", "health: starting")) {
            if (status.contains("(" + h + ")")) {
                return h.equals("health: starting") ? "starting" : h;
            }
        }
        return "";
    }

    private static int exitCode(String status) {
        if (status != null && status.startsWith("Exited (")) {
            try {
                return Integer.parseInt(status.substring(8, status.indexOf(')')));
            } catch (RuntimeException e) {
                return 0;
            }
        }
        return 0;
    }
}
