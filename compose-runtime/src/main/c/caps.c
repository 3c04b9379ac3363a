/* Capabilities: names to numbers, bounding set, then effective/permitted/inheritable/ambient. */
#include "shim.h"
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *const NAMES[] = {
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
    "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
    "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
    "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
    "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
    "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
};

int cap_from_name(const char *name) {
    if (!strncmp(name, "CAP_", 4)) name += 4;
    for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++)
        if (!strcmp(NAMES[i], name)) return (int)i;
    return -1;
}

static int last_cap(void) {
    char buf[16];
    if (read_small("/proc/sys/kernel/cap_last_cap", buf, sizeof buf) > 0) return atoi(buf);
    return CAP_LAST_CAP;
}

/* 64-bit mask of a capability list; unknown names are an error (runc does the same) */
static int mask_of(const struct jval *list, unsigned long long *mask, char *err, size_t errlen) {
    *mask = 0;
    if (!list) return 0;
    for (const struct jval *e = list->child; e; e = e->next) {
        int c = cap_from_name(jstr(e, ""));
        if (c < 0) { snprintf(err, errlen, "unknown capability \"%s\"", jstr(e, "")); return -1; }
        if (c <= last_cap()) *mask |= 1ULL << c;
    }
    return 0;
}

int apply_caps_bounding(const struct jval *caps, char *err, size_t errlen) {
    unsigned long long bnd;
    if (!caps) return 0;
    if (mask_of(jget(caps, "bounding"), &bnd, err, errlen)) return -1;
    for (int c = 0; c <= last_cap(); c++) {
        if (bnd & (1ULL << c)) continue;
        if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL) {
            snprintf(err, errlen, "drop capability %d from bounding set: %s", c, strerror(errno));
            return -1;
        }
    }
    return 0;
}

int apply_caps_final(const struct jval *caps, char *err, size_t errlen) {
    unsigned long long eff = 0, prm = 0, inh = 0, amb = 0;
    if (caps && (mask_of(jget(caps, "effective"), &eff, err, errlen) || mask_of(jget(caps, "permitted"), &prm, err, errlen) ||
                 mask_of(jget(caps, "inheritable"), &inh, err, errlen) || mask_of(jget(caps, "ambient"), &amb, err, errlen)))
        return -1;
    struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct d[2] = {
        { (unsigned)eff, (unsigned)prm, (unsigned)inh },
        { (unsigned)(eff >> 32), (unsigned)(prm >> 32), (unsigned)(inh >> 32) },
    };
    if (syscall(SYS_capset, &h, d) < 0) { snprintf(err, errlen, "capset: %s", strerror(errno)); return -1; }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    for (int c = 0; c <= last_cap(); c++)
        if (amb & (1ULL << c)) prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0);
    return 0;
}
