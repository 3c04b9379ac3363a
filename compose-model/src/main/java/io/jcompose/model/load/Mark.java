package io.jcompose.model.load;

/**
 * A position in a Compose file, for error messages.
 *
 * @param file the file as the user named it (or {@code -} for stdin)
 * @param line 1-based line
 * @param column 1-based column
 */
public record Mark(String file, int line, int column) {
  /** A mark for values that come from no file (defaults, command-line options). */
  public static final Mark NONE = new Mark("", 0, 0);

  @Override
  public String toString() {
    return line == 0 ? file : file + ":" + line + ":" + column;
  }
}
