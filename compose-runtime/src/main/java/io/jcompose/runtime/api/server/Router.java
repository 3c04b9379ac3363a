package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.EngineApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps method + path to a handler. Templates name path segments with {@code {id}}; {@code {name*}}
 * also spans slashes (image names such as {@code library/busybox:latest}). The {@code /vX.Y} prefix
 * is stripped before routing, so each route serves both the bare and the versioned path.
 */
public final class Router {

    /** A registered route. */
    public record Route(String method, String template, Pattern pattern, List<String> names, boolean hijacks, ApiHandler handler) {}

    /** A route that matched, with its path parameters. */
    public record Match(Route route, Map<String, String> params) {}

    private final List<Route> routes = new ArrayList<>();

    /** Adds an ordinary route. */
    public Router add(String method, String template, ApiHandler handler) {
        return add(method, template, false, handler);
    }

    /**
     * Adds a route that may hijack its connection (attach, exec start): the server stops HTTP
     * decoding on it before the handler runs, so the client's next bytes reach the handler raw.
     */
    public Router addHijacking(String method, String template, ApiHandler handler) {
        return add(method, template, true, handler);
    }

    private Router add(String method, String template, boolean hijacks, ApiHandler handler) {
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder("^");
        Matcher m = Pattern.compile("\\{([a-zA-Z]+)(\\*?)}").matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            regex.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append('$');
        routes.add(new Route(method, template, Pattern.compile(regex.toString()), List.copyOf(names), hijacks, handler));
        return this;
    }

    /**
     * Finds the route for a request. First match in registration order wins, so register the more
     * specific templates ({@code /images/{name*}/json}) before the catch-alls ({@code /images/{name*}}).
     *
     * @throws EngineApiException 404 {@code page not found} when no route has this path
     */
    public Match match(String method, String path) {
        boolean pathKnown = false;
        // exact method first; then HEAD falls back to the GET route, as Go's router does
        for (String wanted : method.equals("HEAD") ? List.of("HEAD", "GET") : List.of(method)) {
            for (Route r : routes) {
                Matcher m = r.pattern().matcher(path);
                if (!m.matches()) {
                    continue;
                }
                pathKnown = true;
                if (!r.method().equals(wanted)) {
                    continue;
                }
                Map<String, String> params = new LinkedHashMap<>();
                for (int i = 0; i < r.names().size(); i++) {
                    params.put(r.names().get(i), m.group(i + 1));
                }
                return new Match(r, params);
            }
        }
        if (pathKnown) {
            throw new EngineApiException(405, "method " + method + " not allowed on " + path);
        }
        throw EngineApiException.notFound("page not found");
    }

    /** Looks a route up without throwing. */
    public Optional<Match> find(String method, String path) {
        try {
            return Optional.of(match(method, path));
        } catch (EngineApiException e) {
            return Optional.empty();
        }
    }

    /** Every registered route (for the coverage document and tests). */
    public List<Route> routes() {
        return List.copyOf(routes);
    }
}
