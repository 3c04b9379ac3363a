package io.jcompose.runtime.container;

import java.util.ArrayList;
import java.util.List;

/** Docker's entrypoint/cmd merge (RUNTIME-FACTS §4), as a pure function. */
public final class ProcessArgs {
    private ProcessArgs() {}

    /**
     * The argv of the container's process.
     *
     * @param imageEntrypoint image {@code Entrypoint} (may be null)
     * @param imageCmd        image {@code Cmd} (may be null)
     * @param entrypoint      request entrypoint: {@code null} = not given; {@code []} = explicitly
     *                        empty (keeps no entrypoint, and the image Cmd still applies);
     *                        any non-empty list, even {@code [""]}, drops the image Cmd
     * @param cmd             request command: null or empty = not given
     * @throws IllegalArgumentException {@code no command specified} when nothing is left
     */
    public static List<String> resolve(List<String> imageEntrypoint, List<String> imageCmd,
                                       List<String> entrypoint, List<String> cmd) {
        List<String> ep;
        List<String> c = cmd == null ? List.of() : cmd;
        if (entrypoint != null && !entrypoint.isEmpty()) {
            // An explicit entrypoint discards the image Cmd; [""] means "no entrypoint".
            ep = entrypoint.size() == 1 && entrypoint.getFirst().isEmpty() ? List.of() : entrypoint;
        } else {
            if (c.isEmpty() && imageCmd != null) c = imageCmd;
            ep = entrypoint == null && imageEntrypoint != null ? imageEntrypoint : List.of();
        }
        List<String> argv = new ArrayList<>(ep);
        argv.addAll(c);
        if (argv.isEmpty()) throw new IllegalArgumentException("no command specified");
        return List.copyOf(argv);
    }
}
