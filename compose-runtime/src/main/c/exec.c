/* exec: a new process in a running container's namespaces and cgroups; its exit code is ours. */
#include "shim.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* put ourselves into every cgroup the container's init is in (paths from the host's view) */
static int join_cgroups_of(pid_t pid, char *err, size_t errlen) {
    char path[64], line[4096];
    snprintf(path, sizeof path, "/proc/%d/cgroup", pid);
    FILE *f = fopen(path, "r");
    if (!f) { snprintf(err, errlen, "read %s: %s", path, strerror(errno)); return -1; }
    int v2only = access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2) continue;
        *c1 = *c2 = 0;
        const char *ctrl = c1 + 1, *rel = c2 + 1;
        char dir[4300];
        if (!*ctrl) {
            snprintf(dir, sizeof dir, "%s%s", v2only ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified", rel);
        } else if (!strncmp(ctrl, "name=", 5)) {
            snprintf(dir, sizeof dir, "/sys/fs/cgroup/%s%s", ctrl + 5, rel);
        } else {
            /* hierarchy mounted at /sys/fs/cgroup/<first controller> (or its comma-joined name) */
            snprintf(dir, sizeof dir, "/sys/fs/cgroup/%s%s", ctrl, rel);
            if (access(dir, F_OK) != 0) {
                char first[64];
                snprintf(first, sizeof first, "%.*s", (int)strcspn(ctrl, ","), ctrl);
                snprintf(dir, sizeof dir, "/sys/fs/cgroup/%s%s", first, rel);
            }
        }
        char *procs = path_join(dir, "cgroup.procs");
        char me[16];
        snprintf(me, sizeof me, "%d", getpid());
        if (access(procs, F_OK) == 0 && write_file(procs, me) < 0 && errno != ENODEV) {
            snprintf(err, errlen, "join cgroup %s: %s", dir, strerror(errno));
            free(procs);
            fclose(f);
            return -1;
        }
        free(procs);
    }
    fclose(f);
    return 0;
}

/* control socket of an exec: "resize ROWS COLS" */
static void exec_control(int lfd, int master) {
    int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0) return;
    struct pollfd p = { c, POLLIN, 0 };
    char line[64];
    ssize_t n = poll(&p, 1, 1000) > 0 ? read(c, line, sizeof line - 1) : -1;
    unsigned rows, cols;
    const char *reply = "error unknown command\n";
    if (n > 0) {
        line[n] = 0;
        if (sscanf(line, "resize %u %u", &rows, &cols) == 2) {
            struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
            reply = ioctl(master, TIOCSWINSZ, &ws) == 0 ? "ok\n" : "error resize failed\n";
        }
    }
    if (write(c, reply, strlen(reply)) < 0) { /* client gone */ }
    close(c);
}

static void relay(int master, pid_t child, int ctl) {
    struct pollfd p[3] = { { 0, POLLIN, 0 }, { master, POLLIN, 0 }, { ctl, POLLIN, 0 } };
    char buf[4096];
    for (;;) {
        if (poll(p, 3, -1) < 0) { if (errno == EINTR) continue; break; }
        if (p[2].revents & POLLIN) exec_control(ctl, master);
        if (p[0].revents & (POLLIN | POLLHUP)) {
            ssize_t n = read(0, buf, sizeof buf);
            if (n <= 0) p[0].fd = -1;
            else if (write(master, buf, (size_t)n) < 0) break;
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(master, buf, sizeof buf);
            if (n <= 0) break;
            if (write(1, buf, (size_t)n) < 0) break;
        }
    }
    (void)child;
}

static int listen_at(const char *path) {
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || strlen(path) >= sizeof sa.sun_path) { if (fd >= 0) close(fd); return -1; }
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 2) < 0) { close(fd); return -1; }
    return fd;
}

int exec_main(const char *state, const char *process_json, int tty, const char *control) {
    char err[4096], buf[64];
    char *pidfile = path_join(state, "pid");
    if (read_small(pidfile, buf, sizeof buf) <= 0) { msg_err("container is not running (no %s)", pidfile); return EXIT_START_FAILED; }
    pid_t pid = (pid_t)atoi(buf);
    char *exitfile = path_join(state, "exit");
    if (access(exitfile, F_OK) == 0 || kill(pid, 0) < 0) { msg_err("container is not running"); return EXIT_START_FAILED; }
    struct jval *proc = json_parse_file(process_json, err, sizeof err);
    if (!proc) { msg_err("%s", err); return EXIT_USAGE; }
    if (tty || jbool(jget(proc, "terminal"), 0)) tty = 1;
    /* the container's seccomp filter applies to its execs too */
    const struct jval *seccomp = NULL;
    char bundle[4096];
    char *bundlef = path_join(state, "bundle");
    if (read_small(bundlef, bundle, sizeof bundle) > 0) {
        char *cfg = path_join(bundle, "config.json");
        struct jval *spec = json_parse_file(cfg, err, sizeof err);
        if (!spec) { msg_err("%s", err); return EXIT_START_FAILED; }
        seccomp = jpath(spec, "linux.seccomp");
    }

    /* bound before joining the container's mount namespace: the path is the host's */
    int ctl = control && tty ? listen_at(control) : -1;
    if (control && tty && ctl < 0) { msg_err("control socket %s: %s", control, strerror(errno)); return EXIT_START_FAILED; }
    static const struct { const char *name; int flag; } NS[] = {
        { "cgroup", CLONE_NEWCGROUP }, { "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "net", CLONE_NEWNET },
        { "pid", CLONE_NEWPID }, { "mnt", CLONE_NEWNS },
    };
    int fds[6];
    for (int i = 0; i < 6; i++) {
        char p[64];
        snprintf(p, sizeof p, "/proc/%d/ns/%s", pid, NS[i].name);
        fds[i] = open(p, O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0) { msg_err("open %s: %s", p, strerror(errno)); return EXIT_START_FAILED; }
    }
    if (join_cgroups_of(pid, err, sizeof err)) { msg_err("%s", err); return EXIT_START_FAILED; }
    for (int i = 0; i < 6; i++) {
        if (setns(fds[i], NS[i].flag) < 0) { msg_err("join %s namespace: %s", NS[i].name, strerror(errno)); return EXIT_START_FAILED; }
        close(fds[i]);
    }
    int master = -1, slave = -1;
    if (tty) {
        /* the container's own devpts, now that we are in its mount namespace */
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        int unlock = 0;
        if (master < 0 || ioctl(master, TIOCSPTLCK, &unlock) < 0 || (slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY)) < 0) {
            msg_err("allocate a pty in the container: %s", strerror(errno));
            return EXIT_START_FAILED;
        }
    }
    int errpipe[2];
    if (pipe2(errpipe, O_CLOEXEC) < 0) { msg_err("pipe: %s", strerror(errno)); return EXIT_START_FAILED; }
    pid_t child = fork();
    if (child < 0) { msg_err("fork: %s", strerror(errno)); return EXIT_START_FAILED; }
    if (child == 0) {
        close(errpipe[0]);
        if (tty) {
            setsid();
            ioctl(slave, TIOCSCTTY, 0);
            for (int i = 0; i < 3; i++) dup2(slave, i);
        }
        const char *cwd = jstr(jget(proc, "cwd"), "/");
        if (chdir(cwd) < 0) { snprintf(err, sizeof err, "chdir to cwd (\"%s\"): %s", cwd, strerror(errno)); report_and_exit(errpipe[1], EXIT_START_FAILED, err); }
        struct prepared_exec pe;
        int code;
        int nnp = jbool(jget(proc, "noNewPrivileges"), 0);
        if (seccomp && !nnp && seccomp_install(seccomp, err, sizeof err)) report_and_exit(errpipe[1], EXIT_START_FAILED, err);
        if (drop_privileges(proc, err, sizeof err)) report_and_exit(errpipe[1], EXIT_START_FAILED, err);
        if (prepare_process(proc, &pe, err, sizeof err, &code)) report_and_exit(errpipe[1], code, err);
        if (seccomp && nnp && seccomp_install(seccomp, err, sizeof err)) report_and_exit(errpipe[1], EXIT_START_FAILED, err);
        syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
        execve(pe.path, pe.argv, pe.envp);
        snprintf(err, sizeof err, "exec: \"%s\": %s", pe.argv[0], strerror(errno));
        report_and_exit(errpipe[1], errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, err);
    }
    close(errpipe[1]);
    if (slave >= 0) close(slave);
    char emsg[4200];
    ssize_t n = 0, r;
    while ((r = read(errpipe[0], emsg + n, sizeof emsg - 1 - (size_t)n)) > 0) n += r;
    if (n > 0) {
        emsg[n] = 0;
        char *text = strchr(emsg, ' ');
        fprintf(stderr, "%s\n", text ? text + 1 : emsg);
        int st;
        waitpid(child, &st, 0);
        return atoi(emsg) ? atoi(emsg) : EXIT_START_FAILED;
    }
    /* forward termination signals to the process, as `docker exec` users expect from ^C */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    if (tty) relay(master, child, ctl);
    if (ctl >= 0) { close(ctl); }
    int st;
    while (waitpid(child, &st, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
