package io.jcompose.runtime.api.model;

import java.util.List;
import java.util.Map;

/**
 * The query of {@code POST /build} as Docker's Go client sends it ({@code ImageBuildOptions}):
 * each field becomes one parameter, maps and lists as JSON.
 *
 * @param tags {@code t}, one per tag ({@code name[:tag]})
 * @param dockerfile {@code dockerfile}: the Dockerfile's path inside the context tar
 * @param buildArgs {@code buildargs}; a null value means "declared without a value"
 * @param labels {@code labels} added to the image
 * @param noCache {@code nocache}
 * @param pull {@code pull}: always pull the base images
 * @param networkMode {@code networkmode} for RUN steps, or null
 * @param target {@code target} stage, or null
 * @param platform {@code platform} ({@code linux/amd64}), or null
 * @param extraHosts {@code extrahosts} ({@code host:ip}), repeated
 * @param quiet {@code q}: only the image id in the answer
 * @param namedContexts jcomposed's extension {@value #NAMED_CONTEXTS}: named build contexts
 *     (compose's {@code additional_contexts}) sent as directories inside the context tar,
 *     name → directory; empty for none (dockerd ignores the parameter)
 * @param shmSize {@code shmsize}: bytes of /dev/shm in RUN containers, 0 for the default
 * @param ulimits {@code ulimits} of RUN containers (JSON list of {@code Name}/{@code Soft}/{@code Hard})
 */
public record ImageBuildOptions(
        List<String> tags,
        String dockerfile,
        Map<String, String> buildArgs,
        Map<String, String> labels,
        boolean noCache,
        boolean pull,
        String networkMode,
        String target,
        String platform,
        List<String> extraHosts,
        boolean quiet,
        Map<String, String> namedContexts,
        long shmSize,
        List<HostConfig.Ulimit> ulimits) {

    /** The query parameter of jcomposed's named-contexts extension (docs/engine-api.md): a JSON object. */
    public static final String NAMED_CONTEXTS = "jcompose-contexts";

    public ImageBuildOptions {
        tags = List.copyOf(tags);
        buildArgs = buildArgs == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(buildArgs));
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        namedContexts = namedContexts == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(namedContexts));
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
    }
}
