package io.jcompose.runtime.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The container's environment as Docker builds it (RUNTIME-FACTS §1). */
public final class Environment {
    /** Docker's default PATH. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Environment() {}

    /**
     * PATH, HOSTNAME, TERM (tty only), then the image env, then the request env; a later
     * {@code KEY=v} replaces an earlier one in place, a bare {@code KEY} removes it.
     */
    public static List<String> merge(String hostname, boolean tty, List<String> imageEnv, List<String> requestEnv) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("PATH", DEFAULT_PATH);
        vars.put("HOSTNAME", hostname);
        if (tty) vars.put("TERM", "xterm");
        apply(vars, imageEnv);
        apply(vars, requestEnv);
        List<String> out = new ArrayList<>(vars.size());
        vars.forEach((k, v) -> out.add(k + "=" + v));
        return List.copyOf(out);
    }

    /** Later entries replace earlier ones with the same key (in place); a bare {@code KEY} removes it. */
    public static List<String> overlay(List<String> entries) {
        Map<String, String> vars = new LinkedHashMap<>();
        apply(vars, entries);
        List<String> out = new ArrayList<>(vars.size());
        vars.forEach((k, v) -> out.add(k + "=" + v));
        return List.copyOf(out);
    }

    private static void apply(Map<String, String> vars, List<String> entries) {
        if (entries == null) return;
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq < 0) vars.remove(e);
            else vars.put(e.substring(0, eq), e.substring(eq + 1));
        }
    }
}
