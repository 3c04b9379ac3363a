package io.jcompose.runtime.image.build.executor;

import io.jcompose.runtime.image.build.context.FileSource;
import io.jcompose.runtime.image.build.context.ContextFile;
import io.jcompose.runtime.image.build.context.PathNames;
import io.jcompose.runtime.image.build.dockerfile.DockerfileException;
import io.jcompose.runtime.image.build.dockerfile.Heredoc;
import io.jcompose.runtime.image.build.dockerfile.Instruction;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Writes the layer of a COPY or ADD straight from the build context, without a container:
 * Docker's destination rules (a trailing {@code /}, several sources or an existing directory
 * mean "into"), owner 0:0 unless {@code --chown}, {@code --chmod} on everything copied, source
 * modes and mtimes kept, heredoc sources, and ADD's extraction of local tar archives (plain,
 * gzip, bzip2, xz). URLs are refused: builds have no network access to fetch them.
 */
public final class CopyLayerBuilder {
  private final String dockerfile;

  /** @param dockerfile the Dockerfile's name, for errors */
  public CopyLayerBuilder(String dockerfile) {
    this.dockerfile = dockerfile;
  }

  /**
   * @param step the evaluated COPY/ADD
   * @param context where sources come from: the build context, or for {@code COPY --from}
   *     the other stage's or image's files
   * @param image the filesystem the layer lands on
   * @param out where to write the compressed layer
   */
  public LayerBlob write(Step.Copy step, FileSource context, ImageFs image, Path out) throws IOException {
    Instruction i = step.instruction();
    int line = i.line();
    boolean add = i instanceof Instruction.Add;
    List<String> sources;
    String dest;
    String chown;
    String chmod;
    List<Heredoc> heredocs;
    switch (i) {
      case Instruction.Copy c -> {
        sources = c.sources();
        dest = c.destination();
        chown = c.chown();
        chmod = c.chmod();
        heredocs = c.heredocs();
      }
      case Instruction.Add a -> {
        sources = a.sources();
        dest = a.destination();
        chown = a.chown();
        chmod = a.chmod();
        heredocs = a.heredocs();
      }
      default -> throw new IllegalArgumentException("not a COPY/ADD: " + i);
    }
    Owner owner = chown == null ? null : Owner.resolve(chown, image, dockerfile, line);
    Integer mode = chmod == null ? null : parseChmod(chmod, line);
    String target = dest.startsWith("/") ? dest : join(step.workingDir(), dest);
    boolean into = dest.endsWith("/") || dest.equals(".") || sources.size() > 1
        || sources.stream().anyMatch(s -> s.contains("*") || s.contains("?") || s.contains("["))
        || image.isDirectory(clean(target));
    String base = clean(target);

    try (LayerWriter w = new LayerWriter(out)) {
      Layer layer = new Layer(w, image, owner, mode);
      for (String src : sources) {
        if (src.startsWith("<<") && !heredocs.isEmpty()) {
          Heredoc h = heredoc(heredocs, src);
          String path = into ? base + "/" + h.name() : base;
          layer.parents(path);
          w.file(path, h.content().getBytes(StandardCharsets.UTF_8), layer.mode(0644), layer.uid(0), layer.gid(0), FileTime.fromMillis(0));
          continue;
        }
        if (src.matches("(?i)^(https?|git)://.*") || src.startsWith("git@")) {
          throw new DockerfileException(dockerfile, line, (add ? "ADD " : "COPY ") + src
              + ": fetching URLs is not supported (builds have no network access); download it into the build context and COPY it");
        }
        List<ContextFile> files;
        try {
          files = context.select(src);
        } catch (io.jcompose.runtime.image.build.context.ContextException e) {
          throw new DockerfileException(dockerfile, line, e.getMessage());
        }
        ContextFile first = files.getFirst();
        boolean single = files.size() == 1 && first.name().isEmpty() && first.type() != ContextFile.Type.DIRECTORY;
        if (single && add && isArchive(first.path())) {
          extract(first.path(), base, layer, line);
          continue;
        }
        for (ContextFile f : files) {
          String path;
          if (f.name().isEmpty()) {
            path = f.type() == ContextFile.Type.DIRECTORY || !into ? base : base + "/" + fileName(src);
          } else {
            path = base + "/" + f.name();
          }
          layer.put(f, path);
        }
      }
      return w.finish();
    }
  }

  private Heredoc heredoc(List<Heredoc> heredocs, String marker) {
    String name = marker.replaceFirst("^<<-?", "").replaceAll("[\"']", "");
    return heredocs.stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
  }

  /** Owner and mode overrides plus parent-directory bookkeeping for one layer. */
  private static final class Layer {
    final LayerWriter w;
    final ImageFs image;
    final Owner owner;
    final Integer mode;

    Layer(LayerWriter w, ImageFs image, Owner owner, Integer mode) {
      this.w = w;
      this.image = image;
      this.owner = owner;
      this.mode = mode;
    }

    int uid(int original) {
      return owner == null ? original : owner.uid();
    }

    int gid(int original) {
      return owner == null ? original : owner.gid();
    }

    int mode(int original) {
      return mode == null ? original : mode;
    }

    /** Writes missing parent directories (0755 root) that the image does not have. */
    void parents(String path) throws IOException {
      List<String> missing = new ArrayList<>();
      String p = parent(path);
      while (!p.equals("/") && !w.contains(p) && !image.isDirectory(p)) {
        missing.addFirst(p);
        p = parent(p);
      }
      for (String dir : missing) {
        w.directory(dir, 0755, uid(0), gid(0), FileTime.fromMillis(0));
      }
    }

    void put(ContextFile f, String path) throws IOException {
      FileTime mtime = Files.getLastModifiedTime(f.path(), LinkOption.NOFOLLOW_LINKS);
      if (path.equals("/")) {
        return; // the root itself: nothing to write
      }
      parents(path);
      switch (f.type()) {
        case DIRECTORY -> {
          if (!image.isDirectory(path) || owner != null || mode != null) {
            w.directory(path, mode(f.mode()), uid(0), gid(0), mtime);
          }
        }
        case FILE -> w.file(path, f.path(), mode(f.mode()), uid(0), gid(0), mtime);
        case SYMLINK -> w.symlink(path, f.linkTarget(), uid(0), gid(0), mtime);
      }
    }
  }

  private void extract(Path archive, String base, Layer layer, int line) throws IOException {
    layer.parents(base + "/x");
    if (!layer.image.isDirectory(base) && !base.equals("/")) {
      layer.w.directory(base, layer.mode(0755), layer.uid(0), layer.gid(0), FileTime.fromMillis(0));
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
        InputStream in = decompress(raw);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String name = clean("/" + e.getName());
        if (name.equals("/")) {
          continue;
        }
        String path = base.equals("/") ? name : base + name;
        layer.parents(path);
        FileTime mtime = e.getLastModifiedTime();
        int uid = layer.uid((int) e.getLongUserId());
        int gid = layer.gid((int) e.getLongGroupId());
        if (e.isDirectory()) {
          layer.w.directory(path, layer.mode(e.getMode()), uid, gid, mtime);
        } else if (e.isSymbolicLink()) {
          layer.w.symlink(path, e.getLinkName(), uid, gid, mtime);
        } else if (e.isLink()) {
          String target = clean("/" + e.getLinkName());
          layer.w.hardlink(path, base.equals("/") ? target : base + target, uid, gid, mtime);
        } else if (e.isFile()) {
          byte[] content = tar.readAllBytes();
          layer.w.file(path, content, layer.mode(e.getMode()), uid, gid, mtime);
        }
        // devices and fifos from archives are skipped: a build context should not carry them
      }
    } catch (IOException e) {
      throw new DockerfileException(dockerfile, line, "ADD " + archive.getFileName() + ": broken archive: " + e.getMessage());
    }
  }

  private static InputStream decompress(InputStream raw) throws IOException {
    try {
      String kind = CompressorStreamFactory.detect(raw);
      return new CompressorStreamFactory().createCompressorInputStream(kind, raw);
    } catch (CompressorException e) {
      return raw; // a plain tar
    }
  }

  /** A tar, possibly gzip/bzip2/xz-compressed, recognised by content (as Docker does). */
  static boolean isArchive(Path file) throws IOException {
    byte[] head = new byte[512];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return true;
    }
    if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
      return true;
    }
    if (n >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z') {
      return true;
    }
    return n >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
  }

  private int parseChmod(String chmod, int line) {
    if (!chmod.matches("[0-7]{3,4}")) {
      throw new DockerfileException(dockerfile, line, "invalid chmod parameter: " + chmod
          + " (use an octal mode such as 0755)");
    }
    return Integer.parseInt(chmod, 8);
  }

  private static String fileName(String src) {
    String c = clean("/" + src);
    return c.substring(c.lastIndexOf('/') + 1);
  }

  private static String join(String dir, String rel) {
    return (dir.endsWith("/") ? dir : dir + "/") + rel;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** Cleans an absolute path ("/a/./b/../c/" → "/a/c"). */
  static String clean(String path) {
    return PathNames.clean(path.startsWith("/") ? path : "/" + path);
  }
}
