package io.jcompose.runtime.image.build.dockerfile;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed Dockerfile.
 *
 * @param file the name errors use ({@code Dockerfile}, {@code docker/app.Dockerfile})
 * @param directives parser directives
 * @param metaArgs ARGs before the first FROM (usable in FROM lines only)
 * @param stages the stages in order; never empty
 */
public record Dockerfile(
    String file, Directives directives, List<Instruction.Arg> metaArgs, List<Stage> stages) {
  public Dockerfile {
    metaArgs = List.copyOf(metaArgs);
    stages = List.copyOf(stages);
  }

  /** The stage called {@code nameOrIndex} ({@code AS} name, case-insensitive, or its index). */
  public Optional<Stage> stage(String nameOrIndex) {
    String key = nameOrIndex.toLowerCase(Locale.ROOT);
    for (Stage s : stages) {
      if (key.equals(s.name())) {
        return Optional.of(s);
      }
    }
    if (key.matches("\\d+")) {
      int i = Integer.parseInt(key);
      if (i < stages.size()) {
        return Optional.of(stages.get(i));
      }
    }
    return Optional.empty();
  }
}
