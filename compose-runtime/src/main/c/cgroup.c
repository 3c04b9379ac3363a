/* cgroups v1 (one directory per hierarchy) and v2 (unified), detected at run time. */
#include "shim.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

static int has_ctrl(const char *ctrls, const char *name) {
    size_t n = strlen(name);
    for (const char *p = ctrls; (p = strstr(p, name)); p += n)
        if ((p == ctrls || p[-1] == ',') && (p[n] == ',' || p[n] == 0)) return 1;
    return 0;
}

static int set(const char *dir, const char *file, const char *val, char *err, size_t errlen) {
    char *p = path_join(dir, file);
    int r = write_file(p, val);
    if (r < 0) snprintf(err, errlen, "cgroup: write %s to %s: %s", val, p, strerror(errno));
    free(p);
    return r;
}

static int setll(const char *dir, const char *file, long long v, char *err, size_t errlen) {
    char b[32];
    snprintf(b, sizeof b, "%lld", v);
    return set(dir, file, b, err, errlen);
}

/* A new v1 cpuset cgroup starts with empty cpus/mems: copy the parent's down the path. */
static void cpuset_inherit(const char *mnt, const char *dir) {
    char buf[256], *parent = strdup(dir);
    char *slash = strrchr(parent, '/');
    if (slash && strlen(parent) > strlen(mnt)) {
        *slash = 0;
        cpuset_inherit(mnt, parent);
        for (int i = 0; i < 2; i++) {
            const char *f = i ? "cpuset.mems" : "cpuset.cpus";
            char *mine = path_join(dir, f), *theirs = path_join(parent, f);
            if (read_small(mine, buf, sizeof buf) >= 0 && (buf[0] == '\n' || !buf[0]) && read_small(theirs, buf, sizeof buf) > 0)
                write_file(mine, buf);
            free(mine); free(theirs);
        }
    }
    free(parent);
}

/* Device rules (v1). Like runc: the spec's rules followed by runc's own allows are folded into
 * one allow-list (deny-all first), which is written sorted — so devices.list reads the same. */
struct devrule { char type; long long major, minor; char access[4]; };

static int devrule_cmp(const void *a, const void *b) {
    const struct devrule *x = a, *y = b;
    if (x->type != y->type) return x->type - y->type;
    if (x->major != y->major) return x->major < y->major ? -1 : 1;
    if (x->minor != y->minor) return x->minor < y->minor ? -1 : 1;
    return 0;
}

static void access_union(char *into, const char *add) {
    char out[4];
    int n = 0;
    for (const char *c = "rwm"; *c; c++)
        if (strchr(into, *c) || strchr(add, *c)) out[n++] = *c;
    out[n] = 0;
    memcpy(into, out, (size_t)n + 1);
}

static int devices_v1(const char *dir, const struct jval *rules, char *err, size_t errlen) {
    static const char *const runc_extra[] = { "c -1 -1 m", "b -1 -1 m", "c 1 3 rwm", "c 1 8 rwm", "c 1 7 rwm", "c 5 0 rwm",
                                              "c 1 5 rwm", "c 1 9 rwm", "c 136 -1 rwm", "c 5 2 rwm", "c 10 200 rwm" };
    struct devrule list[128];
    int n = 0, deny_all = 0;
    struct devrule all[160];
    int na = 0;
    if (rules) for (const struct jval *r = rules->child; r && na < 128; r = r->next) {
        struct devrule d = { jstr(jget(r, "type"), "a")[0], -1, -1, "" };
        if (jget(r, "major") && jget(r, "major")->type == J_NUM) d.major = jnum(jget(r, "major"), -1);
        if (jget(r, "minor") && jget(r, "minor")->type == J_NUM) d.minor = jnum(jget(r, "minor"), -1);
        snprintf(d.access, sizeof d.access, "%s", jstr(jget(r, "access"), "rwm"));
        if (!jbool(jget(r, "allow"), 0)) d.access[0] = 0, d.type = d.type == 'a' ? 'A' : (char)(d.type - 32); /* upper = deny */
        all[na++] = d;
    }
    for (size_t i = 0; i < sizeof runc_extra / sizeof *runc_extra; i++) {
        struct devrule d;
        sscanf(runc_extra[i], "%c %lld %lld %3s", &d.type, &d.major, &d.minor, d.access);
        all[na++] = d;
    }
    for (int i = 0; i < na; i++) {
        struct devrule d = all[i];
        if (d.type == 'A') { n = 0; deny_all = 1; continue; }
        int deny = d.type >= 'A' && d.type <= 'Z';
        if (deny) d.type = (char)(d.type + 32);
        int k;
        for (k = 0; k < n; k++) if (list[k].type == d.type && list[k].major == d.major && list[k].minor == d.minor) break;
        if (deny) { if (k < n) list[k] = list[--n]; continue; }
        if (k < n) access_union(list[k].access, d.access);
        else if (n < 128) list[n++] = d;
    }
    qsort(list, (size_t)n, sizeof *list, devrule_cmp);
    if (deny_all && set(dir, "devices.deny", "a", err, errlen)) return -1;
    for (int i = 0; i < n; i++) {
        char rule[64], maj[24], min[24];
        if (list[i].major < 0) strcpy(maj, "*"); else snprintf(maj, sizeof maj, "%lld", list[i].major);
        if (list[i].minor < 0) strcpy(min, "*"); else snprintf(min, sizeof min, "%lld", list[i].minor);
        snprintf(rule, sizeof rule, "%c %s:%s %s", list[i].type, maj, min, list[i].access);
        if (set(dir, "devices.allow", rule, err, errlen)) return -1;
    }
    return 0;
}

static int apply_v1(const char *ctrl, const char *mnt, const char *dir, const struct jval *res, char *err, size_t errlen) {
    const struct jval *mem = jget(res, "memory"), *cpu = jget(res, "cpu"), *v;
    if (has_ctrl(ctrl, "memory") && mem) {
        if ((v = jget(mem, "limit")) && setll(dir, "memory.limit_in_bytes", jnum(v, -1), err, errlen)) return -1;
        if ((v = jget(mem, "reservation")) && setll(dir, "memory.soft_limit_in_bytes", jnum(v, -1), err, errlen)) return -1;
        if ((v = jget(mem, "swap"))) {
            char *p = path_join(dir, "memory.memsw.limit_in_bytes");
            int exists = access(p, F_OK) == 0;
            free(p);
            if (exists && setll(dir, "memory.memsw.limit_in_bytes", jnum(v, -1), err, errlen)) return -1;
        }
        if ((v = jget(mem, "swappiness")) && setll(dir, "memory.swappiness", jnum(v, 60), err, errlen)) return -1;
    }
    if (has_ctrl(ctrl, "cpu") && cpu) {
        if ((v = jget(cpu, "shares")) && setll(dir, "cpu.shares", jnum(v, 1024), err, errlen)) return -1;
        if ((v = jget(cpu, "period")) && setll(dir, "cpu.cfs_period_us", jnum(v, 100000), err, errlen)) return -1;
        if ((v = jget(cpu, "quota")) && setll(dir, "cpu.cfs_quota_us", jnum(v, -1), err, errlen)) return -1;
    }
    if (has_ctrl(ctrl, "cpuset")) {
        cpuset_inherit(mnt, dir);
        if (cpu && (v = jget(cpu, "cpus")) && set(dir, "cpuset.cpus", jstr(v, ""), err, errlen)) return -1;
        if (cpu && (v = jget(cpu, "mems")) && set(dir, "cpuset.mems", jstr(v, ""), err, errlen)) return -1;
    }
    if (has_ctrl(ctrl, "pids") && (v = jpath(res, "pids.limit"))) {
        long long l = jnum(v, 0);
        if (l > 0 ? setll(dir, "pids.max", l, err, errlen) : set(dir, "pids.max", "max", err, errlen)) return -1;
    }
    if (has_ctrl(ctrl, "blkio") && (v = jpath(res, "blockIO.weight"))) {
        char *p = path_join(dir, "blkio.weight");
        int exists = access(p, F_OK) == 0;
        free(p);
        if (exists && setll(dir, "blkio.weight", jnum(v, 500), err, errlen)) return -1;
    }
    if (has_ctrl(ctrl, "devices") && devices_v1(dir, jget(res, "devices"), err, errlen)) return -1;
    return 0;
}

static int apply_v2(const char *dir, const struct jval *res, char *err, size_t errlen) {
    const struct jval *mem = jget(res, "memory"), *cpu = jget(res, "cpu"), *v;
    long long limit = -1;
    if (mem) {
        if ((v = jget(mem, "limit")) && (limit = jnum(v, -1)) > 0 && setll(dir, "memory.max", limit, err, errlen)) return -1;
        if ((v = jget(mem, "reservation")) && jnum(v, 0) > 0 && setll(dir, "memory.low", jnum(v, 0), err, errlen)) return -1;
        if ((v = jget(mem, "swap"))) {
            long long sw = jnum(v, 0);
            if (sw == -1) { if (set(dir, "memory.swap.max", "max", err, errlen)) return -1; }
            else if (sw > 0 && limit > 0 && setll(dir, "memory.swap.max", sw - limit, err, errlen)) return -1;
        }
    }
    if (cpu) {
        if ((v = jget(cpu, "shares")) && jnum(v, 0) > 0) {
            long long s = jnum(v, 1024);
            if (setll(dir, "cpu.weight", 1 + ((s - 2) * 9999) / 262142, err, errlen)) return -1;
        }
        long long quota = jnum(jget(cpu, "quota"), 0), period = jnum(jget(cpu, "period"), 100000);
        if (quota > 0) {
            char b[64];
            snprintf(b, sizeof b, "%lld %lld", quota, period);
            if (set(dir, "cpu.max", b, err, errlen)) return -1;
        }
        if ((v = jget(cpu, "cpus")) && set(dir, "cpuset.cpus", jstr(v, ""), err, errlen)) return -1;
        if ((v = jget(cpu, "mems")) && set(dir, "cpuset.mems", jstr(v, ""), err, errlen)) return -1;
    }
    if ((v = jpath(res, "pids.limit"))) {
        long long l = jnum(v, 0);
        if (l > 0 ? setll(dir, "pids.max", l, err, errlen) : set(dir, "pids.max", "max", err, errlen)) return -1;
    }
    if ((v = jpath(res, "blockIO.weight")) && jnum(v, 0) > 0 && setll(dir, "io.weight", jnum(v, 100), err, errlen)) return -1;
    return 0;
}

/* enable every available controller for the children of each directory on the way down */
static void v2_enable(const char *root, const char *rel) {
    char ctrls[512], buf[4096];
    if (read_small("/sys/fs/cgroup/cgroup.controllers", ctrls, sizeof ctrls) <= 0) return;
    snprintf(buf, sizeof buf, "%s", rel);
    char *dir = strdup(root);
    for (char *save, *tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        char *sub = path_join(dir, "cgroup.subtree_control");
        for (char *s2, *c = strtok_r(ctrls, " \n", &s2); c; c = strtok_r(NULL, " \n", &s2)) {
            char plus[64];
            snprintf(plus, sizeof plus, "+%s", c);
            write_file(sub, plus);
        }
        read_small("/sys/fs/cgroup/cgroup.controllers", ctrls, sizeof ctrls);
        free(sub);
        char *next = path_join(dir, tok);
        free(dir);
        dir = next;
        mkdir(dir, 0755);
    }
    free(dir);
}

/* Where the container's cgroup lives in each hierarchy; nothing is created. */
int cgroups_paths(const struct jval *spec, struct cgroups *cg, char *err, size_t errlen) {
    const char *rel = jstr(jpath(spec, "linux.cgroupsPath"), NULL);
    memset(cg, 0, sizeof *cg);
    if (!rel) return 0;
    if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0) {
        cg->v2 = 1;
        cg->mnt[0] = strdup("/sys/fs/cgroup");
        cg->dir[0] = path_join("/sys/fs/cgroup", rel);
        cg->ctrl[0] = strdup("");
        cg->n = 1;
        cg->memory = cg->freezer = cg->dir[0];
        return 0;
    }
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char line[4096];
    if (!f) { snprintf(err, errlen, "read mountinfo: %s", strerror(errno)); return -1; }
    while (fgets(line, sizeof line, f) && cg->n < MAX_HIER) {
        char *sep = strstr(line, " - ");
        char mp[1024], fstype[64], src[256], opts[1024];
        if (!sep || sscanf(line, "%*s %*s %*s %*s %1023s", mp) != 1 || sscanf(sep + 3, "%63s %255s %1023s", fstype, src, opts) != 3) continue;
        if (strcmp(fstype, "cgroup")) continue;
        /* controllers are the super options minus rw/ro and the like */
        char ctrls[1024] = "";
        for (char *s2, *o = strtok_r(opts, ",", &s2); o; o = strtok_r(NULL, ",", &s2)) {
            if (!strcmp(o, "rw") || !strcmp(o, "ro") || !strncmp(o, "release_agent", 13) || !strcmp(o, "clone_children") ||
                !strcmp(o, "xattr") || !strcmp(o, "noprefix") || !strcmp(o, "cpuset_v2_mode")) continue;
            if (ctrls[0]) strcat(ctrls, ",");
            strncat(ctrls, o, sizeof ctrls - strlen(ctrls) - 2);
        }
        int i = cg->n++;
        cg->mnt[i] = strdup(mp);
        cg->ctrl[i] = strdup(ctrls);
        cg->dir[i] = path_join(mp, rel);
        if (has_ctrl(ctrls, "memory")) cg->memory = cg->dir[i];
        if (has_ctrl(ctrls, "freezer")) cg->freezer = cg->dir[i];
    }
    fclose(f);
    return 0;
}

/* The container's directories in every hierarchy. The engine removes the shared parent (jcompose/)
 * when its last container goes, so it may vanish between our mkdir of it and of our own directory:
 * then (ENOENT) everything is made again, on v2 with the controllers enabled on the new parent. */
static int make_dirs(struct cgroups *cg, const char *rel, char *err, size_t errlen) {
    for (int attempt = 0;; attempt++) {
        int i = 0, e = 0;
        if (cg->v2) {
            v2_enable("/sys/fs/cgroup", rel); /* makes the directories on the way, enabling controllers in each parent */
            if (access(cg->dir[0], F_OK) < 0) e = errno;
        } else {
            for (; i < cg->n; i++) if (mkdir_p(cg->dir[i], 0755)) { e = errno; break; }
        }
        if (!e) return 0;
        if (e != ENOENT || attempt >= 20) {
            snprintf(err, errlen, "cgroup: mkdir %s: %s", cg->dir[i], strerror(e));
            return -1;
        }
    }
}

int cgroups_create(const struct jval *spec, struct cgroups *cg, char *err, size_t errlen) {
    const struct jval *res = jpath(spec, "linux.resources");
    if (cgroups_paths(spec, cg, err, errlen)) return -1;
    if (cg->n && make_dirs(cg, jstr(jpath(spec, "linux.cgroupsPath"), ""), err, errlen)) return -1;
    for (int i = 0; i < cg->n; i++) {
        if (cg->v2) { if (res && apply_v2(cg->dir[i], res, err, errlen)) return -1; }
        else if (res && apply_v1(cg->ctrl[i], cg->mnt[i], cg->dir[i], res, err, errlen)) return -1;
        else if (!res && has_ctrl(cg->ctrl[i], "cpuset")) cpuset_inherit(cg->mnt[i], cg->dir[i]);
    }
    return 0;
}

int cgroups_freeze(const struct cgroups *cg, int frozen, char *err, size_t errlen) {
    if (!cg->freezer) { snprintf(err, errlen, "no freezer cgroup"); return -1; }
    if (cg->v2) return set(cg->freezer, "cgroup.freeze", frozen ? "1" : "0", err, errlen);
    return set(cg->freezer, "freezer.state", frozen ? "FROZEN" : "THAWED", err, errlen);
}

/* SIGKILL whatever is left, then remove the directories (retrying while the kernel finishes the exits) */
int cgroups_destroy(const struct cgroups *cg, char *err, size_t errlen) {
    for (int i = 0; i < cg->n; i++) {
        char *procs = path_join(cg->dir[i], "cgroup.procs");
        FILE *f = fopen(procs, "r");
        free(procs);
        if (!f) continue;
        int pid;
        while (fscanf(f, "%d", &pid) == 1) kill(pid, SIGKILL);
        fclose(f);
    }
    if (cg->freezer && !cg->v2) set(cg->freezer, "freezer.state", "THAWED", err, errlen);
    if (cg->freezer && cg->v2) set(cg->freezer, "cgroup.freeze", "0", err, errlen);
    err[0] = 0;
    for (int i = 0; i < cg->n; i++) {
        int tries = 0;
        while (rmdir(cg->dir[i]) < 0 && errno == EBUSY && tries++ < 200) usleep(10000);
        if (access(cg->dir[i], F_OK) == 0) { snprintf(err, errlen, "remove cgroup %s: %s", cg->dir[i], strerror(errno)); return -1; }
    }
    return 0;
}

int cgroups_join(const struct cgroups *cg, pid_t pid, char *err, size_t errlen) {
    for (int i = 0; i < cg->n; i++)
        if (setll(cg->dir[i], "cgroup.procs", pid, err, errlen)) return -1;
    return 0;
}

/* v1: "oom_kill N" in memory.oom_control (kernel >= 4.13); v2: memory.events */
int cgroups_oom_killed(const struct cgroups *cg) {
    char buf[1024];
    if (!cg->memory) return 0;
    char *p = path_join(cg->memory, cg->v2 ? "memory.events" : "memory.oom_control");
    int n = read_small(p, buf, sizeof buf);
    free(p);
    if (n <= 0) return 0;
    char *k = strstr(buf, "oom_kill ");
    return k && atoll(k + 9) > 0;
}
