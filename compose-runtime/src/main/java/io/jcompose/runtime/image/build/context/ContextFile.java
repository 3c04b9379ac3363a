package io.jcompose.runtime.image.build.context;

import java.nio.file.Path;

/**
 * A file of a build context that a COPY/ADD source selected.
 *
 * @param path absolute path on disk
 * @param name {@code /}-separated name relative to the selected source (what lands under the
 *     destination); the empty string for a source that is itself a file
 * @param type what kind of file
 * @param mode permission bits including setuid/setgid/sticky
 * @param uid owner on disk (COPY writes 0 unless --chown says otherwise)
 * @param gid group on disk
 * @param size bytes (regular files)
 * @param linkTarget the symlink's target, or null
 */
public record ContextFile(
    Path path, String name, Type type, int mode, int uid, int gid, long size, String linkTarget) {

  /** File kinds a context can hold. */
  public enum Type {
    FILE,
    DIRECTORY,
    SYMLINK
  }
}
