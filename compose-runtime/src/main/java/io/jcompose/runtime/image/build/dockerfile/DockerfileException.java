package io.jcompose.runtime.image.build.dockerfile;

/**
 * A Dockerfile that cannot be parsed or resolved. The message names the file and line the way a
 * compiler does ({@code Dockerfile:7: unknown instruction: RUNN}), so it can be shown to users
 * as one line.
 */
public final class DockerfileException extends RuntimeException {
  private final String file;
  private final int line;
  private final String reason;

  /**
   * @param file the Dockerfile's name as the user gave it
   * @param line 1-based line, or 0 when the problem is not tied to a line
   * @param reason what is wrong, in BuildKit's wording where it has one
   */
  public DockerfileException(String file, int line, String reason) {
    super(line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  /** The Dockerfile's name. */
  public String file() {
    return file;
  }

  /** 1-based line of the offending instruction, 0 if none. */
  public int line() {
    return line;
  }

  /** The message without the location. */
  public String reason() {
    return reason;
  }
}
