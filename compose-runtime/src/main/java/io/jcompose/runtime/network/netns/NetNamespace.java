package io.jcompose.runtime.network.netns;

import io.jcompose.runtime.sys.Errno;
import io.jcompose.runtime.sys.Libc;
import io.jcompose.runtime.network.netlink.RtNetlink;
import io.jcompose.runtime.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Network namespaces kept alive by a bind mount of their nsfs file, the way {@code ip netns}
 * does ({@code /run/netns/<name>}), and a way to run code inside one.
 *
 * <p>{@code setns(CLONE_NEWNET)} affects only the calling OS thread, so every operation runs on a
 * fresh platform thread that enters the namespace, does its work and ends; the JVM's other
 * threads (and any virtual-thread carrier) never change namespace. Sockets opened on that thread
 * stay in the namespace after it ends.
 */
public final class NetNamespace {
    /** Where {@code ip netns} looks; our files are {@code jc-<id>}. */
    public static final Path RUN_NETNS = Path.of("/run/netns");

    /**
     * The engine's own network namespace: {@code /proc/self/ns/net} names the thread-group
     * leader's, and the main thread never changes namespace. Opened lazily, kept open.
     */
    private static volatile int hostFd = -1;

    private NetNamespace() {}

    private static int hostFd() {
        int fd = hostFd;
        if (fd < 0) {
            synchronized (NetNamespace.class) {
                if (hostFd < 0) hostFd = Libc.openReadOnly("/proc/self/ns/net");
                fd = hostFd;
            }
        }
        return fd;
    }

    /**
     * Puts the calling thread into the engine's own namespace. A new thread inherits the
     * namespace of the thread that created it, so threads that may be created lazily from
     * anywhere (event loops, forwarders) call this first. Without privileges (unit tests) the
     * process cannot be in another namespace anyway, so EPERM is ignored.
     */
    public static void enterHost() {
        try {
            Libc.setns(hostFd(), Libc.CLONE_NEWNET);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EPERM) throw e;
        }
    }

    /**
     * A factory of daemon threads that enter the engine's namespace before running, for pools
     * whose threads may be created lazily from a thread that is inside a container's namespace.
     */
    public static java.util.concurrent.ThreadFactory hostThreadFactory(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(() -> {
                enterHost();
                r.run();
            }, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The nsfs file for the namespace named {@code jc-<id>}. */
    public static Path pathFor(String id) {
        return RUN_NETNS.resolve("jc-" + id);
    }

    /**
     * Creates a new network namespace bind-mounted at {@code path} with {@code lo} up.
     * Fails with EEXIST if the file already exists.
     */
    public static void create(Path path) {
        create(path, () -> null);
    }

    /**
     * Creates the namespace as {@link #create(Path)} and, still on the thread that is inside it,
     * runs {@code inside} (open sockets there without another thread switch).
     */
    public static <T> T create(Path path, Callable<T> inside) {
        try {
            Files.createDirectories(path.getParent());
            makeSharedMountPoint(path.getParent());
            Files.createFile(path);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new SyscallException("create netns " + path, Errno.EEXIST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return onNewThread(() -> {
                Libc.unshare(Libc.CLONE_NEWNET);
                Libc.mount("/proc/thread-self/ns/net", path.toString(), "none", Libc.MS_BIND, null);
                try (RtNetlink nl = RtNetlink.open()) {
                    nl.setUp(nl.link("lo").index(), true);
                }
                return inside.call();
            });
        } catch (RuntimeException e) {
            delete(path);
            throw e;
        }
    }

    /** Unmounts and removes a namespace file; a missing file is not an error. */
    public static void delete(Path path) {
        try {
            Libc.umount2(path.toString(), Libc.MNT_DETACH);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EINVAL && e.errno() != Errno.ENOENT) throw e; // EINVAL: not mounted
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code task} on a platform thread that has entered the namespace at {@code path}. */
    public static <T> T call(Path path, Callable<T> task) {
        return onNewThread(() -> {
            int fd = Libc.openReadOnly(path.toString());
            try {
                Libc.setns(fd, Libc.CLONE_NEWNET);
            } finally {
                Libc.close(fd);
            }
            return task.call();
        });
    }

    /** Opens the namespace file and passes its fd (for IFLA_NET_NS_FD) to {@code use}. */
    public static <T> T withFd(Path path, java.util.function.IntFunction<T> use) {
        int fd = Libc.openReadOnly(path.toString());
        try {
            return use.apply(fd);
        } finally {
            Libc.close(fd);
        }
    }

    private static <T> T onNewThread(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("netns-worker").daemon().unstarted(() -> {
            T value = null;
            Throwable failure = null;
            try {
                value = task.call();
            } catch (Throwable e) {
                failure = e;
            }
            // back home before waking the caller: waking a virtual thread may make this thread
            // spawn a carrier thread, which would inherit our namespace
            try {
                enterHost();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
            }
            if (failure != null) result.completeExceptionally(failure);
            else result.complete(value);
        });
        t.start();
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while working in a network namespace", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Makes the directory a shared mount point (as iproute2 does for /run/netns), so that an
     * unmount here also reaches copies made by mount namespaces created later, and the
     * namespace really goes away on delete.
     */
    private static synchronized void makeSharedMountPoint(Path dir) {
        try {
            Libc.mount("", dir.toString(), "none", Libc.MS_SHARED | Libc.MS_REC, null);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EINVAL) throw e;
            Libc.mount(dir.toString(), dir.toString(), "none", Libc.MS_BIND | Libc.MS_REC, null);
            Libc.mount("", dir.toString(), "none", Libc.MS_SHARED | Libc.MS_REC, null);
        }
    }
}
