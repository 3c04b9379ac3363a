package io.jcompose.model;

import java.util.Map;

/**
 * A service's use of a top-level config or secret (long form; {@code - name} is normalised to
 * {@code source: name}).
 *
 * @param source the name of the top-level config or secret
 * @param target path (or name) in the container; {@code null} = Compose's default
 * @param uid owner uid
 * @param gid owner gid
 * @param mode file mode, or {@code null}
 * @param extensions {@code x-*} keys
 */
public record FileReference(String source, String target, String uid, String gid, Integer mode, Map<String, Object> extensions) {
  public FileReference {
    extensions = Extensions.freeze(extensions);
  }
}
