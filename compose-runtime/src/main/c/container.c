/* The container's first process: namespaces, root filesystem, limits, identity, then exec. */
#include "shim.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static char err[4096];
static int errfd = -1;

#define FAIL(...) do { snprintf(err, sizeof err, __VA_ARGS__); report_and_exit(errfd, EXIT_START_FAILED, err); } while (0)

struct mflag { const char *name; int clear; unsigned long flag; };
static const struct mflag MFLAGS[] = {
    { "async", 1, MS_SYNCHRONOUS }, { "atime", 1, MS_NOATIME }, { "bind", 0, MS_BIND }, { "defaults", 0, 0 },
    { "dev", 1, MS_NODEV }, { "diratime", 1, MS_NODIRATIME }, { "dirsync", 0, MS_DIRSYNC }, { "exec", 1, MS_NOEXEC },
    { "mand", 0, MS_MANDLOCK }, { "noatime", 0, MS_NOATIME }, { "nodev", 0, MS_NODEV }, { "nodiratime", 0, MS_NODIRATIME },
    { "noexec", 0, MS_NOEXEC }, { "nomand", 1, MS_MANDLOCK }, { "norelatime", 1, MS_RELATIME },
    { "nostrictatime", 1, MS_STRICTATIME }, { "nosuid", 0, MS_NOSUID }, { "rbind", 0, MS_BIND | MS_REC },
    { "relatime", 0, MS_RELATIME }, { "remount", 0, MS_REMOUNT }, { "ro", 0, MS_RDONLY }, { "rw", 1, MS_RDONLY },
    { "strictatime", 0, MS_STRICTATIME }, { "suid", 1, MS_NOSUID }, { "sync", 0, MS_SYNCHRONOUS },
};
static const struct mflag PFLAGS[] = {
    { "private", 0, MS_PRIVATE }, { "rprivate", 0, MS_PRIVATE | MS_REC }, { "shared", 0, MS_SHARED },
    { "rshared", 0, MS_SHARED | MS_REC }, { "slave", 0, MS_SLAVE }, { "rslave", 0, MS_SLAVE | MS_REC },
    { "unbindable", 0, MS_UNBINDABLE }, { "runbindable", 0, MS_UNBINDABLE | MS_REC },
};

struct parsed_opts { unsigned long flags, pflags[4]; int npflags, rro; char data[1024]; };

static void parse_opts(const struct jval *options, struct parsed_opts *po) {
    memset(po, 0, sizeof *po);
    if (!options) return;
    for (const struct jval *o = options->child; o; o = o->next) {
        const char *s = jstr(o, "");
        int done = 0;
        for (size_t i = 0; i < sizeof MFLAGS / sizeof *MFLAGS && !done; i++)
            if (!strcmp(s, MFLAGS[i].name)) {
                if (MFLAGS[i].clear) po->flags &= ~MFLAGS[i].flag; else po->flags |= MFLAGS[i].flag;
                done = 1;
            }
        for (size_t i = 0; i < sizeof PFLAGS / sizeof *PFLAGS && !done; i++)
            if (!strcmp(s, PFLAGS[i].name)) { if (po->npflags < 4) po->pflags[po->npflags++] = PFLAGS[i].flag; done = 1; }
        if (!done && !strcmp(s, "rro")) { po->flags |= MS_RDONLY; po->rro = 1; done = 1; }
        if (!done && (!strcmp(s, "tmpcopyup") || !strncmp(s, "idmap", 5) || !strncmp(s, "ridmap", 6))) done = 1;
        if (!done) {
            if (po->data[0]) strncat(po->data, ",", sizeof po->data - strlen(po->data) - 1);
            strncat(po->data, s, sizeof po->data - strlen(po->data) - 1);
        }
    }
}

/* flags a remount must keep because the kernel locks them on a bind of a locked mount */
static unsigned long statfs_flags(const char *path) {
    struct statvfs st;
    unsigned long f = 0;
    if (statvfs(path, &st) < 0) return 0;
    if (st.f_flag & ST_NOSUID) f |= MS_NOSUID;
    if (st.f_flag & ST_NODEV) f |= MS_NODEV;
    if (st.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
    if (st.f_flag & ST_NOATIME) f |= MS_NOATIME;
    if (st.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
    if (st.f_flag & ST_RELATIME) f |= MS_RELATIME;
    if (st.f_flag & ST_RDONLY) f |= MS_RDONLY;
    return f;
}

static void create_target(const char *dest, int dir) {
    if (dir) { if (mkdir_p(dest, 0755)) FAIL("mkdir %s: %s", dest, strerror(errno)); return; }
    char *parent = strdup(dest);
    *strrchr(parent, '/') = 0;
    if (parent[0] && mkdir_p(parent, 0755)) FAIL("mkdir %s: %s", parent, strerror(errno));
    free(parent);
    int fd = open(dest, O_CREAT | O_WRONLY | O_CLOEXEC, 0755);
    if (fd < 0 && errno != EISDIR) FAIL("create %s: %s", dest, strerror(errno));
    if (fd >= 0) close(fd);
}

/* The destination may not escape the root through symlinks: resolve it inside rootfs. */
static char *secure_dest(const char *rootfs, const char *dest) {
    char *full = path_join(rootfs, dest);
    char resolved[4096];
    /* Only existing parents can be symlinks; a simple check that the real path stays inside. */
    if (realpath(full, resolved) && strncmp(resolved, rootfs, strlen(rootfs)) != 0)
        FAIL("mount destination %s resolves outside the container root (%s)", dest, resolved);
    return full;
}

static void apply_propagation(const char *dest, const struct parsed_opts *po) {
    for (int i = 0; i < po->npflags; i++)
        if (mount("", dest, NULL, po->pflags[i], NULL) < 0) FAIL("propagation of %s: %s", dest, strerror(errno));
}

static void bind_remount(const char *dest, unsigned long flags) {
    unsigned long want = MS_BIND | MS_REMOUNT | (flags & ~(MS_BIND | MS_REC | MS_REMOUNT));
    if (mount("", dest, NULL, want, NULL) == 0) return;
    /* EPERM: locked flags of the source must be kept (e.g. nosuid of a host mount) */
    if (mount("", dest, NULL, want | (statfs_flags(dest) & ~MS_RDONLY), NULL) < 0)
        FAIL("remount %s: %s", dest, strerror(errno));
}

static void mount_cgroup_v1(const char *dest, const struct parsed_opts *po, const struct cgroups *cg) {
    /* like runc with a host cgroup namespace: a tmpfs holding a bind of our own cgroup per hierarchy
     * (named ones such as name=systemd included) */
    if (mount("tmpfs", dest, "tmpfs", po->flags & ~MS_RDONLY, "mode=755") < 0) FAIL("mount tmpfs on %s: %s", dest, strerror(errno));
    for (int i = 0; i < cg->n; i++) {
        const char *base = strrchr(cg->mnt[i], '/') + 1;
        char *sub = path_join(dest, base);
        create_target(sub, 1);
        if (mount(cg->dir[i], sub, NULL, MS_BIND | MS_REC, NULL) < 0) FAIL("bind cgroup %s: %s", cg->dir[i], strerror(errno));
        bind_remount(sub, po->flags);
        free(sub);
    }
    /* runc leaves the tmpfs itself writable (only the binds are read-only): so do we */
}

static void mount_entry(const char *rootfs, const struct jval *m, const struct cgroups *cg) {
    const char *type = jstr(jget(m, "type"), "none"), *src = jstr(jget(m, "source"), "none");
    const char *dst = jstr(jget(m, "destination"), NULL);
    struct parsed_opts po;
    if (!dst) FAIL("mount without destination in config.json");
    parse_opts(jget(m, "options"), &po);
    char *dest = secure_dest(rootfs, dst);
    if (!strcmp(type, "bind") || (po.flags & MS_BIND)) {
        struct stat st;
        if (stat(src, &st) < 0) FAIL("bind mount source %s: %s", src, strerror(errno));
        create_target(dest, S_ISDIR(st.st_mode));
        if (mount(src, dest, NULL, MS_BIND | (po.flags & MS_REC), NULL) < 0) FAIL("bind %s on %s: %s", src, dst, strerror(errno));
        if (po.flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) bind_remount(dest, po.flags);
        if (po.rro) {
            struct mount_attr a = { .attr_set = MOUNT_ATTR_RDONLY };
            syscall(SYS_mount_setattr, -1, dest, AT_RECURSIVE, &a, sizeof a);
        }
    } else if (!strcmp(type, "cgroup")) {
        create_target(dest, 1);
        if (cg->v2) {
            if (mount("cgroup2", dest, "cgroup2", po.flags, NULL) < 0) FAIL("mount cgroup2 on %s: %s", dst, strerror(errno));
        } else {
            mount_cgroup_v1(dest, &po, cg);
        }
    } else {
        create_target(dest, 1);
        if (mount(src, dest, type, po.flags, po.data[0] ? po.data : NULL) < 0) {
            /* sysfs in the host network namespace: bind the host's /sys as runc does */
            if (!strcmp(type, "sysfs") && errno == EPERM) {
                if (mount("/sys", dest, NULL, MS_BIND | MS_REC, NULL) < 0) FAIL("bind /sys: %s", strerror(errno));
                bind_remount(dest, po.flags);
            } else {
                FAIL("mount %s on %s: %s", type, dst, strerror(errno));
            }
        }
    }
    apply_propagation(dest, &po);
    free(dest);
}

static int dev_is_bind(const struct jval *mounts) {
    if (mounts) for (const struct jval *m = mounts->child; m; m = m->next)
        if (!strcmp(jstr(jget(m, "destination"), ""), "/dev") && !strcmp(jstr(jget(m, "type"), ""), "bind")) return 1;
    return 0;
}

static void make_dev(const char *rootfs, const char *path, char type, unsigned maj, unsigned min, mode_t mode, uid_t uid, gid_t gid) {
    char *p = path_join(rootfs, path), *parent = strdup(p);
    *strrchr(parent, '/') = 0;
    if (mkdir_p(parent, 0755)) FAIL("mkdir %s: %s", parent, strerror(errno));
    free(parent);
    unlink(p);
    if (mknod(p, (type == 'b' ? S_IFBLK : type == 'p' ? S_IFIFO : S_IFCHR) | mode, makedev(maj, min)) < 0)
        FAIL("mknod %s: %s", path, strerror(errno));
    if (chown(p, uid, gid) < 0) FAIL("chown %s: %s", path, strerror(errno));
    free(p);
}

static void setup_dev(const char *rootfs, const struct jval *spec) {
    static const struct { const char *path; unsigned maj, min; } defaults[] = {
        { "/dev/null", 1, 3 }, { "/dev/zero", 1, 5 }, { "/dev/full", 1, 7 },
        { "/dev/tty", 5, 0 }, { "/dev/urandom", 1, 9 }, { "/dev/random", 1, 8 },
    };
    mode_t old = umask(0);
    const struct jval *devs = jpath(spec, "linux.devices");
    for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++) make_dev(rootfs, defaults[i].path, 'c', defaults[i].maj, defaults[i].min, 0666, 0, 0);
    if (devs) for (const struct jval *d = devs->child; d; d = d->next)
        make_dev(rootfs, jstr(jget(d, "path"), "/dev/invalid"), jstr(jget(d, "type"), "c")[0], (unsigned)jnum(jget(d, "major"), 0),
                 (unsigned)jnum(jget(d, "minor"), 0), (mode_t)jnum(jget(d, "fileMode"), 0666) & 07777,
                 (uid_t)jnum(jget(d, "uid"), 0), (gid_t)jnum(jget(d, "gid"), 0));
    umask(old);
    static const char *const links[][2] = {
        { "/proc/self/fd", "/dev/fd" }, { "/proc/self/fd/0", "/dev/stdin" }, { "/proc/self/fd/1", "/dev/stdout" },
        { "/proc/self/fd/2", "/dev/stderr" }, { "pts/ptmx", "/dev/ptmx" },
    };
    for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
        char *p = path_join(rootfs, links[i][1]);
        unlink(p);
        if (symlink(links[i][0], p) < 0 && errno != EEXIST) FAIL("symlink %s: %s", links[i][1], strerror(errno));
        free(p);
    }
    if (access("/proc/kcore", F_OK) == 0) {
        char *p = path_join(rootfs, "/dev/core");
        if (symlink("/proc/kcore", p) < 0 && errno != EEXIST) FAIL("symlink /dev/core: %s", strerror(errno));
        free(p);
    }
}

static void do_pivot_root(const char *rootfs) {
    int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC), newroot = open(rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (oldroot < 0 || newroot < 0) FAIL("open root: %s", strerror(errno));
    if (fchdir(newroot) < 0) FAIL("chdir %s: %s", rootfs, strerror(errno));
    /* pivot_root(".", ".") stacks the old root on top of the new one; then detach it */
    if (syscall(SYS_pivot_root, ".", ".") < 0) FAIL("pivot_root: %s", strerror(errno));
    if (fchdir(oldroot) < 0) FAIL("fchdir: %s", strerror(errno));
    if (mount("", ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) FAIL("make old root slave: %s", strerror(errno));
    if (umount2(".", MNT_DETACH) < 0) FAIL("unmount old root: %s", strerror(errno));
    if (chdir("/") < 0) FAIL("chdir /: %s", strerror(errno));
    close(oldroot);
    close(newroot);
}

static void readonly_path(const char *p) {
    if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0) {
        if (errno == ENOENT) return;
        FAIL("bind %s: %s", p, strerror(errno));
    }
    if (mount(p, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | statfs_flags(p), NULL) < 0)
        FAIL("remount %s read-only: %s", p, strerror(errno));
}

static void mask_path(const char *p) {
    struct stat st;
    if (stat(p, &st) < 0) return;
    if (S_ISDIR(st.st_mode)) {
        if (mount("tmpfs", p, "tmpfs", MS_RDONLY, NULL) < 0) FAIL("mask %s: %s", p, strerror(errno));
    } else if (mount("/dev/null", p, NULL, MS_BIND, NULL) < 0) {
        FAIL("mask %s: %s", p, strerror(errno));
    }
}

static void set_sysctls(const struct jval *sysctls) {
    if (sysctls) for (const struct jval *s = sysctls->child; s; s = s->next) {
        char path[512];
        snprintf(path, sizeof path, "/proc/sys/%s", s->key);
        for (char *c = path + 10; *c; c++) if (*c == '.') *c = '/';
        if (write_file(path, jstr(s, "")) < 0) FAIL("sysctl %s=%s: %s", s->key, jstr(s, ""), strerror(errno));
    }
}

static const struct { const char *name; int res; } RLIMITS[] = {
    { "RLIMIT_CPU", RLIMIT_CPU }, { "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_DATA", RLIMIT_DATA },
    { "RLIMIT_STACK", RLIMIT_STACK }, { "RLIMIT_CORE", RLIMIT_CORE }, { "RLIMIT_RSS", RLIMIT_RSS },
    { "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
    { "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_LOCKS", RLIMIT_LOCKS }, { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
    { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE }, { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
    { "RLIMIT_RTTIME", RLIMIT_RTTIME },
};

static void set_rlimits(const struct jval *rl) {
    if (rl) for (const struct jval *r = rl->child; r; r = r->next) {
        const char *t = jstr(jget(r, "type"), "");
        size_t i;
        for (i = 0; i < sizeof RLIMITS / sizeof *RLIMITS; i++) if (!strcmp(RLIMITS[i].name, t)) break;
        if (i == sizeof RLIMITS / sizeof *RLIMITS) FAIL("unknown rlimit %s", t);
        struct rlimit lim = { (rlim_t)jnum(jget(r, "soft"), 0), (rlim_t)jnum(jget(r, "hard"), 0) };
        if (setrlimit(RLIMITS[i].res, &lim) < 0) FAIL("setrlimit %s: %s", t, strerror(errno));
    }
}

static int ns_flag(const char *type) {
    static const struct { const char *t; int f; } T[] = {
        { "pid", CLONE_NEWPID }, { "network", CLONE_NEWNET }, { "mount", CLONE_NEWNS }, { "ipc", CLONE_NEWIPC },
        { "uts", CLONE_NEWUTS }, { "cgroup", CLONE_NEWCGROUP }, { "user", CLONE_NEWUSER }, { "time", CLONE_NEWTIME },
    };
    for (size_t i = 0; i < sizeof T / sizeof *T; i++) if (!strcmp(T[i].t, type)) return T[i].f;
    return 0;
}

/* join namespaces given by path (pid was joined by the monitor, it only affects children) */
static void join_namespaces(const struct jval *nss) {
    if (nss) for (const struct jval *n = nss->child; n; n = n->next) {
        const char *path = jstr(jget(n, "path"), NULL), *type = jstr(jget(n, "type"), "");
        if (!path || !strcmp(type, "pid")) continue;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) FAIL("open %s namespace %s: %s", type, path, strerror(errno));
        if (setns(fd, ns_flag(type)) < 0) FAIL("join %s namespace %s: %s", type, path, strerror(errno));
        close(fd);
    }
}

static int ns_new(const struct jval *nss, const char *type) {
    if (nss) for (const struct jval *n = nss->child; n; n = n->next)
        if (!strcmp(jstr(jget(n, "type"), ""), type) && !jget(n, "path")) return 1;
    return 0;
}

/* tty: a pty of the container's own devpts; the master goes to the monitor, the slave becomes /dev/console */
static void setup_console(int sock) {
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) FAIL("open /dev/ptmx: %s", strerror(errno));
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0) FAIL("unlock pty: %s", strerror(errno));
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    if (slave < 0) FAIL("open pty peer: %s", strerror(errno));
    char name[64];
    unsigned n;
    if (ioctl(master, TIOCGPTN, &n) < 0) FAIL("pty number: %s", strerror(errno));
    snprintf(name, sizeof name, "/dev/pts/%u", n);
    create_target("/dev/console", 0);
    if (mount(name, "/dev/console", NULL, MS_BIND, NULL) < 0) FAIL("bind %s on /dev/console: %s", name, strerror(errno));
    if (send_fd(sock, master) < 0) FAIL("send pty to monitor: %s", strerror(errno));
    close(master);
    close(sock);
    if (setsid() < 0) FAIL("setsid: %s", strerror(errno));
    if (ioctl(slave, TIOCSCTTY, 0) < 0) FAIL("controlling tty: %s", strerror(errno));
    for (int i = 0; i < 3; i++) dup2(slave, i);
    if (slave > 2) close(slave);
}

/* init: true — stay as pid 1, reap everything, forward signals to the program, exit as it does */
static void run_as_init(struct prepared_exec *pe, int tty) {
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, &old);
    pid_t child = fork();
    if (child < 0) FAIL("fork: %s", strerror(errno));
    if (child == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        setpgid(0, 0);
        if (tty) { signal(SIGTTOU, SIG_IGN); tcsetpgrp(0, getpid()); signal(SIGTTOU, SIG_DFL); }
        execve(pe->path, pe->argv, pe->envp);
        snprintf(err, sizeof err, "exec: \"%s\": %s", pe->argv[0], strerror(errno));
        report_and_exit(errfd, errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, err);
    }
    close(errfd);
    prctl(PR_SET_NAME, "init", 0, 0, 0);
    for (;;) {
        siginfo_t si;
        int sig = sigwaitinfo(&all, &si);
        if (sig < 0) continue;
        if (sig == SIGCHLD) {
            int status;
            pid_t p;
            while ((p = waitpid(-1, &status, WNOHANG)) > 0)
                if (p == child) _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
            continue;
        }
        switch (sig) {
        case SIGFPE: case SIGILL: case SIGSEGV: case SIGBUS: case SIGABRT: case SIGTRAP: case SIGSYS:
        case SIGTTIN: case SIGTTOU: break;
        default: kill(child, sig);
        }
    }
}

int container_main(struct child_args *a) {
    const struct jval *spec = a->spec, *proc = jget(spec, "process");
    const struct jval *nss = jpath(spec, "linux.namespaces");
    int tty = jbool(jget(proc, "terminal"), 0);
    char go;
    errfd = a->err_fd;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* ignored dispositions survive exec: give the program the defaults back */
    signal(SIGPIPE, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    if (read(a->sync_fd, &go, 1) != 1) _exit(EXIT_START_FAILED);   /* monitor died before we joined the cgroup */
    close(a->sync_fd);
    if (!tty) for (int i = 0; i < 3; i++) if (dup2(a->stdio[i], i) < 0) FAIL("dup2: %s", strerror(errno));

    join_namespaces(nss);
    if (ns_new(nss, "cgroup") && unshare(CLONE_NEWCGROUP) < 0) FAIL("new cgroup namespace: %s", strerror(errno));
    if (ns_new(nss, "uts")) {
        const char *h = jstr(jget(spec, "hostname"), NULL), *d = jstr(jget(spec, "domainname"), NULL);
        if (h && sethostname(h, strlen(h)) < 0) FAIL("sethostname: %s", strerror(errno));
        if (d && setdomainname(d, strlen(d)) < 0) FAIL("setdomainname: %s", strerror(errno));
    }

    const char *rootfs = a->rootfs;
    const struct jval *mounts = jget(spec, "mounts");
    int readonly_root = jbool(jpath(spec, "root.readonly"), 0);
    if (ns_new(nss, "mount")) {
        unsigned long prop = MS_SLAVE | MS_REC;
        const char *rp = jstr(jpath(spec, "linux.rootfsPropagation"), NULL);
        if (rp) for (size_t i = 0; i < sizeof PFLAGS / sizeof *PFLAGS; i++) if (!strcmp(PFLAGS[i].name, rp)) prop = PFLAGS[i].flag;
        if (mount("", "/", NULL, prop, NULL) < 0) FAIL("make / %s: %s", rp ? rp : "rslave", strerror(errno));
        if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) FAIL("bind rootfs %s: %s", rootfs, strerror(errno));
        if (mounts) for (const struct jval *m = mounts->child; m; m = m->next) mount_entry(rootfs, m, a->cg);
        if (!dev_is_bind(mounts)) setup_dev(rootfs, spec);
        const char *cwd = jstr(jget(proc, "cwd"), "/");
        char *cwdp = path_join(rootfs, cwd);
        mkdir_p(cwdp, 0755);
        free(cwdp);
        do_pivot_root(rootfs);
    }
    set_sysctls(jpath(spec, "linux.sysctl"));
    const struct jval *ro = jpath(spec, "linux.readonlyPaths"), *mask = jpath(spec, "linux.maskedPaths");
    if (ro) for (const struct jval *p = ro->child; p; p = p->next) readonly_path(jstr(p, ""));
    if (mask) for (const struct jval *p = mask->child; p; p = p->next) mask_path(jstr(p, ""));
    if (readonly_root && mount("", "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | statfs_flags("/"), NULL) < 0)
        FAIL("remount / read-only: %s", strerror(errno));
    if (tty) setup_console(a->console_sock);
    else if (setsid() < 0) FAIL("setsid: %s", strerror(errno));

    set_rlimits(jget(proc, "rlimits"));
    const struct jval *oom = jget(proc, "oomScoreAdj");
    if (oom) {
        char b[16];
        snprintf(b, sizeof b, "%lld", jnum(oom, 0));
        if (write_file("/proc/self/oom_score_adj", b) < 0) FAIL("oom_score_adj: %s", strerror(errno));
    }
    const char *cwd = jstr(jget(proc, "cwd"), "/");
    if (chdir(cwd) < 0) FAIL("chdir to cwd (\"%s\") set in config.json failed: %s", cwd, strerror(errno));
    umask((mode_t)jnum(jpath(proc, "user.umask"), 022));

    struct prepared_exec pe;
    int code;
    /* as runc: without no_new_privs a filter needs CAP_SYS_ADMIN, so it goes in before the caps
     * are dropped; with it, as late as possible */
    const struct jval *sc = jpath(spec, "linux.seccomp");
    int nnp = jbool(jget(proc, "noNewPrivileges"), 0);
    if (sc && !nnp && seccomp_install(sc, err, sizeof err)) report_and_exit(errfd, EXIT_START_FAILED, err);
    if (drop_privileges(proc, err, sizeof err)) report_and_exit(errfd, EXIT_START_FAILED, err);
    if (prepare_process(proc, &pe, err, sizeof err, &code)) report_and_exit(errfd, code, err);
    if (sc && nnp && seccomp_install(sc, err, sizeof err)) report_and_exit(errfd, EXIT_START_FAILED, err);
    /* nothing of ours or of whoever called the shim leaks into the program */
    syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    if (a->opts->init && ns_new(nss, "pid")) run_as_init(&pe, tty);
    execve(pe.path, pe.argv, pe.envp);
    snprintf(err, sizeof err, "exec: \"%s\": %s", pe.argv[0], strerror(errno));
    report_and_exit(errfd, errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, err);
}
