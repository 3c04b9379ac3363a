package io.jcompose.model;

import java.util.List;
import java.util.Map;

/**
 * A command run in a service's container at a lifecycle point ({@code post_start},
 * {@code pre_stop}, {@code develop.watch[].exec}).
 *
 * @param command the command (string form split like {@code command})
 * @param user user to run it as
 * @param privileged run with extended privileges
 * @param workingDir working directory
 * @param environment extra environment variables
 * @param extensions {@code x-*} keys
 */
public record ServiceHook(
    List<String> command, String user, boolean privileged, String workingDir, Map<String, String> environment, Map<String, Object> extensions) {
  public ServiceHook {
    command = Extensions.freezeNullable(command);
    environment = Extensions.freeze(environment);
    extensions = Extensions.freeze(extensions);
  }
}
