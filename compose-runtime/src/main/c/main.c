/* jcompose-shim: creates a container from an OCI bundle and stays outside it as its parent.
 * Usage (see docs/shim.md):
 *   jcompose-shim run --bundle B --state S [--log FILE] [--log-max-size N] [--log-max-file N]
 *                     [--stdin] [--stdin-once] [--init]
 *   jcompose-shim exec --state S --process P.json [--tty [--control SOCK]]
 *   jcompose-shim wait --state S
 *   jcompose-shim pause|resume --bundle B
 *   jcompose-shim delete --bundle B --state S
 */
#include "shim.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(void) {
    fputs("usage: jcompose-shim run --bundle DIR --state DIR [--log FILE] [--log-max-size BYTES] [--log-max-file N]\n"
          "                         [--stdin] [--stdin-once] [--init]\n"
          "       jcompose-shim exec --state DIR --process FILE [--tty [--control SOCKET]]\n"
          "       jcompose-shim wait --state DIR\n"
          "       jcompose-shim pause|resume --bundle DIR\n"
          "       jcompose-shim delete --bundle DIR --state DIR\n", stderr);
    exit(EXIT_USAGE);
}

static const char *need(int argc, char **argv, int *i) {
    if (*i + 1 >= argc) { msg_err("%s needs a value", argv[*i]); usage(); }
    return argv[++*i];
}

static int cmd_run(int argc, char **argv) {
    struct run_opts o = { .log_max_file = 1 };
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--bundle")) o.bundle = need(argc, argv, &i);
        else if (!strcmp(argv[i], "--state")) o.state = need(argc, argv, &i);
        else if (!strcmp(argv[i], "--log")) o.log_path = need(argc, argv, &i);
        else if (!strcmp(argv[i], "--log-max-size")) o.log_max_size = atoll(need(argc, argv, &i));
        else if (!strcmp(argv[i], "--log-max-file")) o.log_max_file = atoi(need(argc, argv, &i));
        else if (!strcmp(argv[i], "--stdin")) o.open_stdin = 1;
        else if (!strcmp(argv[i], "--stdin-once")) o.stdin_once = 1;
        else if (!strcmp(argv[i], "--init")) o.init = 1;
        else { msg_err("unknown option %s", argv[i]); usage(); }
    }
    if (!o.bundle || !o.state) usage();
    char err[4096];
    /* the monitor works from "/": make every path absolute first */
    if (mkdir_p(o.state, 0711)) { msg_err("state directory %s: %s", o.state, strerror(errno)); return EXIT_USAGE; }
    static char abs_bundle[4096], abs_state[4096], abs_log[4096];
    if (!realpath(o.bundle, abs_bundle)) { msg_err("bundle %s: %s", o.bundle, strerror(errno)); return EXIT_USAGE; }
    if (!realpath(o.state, abs_state)) { msg_err("state directory %s: %s", o.state, strerror(errno)); return EXIT_USAGE; }
    o.bundle = abs_bundle;
    o.state = abs_state;
    if (o.log_path && o.log_path[0] != '/') {
        char cwd[2048];
        if (!getcwd(cwd, sizeof cwd)) { msg_err("getcwd: %s", strerror(errno)); return EXIT_USAGE; }
        snprintf(abs_log, sizeof abs_log, "%s/%s", cwd, o.log_path);
        o.log_path = abs_log;
    }
    char *cfg = path_join(o.bundle, "config.json");
    struct jval *spec = json_parse_file(cfg, err, sizeof err);
    if (!spec) { msg_err("%s", err); return EXIT_USAGE; }
    char *exitfile = path_join(o.state, "exit");
    unlink(exitfile);

    int res[2];
    if (pipe(res) < 0) { msg_err("pipe: %s", strerror(errno)); return EXIT_START_FAILED; }
    fflush(NULL);
    pid_t mon = fork();
    if (mon < 0) { msg_err("fork: %s", strerror(errno)); return EXIT_START_FAILED; }
    if (mon == 0) {
        close(res[0]);
        fcntl(res[1], F_SETFD, FD_CLOEXEC);
        /* detach from the caller's terminal and pipes; diagnostics go to S/shim.log */
        int null = open("/dev/null", O_RDWR);
        char *logp = path_join(o.state, "shim.log");
        int lg = open(logp, O_WRONLY | O_CREAT | O_APPEND, 0600);
        dup2(null, 0); dup2(null, 1); dup2(lg >= 0 ? lg : null, 2);
        if (null > 2) close(null);
        if (lg > 2) close(lg);
        monitor_main(spec, &o, res[1]);
    }
    close(res[1]);
    char msg[4300];
    ssize_t n = 0, r;
    while ((r = read(res[0], msg + n, sizeof msg - 1 - (size_t)n)) > 0) n += r;
    msg[n < 0 ? 0 : n] = 0;
    if (n <= 0) { waitpid(mon, NULL, 0); msg_err("monitor died before the container started (see %s/shim.log)", o.state); return EXIT_START_FAILED; }
    int code = atoi(msg);
    if (code != 0) {
        char *text = strchr(msg, ' ');
        fprintf(stderr, "%s\n", text ? text + 1 : msg);
        waitpid(mon, NULL, 0);
        return code;
    }
    return 0;
}

/* pause, resume, delete: cgroup work on a container described by its bundle */
static int cmd_cgroup(int argc, char **argv) {
    const char *bundle = NULL, *state = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--bundle")) bundle = need(argc, argv, &i);
        else if (!strcmp(argv[i], "--state")) state = need(argc, argv, &i);
        else { msg_err("unknown option %s", argv[i]); usage(); }
    }
    if (!bundle) usage();
    char err[4096];
    char *cfg = path_join(bundle, "config.json");
    struct jval *spec = json_parse_file(cfg, err, sizeof err);
    struct cgroups cg;
    if (!spec) { msg_err("%s", err); return EXIT_USAGE; }
    if (cgroups_paths(spec, &cg, err, sizeof err)) { msg_err("%s", err); return 1; }
    if (!strcmp(argv[1], "pause") || !strcmp(argv[1], "resume")) {
        if (cgroups_freeze(&cg, !strcmp(argv[1], "pause"), err, sizeof err)) { msg_err("%s", err); return 1; }
        return 0;
    }
    /* delete: the program first (the monitor then records its exit), then the cgroups */
    if (state) {
        char buf[32];
        char *pidf = path_join(state, "pid"), *exitf = path_join(state, "exit"), *shimf = path_join(state, "shim.pid");
        if (access(exitf, F_OK) != 0 && read_small(pidf, buf, sizeof buf) > 0) kill(atoi(buf), SIGKILL);
        if (read_small(shimf, buf, sizeof buf) > 0) {
            pid_t shim = atoi(buf);
            for (int i = 0; i < 500 && kill(shim, 0) == 0 && access(exitf, F_OK) != 0; i++) usleep(10000);
        }
    }
    if (cgroups_destroy(&cg, err, sizeof err)) { msg_err("%s", err); return 1; }
    return 0;
}

/* wait: block until S/exit exists (inotify on S), print it, exit with the container's code */
static int cmd_wait(int argc, char **argv) {
    const char *state = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--state")) state = need(argc, argv, &i);
        else { msg_err("unknown option %s", argv[i]); usage(); }
    }
    if (!state) usage();
    char *exitf = path_join(state, "exit"), *shimf = path_join(state, "shim.pid"), buf[512];
    int in = inotify_init1(IN_CLOEXEC);
    if (in < 0 || inotify_add_watch(in, state, IN_MOVED_TO | IN_CREATE) < 0) { msg_err("watch %s: %s", state, strerror(errno)); return 1; }
    for (;;) {
        if (read_small(exitf, buf, sizeof buf) > 0) {
            fputs(buf, stdout);
            char *c = strstr(buf, "\"exitCode\":");
            return c ? atoi(c + 11) : 1;
        }
        /* no monitor left and no record: nothing will ever write it */
        if (read_small(shimf, buf, sizeof buf) <= 0 || kill(atoi(buf), 0) < 0) {
            if (read_small(exitf, buf, sizeof buf) > 0) continue;
            msg_err("container is not running and has no exit record");
            return 1;
        }
        struct pollfd p = { in, POLLIN, 0 };
        if (poll(&p, 1, 1000) > 0) { char ev[4096]; if (read(in, ev, sizeof ev) < 0) { /* retried below */ } }
    }
}

int main(int argc, char **argv) {
    if (argc < 2) usage();
    if (!strcmp(argv[1], "run")) return cmd_run(argc, argv);
    if (!strcmp(argv[1], "exec")) {
        const char *state = NULL, *proc = NULL, *control = NULL;
        int tty = 0;
        for (int i = 2; i < argc; i++) {
            if (!strcmp(argv[i], "--state")) state = need(argc, argv, &i);
            else if (!strcmp(argv[i], "--process")) proc = need(argc, argv, &i);
            else if (!strcmp(argv[i], "--tty")) tty = 1;
            else if (!strcmp(argv[i], "--control")) control = need(argc, argv, &i);
            else { msg_err("unknown option %s", argv[i]); usage(); }
        }
        if (!state || !proc) usage();
        return exec_main(state, proc, tty, control);
    }
    if (!strcmp(argv[1], "wait")) return cmd_wait(argc, argv);
    if (!strcmp(argv[1], "pause") || !strcmp(argv[1], "resume") || !strcmp(argv[1], "delete")) return cmd_cgroup(argc, argv);
    if (!strcmp(argv[1], "--version")) { puts("jcompose-shim 0.1"); return 0; }
    usage();
}
