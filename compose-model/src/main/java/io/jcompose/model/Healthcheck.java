package io.jcompose.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A service's health check. A string {@code test} is normalised to {@code [CMD-SHELL, string]};
 * {@code disable: true} is kept as written (Compose prints it as is).
 *
 * @param test the test command: {@code [NONE]}, {@code [CMD, args...]} or {@code [CMD-SHELL, cmd]}
 * @param timeout time allowed for one check, or {@code null} for the default
 * @param interval time between checks, or {@code null}
 * @param retries consecutive failures to be unhealthy, or {@code null}
 * @param startPeriod grace period after start, or {@code null}
 * @param startInterval check interval during the start period, or {@code null}
 * @param disable whether the image's health check is disabled
 * @param extensions {@code x-*} keys
 */
public record Healthcheck(
    List<String> test,
    Duration timeout,
    Duration interval,
    Long retries,
    Duration startPeriod,
    Duration startInterval,
    boolean disable,
    Map<String, Object> extensions) {
  public Healthcheck {
    test = Extensions.freeze(test);
    extensions = Extensions.freeze(extensions);
  }
}
