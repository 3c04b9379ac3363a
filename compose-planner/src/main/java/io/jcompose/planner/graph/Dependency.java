package io.jcompose.planner.graph;

/**
 * One edge of the service graph: {@code service} needs {@code dependency} to be up first.
 *
 * @param service the dependent service
 * @param dependency the service it needs
 * @param kind where the edge comes from
 * @param condition what to wait for ({@code service_started}, {@code service_healthy},
 *     {@code service_completed_successfully}); edges that are not {@code depends_on} wait for
 *     {@code service_started}
 * @param restart {@code depends_on.restart}: restart {@code service} when {@code dependency} is
 *     recreated or restarted
 * @param required {@code depends_on.required}
 */
public record Dependency(String service, String dependency, Kind kind, String condition, boolean restart, boolean required) {

  /** Where an edge comes from. A pair of services may be joined for several reasons; the first wins. */
  public enum Kind {
    /** {@code depends_on} */
    DEPENDS_ON,
    /** {@code links: [svc]} or {@code [svc:alias]} */
    LINK,
    /** {@code network_mode: service:x} */
    NETWORK_MODE,
    /** {@code ipc: service:x} */
    IPC,
    /** {@code pid: service:x} */
    PID,
    /** {@code volumes_from: [x]} or {@code [service:x]} */
    VOLUMES_FROM;

    /**
     * Whether the dependent container refers to the dependency's container itself (by id or
     * name), so it must be recreated when the dependency's container is replaced.
     */
    public boolean sharesContainer() {
      return this == NETWORK_MODE || this == IPC || this == PID || this == VOLUMES_FROM;
    }
  }
}
