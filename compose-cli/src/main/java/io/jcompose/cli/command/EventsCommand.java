package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.model.Project;
import io.jcompose.planner.engine.ComposeLabels;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.Json;
import io.jcompose.runtime.api.client.JsonLines;
import io.jcompose.runtime.api.model.EventMessage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose events [SERVICE...]}: follows the engine's container events of the project
 * (one-off containers left out, as compose does) until interrupted, as compose prints them:
 * {@code <local time> container <action> <id> (k=v, ...)} followed by an empty line, or with
 * {@code --json} one object per line with the keys {@code action attributes id service time type}.
 * Compose's own labels are left out of the attributes.
 */
@Command(name = "events", description = "Receive real time events from containers")
public final class EventsCommand implements Runnable {
    private static final DateTimeFormatter TEXT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Mixin ServiceArgs args;

    @Option(names = "--json", description = "Output events as a stream of json objects")
    boolean json;

    @Override
    public void run() {
        ComposeContext ctx = new ComposeContext(root, spec);
        ComposeContext.oneLine(() -> {
            Project p = ctx.projectOrNull();
            String project = ctx.projectName(p);
            Filters filters = Filters.of("label", ComposeLabels.filter(ComposeLabels.PROJECT, project));
            PrintWriter out = ctx.out();
            try (JsonLines<EventMessage> events = ctx.client().events(null, null, filters)) {
                EventMessage e;
                while ((e = events.next()) != null) {
                    String line = format(e, args.services, json, ZoneId.systemDefault());
                    if (line != null) {
                        out.println(line);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading the engine's events: " + e.getMessage(), e);
            }
        });
    }

    /**
     * One event as compose prints it, or null when compose skips it (not a container, a one-off,
     * another service).
     */
    static String format(EventMessage e, List<String> services, boolean json, ZoneId zone) {
        if (!"container".equals(e.type()) || e.actor() == null) {
            return null;
        }
        Map<String, String> all = e.actor().attributes() == null ? Map.of() : e.actor().attributes();
        if ("True".equals(all.get(ComposeLabels.ONEOFF))) {
            return null;
        }
        String service = all.getOrDefault(ComposeLabels.SERVICE, "");
        if (!services.isEmpty() && !services.contains(service)) {
            return null;
        }
        Map<String, String> attributes = new TreeMap<>(); // Go prints a map in random order; sorted is one of them
        all.forEach((k, v) -> {
            if (!k.startsWith("com.docker.compose.")) {
                attributes.put(k, v);
            }
        });
        Instant time = e.timeNano() != 0 ? Instant.ofEpochSecond(0, e.timeNano()) : Instant.ofEpochSecond(e.time());
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>(); // json.Marshal of a Go map: keys sorted
            m.put("action", e.action());
            m.put("attributes", attributes);
            m.put("id", e.actor().id());
            m.put("service", service);
            m.put("time", goTime(time, zone));
            m.put("type", "container");
            return Json.mapper().writeValueAsString(m);
        }
        StringBuilder attr = new StringBuilder();
        attributes.forEach((k, v) -> attr.append(attr.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        // compose's Event.String() ends in a line break and Println adds another: an empty line follows
        return TEXT_TIME.withZone(zone).format(time) + " container " + e.action() + " " + e.actor().id() + " (" + attr + ")\n";
    }

    /** Go's time.Time JSON: RFC 3339 with nanoseconds (trailing zeros dropped) in the local zone. */
    static String goTime(Instant t, ZoneId zone) {
        var local = t.atZone(zone);
        String s = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").format(local);
        if (t.getNano() != 0) {
            s += "." + String.format("%09d", t.getNano()).replaceAll("0+$", "");
        }
        int offset = local.getOffset().getTotalSeconds();
        return s + (offset == 0 ? "Z" : local.getOffset().getId());
    }
}
