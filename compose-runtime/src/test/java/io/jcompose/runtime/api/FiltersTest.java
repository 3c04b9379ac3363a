package io.jcompose.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FiltersTest {

    @Test
    void readsTheMapFormOfGoClientsAndTheListFormOfDockerPy() {
        Filters map = Filters.parse("{\"label\":{\"a=b\":true,\"off\":false},\"name\":{\"web\":true}}");
        Filters list = Filters.parse("{\"label\":[\"a=b\"],\"name\":[\"web\"]}");
        assertThat(map.values()).isEqualTo(list.values());
        assertThat(map.get("label")).containsExactly("a=b");
    }

    @Test
    void rejectsMalformedFiltersAndUnknownKeys() {
        assertThatThrownBy(() -> Filters.parse("[1]")).hasMessageContaining("invalid filter");
        assertThatThrownBy(() -> Filters.parse("{nope")).hasMessageContaining("invalid filter");
        assertThatThrownBy(() -> Filters.of("bogus", "x").validate(Set.of("label"))).hasMessage("invalid filter 'bogus'");
    }

    @Test
    void labelsMustAllHoldAndKeyAloneMeansExists() {
        Filters f = Filters.of("label", "com.docker.compose.project=p", "label", "com.docker.compose.config-hash");
        assertThat(f.matchLabels("label", Map.of("com.docker.compose.project", "p", "com.docker.compose.config-hash", "x"))).isTrue();
        assertThat(f.matchLabels("label", Map.of("com.docker.compose.project", "p"))).isFalse();
        assertThat(f.matchLabels("label", Map.of("com.docker.compose.project", "q", "com.docker.compose.config-hash", "x"))).isFalse();
        assertThat(Filters.NONE.matchLabels("label", null)).isTrue();
    }

    @Test
    void nameMatchesAsRegexSoTextIsASubstringAndValuesAreOred() {
        Filters f = Filters.of("name", "web", "name", "^db$");
        assertThat(f.match("name", "proj-web-1")).isTrue();
        assertThat(f.match("name", "db")).isTrue();
        assertThat(f.match("name", "db2")).isFalse();
        assertThat(Filters.of("name", "[").match("name", "x[")).isFalse();
    }

    @Test
    void negatedLabelsAndBooleans() {
        Filters f = Filters.of("label!", "keep");
        assertThat(f.matchLabelsWithNegation(Map.of("keep", ""))).isFalse();
        assertThat(f.matchLabelsWithNegation(Map.of())).isTrue();
        assertThat(Filters.of("dangling", "1").bool("dangling", false)).isTrue();
        assertThat(Filters.of("dangling", "false").bool("dangling", true)).isFalse();
        assertThatThrownBy(() -> Filters.of("dangling", "maybe").bool("dangling", false)).hasMessage("invalid filter 'dangling=maybe'");
    }

    @Test
    void writesTheMapFormRoundTrip() {
        Filters f = Filters.of("label", "a=b", "name", "x");
        assertThat(Filters.parse(f.toJson()).values()).isEqualTo(f.values());
        assertThat(Filters.NONE.toJson()).isEmpty();
    }
}
