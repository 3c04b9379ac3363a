/* The monitor: outside the container, its parent. Starts it, logs its output, serves attach, records its exit. */
#include "logfile.h"
#include "shim.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 8

static int result_fd = -1;
static const struct run_opts *O;

static void result(int code, const char *msg) {
    char buf[4300];
    int n = snprintf(buf, sizeof buf, "%d %s", code, msg);
    if (result_fd >= 0) {
        if (write(result_fd, buf, (size_t)n) < 0) { /* the caller went away; the state files still tell */ }
        close(result_fd);
        result_fd = -1;
    }
}

static void fail_start(int code, const char *msg) __attribute__((noreturn));
static void fail_start(int code, const char *msg) {
    result(code, msg);
    _exit(code);
}

static void state_file(const char *name, const char *data) {
    char *p = path_join(O->state, name);
    write_file_atomic(p, data, strlen(data));
    free(p);
}

static int ns_path_fd(const struct jval *nss, const char *type) {
    if (nss) for (const struct jval *n = nss->child; n; n = n->next)
        if (!strcmp(jstr(jget(n, "type"), ""), type) && jget(n, "path")) return open(jstr(jget(n, "path"), ""), O_RDONLY | O_CLOEXEC);
    return -2;
}

static int clone_flags(const struct jval *nss) {
    int f = 0;
    static const struct { const char *t; int f; } T[] = {
        { "pid", CLONE_NEWPID }, { "network", CLONE_NEWNET }, { "mount", CLONE_NEWNS },
        { "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "time", CLONE_NEWTIME },
    };
    if (nss) for (const struct jval *n = nss->child; n; n = n->next) {
        if (jget(n, "path")) continue;
        for (size_t i = 0; i < sizeof T / sizeof *T; i++) if (!strcmp(T[i].t, jstr(jget(n, "type"), ""))) f |= T[i].f;
    }
    return f;
}

struct client { int fd; };

/* Start-up touched most of the (static) binary; let the idle loop fault back only what it uses.
 * The pages stay in the page cache, shared by every monitor: this only trims each one's RSS. */
extern char __executable_start[], etext[];
static void trim_text(void) {
    long pg = sysconf(_SC_PAGESIZE);
    uintptr_t from = (uintptr_t)__executable_start & ~(uintptr_t)(pg - 1), to = (uintptr_t)etext & ~(uintptr_t)(pg - 1);
    if (to > from) madvise((void *)from, to - from, MADV_DONTNEED);
}

static int listen_unix(const char *path) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (fd < 0 || strlen(path) >= sizeof sa.sun_path) { if (fd >= 0) close(fd); return -1; }
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 4) < 0) { close(fd); return -1; }
    return fd;
}

/* control.sock: one command per connection — "resize ROWS COLS" (tty), "close-stdin" */
static void control(int lfd, int master, int *stdin_w) {
    int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0) return;
    struct pollfd p = { c, POLLIN, 0 };
    char line[128];
    ssize_t n = poll(&p, 1, 1000) > 0 ? read(c, line, sizeof line - 1) : -1;
    const char *reply = "error unknown command\n";
    if (n > 0) {
        line[n] = 0;
        unsigned rows, cols;
        if (sscanf(line, "resize %u %u", &rows, &cols) == 2) {
            struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
            reply = master >= 0 && ioctl(master, TIOCSWINSZ, &ws) == 0 ? "ok\n" : "error no tty\n";
        } else if (!strncmp(line, "close-stdin", 11)) {
            if (*stdin_w >= 0 && *stdin_w != master) { close(*stdin_w); *stdin_w = -1; }
            reply = "ok\n";
        }
    }
    if (write(c, reply, strlen(reply)) < 0) { /* client gone */ }
    close(c);
}

int monitor_main(const struct jval *spec, const struct run_opts *opts, int rfd) {
    char err[4096];
    static struct cgroups cg;
    const struct jval *proc = jget(spec, "process"), *nss = jpath(spec, "linux.namespaces");
    int tty = jbool(jget(proc, "terminal"), 0);
    result_fd = rfd;
    O = opts;

    setsid();
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    prctl(PR_SET_NAME, "jcompose-shim", 0, 0, 0);
    signal(SIGPIPE, SIG_IGN);
    /* a terminal hang-up or ^C of whoever started us must not take the monitor down */
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    if (chdir("/") < 0) { /* keep going: no path of ours is relative */ }
    /* block SIGCHLD before the container exists, or a quick exit would be lost */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    char pidbuf[32];
    snprintf(pidbuf, sizeof pidbuf, "%d\n", getpid());
    state_file("shim.pid", pidbuf);
    state_file("bundle", opts->bundle);   /* exec reads the container's seccomp profile from it */

    char *rootfs = NULL;
    const char *root = jstr(jpath(spec, "root.path"), "rootfs");
    rootfs = root[0] == '/' ? strdup(root) : path_join(opts->bundle, root);
    char *real = realpath(rootfs, NULL);
    if (!real) { snprintf(err, sizeof err, "rootfs %s: %s", rootfs, strerror(errno)); fail_start(EXIT_START_FAILED, err); }
    rootfs = real;

    if (cgroups_create(spec, &cg, err, sizeof err)) fail_start(EXIT_START_FAILED, err);

    int out[2] = { -1, -1 }, errp[2] = { -1, -1 }, in[2] = { -1, -1 }, sync[2], errpipe[2], console[2] = { -1, -1 };
    if (pipe2(sync, O_CLOEXEC) || pipe2(errpipe, O_CLOEXEC)) fail_start(EXIT_START_FAILED, "pipe failed");
    if (tty) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, console)) fail_start(EXIT_START_FAILED, "socketpair failed");
    } else {
        if (pipe2(out, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) fail_start(EXIT_START_FAILED, "pipe failed");
        if (opts->open_stdin) { if (pipe2(in, O_CLOEXEC)) fail_start(EXIT_START_FAILED, "pipe failed"); }
        else if ((in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) fail_start(EXIT_START_FAILED, "open /dev/null failed");
    }
    int pidns = ns_path_fd(nss, "pid");
    if (pidns == -1) { snprintf(err, sizeof err, "open pid namespace: %s", strerror(errno)); fail_start(EXIT_START_FAILED, err); }
    if (pidns >= 0 && setns(pidns, CLONE_NEWPID) < 0) {
        snprintf(err, sizeof err, "join pid namespace: %s", strerror(errno));
        fail_start(EXIT_START_FAILED, err);
    }

    pid_t pid = (pid_t)syscall(SYS_clone, clone_flags(nss) | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid < 0) { snprintf(err, sizeof err, "clone: %s", strerror(errno)); fail_start(EXIT_START_FAILED, err); }
    if (pid == 0) {
        struct child_args a = { spec, opts, rootfs, &cg, sync[0], errpipe[1], console[1], { in[0], out[1], errp[1] } };
        close(rfd);
        container_main(&a);
    }
    close(sync[0]); close(errpipe[1]);
    if (console[1] >= 0) close(console[1]);
    if (in[0] >= 0) close(in[0]);
    if (out[1] >= 0) { close(out[1]); close(errp[1]); }

    if (cgroups_join(&cg, pid, err, sizeof err)) { kill(pid, SIGKILL); waitpid(pid, NULL, 0); fail_start(EXIT_START_FAILED, err); }
    if (write(sync[1], "g", 1) != 1) { waitpid(pid, NULL, 0); fail_start(EXIT_START_FAILED, "container process died before start"); }
    close(sync[1]);
    int master = -1;
    if (tty) master = recv_fd(console[0]);
    /* the error pipe closes on exec (CLOEXEC): no bytes means the program runs */
    char emsg[4200];
    ssize_t n = 0, r;
    while ((r = read(errpipe[0], emsg + n, sizeof emsg - 1 - (size_t)n)) > 0) n += r;
    close(errpipe[0]);
    if (n > 0) {
        emsg[n] = 0;
        int code = atoi(emsg);
        char *text = strchr(emsg, ' ');
        waitpid(pid, NULL, 0);
        fail_start(code ? code : EXIT_START_FAILED, text ? text + 1 : emsg);
    }
    if (tty && master < 0) { kill(pid, SIGKILL); waitpid(pid, NULL, 0); fail_start(EXIT_START_FAILED, "no pty from the container"); }

    char started[40], buf[256];
    rfc3339nano(started, sizeof started);
    snprintf(buf, sizeof buf, "%d\n", pid);
    state_file("pid", buf);
    snprintf(buf, sizeof buf, "{\"pid\":%d,\"shimPid\":%d,\"startedAt\":\"%s\"}\n", pid, getpid(), started);
    state_file("started.json", buf);

    /* the attach socket: live output, and input to the container's stdin */
    char *sockpath = path_join(opts->state, "attach.sock"), *ctlpath = path_join(opts->state, "control.sock");
    int lsock = listen_unix(sockpath), csock = listen_unix(ctlpath);

    int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
    result(0, "started");

    static struct logfile lf = { .fd = -1 };
    static struct linebuf lb[2] = { { .stream = "stdout" }, { .stream = "stderr" } };
    if (opts->log_path) logfile_open(&lf, opts->log_path, opts->log_max_size, opts->log_max_file);
    int src[2] = { tty ? master : out[0], tty ? -1 : errp[0] };
    int stdin_w = tty ? (opts->open_stdin ? master : -1) : in[1];
    struct client cl[MAX_CLIENTS];
    int ncl = 0, exited = 0, status = 0;
    trim_text();
    struct timespec exit_time = { 0, 0 };

    while (src[0] >= 0 || src[1] >= 0 || !exited) {
        struct pollfd p[5 + MAX_CLIENTS];
        int np = 0;
        p[np++] = (struct pollfd){ sfd, POLLIN, 0 };
        p[np++] = (struct pollfd){ src[0], POLLIN, 0 };
        p[np++] = (struct pollfd){ src[1], POLLIN, 0 };
        p[np++] = (struct pollfd){ lsock, POLLIN, 0 };
        p[np++] = (struct pollfd){ csock, POLLIN, 0 };
        for (int i = 0; i < ncl; i++) p[np++] = (struct pollfd){ cl[i].fd, POLLIN, 0 };
        int timeout = -1;
        if (exited) {
            /* the program is gone; give lingering writers 2 s to close its pipes */
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            long ms = 2000 - ((now.tv_sec - exit_time.tv_sec) * 1000 + (now.tv_nsec - exit_time.tv_nsec) / 1000000);
            if (ms <= 0) break;
            timeout = (int)ms;
        }
        if (poll(p, (nfds_t)np, timeout) < 0) { if (errno == EINTR) continue; break; }
        if (p[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof si) < 0) { /* nothing */ }
            int st;
            pid_t w;
            while ((w = waitpid(-1, &st, WNOHANG)) > 0)
                if (w == pid) { exited = 1; status = st; clock_gettime(CLOCK_MONOTONIC, &exit_time); }
        }
        for (int s = 0; s < 2; s++) {
            if (src[s] < 0 || !(p[1 + s].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char data[4096];
            ssize_t got = read(src[s], data, sizeof data);
            if (got <= 0) {
                if (got < 0 && errno == EINTR) continue;
                linebuf_flush(&lf, &lb[s]);
                if (src[s] != stdin_w) close(src[s]);
                else stdin_w = -1, close(src[s]);
                src[s] = -1;
                continue;
            }
            linebuf_feed(&lf, &lb[s], data, (size_t)got);
            for (int i = 0; i < ncl; i++) {
                unsigned char hdr[8] = { (unsigned char)(s + 1), 0, 0, 0, (unsigned char)(got >> 24), (unsigned char)(got >> 16),
                                         (unsigned char)(got >> 8), (unsigned char)got };
                /* a client too slow to take a frame misses it rather than stalling the container */
                if (!tty) send(cl[i].fd, hdr, 8, MSG_DONTWAIT | MSG_NOSIGNAL);
                send(cl[i].fd, data, (size_t)got, MSG_DONTWAIT | MSG_NOSIGNAL);
            }
        }
        if (lsock >= 0 && (p[3].revents & POLLIN)) {
            int c = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
            if (c >= 0 && ncl < MAX_CLIENTS) cl[ncl++].fd = c;
            else if (c >= 0) close(c);
        }
        if (csock >= 0 && (p[4].revents & POLLIN)) control(csock, master, &stdin_w);
        for (int i = 0; i < ncl; i++) {
            if (!(p[5 + i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char data[4096];
            ssize_t got = read(cl[i].fd, data, sizeof data);
            if (got > 0) {
                if (stdin_w >= 0 && write(stdin_w, data, (size_t)got) < 0) { /* container closed stdin */ }
                continue;
            }
            if (opts->stdin_once && stdin_w >= 0 && !tty) { close(stdin_w); stdin_w = -1; }
            close(cl[i].fd);
            cl[i--] = cl[--ncl];
            /* poll results shifted: recheck the rest next round */
            break;
        }
    }
    if (!exited) waitpid(pid, &status, 0);
    for (int s = 0; s < 2; s++) if (src[s] >= 0) linebuf_flush(&lf, &lb[s]);

    char fin[40], exitjson[256];
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    rfc3339nano(fin, sizeof fin);
    snprintf(exitjson, sizeof exitjson, "{\"exitCode\":%d,\"signal\":%d,\"oomKilled\":%s,\"finishedAt\":\"%s\"}\n", code, sig,
             cgroups_oom_killed(&cg) ? "true" : "false", fin);
    state_file("exit", exitjson);
    if (lsock >= 0) unlink(sockpath);
    if (csock >= 0) unlink(ctlpath);
    for (int i = 0; i < ncl; i++) close(cl[i].fd);
    _exit(0);
}
