package io.jcompose.runtime.image.build.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a build's Dockerfile comes from: compose's {@code dockerfile:} (relative to the
 * context, or absolute), {@code dockerfile_inline:}, or the context's {@code Dockerfile}
 * (falling back to {@code dockerfile}, as the docker CLI does).
 *
 * @param name the name errors use ({@code Dockerfile}, {@code docker/app.Dockerfile})
 * @param path the file, or null for an inline Dockerfile
 * @param text its content
 */
public record DockerfileSource(String name, Path path, String text) {

  /**
   * @param context the context directory
   * @param dockerfile compose {@code dockerfile:} / {@code -f}, or null
   * @param inline compose {@code dockerfile_inline:}, or null
   */
  public static DockerfileSource resolve(Path context, String dockerfile, String inline) {
    if (inline != null) {
      if (dockerfile != null) {
        throw new ContextException("dockerfile and dockerfile_inline are mutually exclusive");
      }
      return new DockerfileSource("Dockerfile", null, inline);
    }
    Path file;
    String name;
    if (dockerfile != null) {
      file = context.resolve(dockerfile);
      name = dockerfile;
    } else {
      file = context.resolve("Dockerfile");
      name = "Dockerfile";
      if (!Files.exists(file) && Files.exists(context.resolve("dockerfile"))) {
        file = context.resolve("dockerfile");
        name = "dockerfile";
      }
    }
    if (!Files.isRegularFile(file)) {
      throw new ContextException("failed to read dockerfile: open " + name + ": no such file or directory");
    }
    try {
      return new DockerfileSource(name, file, Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ContextException("failed to read dockerfile: " + e.getMessage());
    }
  }
}
