package io.jcompose.model.load;

import io.jcompose.model.ComposeFileException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Parses YAML text into a {@link Node} tree with positions. Anchors and aliases are resolved by
 * snakeyaml-engine; merge keys ({@code <<: *base}) are applied here, as Compose does; duplicate
 * keys are rejected as go-yaml rejects them. Scalars are typed the way go-yaml v3 types plain
 * scalars (YAML 1.2 core schema), which is what Compose sees.
 */
public final class YamlReader {
  private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9_]*)|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?0[0-7]+");
  private static final Pattern FLOAT =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  private static final int MAX_ALIAS_EXPANSION = 100_000;

  private final String fileName;
  private final IdentityHashMap<org.snakeyaml.engine.v2.nodes.Node, Node> converted = new IdentityHashMap<>();
  private final IdentityHashMap<org.snakeyaml.engine.v2.nodes.Node, Boolean> inProgress = new IdentityHashMap<>();
  private int expanded;

  private YamlReader(String fileName) {
    this.fileName = fileName;
  }

  /**
   * Parses one Compose file.
   *
   * @param fileName the name used in error messages
   * @param text the file's content
   * @return the root node; an empty document gives an empty mapping
   * @throws ComposeFileException on a YAML syntax error, with file, line and column
   */
  public static Node parse(String fileName, String text) {
    List<Node> docs = parseAll(fileName, text);
    return docs.isEmpty() ? Node.MapNode.empty(new Mark(fileName, 1, 1)) : docs.getFirst();
  }

  /**
   * Parses every document of a YAML stream (Compose merges them in order).
   *
   * @param fileName the name used in error messages
   * @param text the content
   * @return the documents' roots
   * @throws ComposeFileException on a YAML syntax error
   */
  public static List<Node> parseAll(String fileName, String text) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(fileName)
            .setAllowDuplicateKeys(true)
            .setMaxAliasesForCollections(1000)
            .setCodePointLimit(64 * 1024 * 1024)
            .build();
    List<Node> out = new ArrayList<>();
    try {
      for (org.snakeyaml.engine.v2.nodes.Node n : new Compose(settings).composeAllFromString(text)) {
        out.add(new YamlReader(fileName).convert(n));
      }
    } catch (MarkedYamlEngineException e) {
      Mark m = e.getProblemMark().map(pm -> new Mark(fileName, pm.getLine() + 1, pm.getColumn() + 1)).orElse(new Mark(fileName, 0, 0));
      String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
      throw new ComposeFileException(m + ": invalid YAML: " + oneLine(problem));
    } catch (YamlEngineException e) {
      throw new ComposeFileException(fileName + ": invalid YAML: " + oneLine(e.getMessage()));
    }
    return out;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').trim();
  }

  private Mark mark(org.snakeyaml.engine.v2.nodes.Node n) {
    return n.getStartMark().map(m -> new Mark(fileName, m.getLine() + 1, m.getColumn() + 1)).orElse(new Mark(fileName, 0, 0));
  }

  private static String explicitTag(org.snakeyaml.engine.v2.nodes.Node n) {
    String t = n.getTag().getValue();
    return t.startsWith("!") && !t.startsWith("!!") ? t : null;
  }

  private Node convert(org.snakeyaml.engine.v2.nodes.Node n) {
    if (inProgress.containsKey(n)) {
      String anchor = n.getAnchor().map(a -> a.getValue()).orElse("?");
      throw new ComposeFileException(mark(n) + ": anchor \"" + anchor + "\" value contains itself");
    }
    Node done = converted.get(n);
    if (done != null) {
      // an alias: a fresh copy, since later stages edit trees in place
      expanded += size(done, MAX_ALIAS_EXPANSION - expanded + 1);
      if (expanded > MAX_ALIAS_EXPANSION) {
        throw new ComposeFileException(mark(n) + ": aliases expand to more than " + MAX_ALIAS_EXPANSION + " nodes");
      }
      return done.copy();
    }
    inProgress.put(n, Boolean.TRUE);
    Node result =
        switch (n) {
          case ScalarNode s -> scalar(s);
          case SequenceNode s -> {
            List<Node> items = new ArrayList<>();
            for (org.snakeyaml.engine.v2.nodes.Node item : s.getValue()) {
              items.add(convert(item));
            }
            yield new Node.SeqNode(items, mark(s), explicitTag(s));
          }
          case MappingNode m -> mapping(m);
          default -> throw new ComposeFileException(mark(n) + ": unsupported YAML node");
        };
    inProgress.remove(n);
    converted.put(n, result);
    return result;
  }

  /** The number of nodes in a tree, counting no further than {@code budget}. */
  private static int size(Node n, int budget) {
    int count = 1;
    switch (n) {
      case Node.MapNode m -> {
        for (Node v : m.entries().values()) {
          if (count > budget) {
            break;
          }
          count += size(v, budget - count);
        }
      }
      case Node.SeqNode s -> {
        for (Node v : s.items()) {
          if (count > budget) {
            break;
          }
          count += size(v, budget - count);
        }
      }
      case Node.Scalar s -> {}
    }
    return count;
  }

  private Node.MapNode mapping(MappingNode m) {
    LinkedHashMap<String, Node> entries = new LinkedHashMap<>();
    Map<String, Mark> keyMarks = new LinkedHashMap<>();
    List<Node.MapNode> merges = new ArrayList<>();
    for (NodeTuple t : m.getValue()) {
      org.snakeyaml.engine.v2.nodes.Node k = t.getKeyNode();
      if (!(k instanceof ScalarNode ks)) {
        throw new ComposeFileException(mark(k) + ": mapping keys must be strings");
      }
      String key = ks.getValue();
      if ("<<".equals(key) && ks.isPlain()) {
        Node v = convert(t.getValueNode());
        switch (v) {
          case Node.MapNode mm -> merges.add(mm);
          case Node.SeqNode seq -> {
            for (Node item : seq.items()) {
              if (!(item instanceof Node.MapNode mm)) {
                throw new ComposeFileException(item.mark() + ": a merge key (<<) takes a mapping or a list of mappings");
              }
              merges.add(mm);
            }
          }
          default -> throw new ComposeFileException(v.mark() + ": a merge key (<<) takes a mapping or a list of mappings");
        }
        continue;
      }
      if (entries.containsKey(key)) {
        Mark first = keyMarks.get(key);
        throw new ComposeFileException(
            mark(k) + ": mapping key \"" + key + "\" already defined at line " + first.line());
      }
      entries.put(key, convert(t.getValueNode()));
      keyMarks.put(key, mark(k));
    }
    // explicit keys win over merged ones; earlier merge sources win over later ones
    for (Node.MapNode src : merges) {
      for (Map.Entry<String, Node> e : src.entries().entrySet()) {
        if (!entries.containsKey(e.getKey())) {
          entries.put(e.getKey(), e.getValue().copy());
          keyMarks.put(e.getKey(), src.keyMark(e.getKey()));
        }
      }
    }
    return new Node.MapNode(entries, keyMarks, mark(m), explicitTag(m));
  }

  private Node.Scalar scalar(ScalarNode s) {
    String text = s.getValue();
    Mark mk = mark(s);
    String tag = explicitTag(s);
    String full = s.getTag().getValue();
    if (full.equals("tag:yaml.org,2002:str")) {
      return new Node.Scalar(text, Node.Kind.STRING, mk, null);
    }
    if (s.getScalarStyle() != ScalarStyle.PLAIN) {
      return new Node.Scalar(text, Node.Kind.STRING, mk, tag);
    }
    return new Node.Scalar(text, resolve(text), mk, tag);
  }

  /** The type go-yaml v3 gives a plain scalar. */
  static Node.Kind resolve(String text) {
    switch (text) {
      case "", "~", "null", "Null", "NULL" -> {
        return Node.Kind.NULL;
      }
      case "true", "True", "TRUE", "false", "False", "FALSE" -> {
        return Node.Kind.BOOL;
      }
      default -> {}
    }
    if (INT.matcher(text).matches()) {
      return Node.Kind.INT;
    }
    if (FLOAT.matcher(text).matches()) {
      return Node.Kind.FLOAT;
    }
    return Node.Kind.STRING;
  }
}
