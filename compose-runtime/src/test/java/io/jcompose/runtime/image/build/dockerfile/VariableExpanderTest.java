package io.jcompose.runtime.image.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VariableExpanderTest {
  private final Map<String, String> env = new HashMap<>(Map.of("A", "apple", "EMPTY", "", "P", "/usr/bin"));
  private final VariableExpander ex = new VariableExpander('\\');

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      "$A|apple",
      "${A}|apple",
      "x${A}y|xappley",
      "$Ax|''",
      "${NOPE}|''",
      "${NOPE:-def}|def",
      "${EMPTY:-def}|def",
      "${EMPTY-def}|''",
      "${NOPE-def}|def",
      "${A:-def}|apple",
      "${A:+alt}|alt",
      "${EMPTY:+alt}|''",
      "${EMPTY+alt}|alt",
      "${NOPE+alt}|''",
      "${NOPE:-${A}}|apple",
      "${NOPE:-a b}|a b",
      "'$A'|$A",
      "\"$A b\"|apple b",
      "\\$A|$A",
      "\"\\$A\"|$A",
      "\"a\\b\"|a\\b",
      "a\\ b|a b",
      "$|$",
      "a$ b|a$ b",
      "${P}/x|/usr/bin/x",
      "$1|''",
  })
  void expandsLikeBuildKit(String in, String out) {
    assertThat(ex.expand(in, env::get)).isEqualTo(out.equals("''") ? "" : out);
  }

  @Test
  void backtickEscape() {
    assertThat(new VariableExpander('`').expand("`$A\\x", env::get)).isEqualTo("$A\\x");
  }

  @Test
  void requiredVariable() {
    assertThatThrownBy(() -> ex.expand("${NOPE:?must be set}", env::get)).hasMessage("NOPE: must be set");
    assertThat(ex.expand("${A?x}", env::get)).isEqualTo("apple");
  }

  @Test
  void malformed() {
    assertThatThrownBy(() -> ex.expand("${A", env::get)).hasMessageContaining("missing '}'");
    assertThatThrownBy(() -> ex.expand("'abc", env::get)).hasMessageContaining("single-quote");
    assertThatThrownBy(() -> ex.expand("${A%x}", env::get)).hasMessageContaining("unsupported modifier");
  }

  @Test
  void wordsSplitOnUnquotedWhitespaceOnly() {
    assertThat(ex.expandWords("a \"b c\" $A '$A d'", env::get)).containsExactly("a", "b c", "apple", "$A d");
  }
}
