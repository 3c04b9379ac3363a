/* OCI linux.seccomp → a classic BPF filter (x86_64), without libseccomp. Syscall numbers come
 * from the kernel headers at build time (syscalls.h); names this kernel's headers do not know
 * are skipped, as runc/libseccomp skip them. */
#include "shim.h"
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

struct sysent { const char *name; int nr; };
static const struct sysent SYSCALLS[] = {
#include "syscalls.h"
};

#define MAX_INSNS 4096

static int syscall_nr(const char *name) {
    for (size_t i = 0; i < sizeof SYSCALLS / sizeof *SYSCALLS; i++)
        if (!strcmp(SYSCALLS[i].name, name)) return SYSCALLS[i].nr;
    return -1;
}

static int action_of(const char *act, long long errno_ret, unsigned *out) {
    if (!strcmp(act, "SCMP_ACT_ALLOW")) *out = SECCOMP_RET_ALLOW;
    else if (!strcmp(act, "SCMP_ACT_ERRNO")) *out = SECCOMP_RET_ERRNO | ((unsigned)errno_ret & SECCOMP_RET_DATA);
    else if (!strcmp(act, "SCMP_ACT_KILL") || !strcmp(act, "SCMP_ACT_KILL_THREAD")) *out = SECCOMP_RET_KILL_THREAD;
    else if (!strcmp(act, "SCMP_ACT_KILL_PROCESS")) *out = SECCOMP_RET_KILL_PROCESS;
    else if (!strcmp(act, "SCMP_ACT_TRAP")) *out = SECCOMP_RET_TRAP;
    else if (!strcmp(act, "SCMP_ACT_LOG")) *out = SECCOMP_RET_LOG;
    else if (!strcmp(act, "SCMP_ACT_TRACE")) *out = SECCOMP_RET_TRACE | ((unsigned)errno_ret & SECCOMP_RET_DATA);
    else return -1;
    return 0;
}

struct prog { struct sock_filter f[MAX_INSNS]; int n; };

static int emit(struct prog *p, unsigned short code, unsigned char jt, unsigned char jf, unsigned k) {
    if (p->n >= MAX_INSNS) return -1;
    p->f[p->n++] = (struct sock_filter){ code, jt, jf, k };
    return 0;
}

#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)

/* One argument condition; jumps to the rule's end (fail) are patched by the caller through *fails. */
static int emit_arg(struct prog *p, const struct jval *arg, int *fails, int *nfails, char *err, size_t errlen) {
    unsigned idx = (unsigned)jnum(jget(arg, "index"), 0);
    unsigned long long v = (unsigned long long)jnum(jget(arg, "value"), 0), v2 = (unsigned long long)jnum(jget(arg, "valueTwo"), 0);
    const char *op = jstr(jget(arg, "op"), "");
    unsigned vhi = (unsigned)(v >> 32), vlo = (unsigned)v;
    if (idx > 5) { snprintf(err, errlen, "seccomp: argument index %u out of range", idx); return -1; }
#define FAIL_JUMP(code, k, jt_, jf_) do { fails[(*nfails)++] = p->n; if (emit(p, code, jt_, jf_, k)) return -1; } while (0)
    if (!strcmp(op, "SCMP_CMP_EQ") || !strcmp(op, "SCMP_CMP_NE") || !strcmp(op, "SCMP_CMP_MASKED_EQ")) {
        int masked = !strcmp(op, "SCMP_CMP_MASKED_EQ"), ne = !strcmp(op, "SCMP_CMP_NE");
        unsigned mhi = (unsigned)(v >> 32), mlo = (unsigned)v;   /* for MASKED_EQ, value is the mask */
        if (masked) { vhi = (unsigned)(v2 >> 32); vlo = (unsigned)v2; }
        emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_HI(idx));
        if (masked) emit(p, BPF_ALU | BPF_AND | BPF_K, 0, 0, mhi);
        if (ne) {
            /* NE: passes if hi differs (skip the lo check), else fails if lo is equal */
            emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 2, vhi);
            emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_LO(idx));
            fails[(*nfails)++] = -(p->n + 1);                    /* jt: equal → fail */
            return emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, vlo);
        }
        FAIL_JUMP(BPF_JMP | BPF_JEQ | BPF_K, vhi, 0, 0);        /* jf patched */
        emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_LO(idx));
        if (masked) emit(p, BPF_ALU | BPF_AND | BPF_K, 0, 0, mlo);
        FAIL_JUMP(BPF_JMP | BPF_JEQ | BPF_K, vlo, 0, 0);        /* jf patched */
        return 0;
    }
    /* unsigned 64-bit ordering: decide on hi unless equal, then on lo */
    int gt = !strcmp(op, "SCMP_CMP_GT"), ge = !strcmp(op, "SCMP_CMP_GE"), lt = !strcmp(op, "SCMP_CMP_LT"), le = !strcmp(op, "SCMP_CMP_LE");
    if (!(gt || ge || lt || le)) { snprintf(err, errlen, "seccomp: unsupported operator %s", op); return -1; }
    emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_HI(idx));
    if (gt || ge) {
        emit(p, BPF_JMP | BPF_JGT | BPF_K, 3, 0, vhi);         /* hi > vhi → pass (skip 3) */
        FAIL_JUMP(BPF_JMP | BPF_JEQ | BPF_K, vhi, 0, 0);        /* hi < vhi → fail */
        emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_LO(idx));
        FAIL_JUMP(BPF_JMP | (gt ? BPF_JGT : BPF_JGE) | BPF_K, vlo, 0, 0);
    } else {
        emit(p, BPF_JMP | BPF_JGE | BPF_K, 0, 3, vhi);         /* hi < vhi → pass (skip 3) */
        FAIL_JUMP(BPF_JMP | BPF_JEQ | BPF_K, vhi, 0, 0);        /* hi > vhi → fail */
        emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_LO(idx));
        /* lo < vlo (or <=): fail when lo >= vlo (or > vlo) */
        fails[(*nfails)++] = -(p->n + 1);                       /* negative: the jt branch fails */
        emit(p, BPF_JMP | (lt ? BPF_JGE : BPF_JGT) | BPF_K, 0, 0, vlo);
    }
    return 0;
#undef FAIL_JUMP
}

int seccomp_install(const struct jval *sc, char *err, size_t errlen) {
    if (!sc) return 0;
    static struct prog p;
    unsigned def;
    long long def_errno = jnum(jget(sc, "defaultErrnoRet"), EPERM);
    p.n = 0;
    if (action_of(jstr(jget(sc, "defaultAction"), "SCMP_ACT_ALLOW"), def_errno, &def)) {
        snprintf(err, errlen, "seccomp: unknown default action %s", jstr(jget(sc, "defaultAction"), "")); return -1;
    }
    /* another architecture (or the x32 ABI) than ours: kill, as libseccomp's bad-arch action */
    emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
    emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, AUDIT_ARCH_X86_64);
    emit(&p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
    emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
    emit(&p, BPF_JMP | BPF_JGE | BPF_K, 0, 1, 0x40000000U);
    emit(&p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
    const struct jval *rules = jget(sc, "syscalls");
    if (rules) for (const struct jval *r = rules->child; r; r = r->next) {
        unsigned act;
        if (action_of(jstr(jget(r, "action"), ""), jget(r, "errnoRet") ? jnum(jget(r, "errnoRet"), EPERM) : def_errno, &act)) {
            snprintf(err, errlen, "seccomp: unknown action %s", jstr(jget(r, "action"), "")); return -1;
        }
        const struct jval *names = jget(r, "names"), *args = jget(r, "args");
        if (names) for (const struct jval *nm = names->child; nm; nm = nm->next) {
            int nr = syscall_nr(jstr(nm, ""));
            if (nr < 0) continue;
            int fails[64], nfails = 0, start = p.n;
            if (emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr))) goto full;
            fails[nfails++] = p.n;
            if (emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, (unsigned)nr)) goto full;
            if (args) for (const struct jval *a = args->child; a && nfails < 60; a = a->next)
                if (emit_arg(&p, a, fails, &nfails, err, errlen)) { if (!err[0]) goto full; return -1; }
            if (emit(&p, BPF_RET | BPF_K, 0, 0, act)) goto full;
            /* every failed check jumps to the instruction after this rule */
            for (int i = 0; i < nfails; i++) {
                int at = fails[i] < 0 ? -fails[i] - 1 : fails[i];
                int dist = p.n - at - 1;
                if (dist > 255) { snprintf(err, errlen, "seccomp: rule for %s too long", jstr(nm, "")); return -1; }
                if (fails[i] < 0) p.f[at].jt = (unsigned char)dist;
                else p.f[at].jf = (unsigned char)dist;
            }
            (void)start;
        }
    }
    if (emit(&p, BPF_RET | BPF_K, 0, 0, def)) goto full;
    struct sock_fprog fprog = { (unsigned short)p.n, p.f };
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0) {
        snprintf(err, errlen, "install seccomp filter: %s", strerror(errno)); return -1;
    }
    return 0;
full:
    snprintf(err, errlen, "seccomp: profile too large (more than %d BPF instructions)", MAX_INSNS);
    return -1;
}
