package io.jcompose.model.normalize;

import io.jcompose.model.ComposeFileException;
import io.jcompose.model.load.Mark;
import io.jcompose.model.load.Node;
import io.jcompose.model.load.Node.MapNode;
import io.jcompose.model.load.Node.Scalar;
import io.jcompose.model.load.Node.SeqNode;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for reading and building {@link Node} trees. */
public final class Trees {
  private Trees() {}

  /** A string scalar. */
  public static Scalar str(String s, Mark m) {
    return Scalar.string(s, m);
  }

  /** A boolean scalar. */
  public static Scalar bool(boolean b, Mark m) {
    return new Scalar(Boolean.toString(b), Node.Kind.BOOL, m, null);
  }

  /** An integer scalar. */
  public static Scalar integer(long v, Mark m) {
    return new Scalar(Long.toString(v), Node.Kind.INT, m, null);
  }

  /** A sequence of string scalars. */
  public static SeqNode strings(List<String> values, Mark m) {
    List<Node> items = new ArrayList<>();
    for (String v : values) {
      items.add(str(v, m));
    }
    return new SeqNode(items, m, null);
  }

  /** The text of a scalar, or {@code null} for a non-scalar or a YAML null. */
  public static String text(Node n) {
    return n instanceof Scalar s && !s.isNull() ? s.text() : null;
  }

  /** Whether the node is a YAML null (or absent). */
  public static boolean isNull(Node n) {
    return n == null || (n instanceof Scalar s && s.isNull());
  }

  /** The mapping at a key, or {@code null}; a non-mapping is an error. */
  public static MapNode map(MapNode parent, String key, String path) {
    Node n = parent.get(key);
    if (n == null) {
      return null;
    }
    if (n instanceof MapNode m) {
      return m;
    }
    if (isNull(n)) {
      return null;
    }
    throw typeError(n, path + "." + key, "a mapping");
  }

  /** An error saying what type was expected at a path. */
  public static ComposeFileException typeError(Node n, String path, String expected) {
    return new ComposeFileException(n.mark() + ": " + path + " must be " + expected + ", not " + Node.describe(n));
  }

  /** An error at a node. */
  public static ComposeFileException error(Node n, String path, String message) {
    return new ComposeFileException(n.mark() + ": " + path + ": " + message);
  }

  /** Quotes a value for an error message. */
  public static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
