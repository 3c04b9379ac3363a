package io.jcompose.cli.build;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command-line side of a build ({@code jcompose build} / {@code up --build}).
 *
 * @param buildArgs {@code --build-arg} values, overriding the service's {@code args}; a null
 *     value ({@code --build-arg KEY}) is taken from the project's environment
 * @param noCache {@code --no-cache}
 * @param pull {@code --pull}
 * @param quiet {@code -q}: the builder's output is not shown
 */
public record BuildFlags(Map<String, String> buildArgs, boolean noCache, boolean pull, boolean quiet) {

    public BuildFlags {
        buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
    }

    /** What {@code up} builds with: the compose file's settings only. */
    public static BuildFlags none() {
        return new BuildFlags(Map.of(), false, false, false);
    }

    /**
     * Parses {@code --build-arg} values as compose does ({@code KEY=VALUE}, or {@code KEY} for
     * a value from the environment).
     *
     * @param flags the flag values in the order given (a later one wins)
     * @return the arguments
     */
    public static Map<String, String> parseArgs(List<String> flags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : flags) {
            int eq = f.indexOf('=');
            if (eq == 0) {
                throw new IllegalArgumentException("invalid --build-arg \"" + f + "\": the name is empty");
            }
            if (eq < 0) {
                out.put(f, null);
            } else {
                out.put(f.substring(0, eq), f.substring(eq + 1));
            }
        }
        return out;
    }
}
