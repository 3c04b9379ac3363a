package io.jcompose.model.normalize;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code command}/{@code entrypoint} string into words the way Compose does (POSIX-like:
 * whitespace separates, single quotes are literal, double quotes allow backslash escapes).
 */
public final class ShellWords {
  private ShellWords() {}

  /**
   * Splits a command line.
   *
   * @throws IllegalArgumentException on an unterminated quote
   */
  public static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          cur.append(c);
        }
        continue;
      }
      if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\' && i + 1 < line.length() && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
          cur.append(line.charAt(++i));
        } else {
          cur.append(c);
        }
        continue;
      }
      switch (c) {
        case ' ', '\t', '\n', '\r' -> {
          if (inWord) {
            words.add(cur.toString());
            cur.setLength(0);
            inWord = false;
          }
        }
        case '\'', '"' -> {
          quote = c;
          inWord = true;
        }
        case '\\' -> {
          inWord = true;
          if (i + 1 < line.length()) {
            cur.append(line.charAt(++i));
          }
        }
        default -> {
          inWord = true;
          cur.append(c);
        }
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unterminated quote in \"" + line + "\"");
    }
    if (inWord) {
      words.add(cur.toString());
    }
    return words;
  }
}
