package io.jcompose.model.print;

import io.jcompose.model.validate.GoFormat;
import java.util.List;
import java.util.Map;

/** Writes a canonical tree as Go's {@code json.MarshalIndent(v, "", "  ")} does (HTML-safe escapes). */
final class JsonEmitter {
  private final StringBuilder out = new StringBuilder();

  static String emit(Object tree) {
    JsonEmitter e = new JsonEmitter();
    e.value(tree, 0);
    return e.out.toString();
  }

  private void value(Object v, int indent) {
    switch (v) {
      case null -> out.append("null");
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          out.append("{}");
          return;
        }
        out.append("{\n");
        int i = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          out.repeat(' ', indent + 2);
          string(String.valueOf(e.getKey()));
          out.append(": ");
          value(e.getValue(), indent + 2);
          out.append(++i < m.size() ? ",\n" : "\n");
        }
        out.repeat(' ', indent).append('}');
      }
      case List<?> l -> {
        if (l.isEmpty()) {
          out.append("[]");
          return;
        }
        out.append("[\n");
        int i = 0;
        for (Object x : l) {
          out.repeat(' ', indent + 2);
          value(x, indent + 2);
          out.append(++i < l.size() ? ",\n" : "\n");
        }
        out.repeat(' ', indent).append(']');
      }
      case String s -> string(s);
      case CanonicalTree.GoFloat f -> out.append(f.float32() ? GoFormat.float32String(f.value()) : GoFormat.floatString(f.value()));
      default -> out.append(v);
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
