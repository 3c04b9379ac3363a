package io.jcompose.model.normalize;

import java.util.Set;

/**
 * Parses the short volume syntax {@code [SOURCE:]TARGET[:MODE]} as Compose does. A source
 * starting with {@code .}, {@code /} or {@code ~} is a bind mount (created if missing), any other
 * source a named volume, no source an anonymous volume.
 */
public final class VolumeSyntax {
  private static final Set<String> PROPAGATIONS = Set.of("rprivate", "private", "rshared", "shared", "rslave", "slave");

  private VolumeSyntax() {}

  /**
   * A parsed short volume.
   *
   * @param type {@code bind} or {@code volume}
   * @param source source (may be empty)
   * @param target target (cleaned)
   * @param readOnly {@code ro} given
   * @param nocopy {@code nocopy} given
   * @param selinux {@code z}/{@code Z} or empty
   * @param propagation propagation option or empty
   */
  public record Parsed(String type, String source, String target, boolean readOnly, boolean nocopy, String selinux, String propagation) {}

  /**
   * Parses a short volume spec.
   *
   * @throws IllegalArgumentException with a short reason when invalid
   */
  public static Parsed parse(String spec) {
    if (spec.isEmpty()) {
      throw new IllegalArgumentException("invalid empty volume spec");
    }
    String source = "";
    String target = "";
    boolean ro = false;
    boolean nocopy = false;
    String selinux = "";
    String propagation = "";
    if (spec.length() <= 2) {
      target = spec;
    } else {
      StringBuilder buffer = new StringBuilder();
      String all = spec + '\0';
      for (int i = 0; i < all.length(); i++) {
        char ch = all.charAt(i);
        boolean end = ch == '\0' && i == all.length() - 1;
        if (ch == ':' && buffer.length() == 1 && Character.isLetter(buffer.charAt(0))) {
          buffer.append(ch);
        } else if (ch == ':' || end) {
          String s = buffer.toString();
          if (s.isEmpty()) {
            throw new IllegalArgumentException("invalid spec: " + spec + ": empty section between colons");
          } else if (source.isEmpty() && end) {
            target = s;
          } else if (source.isEmpty()) {
            source = s;
          } else if (target.isEmpty()) {
            target = s;
          } else if (ch == ':') {
            throw new IllegalArgumentException("invalid spec: " + spec + ": too many colons");
          } else {
            for (String opt : s.split(",", -1)) {
              switch (opt) {
                case "ro" -> ro = true;
                case "rw" -> ro = false;
                case "nocopy" -> nocopy = true;
                case "z", "Z" -> selinux = opt;
                default -> {
                  if (PROPAGATIONS.contains(opt)) {
                    propagation = opt;
                  }
                }
              }
            }
          }
          buffer.setLength(0);
        } else {
          buffer.append(ch);
        }
      }
    }
    String type = isFilePath(source) ? "bind" : "volume";
    return new Parsed(type, source, cleanPath(target), ro, nocopy, selinux, propagation);
  }

  /** Whether a short-syntax source names a host path rather than a volume. */
  public static boolean isFilePath(String source) {
    if (source.isEmpty()) {
      return false;
    }
    char c = source.charAt(0);
    if (c == '.' || c == '/' || c == '~' || source.startsWith("\\\\")) {
      return true;
    }
    return source.length() > 1 && Character.isLetter(c) && source.charAt(1) == ':';
  }

  /** Go's {@code path.Clean}: lexical clean-up of a slash-separated path. */
  public static String cleanPath(String p) {
    if (p.isEmpty()) {
      return "";
    }
    boolean rooted = p.startsWith("/");
    java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
    for (String part : p.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!out.isEmpty() && !out.peekLast().equals("..")) {
          out.removeLast();
        } else if (!rooted) {
          out.addLast("..");
        }
        continue;
      }
      out.addLast(part);
    }
    String joined = String.join("/", out);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }
}
