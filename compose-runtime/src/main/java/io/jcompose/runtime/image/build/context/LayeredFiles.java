package io.jcompose.runtime.image.build.context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The merged filesystem of stacked overlay lower directories (top first), read the way
 * overlayfs shows it: the topmost entry of a name wins, a 0/0 character device (whiteout)
 * hides the name below, an opaque directory hides the lower layers' content. The source of
 * {@code COPY --from=<stage or image>}.
 */
public final class LayeredFiles implements FileSource {
  private final List<Path> topFirst;
  private final String what;

  /**
   * @param topFirst snapshot directories, top layer first
   * @param what how errors name it ({@code stage builder}, {@code image nginx:1})
   */
  public LayeredFiles(List<Path> topFirst, String what) {
    this.topFirst = List.copyOf(topFirst);
    this.what = what;
  }

  /** The visible entries of a directory ({@code ""} is the root), by name, sorted. */
  Map<String, Path> list(String rel) {
    Map<String, Path> seen = new LinkedHashMap<>();
    for (Path layer : topFirst) {
      Path dir = rel.isEmpty() ? layer : layer.resolve(rel);
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        break; // a file here replaces the directory of the layers below
      }
      try (Stream<Path> s = Files.list(dir)) {
        for (Path child : s.toList()) {
          String name = child.getFileName().toString();
          if (!seen.containsKey(name)) { // a null value (whiteout) must stick too
            seen.put(name, isWhiteout(child) ? null : child);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (!rel.isEmpty() && isOpaque(dir)) {
        break;
      }
    }
    Map<String, Path> out = new java.util.TreeMap<>();
    seen.forEach((k, v) -> {
      if (v != null) {
        out.put(k, v);
      }
    });
    return out;
  }

  /**
   * The file that shows at a path (absolute or relative to the root) in the merged view: the
   * topmost layer's entry, unless a whiteout or opaque directory hides it.
   */
  public java.util.Optional<Path> entry(String path) {
    return java.util.Optional.ofNullable(find(PathNames.clean("/" + path).substring(1)));
  }

  /** The visible entry at a cleaned relative path, or null. */
  private Path find(String rel) {
    if (rel.isEmpty()) {
      return topFirst.isEmpty() ? null : topFirst.getFirst();
    }
    int slash = rel.lastIndexOf('/');
    String parent = slash < 0 ? "" : rel.substring(0, slash);
    if (!parent.isEmpty()) {
      Path p = find(parent);
      if (p == null || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
    }
    return list(parent).get(slash < 0 ? rel : rel.substring(slash + 1));
  }

  @Override
  public List<ContextFile> select(String source) {
    String clean = PathNames.clean("/" + source).substring(1);
    List<ContextFile> out = new ArrayList<>();
    if (clean.contains("*") || clean.contains("?") || clean.contains("[")) {
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + clean);
      int depth = clean.split("/").length;
      walk("", 1, depth, (rel, p) -> {
        if (m.matches(Path.of(rel))) {
          boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
          addTree(p, rel, dir ? "" : rel.substring(rel.lastIndexOf('/') + 1), out);
        }
      });
      out.sort(Comparator.comparing(ContextFile::name));
    } else {
      Path p = find(clean);
      if (p != null) {
        addTree(p, clean, "", out);
      }
    }
    if (out.isEmpty()) {
      throw new ContextException("\"" + source + "\": not found in " + what);
    }
    return out;
  }

  private interface Visitor {
    void visit(String rel, Path p);
  }

  private void walk(String rel, int level, int maxLevel, Visitor v) {
    for (Map.Entry<String, Path> e : list(rel).entrySet()) {
      String childRel = rel.isEmpty() ? e.getKey() : rel + "/" + e.getKey();
      if (level == maxLevel) {
        v.visit(childRel, e.getValue());
      } else if (Files.isDirectory(e.getValue(), LinkOption.NOFOLLOW_LINKS)) {
        walk(childRel, level + 1, maxLevel, v);
      }
    }
  }

  private void addTree(Path p, String rel, String name, List<ContextFile> out) {
    ContextFile top = BuildContext.describe(p, name);
    out.add(top);
    if (top.type() == ContextFile.Type.DIRECTORY) {
      for (Map.Entry<String, Path> e : list(rel).entrySet()) {
        addTree(e.getValue(), rel.isEmpty() ? e.getKey() : rel + "/" + e.getKey(),
            name.isEmpty() ? e.getKey() : name + "/" + e.getKey(), out);
      }
    }
  }

  private static boolean isWhiteout(Path p) {
    try {
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
          || Files.isSymbolicLink(p)) {
        return false;
      }
      int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return (mode & 0170000) == 0020000 && (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS) == 0L;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isOpaque(Path dir) {
    try {
      return io.jcompose.runtime.image.unpack.OverlayAttributes.isOpaque(dir);
    } catch (IOException e) {
      return false; // no trusted.* access (not root): nothing can be opaque then
    }
  }
}
