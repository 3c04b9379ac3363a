package io.jcompose.runtime.image.unpack;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * The few libc calls unpacking needs and the JDK lacks: device nodes and fifos ({@code mknod}),
 * full mode bits including setuid/setgid/sticky ({@code chmod}), ownership of symlinks
 * ({@code lchown}) and xattrs outside the {@code user.} namespace ({@code lsetxattr}).
 */
final class Posix {

  static final int S_IFIFO = 0010000;
  static final int S_IFCHR = 0020000;
  static final int S_IFBLK = 0060000;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO_HANDLE =
      CALL_STATE.varHandle(MemoryLayoutPath.ERRNO);

  private static final MethodHandle MKNOD =
      fn("mknod", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
          ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
  private static final MethodHandle CHMOD =
      fn("chmod", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
          ValueLayout.JAVA_INT));
  private static final MethodHandle LCHOWN =
      fn("lchown", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
          ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  private static final MethodHandle LSETXATTR =
      fn("lsetxattr", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
          ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
  private static final MethodHandle LGETXATTR =
      fn("lgetxattr", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
          ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
  private static final MethodHandle UTIMENSAT =
      fn("utimensat", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
          ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
  private static final MethodHandle OPEN =
      fn("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
          ValueLayout.JAVA_INT));
  private static final MethodHandle CLOSE =
      fn("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  private static final MethodHandle IOCTL_PTR =
      LINKER.downcallHandle(LINKER.defaultLookup().find("ioctl").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
              ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2), ERRNO);
  private static final int O_RDONLY_DIRECTORY_CLOEXEC = 0200000 | 02000000;
  private static final long FS_IOC_GETFLAGS = 0x80086601L;
  private static final long FS_IOC_SETFLAGS = 0x40086602L;
  private static final int FS_TOPDIR_FL = 0x00020000;
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final MethodHandle STRERROR =
      LINKER.downcallHandle(LINKER.defaultLookup().find("strerror").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

  private Posix() {}

  private static final class MemoryLayoutPath {
    static final java.lang.foreign.MemoryLayout.PathElement ERRNO =
        java.lang.foreign.MemoryLayout.PathElement.groupElement("errno");
  }

  private static MethodHandle fn(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(
        LINKER.defaultLookup().find(name).orElseThrow(
            () -> new IllegalStateException("libc has no " + name)), fd, ERRNO);
  }

  /** {@code makedev(major, minor)} as glibc encodes it. */
  static long makedev(long major, long minor) {
    return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
        | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
  }

  static void mknod(Path path, int typeAndMode, long dev) throws IOException {
    call("mknod", path, (arena, state, p) ->
        (int) MKNOD.invokeExact(state, p, typeAndMode, dev));
  }

  static void chmod(Path path, int mode) throws IOException {
    call("chmod", path, (arena, state, p) -> (int) CHMOD.invokeExact(state, p, mode));
  }

  static void lchown(Path path, int uid, int gid) throws IOException {
    call("lchown", path, (arena, state, p) -> (int) LCHOWN.invokeExact(state, p, uid, gid));
  }

  static void lsetxattr(Path path, String name, byte[] value) throws IOException {
    call("lsetxattr " + name, path, (arena, state, p) -> {
      MemorySegment n = arena.allocateFrom(name);
      MemorySegment v = arena.allocate(Math.max(1, value.length));
      MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
      return (int) LSETXATTR.invokeExact(state, p, n, v, (long) value.length, 0);
    });
  }

  /** The value of an extended attribute (any namespace), or {@code null} if it is not set. */
  static byte[] lgetxattr(Path path, String name) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      MemorySegment p = arena.allocateFrom(path.toString());
      MemorySegment n = arena.allocateFrom(name);
      MemorySegment buf = arena.allocate(65536);
      long len;
      try {
        len = (long) LGETXATTR.invokeExact(state, p, n, buf, 65536L);
      } catch (Throwable t) {
        throw new IOException("lgetxattr " + path + ": " + t, t);
      }
      if (len < 0) {
        int errno = (int) ERRNO_HANDLE.get(state, 0L);
        if (errno == ENODATA) {
          return null;
        }
        throw new PosixException("lgetxattr " + name + " " + path + ": " + strerror(errno), errno);
      }
      return buf.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE);
    }
  }

  private static final int ENODATA = 61;

  /**
   * Sets atime and mtime without following a symlink and without opening the file (the JDK's
   * {@code setTimes} opens it, which blocks on a fifo and touches a device).
   */
  static void lutimes(Path path, java.time.Instant time) throws IOException {
    call("utimensat", path, (arena, state, p) -> {
      MemorySegment ts = arena.allocate(ValueLayout.JAVA_LONG, 4);
      for (int i = 0; i < 2; i++) {
        ts.setAtIndex(ValueLayout.JAVA_LONG, 2L * i, time.getEpochSecond());
        ts.setAtIndex(ValueLayout.JAVA_LONG, 2L * i + 1, time.getNano());
      }
      return (int) UTIMENSAT.invokeExact(state, AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW);
    });
  }

  /**
   * Sets the inode flag "top of a directory hierarchy" ({@code chattr +T}) on a directory: ext2/3/4
   * then place each subdirectory in a block group of its own choosing (Orlov) instead of next to
   * its parent. Returns whether it worked (other filesystems do not have the flag).
   */
  static boolean setTopDirFlag(Path dir) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(dir.toString()),
          O_RDONLY_DIRECTORY_CLOEXEC);
      if (fd < 0) {
        return false;
      }
      try {
        MemorySegment flags = arena.allocate(ValueLayout.JAVA_LONG);
        if ((int) IOCTL_PTR.invokeExact(state, fd, FS_IOC_GETFLAGS, flags) != 0) {
          return false;
        }
        int f = flags.get(ValueLayout.JAVA_INT, 0);
        if ((f & FS_TOPDIR_FL) != 0) {
          return true;
        }
        flags.set(ValueLayout.JAVA_INT, 0, f | FS_TOPDIR_FL);
        return (int) IOCTL_PTR.invokeExact(state, fd, FS_IOC_SETFLAGS, flags) == 0;
      } finally {
        int ignored = (int) CLOSE.invokeExact(state, fd);
      }
    } catch (Throwable t) {
      return false;
    }
  }

  @FunctionalInterface
  private interface Call {
    int invoke(Arena arena, MemorySegment state, MemorySegment path) throws Throwable;
  }

  private static void call(String what, Path path, Call call) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      MemorySegment p = arena.allocateFrom(path.toString());
      int rc;
      try {
        rc = call.invoke(arena, state, p);
      } catch (Throwable t) {
        throw new IOException(what + " " + path + ": " + t, t);
      }
      if (rc != 0) {
        int errno = (int) ERRNO_HANDLE.get(state, 0L);
        throw new PosixException(what + " " + path + ": " + strerror(errno), errno);
      }
    }
  }

  private static String strerror(int errno) {
    try {
      MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
      return s.reinterpret(256).getString(0) + " (errno " + errno + ")";
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  /** A failed libc call; {@link #errno()} tells which failure. */
  static final class PosixException extends IOException {
    static final int EPERM = 1;
    static final int EEXIST = 17;
    static final int ENOTSUP = 95;
    private final int errno;

    PosixException(String message, int errno) {
      super(message);
      this.errno = errno;
    }

    int errno() {
      return errno;
    }
  }
}
