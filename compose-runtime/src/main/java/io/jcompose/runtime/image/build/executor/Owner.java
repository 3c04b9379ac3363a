package io.jcompose.runtime.image.build.executor;

import io.jcompose.runtime.image.build.dockerfile.DockerfileException;
import java.util.Optional;

/**
 * A {@code --chown} value resolved to numbers: {@code uid[:gid]} or names looked up in the
 * image's {@code /etc/passwd} and {@code /etc/group}; a missing group means the same as the
 * user ({@code --chown=1000} is {@code 1000:1000}), as Docker does.
 */
record Owner(int uid, int gid) {

  static Owner resolve(String chown, ImageFs image, String dockerfile, int line) {
    String[] parts = chown.split(":", 2);
    String user = parts[0];
    String group = parts.length > 1 ? parts[1] : parts[0];
    int uid = id(user, image.read("/etc/passwd"), "user", dockerfile, line);
    int gid = id(group, image.read("/etc/group"), "group", dockerfile, line);
    return new Owner(uid, gid);
  }

  private static int id(String name, Optional<String> db, String kind, String dockerfile, int line) {
    if (name.matches("\\d+")) {
      return Integer.parseInt(name);
    }
    if (db.isPresent()) {
      for (String l : db.get().split("\n")) {
        String[] f = l.split(":");
        if (f.length > 2 && f[0].equals(name) && f[2].matches("\\d+")) {
          return Integer.parseInt(f[2]);
        }
      }
    }
    throw new DockerfileException(dockerfile, line, "unable to convert uid/gid chown string to host mapping: can't find "
        + (kind.equals("user") ? "uid" : "gid") + " for " + kind + " " + name + ": no such " + kind + ": " + name);
  }
}
