package io.jcompose.runtime.archive;

import io.jcompose.runtime.container.ContainerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * A container's file tree as {@code docker cp} sees it, with every container path mapped to a
 * host path (or, with root {@code /} and no mounts, the host's own tree, for the client side). A running container is seen through {@code /proc/<pid>/root}, where the kernel
 * shows its mounts (volumes, binds, tmpfs, /etc/hosts...); a created or stopped one through its
 * overlay root with its volume and bind mounts laid over it, as Docker mounts them for the copy.
 *
 * @param root host directory of the container's {@code /}
 * @param mounts the container's mounts (longest target first), for read-only checks and, when
 *     {@code mountsVisible} is false, for the mapping
 * @param mountsVisible whether {@code root} already shows the mounts (a live mount namespace)
 */
public record ContainerTree(Path root, List<Mounted> mounts, boolean mountsVisible) {
    /** Symlinks followed while resolving one path before giving up, as moby's FollowSymlinkInScope. */
    private static final int MAX_LINKS = 255;

    /** One mount: where it appears in the container, what it shows, whether it is read-only. */
    public record Mounted(String target, Path source, boolean readOnly) {}

    /** The host's own file tree ({@code /}, no mounts of its own), for the client side of a copy. */
    public static ContainerTree host() {
        return new ContainerTree(Path.of("/"), List.of(), true);
    }

    public ContainerTree {
        mounts = mounts.stream().sorted(Comparator.comparingInt((Mounted m) -> m.target().length()).reversed()).toList();
    }

    /** The mounts of a container spec (volumes, binds and the /etc files; tmpfs has no host side). */
    public static List<Mounted> mountsOf(ContainerSpec spec) {
        List<Mounted> out = new ArrayList<>();
        for (ContainerSpec.MountSpec m : spec.mounts()) {
            switch (m) {
                case ContainerSpec.MountSpec.Bind b -> out.add(new Mounted(clean(b.target()), b.source(), b.readOnly()));
                case ContainerSpec.MountSpec.Volume v -> out.add(new Mounted(clean(v.target()), v.source(), v.readOnly()));
                case ContainerSpec.MountSpec.Tmpfs t -> { } // only inside the container's mount namespace
            }
        }
        ContainerSpec.EtcFiles etc = spec.etcFiles();
        if (etc != null) {
            if (etc.hosts() != null) out.add(new Mounted("/etc/hosts", etc.hosts(), false));
            if (etc.hostname() != null) out.add(new Mounted("/etc/hostname", etc.hostname(), false));
            if (etc.resolvConf() != null) out.add(new Mounted("/etc/resolv.conf", etc.resolvConf(), false));
        }
        return out;
    }

    /**
     * The host path of a clean, absolute container path whose directories are resolved.
     *
     * @param path e.g. {@code /etc/hosts}
     */
    public Path host(String path) {
        String rel = path.equals("/") ? "" : path.substring(1);
        if (!mountsVisible) {
            Mounted m = mountOf(path);
            if (m != null) {
                String rest = path.substring(m.target().length());
                return rest.isEmpty() ? m.source() : m.source().resolve(rest.substring(1));
            }
        }
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    /** The mount a clean container path is on, or null for the root filesystem. */
    public Mounted mountOf(String path) {
        for (Mounted m : mounts) {
            if (path.equals(m.target()) || m.target().equals("/") || path.startsWith(m.target() + "/")) {
                return m;
            }
        }
        return null;
    }

    /**
     * Resolves every symlink of {@code path} inside the container (an absolute link starts again
     * at the container's root, {@code ..} stops at it), as moby's FollowSymlinkInScope does.
     * Components that do not exist are kept as they are.
     *
     * @param path an absolute or relative container path (relative to {@code /})
     * @return the clean, absolute container path
     * @throws IOException after {@value #MAX_LINKS} links (a loop)
     */
    public String resolve(String path) throws IOException {
        Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            done.add(c);
            Path host = host(join(done));
            if (Files.isSymbolicLink(host)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many links in " + path);
                }
                done.removeLast();
                String target = Files.readSymbolicLink(host).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    todo.addFirst(parts[i]);
                }
            }
        }
        return join(done);
    }

    /** {@code /a/b} from components. */
    public static String join(List<String> parts) {
        return "/" + String.join("/", parts);
    }

    /** Go's {@code filepath.Clean} of an absolute path: no empty, {@code .} or {@code ..} components. */
    public static String clean(String path) {
        List<String> parts = new ArrayList<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
                continue;
            }
            parts.add(c);
        }
        return join(parts);
    }
}
