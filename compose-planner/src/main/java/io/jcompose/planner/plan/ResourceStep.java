package io.jcompose.planner.plan;

import io.jcompose.planner.engine.NetworkCreateRequest;
import io.jcompose.planner.engine.VolumeCreateRequest;

/** What to do with one network or volume before containers are created. */
public sealed interface ResourceStep {
  /** The key in the Compose file. */
  String key();

  /** The engine name. */
  String name();

  /**
   * Create a network (a 409 means someone created it meanwhile: fine, as Compose).
   *
   * @param key the key
   * @param request the create request (its name is the engine name)
   */
  record CreateNetwork(String key, NetworkCreateRequest request) implements ResourceStep {
    @Override
    public String name() {
      return request.name();
    }
  }

  /**
   * Create a volume unless a volume of that name exists.
   *
   * @param key the key
   * @param request the create request
   */
  record CreateVolume(String key, VolumeCreateRequest request) implements ResourceStep {
    @Override
    public String name() {
      return request.name();
    }
  }

  /**
   * A network or volume of the project that exists already: nothing to do.
   *
   * @param key the key
   * @param name the engine name
   * @param kind {@code network} or {@code volume}
   */
  record Exists(String key, String name, String kind) implements ResourceStep {}

  /**
   * An {@code external: true} network or volume: must exist, is never created nor removed.
   *
   * @param key the key
   * @param name the engine name
   * @param kind {@code network} or {@code volume}
   */
  record External(String key, String name, String kind) implements ResourceStep {}
}
