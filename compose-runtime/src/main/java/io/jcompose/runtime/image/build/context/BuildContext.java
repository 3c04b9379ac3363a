package io.jcompose.runtime.image.build.context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A build context: a local directory seen through its {@code .dockerignore}. COPY/ADD sources
 * are resolved here ({@link #select}) and summarised by content ({@link #checksum}) for cache
 * keys: names, kinds, modes, owners, sizes, link targets and content hashes — never mtimes, so
 * touching a file or checking it out again does not invalidate the cache.
 */
public final class BuildContext implements FileSource {
  private final Path root;
  private final IgnorePatterns ignore;
  /** Content hashes keyed by path, size and mtime: mtime only decides whether to re-hash. */
  private final Map<String, String> hashCache = new ConcurrentHashMap<>();

  /**
   * @param root the context directory
   * @param ignore its ignore rules ({@link #ignoreFileFor})
   */
  public BuildContext(Path root, IgnorePatterns ignore) {
    this.root = root.toAbsolutePath().normalize();
    this.ignore = ignore;
  }

  /**
   * Opens a context directory with the ignore file BuildKit would use: {@code
   * <dockerfile-name>.dockerignore} next to the Dockerfile if present, else the context's
   * {@code .dockerignore}.
   *
   * @param dockerfile the Dockerfile's path, or null (inline Dockerfile)
   */
  public static BuildContext open(Path root, Path dockerfile) {
    if (!Files.isDirectory(root)) {
      throw new ContextException("unable to prepare context: path \"" + root + "\" not found");
    }
    Path ignoreFile = ignoreFileFor(root, dockerfile);
    IgnorePatterns patterns = IgnorePatterns.none();
    if (ignoreFile != null) {
      try {
        patterns = IgnorePatterns.parse(Files.readString(ignoreFile, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new ContextException(ignoreFile + ": " + e.getMessage());
      } catch (IOException e) {
        throw new ContextException(ignoreFile + ": " + e.getMessage());
      }
    }
    return new BuildContext(root, patterns);
  }

  /** The ignore file that applies, or null. */
  static Path ignoreFileFor(Path root, Path dockerfile) {
    if (dockerfile != null) {
      Path specific = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
      if (Files.isRegularFile(specific)) {
        return specific;
      }
    }
    Path general = root.resolve(".dockerignore");
    return Files.isRegularFile(general) ? general : null;
  }

  /** The context directory. */
  public Path root() {
    return root;
  }

  /** The ignore rules in force. */
  public IgnorePatterns ignore() {
    return ignore;
  }

  /**
   * The files a COPY/ADD source selects, sorted by name: a file, a directory's whole content
   * (the directory itself first, named {@code ""}), or every match of a wildcard in the last
   * path segments ({@code *}, {@code ?}, {@code [..]}, as Go's {@code filepath.Match}).
   * Ignored files are left out; a source that selects nothing is an error.
   */
  @Override
  public List<ContextFile> select(String source) {
    String clean = IgnorePatterns.cleanPath("/" + source).substring(1); // ".." cannot climb out
    if (clean.isEmpty()) {
      clean = ".";
    }
    List<ContextFile> out = new ArrayList<>();
    if (hasWildcard(clean)) {
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + clean.replace("**", "*"));
      walk(root, "", (rel, abs) -> {
        if (m.matches(Path.of(rel))) {
          // a matched file keeps its base name; a matched directory gives its content
          boolean isDir = Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS);
          addTree(abs, rel, isDir ? "" : rel.substring(rel.lastIndexOf('/') + 1), out);
          return false; // a matched directory's content is added whole
        }
        return true;
      });
      out.sort(java.util.Comparator.comparing(ContextFile::name));
    } else {
      Path abs = clean.equals(".") ? root : root.resolve(clean);
      String rel = clean.equals(".") ? "" : clean;
      boolean dir = Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS);
      if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)
          || !rel.isEmpty() && ignore.ignored(rel) && !(dir && ignore.hasExceptions())) {
        throw notFound(source);
      }
      addTree(abs, rel, "", out);
    }
    if (out.isEmpty()) {
      throw notFound(source);
    }
    return out;
  }

  private static ContextException notFound(String source) {
    return new ContextException("\"" + source + "\": not found in build context or excluded by .dockerignore");
  }

  /**
   * A digest over what the sources select: the cache key input for COPY/ADD. Same content,
   * names, modes and owners give the same digest whatever the mtimes.
   */
  public String checksum(List<String> sources) {
    MessageDigest d = sha256();
    for (String s : sources) {
      update(d, "source " + s + "\n");
      for (ContextFile f : select(s)) {
        update(d, f.type() + " " + f.name() + " " + Integer.toOctalString(f.mode()) + " " + f.uid() + ":" + f.gid());
        switch (f.type()) {
          case FILE -> update(d, " " + f.size() + " " + contentHash(f));
          case SYMLINK -> update(d, " -> " + f.linkTarget());
          case DIRECTORY -> {}
        }
        update(d, "\n");
      }
    }
    return "sha256:" + HexFormat.of().formatHex(d.digest());
  }

  /** sha256 of a file's content, remembered while its size and mtime stay the same. */
  public String contentHash(ContextFile f) {
    try {
      var attrs = Files.readAttributes(f.path(), java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      String key = f.path() + "\0" + attrs.size() + "\0" + attrs.lastModifiedTime().toMillis() + "\0" + attrs.fileKey();
      return hashCache.computeIfAbsent(key, k -> hashFile(f.path()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hashFile(Path p) {
    MessageDigest d = sha256();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      for (int r; (r = in.read(buf)) > 0; ) {
        d.update(buf, 0, r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /** Adds a file, or a directory and everything under it that is not ignored. */
  private void addTree(Path abs, String rel, String name, List<ContextFile> out) {
    ContextFile top = describe(abs, name);
    out.add(top);
    if (top.type() != ContextFile.Type.DIRECTORY) {
      return;
    }
    List<ContextFile> below = new ArrayList<>();
    walk(abs, rel, (childRel, childAbs) -> {
      String childName = rel.isEmpty() ? childRel : childRel.substring(rel.length() + 1);
      below.add(describe(childAbs, name.isEmpty() ? childName : name + "/" + childName));
      return true;
    });
    below.sort(java.util.Comparator.comparing(ContextFile::name));
    out.addAll(below);
  }

  @FunctionalInterface
  private interface Visitor {
    /** @return whether to descend into this directory */
    boolean visit(String rel, Path abs);
  }

  /** Walks below dir (rel is its name relative to the root), skipping ignored entries. */
  private void walk(Path dir, String rel, Visitor v) {
    List<Path> children;
    try (Stream<Path> s = Files.list(dir)) {
      children = s.sorted().toList();
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path child : children) {
      String childRel = rel.isEmpty() ? child.getFileName().toString() : rel + "/" + child.getFileName();
      boolean dir2 = Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
      if (ignore.ignored(childRel)) {
        // an ignored directory may still hold exceptions ("!dir/keep")
        if (dir2 && ignore.hasExceptions()) {
          walk(child, childRel, v);
        }
        continue;
      }
      if (v.visit(childRel, child) && dir2) {
        walk(child, childRel, v);
      }
    }
  }

  static ContextFile describe(Path p, String name) {
    try {
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,isDirectory,isSymbolicLink", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode") & 07777;
      ContextFile.Type type = (Boolean) a.get("isSymbolicLink") ? ContextFile.Type.SYMLINK
          : (Boolean) a.get("isDirectory") ? ContextFile.Type.DIRECTORY : ContextFile.Type.FILE;
      String link = type == ContextFile.Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
      return new ContextFile(p, name, type, mode, (Integer) a.get("uid"), (Integer) a.get("gid"),
          type == ContextFile.Type.FILE ? (Long) a.get("size") : 0, link);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean hasWildcard(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void update(MessageDigest d, String s) {
    d.update(s.getBytes(StandardCharsets.UTF_8));
  }
}
