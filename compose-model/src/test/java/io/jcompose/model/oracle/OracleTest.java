package io.jcompose.model.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares {@code jcompose config} with the real {@code docker compose config} (Compose 2.26.1,
 * Debian 13's package, fetched by {@code scripts/get-compose-v2}) on every case of the corpus in
 * {@code src/test/resources/oracle/}: valid projects must print identically, invalid ones must be
 * rejected by both (ours with a one-line message). See {@link OracleCase} for the case layout and
 * the (minimal) normalisation.
 */
class OracleTest {
  static final Path BINARY =
      Path.of(System.getenv().getOrDefault("JCOMPOSE_TOOLS", "/var/cache/jcompose-tools"), "docker-compose");

  @TestFactory
  Stream<DynamicTest> corpus() throws IOException {
    Assumptions.assumeTrue(
        Files.isExecutable(BINARY), "docker compose v2 oracle not found at " + BINARY + ": run scripts/get-compose-v2");
    Path root = Path.of("src/test/resources/oracle");
    List<OracleCase> cases = OracleCase.all(root);
    assertThat(cases).as("oracle corpus").isNotEmpty();
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
  }

  private static void run(OracleCase c) throws Exception {
    Path tmp = Files.createTempDirectory("oracle");
    try {
      Path dir = c.stage(tmp);
      OracleCase.Result theirs = c.oracle(BINARY, dir);
      OracleCase.Result ours = c.ours(dir);
      if (c.invalid()) {
        assertThat(theirs.ok()).as("docker compose must reject %s (it printed:%n%s)", c.name(), theirs.output()).isFalse();
        assertThat(ours.ok()).as("jcompose must reject %s (docker compose said: %s)", c.name(), theirs.output()).isFalse();
        assertThat(ours.output()).as("one-line error").doesNotContain("\n").isNotBlank();
      } else {
        assertThat(theirs.ok()).as("docker compose must accept %s: %s", c.name(), theirs.output()).isTrue();
        assertThat(ours.ok()).as("jcompose must accept %s: %s", c.name(), ours.output()).isTrue();
        if (!ours.output().equals(theirs.output())) {
          org.junit.jupiter.api.Assertions.fail(c.name() + ": output differs (-docker compose, +jcompose):\n" + LineDiff.diff(theirs.output(), ours.output()));
        }
      }
    } finally {
      OracleCase.deleteTree(tmp);
    }
  }
}
