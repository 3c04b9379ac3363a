package io.jcompose.runtime.image.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IgnorePatternsTest {

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "*.md|README.md|true",
      "*.md|docs/x.md|false",
      "**/*.md|docs/a/x.md|true",
      "**/*.md|x.md|true",
      "node_modules|node_modules/a/b.js|true",
      "node_modules|src/node_modules/a.js|false",
      "/secret|secret|true",
      "/secret|secret/key|true",
      "dir/../secret|secret|true",
      "./a/b/|a/b/c|true",
      "temp?|temp1|true",
      "temp?|temp12|false",
      "**|anything/at/all|true",
      "docs/**|docs/a/b|true",
      "docs/**/*.txt|docs/x.txt|true",
      "docs/**/*.txt|docs/a/b/x.txt|true",
      "[a-c].txt|b.txt|true",
      "[!a-c].txt|b.txt|false",
      "a\\*b|a*b|true",
      "a\\*b|axb|false",
  })
  void matchesLikePatternmatcher(String pattern, String path, boolean ignored) {
    assertThat(IgnorePatterns.parse(pattern).ignored(path)).isEqualTo(ignored);
  }

  @Test
  void exceptionsAndOrder() {
    IgnorePatterns p = IgnorePatterns.parse("""
        # secrets and docs
        *.md
        !README.md

        docs
        !docs/keep.md
        """);
    assertThat(p.ignored("CHANGES.md")).isTrue();
    assertThat(p.ignored("README.md")).isFalse();
    assertThat(p.ignored("docs/a.txt")).isTrue();
    assertThat(p.ignored("docs/keep.md")).isFalse();
    assertThat(p.hasExceptions()).isTrue();
    // the last matching rule wins
    IgnorePatterns late = IgnorePatterns.parse("!keep\n*\n");
    assertThat(late.ignored("keep")).isTrue();
  }

  @Test
  void whitespaceCommentsAndErrors() {
    assertThat(IgnorePatterns.parse("  secret.txt  \n#x.txt\n").ignored("secret.txt")).isTrue();
    assertThat(IgnorePatterns.parse("#x.txt\n").ignored("x.txt")).isFalse();
    assertThat(IgnorePatterns.parse("").isEmpty()).isTrue();
    assertThatThrownBy(() -> IgnorePatterns.parse("!\n")).hasMessage("illegal exclusion pattern: \"!\"");
  }

  @Test
  void cleanPath() {
    assertThat(IgnorePatterns.cleanPath("a//b/./c/..")).isEqualTo("a/b");
    assertThat(IgnorePatterns.cleanPath("/../a")).isEqualTo("/a");
    assertThat(IgnorePatterns.cleanPath("../a")).isEqualTo("../a");
    assertThat(IgnorePatterns.cleanPath("")).isEqualTo(".");
  }
}
