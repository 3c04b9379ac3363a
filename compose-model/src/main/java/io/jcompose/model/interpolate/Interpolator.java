package io.jcompose.model.interpolate;

import io.jcompose.model.ComposeFileException;
import io.jcompose.model.load.Mark;
import io.jcompose.model.load.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Substitutes variables in every scalar value of a Compose tree, as Compose does: {@code $VAR},
 * {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:?error}},
 * {@code ${VAR?error}}, {@code ${VAR:+alt}}, {@code ${VAR+alt}} with nested expressions in the
 * default/alternative, and {@code $$} for a literal {@code $}. Keys are not interpolated.
 */
public final class Interpolator {
  private final Function<String, String> lookup;
  private final Consumer<String> unset;

  /** @param lookup the variable's value, or {@code null} when unset */
  public Interpolator(Function<String, String> lookup) {
    this(lookup, name -> {});
  }

  /**
   * @param lookup the variable's value, or {@code null} when unset
   * @param unset told the name of each unset variable used without a modifier ({@code $X},
   *     {@code ${X}}), once per occurrence, as Compose warns about each
   */
  public Interpolator(Function<String, String> lookup, Consumer<String> unset) {
    this.lookup = lookup;
    this.unset = unset;
  }

  /** An interpolator over a map of variables. */
  public static Interpolator of(Map<String, String> env) {
    return new Interpolator(env::get);
  }

  /** An interpolator over a map of variables that passes Compose's unset-variable warning to {@code warnings}. */
  public static Interpolator of(Map<String, String> env, Consumer<String> warnings) {
    return new Interpolator(env::get, name -> warnings.accept(unsetWarning(name)));
  }

  /** Compose's words for an unset variable, as compose-go logs them. */
  public static String unsetWarning(String name) {
    return "The \"" + name + "\" variable is not set. Defaulting to a blank string.";
  }

  /**
   * Interpolates a whole tree in place (scalars are replaced by new scalars).
   *
   * @param node the tree
   * @param path the key path of {@code node}, for errors (e.g. {@code services.web})
   * @return the interpolated tree
   */
  public Node interpolate(Node node, String path) {
    return switch (node) {
      case Node.Scalar s -> {
        if (s.kind() != Node.Kind.STRING || s.text().indexOf('$') < 0) {
          yield s;
        }
        String out = substitute(s.text(), s.mark(), path);
        // a substituted value is a string: its type is decided by the field it lands in
        yield new Node.Scalar(out, Node.Kind.STRING, s.mark(), s.tag());
      }
      case Node.SeqNode seq -> {
        List<Node> items = seq.items();
        for (int i = 0; i < items.size(); i++) {
          items.set(i, interpolate(items.get(i), path + "[" + i + "]"));
        }
        yield seq;
      }
      case Node.MapNode map -> {
        for (Map.Entry<String, Node> e : map.entries().entrySet()) {
          e.setValue(interpolate(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey()));
        }
        yield map;
      }
    };
  }

  /**
   * Substitutes the variables in one string.
   *
   * @throws ComposeFileException for a malformed expression or a missing required variable
   */
  public String substitute(String template, Mark mark, String path) {
    StringBuilder out = new StringBuilder(template.length());
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= n) {
        out.append(c);
        i++;
        continue;
      }
      char next = template.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (isNameStart(next)) {
        int end = i + 2;
        while (end < n && isNamePart(template.charAt(end))) {
          end++;
        }
        String v = valueOf(template.substring(i + 1, end));
        out.append(v == null ? "" : v);
        i = end;
      } else if (next == '{') {
        int close = closingBrace(template, i);
        if (close < 0) {
          throw invalid(template, mark, path);
        }
        out.append(braced(template.substring(i + 2, close), template, mark, path));
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The index of the brace closing the {@code ${} at {@code start}, counting nested braces as Compose does. */
  private static int closingBrace(String s, int start) {
    int open = 0;
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '}') {
        open--;
        if (open == 0) {
          return i;
        }
      }
      if (c == '{') {
        open++;
        i++;
      }
    }
    return -1;
  }

  /** The value of a variable used without a modifier; an unset one is reported. */
  private String valueOf(String name) {
    String v = lookup.apply(name);
    if (v == null) {
      unset.accept(name);
    }
    return v;
  }

  private String braced(String expr, String template, Mark mark, String path) {
    if (expr.isEmpty() || !isNameStart(expr.charAt(0))) {
      throw invalid(template, mark, path);
    }
    int end = 1;
    while (end < expr.length() && isNamePart(expr.charAt(end))) {
      end++;
    }
    String name = expr.substring(0, end);
    if (end == expr.length()) {
      String value = valueOf(name);
      return value == null ? "" : value;
    }
    String value = lookup.apply(name);
    boolean colon = expr.charAt(end) == ':';
    int opAt = colon ? end + 1 : end;
    if (opAt >= expr.length() || "-+?".indexOf(expr.charAt(opAt)) < 0) {
      throw invalid(template, mark, path);
    }
    char op = expr.charAt(opAt);
    String arg = expr.substring(opAt + 1);
    boolean present = colon ? value != null && !value.isEmpty() : value != null;
    return switch (op) {
      case '-' -> present ? value : substitute(arg, mark, path);
      case '+' -> present ? substitute(arg, mark, path) : (value == null ? "" : value);
      default -> {
        if (!present) {
          String reason = substitute(arg, mark, path);
          throw new ComposeFileException(
              mark + ": " + path + ": required variable " + name + " is missing a value" + (reason.isEmpty() ? "" : ": " + reason));
        }
        yield value;
      }
    };
  }

  private static ComposeFileException invalid(String template, Mark mark, String path) {
    return new ComposeFileException(
        mark + ": " + path + ": invalid interpolation format in \"" + template + "\" (write $$ for a literal $)");
  }

  private static boolean isNameStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }
}
