/* What run and exec share: environment, executable lookup, user and capabilities, error reporting. */
#include "shim.h"
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

void report_and_exit(int errfd, int code, const char *msg) {
    char buf[4200];
    int n = snprintf(buf, sizeof buf, "%d %s", code, msg);
    if (errfd >= 0 && write(errfd, buf, (size_t)n) < 0) { /* caller gone: nothing more to do */ }
    _exit(code);
}

static const char *env_get(char **envp, const char *key) {
    size_t kl = strlen(key);
    for (char **e = envp; *e; e++)
        if (!strncmp(*e, key, kl) && (*e)[kl] == '=') return *e + kl + 1;
    return NULL;
}

/* HOME from the container's /etc/passwd, "/" when absent (what runc does) */
static char *home_of(unsigned uid) {
    FILE *f = fopen("/etc/passwd", "r");
    char line[1024];
    if (f) {
        while (fgets(line, sizeof line, f)) {
            char *fields[7] = { 0 }, *save, *p = line;
            int i = 0;
            for (char *t; i < 7 && (t = strsep(&p, ":")); i++) fields[i] = t;
            (void)save;
            if (i >= 6 && fields[2] && (unsigned)strtoul(fields[2], NULL, 10) == uid && fields[5][0]) {
                fclose(f);
                char *h = malloc(strlen(fields[5]) + 6);
                sprintf(h, "HOME=%s", fields[5]);
                return h;
            }
        }
        fclose(f);
    }
    return strdup("HOME=/");
}

/* Go's exec.LookPath rules, with its error texts (Docker maps them to 126/127). */
static int look_path(const char *file, const char *pathvar, char *out, size_t outlen, char *err, size_t errlen, int *code) {
    struct stat st;
    if (strchr(file, '/')) {
        snprintf(out, outlen, "%s", file);
        if (stat(file, &st) < 0) {
            snprintf(err, errlen, "exec: \"%s\": stat %s: %s", file, file, strerror(errno));
            *code = errno == EACCES ? EXIT_CANNOT_EXEC : EXIT_NOT_FOUND;
            return -1;
        }
        if (S_ISDIR(st.st_mode)) { snprintf(err, errlen, "exec: \"%s\": is a directory", file); *code = EXIT_CANNOT_EXEC; return -1; }
        if (!(st.st_mode & 0111)) { snprintf(err, errlen, "exec: \"%s\": permission denied", file); *code = EXIT_CANNOT_EXEC; return -1; }
        return 0;
    }
    const char *p = pathvar ? pathvar : "";
    while (1) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        snprintf(out, outlen, "%.*s/%s", (int)len, len ? p : ".", file);
        if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode) && (st.st_mode & 0111)) return 0;
        if (!colon) break;
        p = colon + 1;
    }
    snprintf(err, errlen, "exec: \"%s\": executable file not found in $PATH", file);
    *code = EXIT_NOT_FOUND;
    return -1;
}

int prepare_process(const struct jval *proc, struct prepared_exec *pe, char *err, size_t errlen, int *code) {
    const struct jval *args = jget(proc, "args"), *env = jget(proc, "env");
    int na = jlen(args), ne = jlen(env), i = 0;
    *code = EXIT_START_FAILED;
    if (na == 0) { snprintf(err, errlen, "no command specified"); return -1; }
    pe->argv = calloc((size_t)na + 1, sizeof(char *));
    for (const struct jval *e = args->child; e; e = e->next) pe->argv[i++] = (char *)jstr(e, "");
    pe->envp = calloc((size_t)ne + 2, sizeof(char *));
    i = 0;
    if (env) for (const struct jval *e = env->child; e; e = e->next) pe->envp[i++] = (char *)jstr(e, "");
    const char *home = env_get(pe->envp, "HOME");
    if (!home || !*home) pe->envp[i++] = home_of((unsigned)jnum(jpath(proc, "user.uid"), 0));
    return look_path(pe->argv[0], env_get(pe->envp, "PATH"), pe->path, sizeof pe->path, err, errlen, code);
}

/* Bounding set first (needs CAP_SETPCAP), then groups/gid/uid keeping permitted caps, then the final sets. */
int drop_privileges(const struct jval *proc, char *err, size_t errlen) {
    const struct jval *user = jget(proc, "user"), *caps = jget(proc, "capabilities");
    uid_t uid = (uid_t)jnum(jget(user, "uid"), 0);
    gid_t gid = (gid_t)jnum(jget(user, "gid"), 0);
    const struct jval *extra = jget(user, "additionalGids");
    gid_t groups[256];
    int ng = 0;
    if (extra) for (const struct jval *e = extra->child; e && ng < 256; e = e->next) groups[ng++] = (gid_t)jnum(e, 0);

    if (apply_caps_bounding(caps, err, errlen)) return -1;
    if (jbool(jget(proc, "noNewPrivileges"), 0) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        snprintf(err, errlen, "no_new_privs: %s", strerror(errno)); return -1;
    }
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) { snprintf(err, errlen, "keepcaps: %s", strerror(errno)); return -1; }
    if (setgroups((size_t)ng, groups) < 0) { snprintf(err, errlen, "setgroups: %s", strerror(errno)); return -1; }
    if (setresgid(gid, gid, gid) < 0) { snprintf(err, errlen, "setgid %u: %s", gid, strerror(errno)); return -1; }
    if (setresuid(uid, uid, uid) < 0) { snprintf(err, errlen, "setuid %u: %s", uid, strerror(errno)); return -1; }
    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
    return apply_caps_final(caps, err, errlen);
}
