package io.jcompose.planner.engine;

import io.jcompose.model.PortConfig;
import io.jcompose.model.ServiceVolume;
import java.util.List;
import java.util.Map;

/**
 * What makes a {@code run} container differ from the service's own (Compose's one-off
 * containers, {@code pkg/compose/run.go}).
 *
 * @param slug 64 hex characters, unique per run; labelled {@code com.docker.compose.slug} and
 *     used in the default name {@code <project>-<service>-run-<first 12>}
 * @param command the command given on the command line, or {@code null} for the service's
 * @param entrypoint {@code --entrypoint}, or {@code null}; when set without a command the
 *     service's command is dropped, as Compose does
 * @param environment {@code -e} variables, over the service's
 * @param user {@code -u}, or {@code null}
 * @param workingDir {@code -w}, or {@code null}
 * @param servicePorts {@code --service-ports}: publish the service's ports (otherwise none)
 * @param ports {@code -p} ports
 * @param useAliases {@code --use-aliases}: the service name and aliases too (otherwise only the
 *     container name)
 * @param autoRemove {@code --rm}
 * @param tty allocate a TTY, or {@code null} for the service's setting
 * @param interactive keep stdin open
 * @param labels {@code -l} labels, over the service's (Compose's own labels still win)
 * @param volumes {@code -v} volumes, after the service's
 * @param capAdd {@code --cap-add}, after the service's
 * @param capDrop {@code --cap-drop}, after the service's
 */
public record OneOff(
    String slug,
    List<String> command,
    List<String> entrypoint,
    Map<String, String> environment,
    String user,
    String workingDir,
    boolean servicePorts,
    List<PortConfig> ports,
    boolean useAliases,
    boolean autoRemove,
    Boolean tty,
    boolean interactive,
    Map<String, String> labels,
    List<ServiceVolume> volumes,
    List<String> capAdd,
    List<String> capDrop) {
  /** A one-off without extra labels, volumes or capabilities. */
  public OneOff(String slug, List<String> command, List<String> entrypoint, Map<String, String> environment, String user,
      String workingDir, boolean servicePorts, List<PortConfig> ports, boolean useAliases, boolean autoRemove, Boolean tty,
      boolean interactive) {
    this(slug, command, entrypoint, environment, user, workingDir, servicePorts, ports, useAliases, autoRemove, tty, interactive,
        Map.of(), List.of(), List.of(), List.of());
  }

  public OneOff {
    if (slug == null || !slug.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a one-off slug is 64 lower-case hex characters, got " + slug);
    }
    command = command == null ? null : List.copyOf(command);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    environment = environment == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
    ports = ports == null ? List.of() : List.copyOf(ports);
    labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
    capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
  }
}
