package io.jcompose.runtime.image.build.dockerfile;

import java.util.List;

/**
 * One instruction as written, after line continuations, comments and heredocs are resolved but
 * before its arguments are interpreted.
 *
 * @param keyword the instruction word as written ({@code run}, {@code RUN})
 * @param flags leading {@code --name=value} / {@code --name} words, in order
 * @param args the rest of the line after the flags, trimmed
 * @param heredocs here-documents that followed the line
 * @param startLine 1-based first line
 * @param endLine 1-based last line (of the instruction or its last heredoc)
 * @param text the whole instruction as one line (continuations joined)
 */
public record Node(
    String keyword,
    List<String> flags,
    String args,
    List<Heredoc> heredocs,
    int startLine,
    int endLine,
    String text) {

  /** The keyword in upper case ({@code RUN}), how instructions are matched. */
  public String command() {
    return keyword.toUpperCase(java.util.Locale.ROOT);
  }
}
