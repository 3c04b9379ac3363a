package io.jcompose.runtime.archive;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.model.ArchiveStat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The engine side of {@code docker cp}: {@code HEAD/GET/PUT /containers/{id}/archive} on a
 * {@link ContainerTree}, with moby's path rules ({@code daemon/archive.go}): the last element
 * of a read path is not followed (a symlink is copied as a link, its stat names the target),
 * a write path is followed to the directory the tar is unpacked into, entries are named after
 * the requested path's base ({@code /etc/.} gives {@code ./...}), owners come from the tar
 * unless {@code copyUIDGID} gives the container user's.
 */
public final class ContainerArchives {
    /** Go's os.FileMode type bits, which the stat header carries. */
    private static final long GO_DIR = 1L << 31;
    private static final long GO_SYMLINK = 1L << 27;
    private static final long GO_DEVICE = 1L << 26;
    private static final long GO_PIPE = 1L << 25;
    private static final long GO_SOCKET = 1L << 24;
    private static final long GO_SETUID = 1L << 23;
    private static final long GO_SETGID = 1L << 22;
    private static final long GO_CHARDEV = 1L << 21;
    private static final long GO_STICKY = 1L << 20;

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    /** Who owns what {@link #extract} makes. */
    public sealed interface Ownership {
        /** The owners the tar names (the daemon's default). */
        record FromTar() implements Ownership {}

        /** One owner for every entry ({@code copyUIDGID}: the container's user). */
        record Fixed(long uid, long gid) implements Ownership {}

        /** Whoever extracts (the client's {@code NoLchown}). */
        record Unchanged() implements Ownership {}
    }

    /** An entry that would replace a directory by a non-directory or back ({@code noOverwriteDirNonDir}). */
    public static final class ConflictException extends IOException {
        ConflictException(String message) {
            super(message);
        }
    }

    private ContainerArchives() {}

    /** What a read of {@code path} works on: the stat, the host path and the names in the tar. */
    public record Source(ArchiveStat stat, String resolved, String rebaseName) {
        /** The same source with its entries named after {@code name} instead. */
        public Source rebased(String name) {
            return new Source(stat, resolved, name);
        }
    }

    /**
     * Stats {@code path} as {@code HEAD /archive} answers it.
     *
     * @param container the container's name, for the 404 message
     * @throws EngineApiException 404 when the path does not exist
     */
    public static Source stat(ContainerTree tree, String container, String path) {
        String abs = absolute(path);
        int slash = abs.lastIndexOf('/');
        String dir = abs.substring(0, slash + 1);
        String base = abs.substring(slash + 1);
        try {
            String resolvedDir = tree.resolve(dir);
            String resolved = base.isEmpty() || base.equals(".") ? resolvedDir
                    : (resolvedDir.equals("/") ? "/" : resolvedDir + "/") + base;
            Map<String, Object> a = attributes(tree.host(resolved), base.isEmpty());
            if (base.isEmpty() && ((int) a.get("mode") & S_IFMT) != S_IFDIR) {
                // lstat("file/") fails in Docker; its message names the host path, ours the container's
                throw new EngineApiException(500, "lstat " + abs + ": not a directory");
            }
            String name = baseName(abs);
            String linkTarget = "";
            if (((int) a.get("mode") & S_IFMT) == S_IFLNK) {
                linkTarget = tree.resolve(abs);
            }
            ArchiveStat stat = new ArchiveStat(name, (long) a.get("size"), goMode((int) a.get("mode")),
                    rfc3339((FileTime) a.get("lastModifiedTime")), linkTarget);
            // "/etc/." is read as the directory itself, named ".": the tar's top entry is "./"
            String sourceBase = base.equals(".") ? "." : baseName(resolved);
            return new Source(stat, resolved, base.equals(".") ? "." : sourceBase.equals("/") ? "/" : name);
        } catch (NoSuchFileException e) {
            throw notFound(container, path);
        } catch (IOException e) {
            throw new EngineApiException(500, "stat " + path + ": " + e.getMessage());
        }
    }

    /**
     * Writes the tar of {@code source} (as {@link #stat} found it): a file, a link, or a
     * directory with everything under it, mounts included, in lexical order.
     */
    public static void write(ContainerTree tree, Source source, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        String top = source.rebaseName();
        new TarWriter(tree, tar).add(source.resolved(), top);
        tar.finish();
        tar.flush();
    }

    /** Walks a container path into tar entries; hard links become link entries as in Docker. */
    private record TarWriter(ContainerTree tree, TarArchiveOutputStream tar, Map<String, String> inodes) {
        TarWriter(ContainerTree tree, TarArchiveOutputStream tar) {
            this(tree, tar, new HashMap<>());
        }

        void add(String path, String name) throws IOException {
            Path host = tree.host(path);
            Map<String, Object> a;
            try {
                a = attributes(host, false);
            } catch (NoSuchFileException e) {
                return; // removed while we walked
            }
            int mode = (int) a.get("mode");
            int type = mode & S_IFMT;
            TarArchiveEntry e;
            switch (type) {
                case S_IFDIR -> e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
                case S_IFLNK -> {
                    e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    e.setLinkName(Files.readSymbolicLink(host).toString());
                }
                case S_IFREG -> {
                    String key = a.get("dev") + ":" + a.get("ino");
                    String first = (int) a.get("nlink") > 1 ? inodes.putIfAbsent(key, name) : null;
                    if (first != null) {
                        e = new TarArchiveEntry(name, TarConstants.LF_LINK);
                        e.setLinkName(first);
                    } else {
                        e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                        e.setSize((long) a.get("size"));
                    }
                }
                case S_IFCHR, S_IFBLK -> {
                    e = new TarArchiveEntry(name, type == S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK);
                    long rdev = (long) a.get("rdev");
                    e.setDevMajor((int) (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfff)));
                    e.setDevMinor((int) (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xff)));
                }
                case S_IFIFO -> e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
                default -> {
                    return; // sockets: tar has no type for them, Docker skips them too
                }
            }
            e.setMode(mode & 07777);
            e.setUserId((long) (int) a.get("uid"));
            e.setGroupId((long) (int) a.get("gid"));
            e.setModTime((FileTime) a.get("lastModifiedTime"));
            tar.putArchiveEntry(e);
            if (type == S_IFREG && !e.isLink()) {
                try (InputStream in = Files.newInputStream(host, LinkOption.NOFOLLOW_LINKS)) {
                    long left = e.getSize();
                    byte[] buf = new byte[64 * 1024];
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            // shrank while we copied: pad with zeros, the header's size is promised
                            java.util.Arrays.fill(buf, (byte) 0);
                            n = (int) Math.min(buf.length, left);
                        }
                        tar.write(buf, 0, n);
                        left -= n;
                    }
                }
            }
            tar.closeArchiveEntry();
            if (type == S_IFDIR) {
                List<String> children = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(host)) {
                    ds.forEach(p -> children.add(p.getFileName().toString()));
                }
                children.sort(Comparator.naturalOrder());
                String prefix = name.endsWith("/") ? name : name + "/";
                for (String c : children) {
                    add(path.equals("/") ? "/" + c : path + "/" + c, prefix + c);
                }
            }
        }
    }

    /**
     * The directory {@code PUT /archive} unpacks into: {@code path} with every link followed.
     *
     * @throws EngineApiException 404 when missing, 400 when not a directory
     */
    public static String extractionPoint(ContainerTree tree, String container, String path) {
        try {
            String resolved = tree.resolve(absolute(path));
            Path host = tree.host(resolved);
            if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
                throw notFound(container, path);
            }
            if (!Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                throw EngineApiException.badRequest("extraction point is not a directory");
            }
            return resolved;
        } catch (IOException e) {
            throw new EngineApiException(500, "resolving " + path + ": " + e.getMessage());
        }
    }

    /**
     * Unpacks a tar into {@code dest} (from {@link #extractionPoint}): existing entries are
     * replaced (directories merged), links inside the container are followed only in its scope.
     *
     * @param noOverwriteDirNonDir refuse to replace a directory by a non-directory and back
     * @param owner who owns the entries
     * @throws ConflictException when {@code noOverwriteDirNonDir} forbids an entry
     */
    public static void extract(ContainerTree tree, String dest, InputStream in, boolean noOverwriteDirNonDir, Ownership owner) throws IOException {
        List<Runnable> dirTimes = new ArrayList<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            String rel = ContainerTree.clean("/" + e.getName());
            if (rel.equals("/")) {
                applyMetadata(tree.host(dest), e, owner, dirTimes);
                continue;
            }
            String parentContainer = tree.resolve(dest + ContainerTree.clean(rel.substring(0, rel.lastIndexOf('/') + 1)));
            String entryName = rel.substring(rel.lastIndexOf('/') + 1);
            Path parent = tree.host(parentContainer);
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(parent); // as moby: parents the tar does not list are made 0755
            }
            String containerPath = (parentContainer.equals("/") ? "" : parentContainer) + "/" + entryName;
            Path target = tree.host(containerPath);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                boolean isDir = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS);
                if (noOverwriteDirNonDir && isDir && !e.isDirectory()) {
                    throw new ConflictException("cannot overwrite directory \"" + containerPath + "\" with non-directory \"" + dest + "\"");
                }
                if (noOverwriteDirNonDir && !isDir && e.isDirectory()) {
                    throw new ConflictException("cannot overwrite non-directory \"" + containerPath + "\" with directory \"" + dest + "\"");
                }
                if (!(isDir && e.isDirectory())) {
                    deleteTree(target);
                }
            }
            if (e.isDirectory()) {
                if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(target);
                }
            } else if (e.isSymbolicLink()) {
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                String linked = tree.resolve(dest + ContainerTree.clean("/" + e.getLinkName()));
                Files.createLink(target, tree.host(linked));
            } else if (regular(e)) {
                Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                continue; // devices and fifos need mknod, which the JDK does not offer: skipped
            }
            if (!e.isLink()) {
                applyMetadata(target, e, owner, dirTimes);
            }
        }
        // directory times last: creating their entries changed them
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            dirTimes.get(i).run();
        }
    }

    /** A regular file's entry (commons-compress's isFile() is also true for devices). */
    private static boolean regular(TarArchiveEntry e) {
        byte f = e.getLinkFlag();
        return f == TarConstants.LF_NORMAL || f == TarConstants.LF_OLDNORM || f == TarConstants.LF_CONTIG;
    }

    private static void applyMetadata(Path p, TarArchiveEntry e, Ownership owner, List<Runnable> dirTimes) throws IOException {
        switch (owner) {
            case Ownership.FromTar t -> chown(p, e.getLongUserId(), e.getLongGroupId());
            case Ownership.Fixed f -> chown(p, f.uid(), f.gid());
            case Ownership.Unchanged u -> { }
        }
        FileTime mtime = FileTime.from(e.getModTime().toInstant());
        if (!e.isSymbolicLink()) {
            Files.setAttribute(p, "unix:mode", e.getMode() & 07777); // after chown, which clears set-id bits
        }
        BasicFileAttributeView view = Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (e.isDirectory()) {
            dirTimes.add(() -> {
                try {
                    view.setTimes(mtime, mtime, null);
                } catch (IOException ignored) {
                    // times are best effort, as Docker's Chtimes on a directory that went away
                }
            });
        } else {
            view.setTimes(mtime, mtime, null);
        }
    }

    private static void chown(Path p, long uid, long gid) throws IOException {
        Files.setAttribute(p, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    /** lstat (or stat, for a path given with a trailing slash) in the unix view. */
    private static Map<String, Object> attributes(Path host, boolean follow) throws IOException {
        return follow ? Files.readAttributes(host, "unix:*") : Files.readAttributes(host, "unix:*", LinkOption.NOFOLLOW_LINKS);
    }

    /** The path as an absolute container path, keeping a trailing {@code /} or {@code /.} as moby does. */
    public static String absolute(String path) {
        String clean = ContainerTree.clean("/" + path);
        if (path.endsWith("/.") || path.equals(".")) {
            return clean.equals("/") ? "/." : clean + "/.";
        }
        if (path.endsWith("/") && !clean.equals("/")) {
            return clean + "/";
        }
        return clean;
    }

    /** Go's filepath.Base: the last element, trailing slashes ignored; {@code /} for the root. */
    public static String baseName(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/")) {
            return "/";
        }
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** Unix st_mode to Go's os.FileMode, which Docker puts into the stat header. */
    static long goMode(int mode) {
        long m = mode & 0777;
        if ((mode & 04000) != 0) m |= GO_SETUID;
        if ((mode & 02000) != 0) m |= GO_SETGID;
        if ((mode & 01000) != 0) m |= GO_STICKY;
        switch (mode & S_IFMT) {
            case S_IFDIR -> m |= GO_DIR;
            case S_IFLNK -> m |= GO_SYMLINK;
            case S_IFBLK -> m |= GO_DEVICE;
            case S_IFCHR -> m |= GO_DEVICE | GO_CHARDEV;
            case S_IFIFO -> m |= GO_PIPE;
            case S_IFSOCK -> m |= GO_SOCKET;
            default -> { }
        }
        return m;
    }

    /** Go's time.Time JSON form: RFC 3339 in UTC with nanoseconds, trailing zeros dropped. */
    static String rfc3339(FileTime time) {
        Instant t = time.toInstant();
        String s = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(t);
        if (t.getNano() != 0) {
            String nanos = String.format("%09d", t.getNano()).replaceAll("0+$", "");
            s += "." + nanos;
        }
        return s + "Z";
    }

    private static EngineApiException notFound(String container, String path) {
        return EngineApiException.notFound("Could not find the file " + path + " in container " + container);
    }
}
