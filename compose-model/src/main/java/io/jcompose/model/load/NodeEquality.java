package io.jcompose.model.load;

import java.util.Map;

/** Structural equality of trees, ignoring positions. */
public final class NodeEquality {
  private NodeEquality() {}

  /** Whether two trees hold the same values. */
  public static boolean same(Node a, Node b) {
    return switch (a) {
      case Node.Scalar x -> b instanceof Node.Scalar y && x.kind() == y.kind() && x.text().equals(y.text());
      case Node.SeqNode x -> {
        if (!(b instanceof Node.SeqNode y) || x.items().size() != y.items().size()) {
          yield false;
        }
        for (int i = 0; i < x.items().size(); i++) {
          if (!same(x.items().get(i), y.items().get(i))) {
            yield false;
          }
        }
        yield true;
      }
      case Node.MapNode x -> {
        if (!(b instanceof Node.MapNode y) || x.entries().size() != y.entries().size()) {
          yield false;
        }
        for (Map.Entry<String, Node> e : x.entries().entrySet()) {
          Node o = y.get(e.getKey());
          if (o == null || !same(e.getValue(), o)) {
            yield false;
          }
        }
        yield true;
      }
    };
  }
}
