package io.jcompose.model.interpolate;

import io.jcompose.model.ComposeFileException;
import io.jcompose.model.load.Mark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads {@code .env} / {@code env_file} files the way Compose does: {@code KEY=VALUE} lines,
 * optional {@code export }, {@code #} comments, single quotes (literal), double quotes (escapes
 * and {@code ${}} substitution), unquoted values (trailing {@code  #comment} removed,
 * {@code ${}} substituted), and a bare {@code KEY} meaning "take it from the environment".
 */
public final class DotEnv {
  private DotEnv() {}

  /**
   * Parses a file.
   *
   * @param file the file
   * @param lookup variables visible to substitutions inside the file (e.g. the shell)
   * @return the variables in file order; a bare {@code KEY} maps to its lookup value, and is
   *     left out when unset
   * @throws ComposeFileException when the file cannot be read or a line is malformed
   */
  public static Map<String, String> read(Path file, Function<String, String> lookup) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ComposeFileException(file + ": cannot read env file: " + e.getMessage(), e);
    }
    return parse(file.toString(), text, lookup);
  }

  /** Parses env file text (see {@link #read}). */
  public static Map<String, String> parse(String fileName, String text, Function<String, String> lookup) {
    Map<String, String> vars = new LinkedHashMap<>();
    Function<String, String> scope =
        name -> vars.containsKey(name) ? vars.get(name) : lookup.apply(name);
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    for (int ln = 0; ln < lines.length; ln++) {
      String line = lines[ln].strip();
      if (ln == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring(7).stripLeading();
      }
      Mark mark = new Mark(fileName, ln + 1, 1);
      int eq = indexOfSeparator(line);
      if (eq < 0) {
        String key = line;
        checkKey(key, mark);
        String v = lookup.apply(key);
        if (v != null) {
          vars.put(key, v);
        }
        continue;
      }
      String key = line.substring(0, eq).strip();
      checkKey(key, mark);
      String raw = line.substring(eq + 1).stripLeading();
      String value;
      if (raw.startsWith("'") || raw.startsWith("\"")) {
        char q = raw.charAt(0);
        StringBuilder sb = new StringBuilder(raw.substring(1));
        int close = closingQuote(sb, q);
        while (close < 0 && ln + 1 < lines.length) {
          sb.append('\n').append(lines[++ln]);
          close = closingQuote(sb, q);
        }
        if (close < 0) {
          throw new ComposeFileException(mark + ": unterminated quoted value for " + key);
        }
        String inner = sb.substring(0, close);
        if (q == '\'') {
          value = inner;
        } else {
          value = new Interpolator(scope).substitute(unescape(inner), mark, key);
        }
      } else {
        int hash = raw.indexOf(" #");
        if (hash >= 0) {
          raw = raw.substring(0, hash);
        }
        value = new Interpolator(scope).substitute(raw.strip(), mark, key);
      }
      vars.put(key, value);
    }
    return vars;
  }

  private static int indexOfSeparator(String line) {
    int eq = line.indexOf('=');
    int colon = line.indexOf(':');
    if (colon > 0 && (eq < 0 || colon < eq) && colon + 1 < line.length() && line.charAt(colon + 1) == ' ') {
      return colon; // YAML-ish "KEY: value" is accepted by Compose's parser too
    }
    return eq;
  }

  private static int closingQuote(CharSequence s, char q) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && q == '"') {
        i++;
      } else if (c == q) {
        return i;
      }
    }
    return -1;
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case '"' -> out.append('"');
          case '\\' -> out.append('\\');
          case '$' -> out.append("$$");
          default -> out.append('\\').append(n);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static void checkKey(String key, Mark mark) {
    if (key.isEmpty() || key.chars().anyMatch(ch -> Character.isWhitespace(ch) || ch == '=' || ch == '"' || ch == '\'')) {
      throw new ComposeFileException(mark + ": unexpected character in variable name \"" + key + "\"");
    }
  }
}
