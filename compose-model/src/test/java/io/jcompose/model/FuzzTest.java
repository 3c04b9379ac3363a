package io.jcompose.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.model.print.ConfigPrinter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutates the valid files of the oracle corpus (characters inserted, deleted or replaced, lines
 * deleted, duplicated, swapped or re-indented) and loads each mutant: the outcome must be a
 * project that prints, or a {@link ComposeFileException} with a one-line message; never another
 * exception, and never more than a few seconds for one file. Seeded, so failures reproduce.
 */
class FuzzTest {
  private static final int CASES = 10_000;
  private static final long SEED = 20261123L;
  private static final String ALPHABET = ":-[]{}\"'&*!#$%|>?,. \t\n0123456789abcxyz=\\/~<@`";

  @TempDir Path cwd;

  @Test
  void mutantsLoadOrFailWithALocatedMessage() throws Exception {
    List<String> seeds = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/test/resources/oracle"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
        if (!f.toString().contains("/invalid-")) {
          seeds.add(Files.readString(f));
        }
      }
    }
    assertThat(seeds).hasSizeGreaterThan(50);
    Random random = new Random(SEED);
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz");
      t.setDaemon(true);
      return t;
    });
    int projects = 0;
    int rejected = 0;
    try {
      for (int i = 0; i < CASES; i++) {
        String input = mutate(seeds.get(random.nextInt(seeds.size())), random);
        Future<Boolean> outcome = worker.submit(() -> loadOnce(input));
        boolean ok;
        try {
          ok = outcome.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          outcome.cancel(true);
          throw new AssertionError("case " + i + " took more than 10 s (seed " + SEED + "):\n" + input);
        } catch (java.util.concurrent.ExecutionException e) {
          throw new AssertionError("case " + i + " threw " + e.getCause() + " (seed " + SEED + "):\n" + input, e.getCause());
        }
        if (ok) {
          projects++;
        } else {
          rejected++;
        }
      }
    } finally {
      worker.shutdownNow();
    }
    assertThat(projects + rejected).isEqualTo(CASES);
    // the mutations must exercise both outcomes, or the test proves little
    assertThat(projects).isGreaterThan(CASES / 20);
    assertThat(rejected).isGreaterThan(CASES / 20);
  }

  private boolean loadOnce(String input) {
    LoadOptions o =
        LoadOptions.defaults()
            .withEnvironment(Map.of("HOME", "/nonexistent", "SET", "value"))
            .withCurrentDirectory(cwd)
            .withProjectName("fuzz")
            .withFiles(List.of("-"))
            .withStdin(() -> input);
    try {
      Project p = ProjectLoader.load(o);
      ConfigPrinter.yaml(p);
      ConfigPrinter.json(p);
      return true;
    } catch (ComposeFileException e) {
      String m = e.getMessage();
      if (m == null || m.isBlank() || m.contains("\n")) {
        throw new IllegalStateException("error message is not one line: " + m);
      }
      return false;
    }
  }

  static String mutate(String text, Random r) {
    StringBuilder s = new StringBuilder(text);
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits && !s.isEmpty(); e++) {
      int at = r.nextInt(s.length());
      switch (r.nextInt(7)) {
        case 0 -> s.deleteCharAt(at);
        case 1 -> s.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        case 2 -> s.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        default -> {
          List<String> lines = new ArrayList<>(List.of(s.toString().split("\n", -1)));
          int l = r.nextInt(lines.size());
          switch (r.nextInt(4)) {
            case 0 -> lines.remove(l);
            case 1 -> lines.add(l, lines.get(l));
            case 2 -> {
              int m = r.nextInt(lines.size());
              String tmp = lines.get(l);
              lines.set(l, lines.get(m));
              lines.set(m, tmp);
            }
            default -> lines.set(l, (r.nextBoolean() ? "  " : "") + lines.get(l).replaceFirst("^  ", r.nextBoolean() ? "" : "  "));
          }
          s = new StringBuilder(String.join("\n", lines));
        }
      }
    }
    return s.toString();
  }

}
