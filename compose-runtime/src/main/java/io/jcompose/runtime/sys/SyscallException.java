package io.jcompose.runtime.sys;

/** A failed system call or netlink request, carrying the errno and its symbolic name. */
public class SyscallException extends RuntimeException {
    private final int errno;

    public SyscallException(String what, int errno) {
        this(what, errno, null);
    }

    public SyscallException(String what, int errno, String detail) {
        super(what + ": " + Errno.name(errno) + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }
}
