package io.jcompose.runtime.container;

import io.jcompose.runtime.sys.Errno;
import io.jcompose.runtime.sys.Libc;
import io.jcompose.runtime.sys.SyscallException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The container's root: an overlayfs of the image snapshots with a per-container upper and work dir. */
final class Overlay {
    /** mount(2) data is limited to one page. */
    private static final int MAX_DATA = 4095;

    private Overlay() {}

    /**
     * Mounts {@code lowerDirs} (top first) under {@code upper}/{@code work} at {@code target}.
     * An already mounted target is left as it is (engine restart). When the layer paths do not
     * fit into one page of mount options, short symlinks to them are made in {@code linkDir}
     * (as Docker's overlay2 does with its {@code l/} directory).
     */
    static void mount(List<Path> lowerDirs, Path upper, Path work, Path target, Path linkDir) throws IOException {
        if (lowerDirs.isEmpty()) throw new IllegalArgumentException("an image needs at least one layer directory");
        for (Path p : lowerDirs) {
            if (!Files.isDirectory(p)) throw new IOException("image layer directory " + p + " does not exist");
            if (p.toString().contains(",") || p.toString().contains(":"))
                throw new IOException("image layer directory " + p + " contains ',' or ':', which overlayfs cannot take");
        }
        Files.createDirectories(upper);
        Files.createDirectories(work);
        Files.createDirectories(target);
        if (isMountPoint(target)) return;
        String data = options(lowerDirs, upper, work);
        if (data.length() > MAX_DATA) data = options(shortLinks(lowerDirs, linkDir), upper, work);
        if (data.length() > MAX_DATA)
            throw new IOException("too many image layers for one overlay mount (" + lowerDirs.size() + " layers, "
                    + data.length() + " bytes of options; the limit is " + MAX_DATA + ")");
        try {
            Libc.mount("overlay", target.toString(), "overlay", 0, data);
        } catch (SyscallException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String options(List<Path> lowerDirs, Path upper, Path work) {
        return "lowerdir=" + lowerDirs.stream().map(Path::toString).collect(Collectors.joining(":"))
                + ",upperdir=" + upper + ",workdir=" + work;
    }

    /** linkDir/<12 hex of the path's hash> → the layer, made once and reused. */
    private static List<Path> shortLinks(List<Path> lowerDirs, Path linkDir) throws IOException {
        Files.createDirectories(linkDir);
        List<Path> out = new java.util.ArrayList<>();
        for (Path p : lowerDirs) {
            String name;
            try {
                byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(p.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                name = java.util.HexFormat.of().formatHex(h).substring(0, 12);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            Path link = linkDir.resolve(name);
            if (!Files.isSymbolicLink(link)) {
                try {
                    Files.createSymbolicLink(link, p);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another start made it
                }
            }
            out.add(link);
        }
        return out;
    }

    /**
     * Detaches the overlay; a target that is not mounted is fine (EINVAL). No look at mountinfo
     * first: with many containers it is long, and reading it per removal made removals O(n²).
     */
    static void unmount(Path target) throws IOException {
        try {
            Libc.umount2(target.toString(), Libc.MNT_DETACH);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EINVAL && e.errno() != Errno.ENOENT) throw new IOException(e.getMessage(), e);
        }
    }

    /** True when /proc/self/mountinfo lists {@code dir} as a mount point. */
    static boolean isMountPoint(Path dir) throws IOException {
        return mountPoints().contains(dir.toAbsolutePath().normalize().toString());
    }

    /** Every mount point of this mount namespace. */
    static java.util.Set<String> mountPoints() throws IOException {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4) out.add(unescape(f[4]));
        }
        return out;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
