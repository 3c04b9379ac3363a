package io.jcompose.runtime.image.build.context;

import java.util.ArrayList;
import java.util.List;

/** {@code /}-separated path names as Go's {@code path.Clean} treats them (Docker's rules). */
public final class PathNames {
  private PathNames() {}

  /**
   * Lexically cleans a path: repeated and trailing {@code /} and {@code .} removed, {@code ..}
   * resolved (never above the root of an absolute path); the empty path is {@code .}.
   */
  public static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    List<String> out = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!out.isEmpty() && !out.getLast().equals("..")) {
          out.removeLast();
        } else if (!rooted) {
          out.add("..");
        }
        continue;
      }
      out.add(part);
    }
    String joined = String.join("/", out);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }
}
