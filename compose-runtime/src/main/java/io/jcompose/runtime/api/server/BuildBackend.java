package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.BuildCachePruneReport;
import io.jcompose.runtime.api.model.BuildMessage;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Port: the image builder behind {@code POST /build} (the classic builder's API) and {@code POST /build/prune}. */
public interface BuildBackend {

    /**
     * The query of {@code POST /build}.
     *
     * @param tags {@code t} (repeatable): names for the result
     * @param dockerfile path of the Dockerfile inside the context ({@code Dockerfile} when absent)
     * @param buildArgs {@code buildargs}
     * @param labels {@code labels}
     * @param networkMode {@code networkmode}: network of RUN steps
     * @param quiet {@code q}: only the image id is written
     * @param platform {@code platform}, or null for the host's
     */
    record BuildOptions(List<String> tags, String dockerfile, Map<String, String> buildArgs, boolean noCache,
            boolean pull, String target, Map<String, String> labels, String networkMode, boolean quiet,
            String platform) {
        public BuildOptions {
            tags = List.copyOf(tags);
            buildArgs = Map.copyOf(buildArgs);
            labels = Map.copyOf(labels);
        }
    }

    /**
     * Builds from {@code context} (a tar, optionally gzip-compressed), writing the classic
     * builder's lines to {@code out}. Throw an {@link io.jcompose.runtime.api.EngineApiException}
     * before the first line for an HTTP error (a Dockerfile that does not parse is a 400); after
     * it, write the failure as {@link BuildMessage#error} and return.
     */
    void build(BuildOptions options, byte[] context, Consumer<BuildMessage> out);

    /** {@code POST /build/prune?all=&filters=}: removes build cache records. */
    BuildCachePruneReport prune(boolean all, Filters filters);
}
