/* jcompose-shim: shared declarations. See docs/shim.md for the contract. */
#ifndef JC_SHIM_H
#define JC_SHIM_H
#include <stddef.h>
#include <sys/types.h>
#include "json.h"

/* Exit codes, as Docker records a failed start in State.ExitCode. */
#define EXIT_NOT_FOUND 127
#define EXIT_CANNOT_EXEC 126
#define EXIT_START_FAILED 128
#define EXIT_USAGE 2

struct run_opts {
    const char *bundle, *state, *log_path;
    long long log_max_size;
    int log_max_file;
    int open_stdin, stdin_once, init;
};

/* util.c */
void msg_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int write_file(const char *path, const char *data);
int write_file_atomic(const char *path, const char *data, size_t len);
int read_small(const char *path, char *buf, size_t len);
int mkdir_p(const char *path, mode_t mode);
void rfc3339nano(char *buf, size_t len);
char *path_join(const char *a, const char *b);
int send_fd(int sock, int fd);
int recv_fd(int sock);

/* cgroup.c: paths of the container's cgroup in each hierarchy, created from the spec. */
#define MAX_HIER 16
struct cgroups {
    int v2;                      /* unified hierarchy only */
    int n;
    char *dir[MAX_HIER];         /* host path of the container's cgroup in each hierarchy */
    char *mnt[MAX_HIER];         /* mount point of the hierarchy */
    char *ctrl[MAX_HIER];        /* controllers (super options), "" for v2 */
    char *memory, *freezer;      /* shortcuts, may be NULL */
};
int cgroups_paths(const struct jval *spec, struct cgroups *cg, char *err, size_t errlen);
int cgroups_freeze(const struct cgroups *cg, int frozen, char *err, size_t errlen);
int cgroups_destroy(const struct cgroups *cg, char *err, size_t errlen);
int cgroups_create(const struct jval *spec, struct cgroups *cg, char *err, size_t errlen);
int cgroups_join(const struct cgroups *cg, pid_t pid, char *err, size_t errlen);
int cgroups_oom_killed(const struct cgroups *cg);

/* caps.c */
int cap_from_name(const char *name);
int apply_caps_bounding(const struct jval *caps, char *err, size_t errlen);
int apply_caps_final(const struct jval *caps, char *err, size_t errlen);

/* seccomp.c: the spec's linux.seccomp as a BPF filter of this thread */
int seccomp_install(const struct jval *seccomp, char *err, size_t errlen);

/* process.c: the part shared by run and exec (user, caps, env, exec). */
struct prepared_exec {
    char **argv, **envp;
    char path[4096];
};
int prepare_process(const struct jval *proc, struct prepared_exec *pe, char *err, size_t errlen, int *code);
int drop_privileges(const struct jval *proc, char *err, size_t errlen);
void report_and_exit(int errfd, int code, const char *msg) __attribute__((noreturn));

/* container.c: the container's first process, inside its new namespaces. */
struct child_args {
    const struct jval *spec;
    const struct run_opts *opts;
    const char *rootfs;
    const struct cgroups *cg;
    int sync_fd, err_fd, console_sock;
    int stdio[3];
};
int container_main(struct child_args *a) __attribute__((noreturn));

/* monitor.c */
struct logger;
int monitor_main(const struct jval *spec, const struct run_opts *opts, int result_fd) __attribute__((noreturn));

/* exec.c */
int exec_main(const char *state, const char *process_json, int tty, const char *control);
#endif
