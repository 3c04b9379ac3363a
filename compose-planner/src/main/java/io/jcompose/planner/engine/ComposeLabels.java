package io.jcompose.planner.engine;

/**
 * The labels Compose puts on the objects it creates and finds them by again
 * ({@code docker/compose} {@code pkg/api/labels.go}). Values must match Compose's exactly so that
 * {@code docker compose} and {@code jcompose} recognise each other's containers.
 */
public final class ComposeLabels {
  private ComposeLabels() {}

  /** Prefix of every Compose label. */
  public static final String PREFIX = "com.docker.compose.";
  /** The project name (containers, networks, volumes). */
  public static final String PROJECT = PREFIX + "project";
  /** The service name. */
  public static final String SERVICE = PREFIX + "service";
  /** The replica number, from 1 (absent on one-offs). */
  public static final String CONTAINER_NUMBER = PREFIX + "container-number";
  /** {@code True} for {@code run} containers, {@code False} otherwise (capitalised, as Compose). */
  public static final String ONEOFF = PREFIX + "oneoff";
  /** sha256 hex of the object's configuration; decides recreate versus keep. */
  public static final String CONFIG_HASH = PREFIX + "config-hash";
  /** The project directory. */
  public static final String WORKING_DIR = PREFIX + "project.working_dir";
  /** The Compose files, comma-joined. */
  public static final String CONFIG_FILES = PREFIX + "project.config_files";
  /** The env files given, comma-joined. */
  public static final String ENVIRONMENT_FILE = PREFIX + "project.environment_file";
  /** {@code service:condition:restart}, comma-joined. */
  public static final String DEPENDS_ON = PREFIX + "depends_on";
  /** The image ID the container was created from. */
  public static final String IMAGE = PREFIX + "image";
  /** The Compose version that created the object. */
  public static final String VERSION = PREFIX + "version";
  /** The network's key in the Compose file. */
  public static final String NETWORK = PREFIX + "network";
  /** The volume's key in the Compose file. */
  public static final String VOLUME = PREFIX + "volume";
  /** On a replacement container: the name of the container it replaces. */
  public static final String REPLACE = PREFIX + "replace";
  /** One-off containers: their 64-hex slug. */
  public static final String SLUG = PREFIX + "slug";

  /** The value Compose writes into {@link #ONEOFF} for service containers. */
  public static final String FALSE = "False";
  /** The value Compose writes into {@link #ONEOFF} for one-off containers. */
  public static final String TRUE = "True";

  /** The compose version jcompose writes into {@link #VERSION}: the Compose release it follows. */
  public static final String COMPOSE_VERSION = "2.40.3";

  /** A Docker label filter {@code key=value}. */
  public static String filter(String key, String value) {
    return key + "=" + value;
  }
}
