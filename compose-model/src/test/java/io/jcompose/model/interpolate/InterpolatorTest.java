package io.jcompose.model.interpolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.model.ComposeFileException;
import io.jcompose.model.load.Mark;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterpolatorTest {
  private final Interpolator interp = Interpolator.of(Map.of("SET", "value", "EMPTY", ""));
  private final Mark mark = new Mark("compose.yaml", 3, 12);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "$SET|value",
        "${SET}|value",
        "pre-${SET}-post|pre-value-post",
        "${UNSET:-dflt}|dflt",
        "${EMPTY:-dflt}|dflt",
        "${EMPTY-dflt}|''",
        "${UNSET-dflt}|dflt",
        "${SET:+alt}|alt",
        "${EMPTY:+alt}|''",
        "${EMPTY+alt}|alt",
        "${UNSET+alt}|''",
        "${UNSET:-${SET}}|value",
        "${UNSET:-${ALSO:-${SET}-deep}}|value-deep",
        "$$SET|$SET",
        "$${SET}|${SET}",
        "cost$|cost$",
        "$1|$1",
        "${UNSET}|''",
        "$SET$SET|valuevalue",
      })
  void substitutes(String template, String expected) {
    assertThat(interp.substitute(template, mark, "services.web.image")).isEqualTo(expected);
  }

  @Test
  void requiredVariableErrorNamesPlaceVariableAndReason() {
    assertThatThrownBy(() -> interp.substitute("${UNSET:?please set it}", mark, "services.web.image"))
        .isInstanceOf(ComposeFileException.class)
        .hasMessage("compose.yaml:3:12: services.web.image: required variable UNSET is missing a value: please set it");
    assertThatThrownBy(() -> interp.substitute("${EMPTY:?}", mark, "x")).hasMessageContaining("required variable EMPTY");
    assertThat(interp.substitute("${EMPTY?}", mark, "x")).isEmpty();
  }

  @Test
  void malformedExpressionsAreLocatedErrors() {
    for (String bad : new String[] {"${", "${SET", "${}", "${ SET}", "${SET:x}", "${1A}"}) {
      assertThatThrownBy(() -> interp.substitute(bad, mark, "services.web.image"))
          .as(bad)
          .isInstanceOf(ComposeFileException.class)
          .hasMessageStartingWith("compose.yaml:3:12: services.web.image: invalid interpolation format");
    }
  }

  @Test
  void unsetVariablesWithoutModifierAreReportedOncePerUseAsComposeWarns() {
    java.util.List<String> warned = new java.util.ArrayList<>();
    Interpolator i = Interpolator.of(Map.of("SET", "v"), warned::add);
    assertThat(i.substitute("$A ${A} ${B:-d} ${C+x} ${D-y} $SET $$E", mark, "services.a.image")).isEqualTo("  d  y v $E");
    assertThat(warned).containsExactly(Interpolator.unsetWarning("A"), Interpolator.unsetWarning("A"));
    assertThat(warned.getFirst()).isEqualTo("The \"A\" variable is not set. Defaulting to a blank string.");
  }
}
