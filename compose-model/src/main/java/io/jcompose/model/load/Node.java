package io.jcompose.model.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw Compose tree every loader stage works on: mappings, sequences and scalars, each with
 * the position it came from. Stages build new trees or edit their own copies ({@link #copy()});
 * the tree never leaves the loader.
 */
public sealed interface Node {
  /** Where the node starts. */
  Mark mark();

  /** The explicit YAML tag ({@code !reset}, {@code !override}) or {@code null}. */
  String tag();

  /** A deep copy (merge and extends edit copies, never the parsed original). */
  Node copy();

  /** A deep copy with another tag. */
  Node withTag(String newTag);

  /**
   * A mapping. Keys are strings (YAML keys are converted to their text).
   *
   * @param entries the entries, in file order
   * @param keyMarks where each key is written
   * @param mark where the mapping starts
   * @param tag explicit tag or {@code null}
   */
  record MapNode(LinkedHashMap<String, Node> entries, Map<String, Mark> keyMarks, Mark mark, String tag) implements Node {
    /** An empty mapping at that mark. */
    public static MapNode empty(Mark mark) {
      return new MapNode(new LinkedHashMap<>(), new LinkedHashMap<>(), mark, null);
    }

    /** The value of a key, or {@code null}. */
    public Node get(String key) {
      return entries.get(key);
    }

    /** Sets a key (keeping its position if present). */
    public void put(String key, Node value) {
      entries.put(key, value);
      keyMarks.putIfAbsent(key, value.mark());
    }

    /** Where the key is written (falls back to the map). */
    public Mark keyMark(String key) {
      return keyMarks.getOrDefault(key, mark);
    }

    @Override
    public MapNode copy() {
      LinkedHashMap<String, Node> e = new LinkedHashMap<>();
      entries.forEach((k, v) -> e.put(k, v.copy()));
      return new MapNode(e, new LinkedHashMap<>(keyMarks), mark, tag);
    }

    @Override
    public MapNode withTag(String newTag) {
      MapNode c = copy();
      return new MapNode(c.entries, c.keyMarks, mark, newTag);
    }
  }

  /**
   * A sequence.
   *
   * @param items the items
   * @param mark where it starts
   * @param tag explicit tag or {@code null}
   */
  record SeqNode(List<Node> items, Mark mark, String tag) implements Node {
    @Override
    public SeqNode copy() {
      List<Node> c = new ArrayList<>(items.size());
      items.forEach(i -> c.add(i.copy()));
      return new SeqNode(c, mark, tag);
    }

    @Override
    public SeqNode withTag(String newTag) {
      return new SeqNode(copy().items, mark, newTag);
    }
  }

  /**
   * A scalar with its resolved YAML type.
   *
   * @param text the text as written (for a null, empty)
   * @param kind the resolved type
   * @param mark where it is written
   * @param tag explicit tag or {@code null}
   */
  record Scalar(String text, Kind kind, Mark mark, String tag) implements Node {
    /** A string scalar. */
    public static Scalar string(String text, Mark mark) {
      return new Scalar(text, Kind.STRING, mark, null);
    }

    /** A null scalar. */
    public static Scalar nul(Mark mark) {
      return new Scalar("", Kind.NULL, mark, null);
    }

    /** Whether this is a YAML null. */
    public boolean isNull() {
      return kind == Kind.NULL;
    }

    @Override
    public Scalar copy() {
      return this;
    }

    @Override
    public Scalar withTag(String newTag) {
      return new Scalar(text, kind, mark, newTag);
    }
  }

  /** The resolved type of a scalar. */
  enum Kind {
    STRING,
    INT,
    FLOAT,
    BOOL,
    NULL
  }

  /** A short name of the node's type for error messages ("a mapping", "a string", ...). */
  static String describe(Node n) {
    return switch (n) {
      case MapNode m -> "a mapping";
      case SeqNode s -> "a list";
      case Scalar s -> switch (s.kind()) {
        case STRING -> "a string";
        case INT -> "a number";
        case FLOAT -> "a number";
        case BOOL -> "a boolean";
        case NULL -> "null";
      };
    };
  }
}
