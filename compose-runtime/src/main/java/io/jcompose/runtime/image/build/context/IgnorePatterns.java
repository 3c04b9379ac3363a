package io.jcompose.runtime.image.build.context;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .dockerignore} rules with moby/patternmatcher semantics: patterns are cleaned paths
 * relative to the context root (a leading {@code /} is dropped), {@code *} and {@code ?} stay
 * inside one path segment, {@code **} spans any number of segments, {@code !} makes an
 * exception, the last matching pattern wins, and a pattern that matches a parent directory
 * matches everything below it.
 */
public final class IgnorePatterns {
  /** One pattern line. */
  record Rule(String pattern, boolean exception, Pattern regex) {}

  private final List<Rule> rules;

  private IgnorePatterns(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** No rules: nothing is ignored. */
  public static IgnorePatterns none() {
    return new IgnorePatterns(List.of());
  }

  /**
   * Parses a {@code .dockerignore} file's text: one pattern a line, {@code #} comment lines and
   * blank lines skipped, surrounding whitespace trimmed.
   *
   * @throws IllegalArgumentException for a lone {@code !} or an invalid pattern
   */
  public static IgnorePatterns parse(String text) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean exception = line.startsWith("!");
      if (exception) {
        line = line.substring(1).strip();
        if (line.isEmpty()) {
          throw new IllegalArgumentException("illegal exclusion pattern: \"!\"");
        }
      }
      String p = cleanPath(line);
      if (p.length() > 1 && p.startsWith("/")) {
        p = p.substring(1);
      }
      rules.add(new Rule(p, exception, Pattern.compile(regex(p))));
    }
    return new IgnorePatterns(rules);
  }

  /** Whether any rule is an exception (then an ignored directory must still be walked). */
  public boolean hasExceptions() {
    return rules.stream().anyMatch(Rule::exception);
  }

  /** True when no rule was given. */
  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * Whether the path (relative to the context root, {@code /}-separated) is ignored: the rules
   * are applied in order to the path and to each of its parent directories.
   */
  public boolean ignored(String relativePath) {
    String file = cleanPath(relativePath);
    int slash = file.lastIndexOf('/');
    String parent = slash < 0 ? "." : file.substring(0, slash);
    String[] parentDirs = parent.split("/");
    boolean matched = false;
    for (Rule r : rules) {
      // an inclusion cannot change an already matched path, an exception an unmatched one
      if (r.exception() != matched) {
        continue;
      }
      boolean match = r.regex().matcher(file).matches();
      if (!match && !parent.equals(".")) {
        StringBuilder prefix = new StringBuilder();
        for (String dir : parentDirs) {
          if (!prefix.isEmpty()) {
            prefix.append('/');
          }
          prefix.append(dir);
          if (r.regex().matcher(prefix).matches()) {
            match = true;
            break;
          }
        }
      }
      if (match) {
        matched = !r.exception();
      }
    }
    return matched;
  }

  /** Go's {@code filepath.Clean} for {@code /}-separated paths. */
  static String cleanPath(String path) {
    return PathNames.clean(path);
  }

  /** The pattern as a regular expression over the whole path (patternmatcher's compile). */
  static String regex(String pattern) {
    StringBuilder re = new StringBuilder("^");
    int n = pattern.length();
    for (int i = 0; i < n; i++) {
      char c = pattern.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < n && pattern.charAt(i + 1) == '*') {
            i++; // "**"
            if (i + 1 < n && pattern.charAt(i + 1) == '/') {
              i++;
              re.append("(.*/)?"); // "**/" : zero or more directories
            } else {
              re.append(".*");
            }
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> {
          int close = pattern.indexOf(']', i + 1);
          if (close < 0) {
            throw new IllegalArgumentException("syntax error in pattern \"" + pattern + "\"");
          }
          String cls = pattern.substring(i + 1, close);
          if (cls.startsWith("^") || cls.startsWith("!")) {
            cls = "^" + cls.substring(1);
          }
          re.append('[').append(cls.replace("\\", "\\\\")).append(']');
          i = close;
        }
        case '\\' -> {
          if (i + 1 < n) {
            re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
          } else {
            throw new IllegalArgumentException("syntax error in pattern \"" + pattern + "\"");
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.append('$').toString();
  }
}
