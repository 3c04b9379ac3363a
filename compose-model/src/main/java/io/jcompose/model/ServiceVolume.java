package io.jcompose.model;

import java.util.Map;

/**
 * One mount of a service in long form. The short form {@code "./data:/data:ro"} becomes
 * {@code type: bind, source: /abs/data, target: /data, read_only: true}.
 *
 * @param type {@code bind}, {@code volume}, {@code tmpfs}, {@code npipe}, {@code cluster} or {@code image}
 * @param source host path (bind, absolute), volume name (volume), or {@code null} (anonymous volume, tmpfs)
 * @param target path in the container
 * @param readOnly mount read-only
 * @param consistency macOS consistency hint
 * @param bind bind options, or {@code null}
 * @param volume volume options, or {@code null}
 * @param tmpfs tmpfs options, or {@code null}
 * @param extensions {@code x-*} keys
 */
public record ServiceVolume(
    String type,
    String source,
    String target,
    boolean readOnly,
    String consistency,
    Bind bind,
    VolumeOptions volume,
    Tmpfs tmpfs,
    Map<String, Object> extensions) {
  /** A host path. */
  public static final String TYPE_BIND = "bind";
  /** A named or anonymous volume. */
  public static final String TYPE_VOLUME = "volume";
  /** A tmpfs. */
  public static final String TYPE_TMPFS = "tmpfs";

  public ServiceVolume {
    extensions = Extensions.freeze(extensions);
  }

  /**
   * Options of a bind mount.
   *
   * @param selinux {@code z} or {@code Z}
   * @param propagation mount propagation ({@code rprivate}, ...)
   * @param createHostPath create the host directory if missing (short syntax does)
   * @param recursive recursive read-only mode ({@code enabled}, {@code disabled}, {@code writable}, {@code readonly})
   * @param extensions {@code x-*} keys
   */
  public record Bind(String selinux, String propagation, boolean createHostPath, String recursive, Map<String, Object> extensions) {
    public Bind {
      extensions = Extensions.freeze(extensions);
    }
  }

  /**
   * Options of a volume mount.
   *
   * @param nocopy do not copy image content into a new volume
   * @param subpath mount only this sub-path of the volume
   * @param extensions {@code x-*} keys
   */
  public record VolumeOptions(@YamlKey("nocopy") boolean nocopy, String subpath, Map<String, Object> extensions) {
    public VolumeOptions {
      extensions = Extensions.freeze(extensions);
    }
  }

  /**
   * Options of a tmpfs mount.
   *
   * @param size size in bytes, 0 = unset
   * @param mode file mode, 0 = unset
   * @param extensions {@code x-*} keys
   */
  public record Tmpfs(long size, int mode, Map<String, Object> extensions) {
    public Tmpfs {
      extensions = Extensions.freeze(extensions);
    }
  }
}
