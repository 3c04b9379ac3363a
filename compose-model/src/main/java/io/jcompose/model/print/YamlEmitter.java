package io.jcompose.model.print;

import io.jcompose.model.validate.GoFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a canonical tree as go-yaml v3 writes it with two-space indentation: block style,
 * sequences indented under their key, strings quoted only where a plain scalar would read back as
 * something else ({@code "80"}, {@code "true"}, {@code ""}) or is not allowed ({@code '*x'}),
 * multi-line strings as literal blocks.
 */
final class YamlEmitter {
  private static final Set<String> OLD_BOOLS =
      Set.of("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF");
  private static final Pattern BASE60 = Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");
  private static final Pattern INT = Pattern.compile("[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)");
  private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

  private final StringBuilder out = new StringBuilder();

  static String emit(Map<String, Object> tree) {
    YamlEmitter e = new YamlEmitter();
    e.mapping(tree, 0);
    return e.out.toString();
  }

  private void mapping(Map<?, ?> m, int indent) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      pad(indent);
      out.append(scalar(String.valueOf(e.getKey()), indent));
      out.append(':');
      node(e.getValue(), indent);
    }
  }

  /** Writes a value after "key:" or "- " (the caller wrote the prefix). */
  private void node(Object v, int indent) {
    if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        out.append(" {}\n");
      } else {
        out.append('\n');
        mapping(m, indent + 2);
      }
    } else if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        out.append(" []\n");
      } else {
        out.append('\n');
        sequence(l, indent + 2);
      }
    } else {
      out.append(' ').append(leaf(v, indent)).append('\n');
    }
  }

  private void sequence(List<?> l, int indent) {
    for (Object item : l) {
      pad(indent);
      out.append('-');
      if (item instanceof Map<?, ?> m && !m.isEmpty()) {
        // first key on the dash line, the rest aligned under it
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (first) {
            out.append(' ');
            first = false;
          } else {
            pad(indent + 2);
          }
          out.append(scalar(String.valueOf(e.getKey()), indent + 2)).append(':');
          node(e.getValue(), indent + 2);
        }
      } else if (item instanceof List<?> inner && !inner.isEmpty()) {
        out.append(' ');
        boolean first = true;
        for (Object x : inner) {
          if (!first) {
            pad(indent + 2);
          }
          first = false;
          out.append('-');
          node(x, indent + 2);
        }
      } else {
        node(item, indent);
      }
    }
  }

  private String leaf(Object v, int indent) {
    return switch (v) {
      case null -> "null";
      case String s -> scalar(s, indent);
      case Boolean b -> b.toString();
      case CanonicalTree.GoFloat f -> f.float32() ? GoFormat.float32String(f.value()) : GoFormat.floatString(f.value());
      case Double d -> GoFormat.floatString(d);
      default -> v.toString();
    };
  }

  private void pad(int n) {
    out.repeat(' ', n);
  }

  /** A string as go-yaml writes it. */
  private String scalar(String s, int indent) {
    if (s.isEmpty()) {
      return "\"\"";
    }
    if (s.indexOf('\n') >= 0 && printable(s)) {
      return literal(s, indent);
    }
    if (resolvesToNonString(s) || OLD_BOOLS.contains(s) || BASE60.matcher(s).matches() || !printable(s)) {
      return doubleQuoted(s);
    }
    if (!plainAllowed(s)) {
      return "'" + s.replace("'", "''") + "'";
    }
    return s;
  }

  private static boolean resolvesToNonString(String s) {
    switch (s) {
      case "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE" -> {
        return true;
      }
      default -> {}
    }
    return INT.matcher(s).matches() || FLOAT.matcher(s).matches();
  }

  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        continue;
      }
      if (c == '\t') {
        return false; // go-yaml double-quotes strings with tabs
      }
      if (c < 0x20 && c != '\t' || c == 0x7f || c == '\uFEFF' || (c >= 0x80 && c < 0xA0)) {
        return false;
      }
    }
    return true;
  }

  /** go-yaml's analysis of whether a plain scalar is allowed in block context. */
  private static boolean plainAllowed(String s) {
    if (s.startsWith("---") || s.startsWith("...")) {
      return false;
    }
    if (s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ' || s.charAt(0) == '\t' || s.charAt(s.length() - 1) == '\t') {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean followedByBlank = i + 1 >= s.length() || s.charAt(i + 1) == ' ' || s.charAt(i + 1) == '\t';
      boolean precededByBlank = i > 0 && (s.charAt(i - 1) == ' ' || s.charAt(i - 1) == '\t');
      if (i == 0) {
        if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) {
          return false;
        }
        if ((c == '?' || c == ':' || c == '-') && followedByBlank) {
          return false;
        }
      } else {
        if (c == ':' && followedByBlank) {
          return false;
        }
        if (c == '#' && precededByBlank) {
          return false;
        }
      }
    }
    return true;
  }

  private String literal(String s, int indent) {
    String chomp = s.endsWith("\n") ? (s.endsWith("\n\n") ? "+" : "") : "-";
    StringBuilder b = new StringBuilder("|");
    if (s.startsWith(" ") || s.startsWith("\n")) {
      b.append(2);
    }
    b.append(chomp);
    String body = s.endsWith("\n") && chomp.isEmpty() ? s.substring(0, s.length() - 1) : s;
    if (chomp.equals("+")) {
      body = s.substring(0, s.length() - 1);
    }
    if (body.startsWith("\n")) {
      body = body.substring(1); // go-yaml drops a leading empty line of a literal block
    }
    for (String line : body.split("\n", -1)) {
      b.append('\n');
      if (!line.isEmpty()) {
        b.repeat(' ', indent + 2).append(line);
      }
    }
    return b.toString();
  }

  private static String doubleQuoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        case 0 -> b.append("\\0");
        default -> {
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xA0) || c == '\uFEFF') {
            b.append(String.format("\\x%02X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
