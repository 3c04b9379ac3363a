package io.jcompose.model.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.model.ComposeFileException;
import org.junit.jupiter.api.Test;

class YamlReaderTest {
  @Test
  void keepsPositionsAndTypes() {
    Node.MapNode root = (Node.MapNode) YamlReader.parse("c.yaml", "services:\n  web:\n    image: nginx\n    tty: true\n    n: 1\n    q: \"1\"\n");
    Node.MapNode web = (Node.MapNode) ((Node.MapNode) root.get("services")).get("web");
    assertThat(web.get("image").mark()).isEqualTo(new Mark("c.yaml", 3, 12));
    assertThat(web.keyMark("tty")).isEqualTo(new Mark("c.yaml", 4, 5));
    assertThat(((Node.Scalar) web.get("tty")).kind()).isEqualTo(Node.Kind.BOOL);
    assertThat(((Node.Scalar) web.get("n")).kind()).isEqualTo(Node.Kind.INT);
    assertThat(((Node.Scalar) web.get("q")).kind()).isEqualTo(Node.Kind.STRING);
  }

  @Test
  void appliesMergeKeysWithExplicitKeysWinning() {
    Node.MapNode root = (Node.MapNode) YamlReader.parse("c.yaml", "base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\n");
    Node.MapNode x = (Node.MapNode) root.get("x");
    assertThat(((Node.Scalar) x.get("a")).text()).isEqualTo("1");
    assertThat(((Node.Scalar) x.get("b")).text()).isEqualTo("3");
  }

  @Test
  void keepsResetAndOverrideTags() {
    Node.MapNode root = (Node.MapNode) YamlReader.parse("c.yaml", "a: !reset []\nb: !override {x: 1}\n");
    assertThat(root.get("a").tag()).isEqualTo("!reset");
    assertThat(root.get("b").tag()).isEqualTo("!override");
  }

  @Test
  void errorsAreLocated() {
    assertThatThrownBy(() -> YamlReader.parse("c.yaml", "a: 1\na: 2\n"))
        .isInstanceOf(ComposeFileException.class)
        .hasMessage("c.yaml:2:1: mapping key \"a\" already defined at line 1");
    assertThatThrownBy(() -> YamlReader.parse("c.yaml", "a:\n  b: 1\n c: 2\n"))
        .isInstanceOf(ComposeFileException.class)
        .hasMessageStartingWith("c.yaml:3:")
        .hasMessageNotContaining("\n");
  }

  @Test
  void billionLaughsIsStopped() {
    StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; c++) {
      y.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 10; i++) {
        y.append(i == 0 ? "" : ", ").append('*').append(prev);
      }
      y.append("]\n");
      prev = c;
    }
    assertThatThrownBy(() -> YamlReader.parse("c.yaml", y.toString())).isInstanceOf(ComposeFileException.class);
  }
}
