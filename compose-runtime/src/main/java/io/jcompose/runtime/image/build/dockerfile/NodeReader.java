package io.jcompose.runtime.image.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits Dockerfile text into {@link Node}s the way BuildKit's parser does: parser directives
 * at the very top, comments, line continuations (the escape character at the end of a line;
 * comment and empty lines inside a continuation are skipped), and here-documents for RUN, COPY
 * and ADD.
 */
final class NodeReader {
  private static final Pattern DIRECTIVE =
      Pattern.compile("^#[ \\t]*([a-zA-Z][a-zA-Z0-9]*)[ \\t]*=[ \\t]*(.+?)[ \\t]*$");
  private static final Pattern HEREDOC =
      Pattern.compile("<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_.-]*)\\2");
  private static final Set<String> HEREDOC_COMMANDS = Set.of("RUN", "COPY", "ADD");

  private final String file;
  private final String[] lines;
  private int next; // index of the next unread line
  private Directives directives = Directives.DEFAULT;

  NodeReader(String file, String text) {
    this.file = file;
    String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
    this.lines = t.split("\r?\n", -1);
  }

  Directives directives() {
    return directives;
  }

  List<Node> read() {
    readDirectives();
    char escape = directives.escape();
    List<Node> nodes = new ArrayList<>();
    while (next < lines.length) {
      int start = next;
      String line = stripLeading(lines[next++]);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      StringBuilder joined = new StringBuilder();
      boolean more = continues(line, escape);
      joined.append(more ? dropContinuation(line, escape) : line);
      while (more && next < lines.length) {
        String cont = lines[next++];
        String trimmed = stripLeading(cont);
        if (trimmed.startsWith("#") || trimmed.isBlank()) {
          continue; // BuildKit skips comments and (with a warning) empty lines in continuations
        }
        more = continues(cont, escape);
        joined.append(more ? dropContinuation(cont, escape) : cont);
      }
      nodes.add(node(joined.toString(), start + 1));
    }
    return nodes;
  }

  private void readDirectives() {
    String syntax = null;
    String check = null;
    Character escape = null;
    while (next < lines.length) {
      Matcher m = DIRECTIVE.matcher(lines[next]);
      if (!m.matches()) {
        return;
      }
      String key = m.group(1).toLowerCase(Locale.ROOT);
      String value = m.group(2);
      int lineNo = next + 1;
      switch (key) {
        case "syntax" -> {
          if (syntax != null) {
            throw error(lineNo, "only one syntax parser directive can be used");
          }
          syntax = value;
        }
        case "escape" -> {
          if (escape != null) {
            throw error(lineNo, "only one escape parser directive can be used");
          }
          if (!value.equals("`") && !value.equals("\\")) {
            throw error(lineNo, "invalid escape token '" + value + "' does not match ` or \\");
          }
          escape = value.charAt(0);
        }
        case "check" -> {
          if (check != null) {
            throw error(lineNo, "only one check parser directive can be used");
          }
          check = value;
        }
        default -> {
          // unknown directives are comments, and end nothing: BuildKit keeps looking
        }
      }
      next++;
      directives = new Directives(syntax, escape == null ? '\\' : escape, check);
    }
  }

  private Node node(String line, int startLine) {
    String trimmed = line.strip();
    int sp = firstWhitespace(trimmed);
    String keyword = sp < 0 ? trimmed : trimmed.substring(0, sp);
    String rest = sp < 0 ? "" : trimmed.substring(sp).strip();
    List<String> flags = new ArrayList<>();
    while (rest.startsWith("--")) {
      int end = wordEnd(rest);
      String flag = rest.substring(0, end);
      if (flag.equals("--")) {
        rest = rest.substring(end).strip();
        break; // "--" ends the flags, as in BuildKit
      }
      flags.add(flag);
      rest = rest.substring(end).strip();
    }
    List<Heredoc> heredocs = List.of();
    if (HEREDOC_COMMANDS.contains(keyword.toUpperCase(Locale.ROOT)) && !rest.startsWith("[")) {
      heredocs = readHeredocs(rest, startLine);
    }
    return new Node(keyword, List.copyOf(flags), rest, heredocs, startLine, next, trimmed);
  }

  private List<Heredoc> readHeredocs(String args, int startLine) {
    List<Heredoc> out = new ArrayList<>();
    for (MatchResult m : markers(args)) {
      boolean chomp = !m.group(1).isEmpty();
      boolean quoted = !m.group(2).isEmpty();
      String name = m.group(3);
      StringBuilder body = new StringBuilder();
      boolean closed = false;
      while (next < lines.length) {
        String l = lines[next++];
        String cmp = chomp ? l.replaceFirst("^\\t+", "") : l;
        if (cmp.equals(name)) {
          closed = true;
          break;
        }
        body.append(cmp).append('\n');
      }
      if (!closed) {
        throw error(startLine, "unterminated heredoc");
      }
      out.add(new Heredoc(name, body.toString(), !quoted, chomp));
    }
    return List.copyOf(out);
  }

  /** Heredoc markers that start a word outside quotes. */
  private static List<MatchResult> markers(String args) {
    List<MatchResult> found = new ArrayList<>();
    char quote = 0;
    for (int i = 0; i < args.length(); i++) {
      char c = args.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        continue;
      }
      boolean wordStart = i == 0 || Character.isWhitespace(args.charAt(i - 1));
      if (c == '<' && wordStart && args.startsWith("<<", i)) {
        Matcher m = HEREDOC.matcher(args);
        m.region(i, args.length());
        if (m.lookingAt()) {
          found.add(m.toMatchResult());
          i = m.end() - 1;
        }
      }
    }
    return found;
  }

  private static boolean continues(String line, char escape) {
    String s = stripTrailing(line);
    return !s.isEmpty() && s.charAt(s.length() - 1) == escape;
  }

  private static String dropContinuation(String line, char escape) {
    String s = stripTrailing(line);
    return s.substring(0, s.length() - 1);
  }

  private static String stripLeading(String s) {
    int i = 0;
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return s.substring(i);
  }

  private static String stripTrailing(String s) {
    int i = s.length();
    while (i > 0 && (s.charAt(i - 1) == ' ' || s.charAt(i - 1) == '\t')) {
      i--;
    }
    return s.substring(0, i);
  }

  private static int firstWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** End of the first word, skipping over quoted parts ({@code --mount="a b"}). */
  private static int wordEnd(String s) {
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (Character.isWhitespace(c)) {
        return i;
      }
    }
    return s.length();
  }

  private DockerfileException error(int line, String reason) {
    return new DockerfileException(file, line, reason);
  }
}
