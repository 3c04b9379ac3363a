package io.jcompose.model.interpolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.model.ComposeFileException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DotEnvTest {
  @Test
  void parsesComposeDotEnvSyntax() {
    String text =
        """
        # comment
        A=1
        export B=two words
        C="double \\"quoted\\"\\nnext"
        D='single ${A}'
        E=${A}-expanded
        F=value # trailing comment
        G=
        FROM_SHELL
        H: yaml style
        """;
    Map<String, String> vars = DotEnv.parse(".env", text, Map.of("FROM_SHELL", "shell")::get);
    assertThat(vars)
        .containsEntry("A", "1")
        .containsEntry("B", "two words")
        .containsEntry("C", "double \"quoted\"\nnext")
        .containsEntry("D", "single ${A}")
        .containsEntry("E", "1-expanded")
        .containsEntry("F", "value")
        .containsEntry("G", "")
        .containsEntry("FROM_SHELL", "shell")
        .containsEntry("H", "yaml style");
  }

  @Test
  void unterminatedQuoteIsLocated() {
    assertThatThrownBy(() -> DotEnv.parse("app.env", "A=1\nB=\"open\n", k -> null))
        .isInstanceOf(ComposeFileException.class)
        .hasMessageStartingWith("app.env:2:1: unterminated quoted value for B");
  }
}
