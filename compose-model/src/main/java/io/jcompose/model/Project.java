package io.jcompose.model;

import java.util.List;
import java.util.Map;

/**
 * A loaded Compose project: the result of reading, merging, interpolating, normalising and
 * validating its Compose files. Immutable.
 *
 * @param name the project name (normalised: lower case, {@code [a-z0-9_-]}, starting with a
 *     letter or digit)
 * @param workingDir absolute project directory (relative paths in the files resolve against it)
 * @param services enabled services by name (profiles applied), sorted by name
 * @param networks networks by key, including {@code default} when a service uses it
 * @param volumes named volumes by key
 * @param secrets secrets by key
 * @param configs configs by key
 * @param extensions top-level {@code x-*} keys
 * @param composeFiles absolute paths of the files loaded, in order ({@code -} for stdin)
 * @param environment the environment used for interpolation (shell over {@code .env})
 * @param disabledServices services left out because none of their profiles is active
 * @param profiles the active profiles
 */
public record Project(
    @Always String name,
    @Internal String workingDir,
    @Always Map<String, Service> services,
    Map<String, NetworkConfig> networks,
    Map<String, VolumeConfig> volumes,
    Map<String, FileObjectConfig> secrets,
    Map<String, FileObjectConfig> configs,
    Map<String, Object> extensions,
    @Internal List<String> composeFiles,
    @Internal Map<String, String> environment,
    @Internal Map<String, Service> disabledServices,
    @Internal List<String> profiles) {
  public Project {
    services = Extensions.sorted(services);
    networks = Extensions.sorted(networks);
    volumes = Extensions.sorted(volumes);
    secrets = Extensions.sorted(secrets);
    configs = Extensions.sorted(configs);
    extensions = Extensions.freeze(extensions);
    composeFiles = Extensions.freeze(composeFiles);
    environment = Extensions.sorted(environment);
    disabledServices = Extensions.sorted(disabledServices);
    profiles = Extensions.freeze(profiles);
  }

  /** The service of that name, or throws {@link IllegalArgumentException} naming it. */
  public Service service(String serviceName) {
    Service s = services.get(serviceName);
    if (s == null) {
      throw new IllegalArgumentException("no such service: " + serviceName);
    }
    return s;
  }

  /** This project with its enabled services replaced (same names), everything else kept. */
  public Project withServices(Map<String, Service> newServices) {
    return new Project(name, workingDir, newServices, networks, volumes, secrets, configs, extensions, composeFiles, environment,
        disabledServices, profiles);
  }

  /** The enabled service names, sorted. */
  public List<String> serviceNames() {
    return List.copyOf(services.keySet());
  }
}
