package io.jcompose.runtime.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc calls the engine makes itself (no helper processes), bound once through the FFM API:
 * netlink sockets for the network layer, namespaces and mounts for network namespaces, overlay
 * roots and shm, and kill for containers. Every call captures {@code errno} and throws
 * {@link SyscallException} on failure, so callers never see -1.
 */
public final class Libc {
    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int NETLINK_ROUTE = 0;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_SHARED = 1 << 20;
    public static final int MNT_DETACH = 2;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SEND = bind("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = bind("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETNS = bind("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle UNSHARE = bind("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle MOUNT = bind("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = bind("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle KILL = bind("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private Libc() {}

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd,
                Linker.Option.captureCallState("errno"));
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static int check(int rc, MemorySegment state, String what) {
        if (rc < 0) throw new SyscallException(what, errno(state));
        return rc;
    }

    private static long check(long rc, MemorySegment state, String what) {
        if (rc < 0) throw new SyscallException(what, errno(state));
        return rc;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** Opens a raw netlink socket of the given protocol, bound to an automatic port id. */
    public static int netlinkSocket(int protocol) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            int fd = check((int) SOCKET.invokeExact(st, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol), st, "socket(AF_NETLINK)");
            MemorySegment sa = a.allocate(12); // sockaddr_nl: family, pad, pid=0 (kernel assigns), groups=0
            sa.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
            try {
                check((int) BIND.invokeExact(st, fd, sa, 12), st, "bind(AF_NETLINK)");
                setIntOption(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
                setIntOption(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
                setIntOption(fd, SOL_SOCKET, SO_RCVBUF, 1 << 20);
            } catch (RuntimeException e) {
                close(fd);
                throw e;
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void setIntOption(int fd, int level, int name, int value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            MemorySegment v = a.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            check((int) SETSOCKOPT.invokeExact(st, fd, level, name, v, 4), st, "setsockopt");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void send(int fd, MemorySegment buf, long len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            check((long) SEND.invokeExact(st, fd, buf, len, 0), st, "send(netlink)");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long recv(int fd, MemorySegment buf) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            return check((long) RECV.invokeExact(st, fd, buf, buf.byteSize(), 0), st, "recv(netlink)");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            int rc = (int) CLOSE.invokeExact(st, fd);
            if (rc < 0) throw new SyscallException("close", errno(st));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Opens a file read-only, close-on-exec, returning the raw fd (used for nsfs files). */
    public static int openReadOnly(String path) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            return check((int) OPEN.invokeExact(st, a.allocateFrom(path), O_RDONLY | O_CLOEXEC, 0), st, "open " + path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Moves the calling OS thread into the namespace behind {@code fd}. */
    public static void setns(int fd, int nstype) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            check((int) SETNS.invokeExact(st, fd, nstype), st, "setns");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Gives the calling OS thread new namespaces of the given kinds. */
    public static void unshare(int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            check((int) UNSHARE.invokeExact(st, flags), st, "unshare");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** mount(2); a null source, type or data is passed as NULL. */
    public static void mount(String source, String target, String fsType, long flags, String data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            check((int) MOUNT.invokeExact(st, str(a, source), a.allocateFrom(target), str(a, fsType), flags, str(a, data)), st,
                    "mount " + (fsType == null ? "" : fsType + " on ") + target);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** umount2(2). */
    public static void umount2(String target, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            check((int) UMOUNT2.invokeExact(st, a.allocateFrom(target), flags), st, "umount " + target);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** kill(2). */
    public static void kill(int pid, int signal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            check((int) KILL.invokeExact(st, pid, signal), st, "kill " + pid);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MemorySegment str(Arena a, String s) {
        return s == null ? MemorySegment.NULL : a.allocateFrom(s);
    }
}
