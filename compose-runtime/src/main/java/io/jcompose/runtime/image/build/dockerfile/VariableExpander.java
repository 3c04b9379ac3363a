package io.jcompose.runtime.image.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Variable substitution and quote removal as BuildKit's {@code shell.Lex} does it for the
 * instructions that expand variables (FROM, ADD, COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER,
 * VOLUME, WORKDIR, ARG, ONBUILD's target is not expanded).
 *
 * <p>Supported: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-word}}, {@code ${VAR-word}},
 * {@code ${VAR:+word}}, {@code ${VAR+word}}, {@code ${VAR:?msg}}, {@code ${VAR?msg}}; single
 * quotes (literal), double quotes (expanding; the escape character only escapes {@code "},
 * {@code $} and itself), the escape character outside quotes (makes the next character
 * literal). An unset variable expands to the empty string; {@code $} not followed by a name is
 * kept.
 */
public final class VariableExpander {
  private final char escape;

  /** @param escape the Dockerfile's escape character ({@code \} or {@code `}) */
  public VariableExpander(char escape) {
    this.escape = escape;
  }

  /** Thrown for {@code ${VAR?msg}} on an unset variable and for malformed {@code ${...}}. */
  public static final class ExpansionException extends RuntimeException {
    ExpansionException(String message) {
      super(message);
    }
  }

  /** Expands one word: quotes removed, variables replaced, never split. */
  public String expand(String word, Function<String, String> env) {
    return new Run(word, env).word(false, '\0');
  }

  /**
   * Expands a string and splits it into words on unquoted whitespace, as {@code ProcessWords}
   * does (used for ONBUILD-free whitespace-delimited lists).
   */
  public List<String> expandWords(String text, Function<String, String> env) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    Run run = new Run(text, env);
    while (!run.end()) {
      char c = run.peek();
      if (Character.isWhitespace(c)) {
        run.next();
        if (inWord) {
          words.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
        continue;
      }
      inWord = true;
      cur.append(run.token());
    }
    if (inWord) {
      words.add(cur.toString());
    }
    return words;
  }

  private final class Run {
    private final String s;
    private final Function<String, String> env;
    private int pos;

    Run(String s, Function<String, String> env) {
      this.s = s;
      this.env = env;
    }

    boolean end() {
      return pos >= s.length();
    }

    char peek() {
      return s.charAt(pos);
    }

    char next() {
      return s.charAt(pos++);
    }

    /** Reads until the end, or (inside ${...}) until an unnested '}' when stop is '}'. */
    String word(boolean inBraces, char stop) {
      StringBuilder out = new StringBuilder();
      while (!end()) {
        if (inBraces && peek() == stop) {
          return out.toString();
        }
        out.append(token());
      }
      if (inBraces) {
        throw new ExpansionException("missing '}' in variable expansion");
      }
      return out.toString();
    }

    /** One lexical unit: a quoted string, an escaped char, a variable or a plain char. */
    String token() {
      char c = next();
      if (c == '\'') {
        int close = s.indexOf('\'', pos);
        if (close < 0) {
          throw new ExpansionException("unexpected end of statement while looking for matching single-quote");
        }
        String lit = s.substring(pos, close);
        pos = close + 1;
        return lit;
      }
      if (c == '"') {
        return doubleQuoted();
      }
      if (c == escape) {
        return end() ? "" : String.valueOf(next());
      }
      if (c == '$') {
        return dollar();
      }
      return String.valueOf(c);
    }

    private String doubleQuoted() {
      StringBuilder out = new StringBuilder();
      while (true) {
        if (end()) {
          throw new ExpansionException("unexpected end of statement while looking for matching double-quote");
        }
        char c = next();
        if (c == '"') {
          return out.toString();
        }
        if (c == '$') {
          out.append(dollar());
        } else if (c == escape && !end()) {
          char n = peek();
          if (n == '"' || n == '$' || n == escape) {
            out.append(next());
          } else {
            out.append(c);
          }
        } else {
          out.append(c);
        }
      }
    }

    private String dollar() {
      if (end()) {
        return "$";
      }
      if (peek() != '{') {
        String name = name();
        if (name.isEmpty()) {
          return "$";
        }
        return value(name);
      }
      next(); // '{'
      String name = name();
      if (name.isEmpty()) {
        throw new ExpansionException("bad substitution: missing variable name");
      }
      if (end()) {
        throw new ExpansionException("missing '}' in variable expansion");
      }
      char c = next();
      if (c == '}') {
        return value(name);
      }
      boolean colon = false;
      if (c == ':') {
        colon = true;
        if (end()) {
          throw new ExpansionException("missing '}' in variable expansion");
        }
        c = next();
      }
      if (c != '-' && c != '+' && c != '?') {
        throw new ExpansionException("unsupported modifier (" + (colon ? ":" : "") + c + ") in substitution");
      }
      String word = word(true, '}');
      next(); // '}'
      String v = env.apply(name);
      boolean set = colon ? v != null && !v.isEmpty() : v != null;
      return switch (c) {
        case '-' -> set ? v : word;
        case '+' -> set ? word : "";
        default -> {
          if (!set) {
            throw new ExpansionException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
          }
          yield v;
        }
      };
    }

    private String name() {
      int start = pos;
      if (!end() && Character.isDigit(peek())) {
        pos++; // positional parameters are a single digit, as in sh
        return s.substring(start, pos);
      }
      while (!end() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
        pos++;
      }
      return s.substring(start, pos);
    }

    private String value(String name) {
      String v = env.apply(name);
      return v == null ? "" : v;
    }
  }
}
