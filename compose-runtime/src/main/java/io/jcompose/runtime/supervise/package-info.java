/**
 * Supervision of running containers inside the daemon: health checks
 * ({@link io.jcompose.runtime.supervise.HealthMonitor}, probes run as execs by
 * {@link io.jcompose.runtime.supervise.ExecProbeRunner}) and restart policies
 * ({@link io.jcompose.runtime.supervise.RestartSupervisor}, state in
 * {@link io.jcompose.runtime.supervise.RestartRecord}), both with Docker's observable behaviour
 * (RUNTIME-FACTS §4, §6).
 *
 * <p>Depends on the container engine, the state store and the API model only; the daemon's engine
 * layer wires it (docs/supervision.md says where each call goes). Timing goes through
 * {@link io.jcompose.runtime.supervise.Timing} so the schedules are unit-tested on a fake clock.
 */
package io.jcompose.runtime.supervise;
