package io.jcompose.runtime.image.build;

import io.jcompose.runtime.image.build.context.DockerfileSource;
import io.jcompose.runtime.image.build.executor.RunOptions;
import io.jcompose.runtime.image.manifest.Platform;
import java.nio.file.Path;
import java.util.Map;

/**
 * What to build, as {@code docker build} / compose {@code build:} say it.
 *
 * @param context the context directory
 * @param dockerfile the Dockerfile ({@link DockerfileSource#resolve})
 * @param buildArgs {@code --build-arg} / compose {@code args}
 * @param target {@code --target}, or null for the last stage
 * @param tag the image name to give the result, or null
 * @param noCache {@code --no-cache}: run every step, still recording the results
 * @param pull {@code --pull}: pull base images even when present
 * @param platform the platform to build for, or null for the host's
 * @param labels {@code --label}: set on the resulting image
 * @param network the network RUN steps get: {@code default} (on the daemon: NATed through the
 *     engine's default bridge; {@code bridge} is the same), {@code none} (loopback only) or
 *     {@code host}; null for default
 * @param namedContexts named build contexts (compose's {@code additional_contexts}, BuildKit's
 *     {@code --build-context name=dir}): name → directory, for {@code COPY --from=name} and
 *     {@code FROM name}
 * @param run cgroup limits, /dev/shm size, ulimits and extra hosts of every RUN container
 */
public record BuildRequest(
    Path context,
    DockerfileSource dockerfile,
    Map<String, String> buildArgs,
    String target,
    String tag,
    boolean noCache,
    boolean pull,
    Platform platform,
    Map<String, String> labels,
    String network,
    Map<String, Path> namedContexts,
    RunOptions run) {
  public BuildRequest {
    run = run == null ? RunOptions.NONE : run;
    namedContexts = namedContexts == null ? Map.of() : Map.copyOf(namedContexts);
    buildArgs = Map.copyOf(buildArgs);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    network = network == null || network.isEmpty() ? "default" : network;
  }

  /** A request without labels, on the default network. */
  public BuildRequest(Path context, DockerfileSource dockerfile, Map<String, String> buildArgs, String target,
      String tag, boolean noCache, boolean pull, Platform platform) {
    this(context, dockerfile, buildArgs, target, tag, noCache, pull, platform, Map.of(), null, Map.of(), null);
  }
}
