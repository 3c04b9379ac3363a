package io.jcompose.model.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.model.load.Node;
import io.jcompose.model.load.YamlReader;
import io.jcompose.model.normalize.Trees;
import io.jcompose.model.normalize.Unicity;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergerTest {
  private static Node.MapNode service(Node root) {
    return (Node.MapNode) ((Node.MapNode) ((Node.MapNode) root).get("services")).get("web");
  }

  private static List<String> texts(Node n) {
    return ((Node.SeqNode) n).items().stream().map(Trees::text).toList();
  }

  @Test
  void mergesLikeCompose() {
    Node base = YamlReader.parse("a.yaml", "services:\n  web:\n    image: a\n    environment: {A: '1', B: '2'}\n    command: [x, y]\n    cap_add: [A]\n");
    Node over = YamlReader.parse("b.yaml", "services:\n  web:\n    image: b\n    environment: [B=3]\n    command: [z]\n    cap_add: [B, A]\n");
    Node.MapNode merged = (Node.MapNode) Merger.merge(base, over);
    Unicity.apply(merged);
    Node.MapNode web = service(merged);
    assertThat(Trees.text(web.get("image"))).isEqualTo("b");
    assertThat(texts(web.get("environment"))).containsExactly("A=1", "B=3");
    assertThat(texts(web.get("command"))).containsExactly("z");
    assertThat(texts(web.get("cap_add"))).containsExactly("A", "B");
  }

  @Test
  void resetAndOverrideTags() {
    Node base = YamlReader.parse("a.yaml", "services:\n  web:\n    ports: ['80:80']\n    labels: {a: b}\n    dns: [1.1.1.1]\n");
    Node over = YamlReader.parse("b.yaml", "services:\n  web:\n    ports: !reset []\n    labels: !override {c: d}\n");
    Node.MapNode web = service(Merger.merge(base, over));
    assertThat(web.get("ports")).isNull();
    assertThat(((Node.MapNode) web.get("labels")).entries().keySet()).containsExactly("c");
    assertThat(web.get("dns")).isNotNull();
  }
}
