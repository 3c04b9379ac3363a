package io.jcompose.model;

import java.util.Map;

/**
 * A top-level config or secret: its content comes from a file, an environment variable, inline
 * content (configs only) or an existing external object.
 *
 * @param name the engine-side name
 * @param file absolute path of the source file
 * @param environment name of the environment variable holding the content
 * @param content inline content
 * @param external whether it exists already
 * @param labels labels
 * @param driver driver
 * @param driverOpts driver options
 * @param templateDriver template driver
 * @param extensions {@code x-*} keys
 */
public record FileObjectConfig(
    String name,
    String file,
    String environment,
    String content,
    boolean external,
    Map<String, String> labels,
    String driver,
    Map<String, String> driverOpts,
    String templateDriver,
    Map<String, Object> extensions) {
  public FileObjectConfig {
    labels = Extensions.freeze(labels);
    driverOpts = Extensions.freeze(driverOpts);
    extensions = Extensions.freeze(extensions);
  }
}
