package io.jcompose.model;

import java.util.List;
import java.util.Map;

/**
 * The {@code build} section of a service (the short form {@code build: ./dir} is normalised to
 * {@code context: /abs/dir, dockerfile: Dockerfile}).
 *
 * @param context absolute path of the build context, or a URL (git, https)
 * @param dockerfile Dockerfile path relative to the context
 * @param dockerfileInline an inline Dockerfile, instead of {@code dockerfile}
 * @param entitlements extra privileges for the build
 * @param args build arguments; a {@code null} value is taken from the environment if set
 * @param ssh ssh agent sockets or keys for the build
 * @param labels image labels
 * @param cacheFrom external cache sources
 * @param cacheTo cache export destinations
 * @param noCache build without cache
 * @param additionalContexts named extra build contexts
 * @param pull always pull base images
 * @param extraHosts extra host entries during the build
 * @param isolation isolation technology
 * @param network network mode for RUN instructions
 * @param target build stage to build
 * @param secrets secrets granted to the build
 * @param shmSize size of /dev/shm for the build, in bytes
 * @param tags extra tags for the image
 * @param ulimits ulimits for the build containers
 * @param platforms target platforms
 * @param privileged build with elevated privileges
 * @param extensions {@code x-*} keys
 */
public record BuildConfig(
    String context,
    String dockerfile,
    String dockerfileInline,
    List<String> entitlements,
    Map<String, String> args,
    List<SshKey> ssh,
    Map<String, String> labels,
    List<String> cacheFrom,
    List<String> cacheTo,
    boolean noCache,
    Map<String, String> additionalContexts,
    boolean pull,
    Map<String, List<String>> extraHosts,
    String isolation,
    String network,
    String target,
    List<FileReference> secrets,
    long shmSize,
    List<String> tags,
    Map<String, Ulimit> ulimits,
    List<String> platforms,
    boolean privileged,
    Map<String, Object> extensions) {

  public BuildConfig {
    entitlements = Extensions.freeze(entitlements);
    args = Extensions.freeze(args);
    ssh = Extensions.freeze(ssh);
    labels = Extensions.freeze(labels);
    cacheFrom = Extensions.freeze(cacheFrom);
    cacheTo = Extensions.freeze(cacheTo);
    additionalContexts = Extensions.freeze(additionalContexts);
    extraHosts = Extensions.freeze(extraHosts);
    secrets = Extensions.freeze(secrets);
    tags = Extensions.freeze(tags);
    ulimits = Extensions.freeze(ulimits);
    platforms = Extensions.freeze(platforms);
    extensions = Extensions.freeze(extensions);
  }

  /**
   * One {@code ssh} entry of a build: {@code default}, or {@code id=path}.
   *
   * @param id the key id
   * @param path the socket or key path, or {@code null} for the agent
   */
  public record SshKey(String id, String path) {}
}
