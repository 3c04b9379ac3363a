package io.jcompose.cli.command;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.archive.ContainerArchives;
import io.jcompose.runtime.archive.ContainerTree;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The client side of a copy, with the docker CLI's rules (moby {@code pkg/archive/copy.go}):
 * where a tar is extracted and how its top entry is renamed so that {@code cp a b} makes
 * {@code b} when it does not exist and {@code b/a} when {@code b} is a directory.
 */
final class LocalCopy {
    private LocalCopy() {}

    /** moby's CopyInfo: a path, whether it exists, whether it is a directory, the name to give its entries. */
    record Info(String path, boolean exists, boolean isDir, String rebaseName) {}

    /** Where to extract and how to rename the top entry ({@code from} → {@code to}; null: keep). */
    record Prepared(String dir, String from, String to) {}

    /** A local path made absolute against the run's directory, keeping a trailing {@code /} or {@code /.} (resolveLocalPath). */
    static String absolute(Path workingDirectory, String local) {
        String abs = workingDirectory.resolve(local).toAbsolutePath().normalize().toString();
        if ((local.endsWith("/.") || local.equals(".")) && !abs.endsWith("/.")) {
            return abs.equals("/") ? "/." : abs + "/.";
        }
        if (local.endsWith("/") && !abs.endsWith("/")) {
            return abs + "/";
        }
        return abs;
    }

    /** moby's SplitPathDirEntry: the parent and the last element ({@code .} kept). */
    static String[] split(String path) {
        String clean = clean(path);
        if (base(path).equals(".") && !clean.endsWith("/.")) {
            clean = clean.equals("/") ? "/." : clean + "/.";
        }
        int slash = clean.lastIndexOf('/');
        String dir = slash < 0 ? "." : slash == 0 ? "/" : clean.substring(0, slash);
        return new String[] {dir, base(clean)};
    }

    /** moby's GetRebaseName: the resolved path with the original's trailing form, and the name to rebase to (or null). */
    static String[] rebaseName(String path, String resolved) {
        if (base(path).equals(".") && !base(resolved).equals(".")) {
            resolved += "/.";
        }
        if (path.endsWith("/") && !resolved.endsWith("/")) {
            resolved += "/";
        }
        return new String[] {resolved, base(path).equals(base(resolved)) ? null : base(path)};
    }

    /** moby's CopyInfoDestinationPath: follows links of a local destination; its parent must exist. */
    static Info destination(String path) throws IOException {
        String p = path;
        for (int n = 0; Files.isSymbolicLink(Path.of(p)); n++) {
            if (n > 10) {
                throw new IOException("too many symlinks in " + path);
            }
            String target = Files.readSymbolicLink(Path.of(p)).toString();
            p = target.startsWith("/") ? target : clean(split(p)[0] + "/" + target);
        }
        Path at = Path.of(p);
        if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
            return new Info(p, true, Files.isDirectory(at), null);
        }
        Path parent = Path.of(split(p)[0]);
        if (!Files.exists(parent)) {
            throw new IOException("stat " + parent + ": no such file or directory");
        }
        if (!Files.isDirectory(parent)) {
            throw new IOException("not a directory");
        }
        return new Info(p, false, false, null);
    }

    /** moby's PrepareArchiveCopy. */
    static Prepared prepare(Info src, Info dst) throws IOException {
        String[] d = split(dst.path());
        String srcBase = src.rebaseName() != null ? src.rebaseName() : split(src.path())[1];
        if (dst.exists() && dst.isDir()) {
            return new Prepared(dst.path(), null, null);
        }
        if (dst.exists() && src.isDir()) {
            throw new IOException("cannot copy directory");
        }
        if (!dst.exists() && !src.isDir() && (dst.path().endsWith("/") || dst.path().endsWith("/."))) {
            throw new IOException("no such directory");
        }
        return new Prepared(d[0], srcBase, d[1]);
    }

    /** The tar of a local source (moby's TarResource), its top entry named {@code top} (null: the source's own name). */
    static byte[] tar(String path, String top) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContainerTree host = ContainerTree.host();
        ContainerArchives.Source source = ContainerArchives.stat(host, "localhost", path);
        ContainerArchives.write(host, top == null ? source : source.rebased(top), out);
        return out.toByteArray();
    }

    /** moby's CopyInfoSourcePath: a local source, its links followed only before the last element unless {@code follow}. */
    static Info source(String path, boolean follow) throws IOException {
        String resolved;
        String rebase = null;
        if (follow) {
            String[] r = rebaseName(path, ContainerTree.host().resolve(path));
            resolved = r[0];
            rebase = r[1];
        } else { // Go's filepath.Split: the directory part keeps its slash, the base may be empty
            int slash = path.lastIndexOf('/');
            String dir = ContainerTree.host().resolve(path.substring(0, slash + 1));
            resolved = (dir.equals("/") ? "" : dir) + "/" + path.substring(slash + 1);
            if (path.endsWith("/") && !base(path).equals(base(resolved))) {
                rebase = base(path);
            }
        }
        Path p = Path.of(resolved);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("lstat " + resolved + ": no such file or directory");
        }
        return new Info(resolved, true, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS), rebase);
    }

    /** Extracts a tar from a container into a local directory, renaming its top entry, owned by us (NoLchown). */
    static void extract(InputStream tar, Prepared where) throws IOException {
        InputStream in = where.from() == null ? tar : renamed(tar, where.from(), where.to());
        try {
            ContainerArchives.extract(ContainerTree.host(), clean(where.dir()), in, true, new ContainerArchives.Ownership.Unchanged());
        } catch (EngineApiException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** moby's RebaseArchiveEntries: entries under {@code from} named under {@code to} instead. */
    static InputStream renamed(InputStream tar, String from, String to) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveInputStream in = new TarArchiveInputStream(tar);
                TarArchiveOutputStream w = new TarArchiveOutputStream(out)) {
            w.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            w.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                e.setName(rebase(e.getName(), from, to));
                if (e.isLink()) {
                    e.setLinkName(rebase(e.getLinkName(), from, to));
                }
                w.putArchiveEntry(e);
                in.transferTo(w);
                w.closeArchiveEntry();
            }
        }
        return new ByteArrayInputStream(out.toByteArray());
    }

    private static String rebase(String name, String from, String to) {
        if (from.equals("/")) {
            return to + "/" + name;
        }
        if (name.equals(from) || name.startsWith(from + "/")) {
            return to + name.substring(from.length());
        }
        return name;
    }

    /** Go's filepath.Base. */
    static String base(String path) {
        return ContainerArchives.baseName(path.isEmpty() ? "." : path);
    }

    /** Go's filepath.Clean for absolute and relative paths. */
    static String clean(String path) {
        if (path.startsWith("/")) {
            return ContainerTree.clean(path);
        }
        String c = ContainerTree.clean("/" + path).substring(1);
        return c.isEmpty() ? "." : c;
    }
}
