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
     * @param namedContexts jcomposed's extension {@code jcompose-contexts} (docs/engine-api.md):
     *     named build contexts (compose's {@code additional_contexts}), name → directory inside
     *     the context tar
     * @param run {@code memory}, {@code memswap}, {@code cpushares}, {@code cpusetcpus},
     *     {@code cpusetmems}, {@code cpuperiod}, {@code cpuquota}, {@code shmsize},
     *     {@code ulimits}, {@code extrahosts}: what every RUN container gets
     */
    record BuildOptions(List<String> tags, String dockerfile, Map<String, String> buildArgs, boolean noCache,
            boolean pull, String target, Map<String, String> labels, String networkMode, boolean quiet,
            String platform, Map<String, String> namedContexts, RunParameters run) {
        public BuildOptions {
            run = run == null ? RunParameters.NONE : run;
            tags = List.copyOf(tags);
            buildArgs = Map.copyOf(buildArgs);
            labels = Map.copyOf(labels);
            namedContexts = namedContexts == null ? Map.of() : Map.copyOf(namedContexts);
        }
    }

    /**
     * What RUN containers get, as {@code docker build -m/--memory-swap/-c/--cpuset-cpus/--cpuset-mems/
     * --cpu-period/--cpu-quota/--shm-size/--ulimit/--add-host} send it; null (or 0) = unset.
     *
     * @param extraHosts {@code host:ip} entries for /etc/hosts
     */
    record RunParameters(Long memory, Long memorySwap, Long cpuShares, String cpusetCpus, String cpusetMems, Long cpuPeriod,
            Long cpuQuota, Long shmSize, List<io.jcompose.runtime.api.model.HostConfig.Ulimit> ulimits, List<String> extraHosts) {
        public static final RunParameters NONE = new RunParameters(null, null, null, null, null, null, null, null, List.of(), List.of());

        public RunParameters {
            ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
            extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        }
    }

    /**
     * Builds from {@code context} (a tar, optionally gzip-compressed), writing the classic
     * builder's lines to {@code out}. Throw an {@link io.jcompose.runtime.api.EngineApiException}
     * before the first line for an HTTP error (a Dockerfile that does not parse is a 400); after
     * it, write the failure as {@link BuildMessage#error} and return.
     *
     * @param onClientGone registers what to do when the client hangs up ({@code docker build}
     *     interrupted): the build should stop and clean up
     */
    void build(BuildOptions options, byte[] context, Consumer<BuildMessage> out, Consumer<Runnable> onClientGone);

    /**
     * {@code POST /build/prune?all=&filters=&keep-storage=}: removes build cache records.
     *
     * @param all {@code all}
     * @param filters {@code until} and the other prune filters
     * @param keepStorage {@code keep-storage}: bytes of cache to keep (least recently used go
     *     first), 0 for no limit
     */
    BuildCachePruneReport prune(boolean all, Filters filters, long keepStorage);
}
