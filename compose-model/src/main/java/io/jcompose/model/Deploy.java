package io.jcompose.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code deploy} section of a service.
 *
 * @param mode {@code replicated} or {@code global}
 * @param replicas number of containers, or {@code null}
 * @param labels labels of the service (not of its containers)
 * @param updateConfig rolling update settings
 * @param rollbackConfig rollback settings
 * @param resources resource limits and reservations
 * @param restartPolicy restart policy
 * @param placement placement constraints
 * @param endpointMode {@code vip} or {@code dnsrr}
 * @param extensions {@code x-*} keys
 */
public record Deploy(
    String mode,
    Integer replicas,
    Map<String, String> labels,
    UpdateConfig updateConfig,
    UpdateConfig rollbackConfig,
    Resources resources,
    RestartPolicy restartPolicy,
    Placement placement,
    String endpointMode,
    Map<String, Object> extensions) {
  public Deploy {
    labels = Extensions.freeze(labels);
    extensions = Extensions.freeze(extensions);
  }

  /**
   * Rolling update (or rollback) settings.
   *
   * @param parallelism containers updated at a time, or {@code null}
   * @param delay wait between groups, or {@code null}
   * @param failureAction {@code continue}, {@code rollback} or {@code pause}
   * @param monitor time to watch for failure after each update, or {@code null}
   * @param maxFailureRatio tolerated failure ratio
   * @param order {@code stop-first} or {@code start-first}
   * @param extensions {@code x-*} keys
   */
  public record UpdateConfig(
      Long parallelism,
      Duration delay,
      String failureAction,
      Duration monitor,
      double maxFailureRatio,
      String order,
      Map<String, Object> extensions) {
    public UpdateConfig {
      extensions = Extensions.freeze(extensions);
    }
  }

  /**
   * Resource limits and reservations.
   *
   * @param limits upper limits, or {@code null}
   * @param reservations guaranteed resources, or {@code null}
   * @param extensions {@code x-*} keys
   */
  public record Resources(Resource limits, Resource reservations, Map<String, Object> extensions) {
    public Resources {
      extensions = Extensions.freeze(extensions);
    }
  }

  /**
   * One set of resources.
   *
   * @param cpus number of CPUs (fractional), 0 = unset
   * @param memory memory in bytes, 0 = unset
   * @param pids maximum number of processes, 0 = unset
   * @param devices device requests (GPUs)
   * @param genericResources user-defined resources
   * @param extensions {@code x-*} keys
   */
  public record Resource(
      double cpus,
      long memory,
      long pids,
      List<DeviceRequest> devices,
      List<GenericResource> genericResources,
      Map<String, Object> extensions) {
    public Resource {
      devices = Extensions.freeze(devices);
      genericResources = Extensions.freeze(genericResources);
      extensions = Extensions.freeze(extensions);
    }
  }

  /**
   * A device request (for example a GPU).
   *
   * @param capabilities required capabilities
   * @param driver device driver
   * @param count number of devices; -1 means {@code all}; {@code null} = unset
   * @param deviceIds specific device ids
   * @param options driver options
   */
  public record DeviceRequest(
      List<String> capabilities, String driver, Long count, @YamlKey("device_ids") List<String> deviceIds, Map<String, String> options) {
    public DeviceRequest {
      capabilities = Extensions.freeze(capabilities);
      deviceIds = Extensions.freeze(deviceIds);
      options = Extensions.freeze(options);
    }
  }

  /**
   * A user-defined resource.
   *
   * @param discreteResourceSpec the kind and amount
   * @param extensions {@code x-*} keys
   */
  public record GenericResource(DiscreteResourceSpec discreteResourceSpec, Map<String, Object> extensions) {
    public GenericResource {
      extensions = Extensions.freeze(extensions);
    }
  }

  /**
   * A kind of resource and an amount.
   *
   * @param kind e.g. {@code SSD}
   * @param value the amount
   * @param extensions {@code x-*} keys
   */
  public record DiscreteResourceSpec(@Always String kind, @Always long value, Map<String, Object> extensions) {
    public DiscreteResourceSpec {
      extensions = Extensions.freeze(extensions);
    }
  }

  /**
   * Restart policy.
   *
   * @param condition {@code none}, {@code on-failure} or {@code any}
   * @param delay wait between restarts, or {@code null}
   * @param maxAttempts attempts before giving up, or {@code null}
   * @param window time to decide whether a restart succeeded, or {@code null}
   * @param extensions {@code x-*} keys
   */
  public record RestartPolicy(String condition, Duration delay, Long maxAttempts, Duration window, Map<String, Object> extensions) {
    public RestartPolicy {
      extensions = Extensions.freeze(extensions);
    }
  }

  /**
   * Placement of tasks (Swarm; kept for fidelity).
   *
   * @param constraints placement constraints
   * @param preferences spread preferences
   * @param maxReplicasPerNode maximum replicas per node, 0 = unset
   * @param extensions {@code x-*} keys
   */
  public record Placement(
      List<String> constraints, List<Preference> preferences, long maxReplicasPerNode, Map<String, Object> extensions) {
    public Placement {
      constraints = Extensions.freeze(constraints);
      preferences = Extensions.freeze(preferences);
      extensions = Extensions.freeze(extensions);
    }
  }

  /**
   * A placement preference.
   *
   * @param spread the label to spread over
   * @param extensions {@code x-*} keys
   */
  public record Preference(String spread, Map<String, Object> extensions) {
    public Preference {
      extensions = Extensions.freeze(extensions);
    }
  }
}
