package io.jcompose.planner.reconcile;

import java.time.Duration;

/**
 * How to execute a plan.
 *
 * @param pull {@code --pull}: {@code missing}, {@code always} or {@code never}; {@code null} = each service's
 *     {@code pull_policy} ({@code missing} when unset)
 * @param stopTimeoutSeconds {@code -t}: seconds before SIGKILL when stopping, or {@code null} for each container's own
 * @param waitReady {@code --wait}: after starting, wait until every container is running or healthy
 * @param waitTimeout {@code --wait-timeout}, or {@code null} for no limit
 * @param pollInterval how often health and exit states are polled (Compose polls every 500 ms)
 */
public record ReconcileOptions(String pull, Integer stopTimeoutSeconds, boolean waitReady, Duration waitTimeout, Duration pollInterval) {
  public ReconcileOptions {
    pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
  }

  /** Compose's defaults. */
  public static ReconcileOptions defaults() {
    return new ReconcileOptions(null, null, false, null, Duration.ofMillis(500));
  }

  /** These options with another poll interval (tests poll fast). */
  public ReconcileOptions withPollInterval(Duration d) {
    return new ReconcileOptions(pull, stopTimeoutSeconds, waitReady, waitTimeout, d);
  }

  /** These options with {@code --wait} and a timeout. */
  public ReconcileOptions withWait(Duration timeout) {
    return new ReconcileOptions(pull, stopTimeoutSeconds, true, timeout, pollInterval);
  }
}
