package io.jcompose.runtime.container.seccomp;

import io.jcompose.runtime.container.seccomp.SeccompProfile.Arg;
import io.jcompose.runtime.container.seccomp.SeccompProfile.ArchEntry;
import io.jcompose.runtime.container.seccomp.SeccompProfile.Condition;
import io.jcompose.runtime.container.seccomp.SeccompProfile.KernelVersion;
import io.jcompose.runtime.container.seccomp.SeccompProfile.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The profile every container gets unless it is privileged or asks otherwise
 * ({@code security_opt: seccomp=unconfined | <file>}): the behaviour of Docker's default profile
 * (moby/profiles {@code seccomp/default.json}, RUNTIME-FACTS §1), written as our own data. Any call
 * not allowed here fails with EPERM; a few are allowed only with the capability that makes them
 * meaningful (mount, unshare, setns … with CAP_SYS_ADMIN; ptrace with CAP_SYS_PTRACE; the clock
 * with CAP_SYS_TIME …), some only on one architecture; {@code clone} without CAP_SYS_ADMIN may not
 * create namespaces, {@code clone3} then fails with ENOSYS so libc falls back to {@code clone};
 * {@code socket} may not open AF_ALG (38) or AF_VSOCK (40); {@code personality} only takes the harmless
 * personas. Keyring calls ({@code add_key}, {@code keyctl}, {@code request_key}), {@code kexec},
 * {@code userfaultfd}, {@code io_uring} and the like are allowed to no one.
 */
public final class DefaultSeccompProfile {
    private DefaultSeccompProfile() {}

    private static final int EPERM = 1;
    private static final int ENOSYS = 38;
    /** clone's namespace flags (NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET): none may be set without CAP_SYS_ADMIN. */
    private static final long CLONE_NAMESPACE_FLAGS = 0x7E020000L;
    private static final int AF_ALG = 38;
    private static final int AF_VSOCK = 40;

    /** Allowed to every container, whatever its capabilities. */
    private static final String ALWAYS = """
            accept accept4 access adjtimex alarm bind brk cachestat capget capset chdir chmod chown chown32
            clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime clock_gettime64
            clock_nanosleep clock_nanosleep_time64 close close_range connect copy_file_range creat dup dup2 dup3
            epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait
            epoll_wait_old eventfd eventfd2 execve execveat exit exit_group faccessat faccessat2 fadvise64
            fadvise64_64 fallocate fanotify_mark fchdir fchmod fchmodat fchmodat2 fchown fchown32 fchownat fcntl
            fcntl64 fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat fstat64 fstatat64
            fstatfs fstatfs64 fsync ftruncate ftruncate64 futex futex_requeue futex_time64 futex_wait
            futex_waitv futex_wake futimesat getcpu getcwd getdents getdents64 getegid getegid32 geteuid
            geteuid32 getgid getgid32 getgroups getgroups32 getitimer getpeername getpgid getpgrp getpid getppid
            getpriority getrandom getresgid getresgid32 getresuid getresuid32 getrlimit get_robust_list
            getrusage getsid getsockname getsockopt get_thread_area gettid gettimeofday getuid getuid32 getxattr
            getxattrat inotify_add_watch inotify_init inotify_init1 inotify_rm_watch io_cancel ioctl io_destroy
            io_getevents io_pgetevents io_pgetevents_time64 ioprio_get ioprio_set io_setup io_submit ipc kill
            landlock_add_rule landlock_create_ruleset landlock_restrict_self lchown lchown32 lgetxattr link
            linkat listen listmount listxattr listxattrat llistxattr _llseek lremovexattr lseek lsetxattr lstat
            lstat64 madvise map_shadow_stack membarrier memfd_create memfd_secret mincore mkdir mkdirat mknod
            mknodat mlock mlock2 mlockall mmap mmap2 mprotect mq_getsetattr mq_notify mq_open mq_timedreceive
            mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 mq_unlink mremap mseal msgctl msgget msgrcv
            msgsnd msync munlock munlockall munmap name_to_handle_at nanosleep newfstatat _newselect open openat
            openat2 pause pidfd_open pidfd_send_signal pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll
            ppoll_time64 prctl pread64 preadv preadv2 prlimit64 process_mrelease pselect6 pselect6_time64
            pwrite64 pwritev pwritev2 read readahead readlink readlinkat readv recv recvfrom recvmmsg
            recvmmsg_time64 recvmsg remap_file_pages removexattr removexattrat rename renameat renameat2
            restart_syscall riscv_hwprobe rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo
            rt_sigreturn rt_sigsuspend rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo
            sched_getaffinity sched_getattr sched_getparam sched_get_priority_max sched_get_priority_min
            sched_getscheduler sched_rr_get_interval sched_rr_get_interval_time64 sched_setaffinity
            sched_setattr sched_setparam sched_setscheduler sched_yield seccomp select semctl semget semop
            semtimedop semtimedop_time64 send sendfile sendfile64 sendmmsg sendmsg sendto setfsgid setfsgid32
            setfsuid setfsuid32 setgid setgid32 setgroups setgroups32 setitimer setpgid setpriority setregid
            setregid32 setresgid setresgid32 setresuid setresuid32 setreuid setreuid32 setrlimit set_robust_list
            setsid setsockopt set_thread_area set_tid_address setuid setuid32 setxattr setxattrat shmat shmctl
            shmdt shmget shutdown sigaltstack signalfd signalfd4 sigprocmask sigreturn socketcall socketpair
            splice stat stat64 statfs statfs64 statmount statx symlink symlinkat sync sync_file_range syncfs
            sysinfo tee tgkill time timer_create timer_delete timer_getoverrun timer_gettime timer_gettime64
            timer_settime timer_settime64 timerfd_create timerfd_gettime timerfd_gettime64 timerfd_settime
            timerfd_settime64 times tkill truncate truncate64 ugetrlimit umask uname unlink unlinkat uretprobe
            utime utimensat utimensat_time64 utimes vfork vmsplice wait4 waitid waitpid write writev
            """;

    /** Allowed with CAP_SYS_ADMIN: mounts, namespaces, host and domain names, quotas, bpf, perf. */
    private static final String WITH_SYS_ADMIN = """
            bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie lsm_get_self_attr
            lsm_list_modules lsm_set_self_attr mount mount_setattr move_mount open_tree perf_event_open quotactl
            quotactl_fd setdomainname sethostname setns syslog umount umount2 unshare
            """;

    /** The profile. */
    public static final SeccompProfile PROFILE = build();

    private static SeccompProfile build() {
        List<Rule> r = new ArrayList<>();
        r.add(allow(ALWAYS, Condition.NONE));
        r.add(allow("process_vm_readv process_vm_writev ptrace", new Condition(List.of(), List.of(), new KernelVersion(4, 8))));
        // socket: every address family but AF_ALG and AF_VSOCK
        r.add(allowIf("socket", new Arg(0, AF_ALG, 0, "SCMP_CMP_LT")));
        r.add(allowIf("socket", new Arg(0, AF_ALG + 1, 0, "SCMP_CMP_EQ")));
        r.add(allowIf("socket", new Arg(0, AF_VSOCK, 0, "SCMP_CMP_GT")));
        // personality: PER_LINUX, PER_LINUX32, UNAME26, UNAME26|PER_LINUX32, and the query (0xffffffff)
        for (long persona : new long[] {0x0, 0x8, 0x20000, 0x20008, 0xffffffffL}) {
            r.add(allowIf("personality", new Arg(0, persona, 0, "SCMP_CMP_EQ")));
        }
        r.add(allow("sync_file_range2 swapcontext", arches("ppc64le")));
        r.add(allow("arm_fadvise64_64 arm_sync_file_range sync_file_range2 breakpoint cacheflush set_tls", arches("arm", "arm64")));
        r.add(allow("arch_prctl", arches("amd64", "x32")));
        r.add(allow("modify_ldt", arches("amd64", "x32", "x86")));
        r.add(allow("s390_pci_mmio_read s390_pci_mmio_write s390_runtime_instr", arches("s390", "s390x")));
        r.add(allow("riscv_flush_icache", arches("riscv64")));
        r.add(allow("open_by_handle_at", cap("CAP_DAC_READ_SEARCH")));
        r.add(allow(WITH_SYS_ADMIN, cap("CAP_SYS_ADMIN")));
        // without CAP_SYS_ADMIN: clone only without namespace flags (the flags are its second argument on s390)
        r.add(new Rule(List.of("clone"), "SCMP_ACT_ALLOW", null, List.of(new Arg(0, CLONE_NAMESPACE_FLAGS, 0, "SCMP_CMP_MASKED_EQ")),
                Condition.NONE, new Condition(List.of("CAP_SYS_ADMIN"), List.of("s390", "s390x"), null)));
        r.add(new Rule(List.of("clone"), "SCMP_ACT_ALLOW", null, List.of(new Arg(1, CLONE_NAMESPACE_FLAGS, 0, "SCMP_CMP_MASKED_EQ")),
                arches("s390", "s390x"), cap("CAP_SYS_ADMIN")));
        r.add(new Rule(List.of("clone3"), "SCMP_ACT_ERRNO", ENOSYS, List.of(), Condition.NONE, cap("CAP_SYS_ADMIN")));
        r.add(allow("reboot", cap("CAP_SYS_BOOT")));
        r.add(allow("chroot", cap("CAP_SYS_CHROOT")));
        r.add(allow("delete_module init_module finit_module", cap("CAP_SYS_MODULE")));
        r.add(allow("acct", cap("CAP_SYS_PACCT")));
        r.add(allow("kcmp pidfd_getfd process_madvise process_vm_readv process_vm_writev ptrace", cap("CAP_SYS_PTRACE")));
        r.add(allow("iopl ioperm", cap("CAP_SYS_RAWIO")));
        r.add(allow("settimeofday stime clock_settime clock_settime64", cap("CAP_SYS_TIME")));
        r.add(allow("vhangup", cap("CAP_SYS_TTY_CONFIG")));
        r.add(allow("get_mempolicy mbind set_mempolicy set_mempolicy_home_node", cap("CAP_SYS_NICE")));
        r.add(allow("syslog", cap("CAP_SYSLOG")));
        r.add(allow("bpf", cap("CAP_BPF")));
        r.add(allow("perf_event_open", cap("CAP_PERFMON")));
        List<ArchEntry> archMap = List.of(
                new ArchEntry("SCMP_ARCH_X86_64", List.of("SCMP_ARCH_X86", "SCMP_ARCH_X32")),
                new ArchEntry("SCMP_ARCH_AARCH64", List.of("SCMP_ARCH_ARM")),
                new ArchEntry("SCMP_ARCH_S390X", List.of("SCMP_ARCH_S390")),
                new ArchEntry("SCMP_ARCH_RISCV64", List.of()));
        return new SeccompProfile("SCMP_ACT_ERRNO", EPERM, List.of(), archMap, r);
    }

    private static Rule allow(String names, Condition when) {
        return new Rule(Arrays.asList(names.strip().split("\\s+")), "SCMP_ACT_ALLOW", null, List.of(), when, Condition.NONE);
    }

    private static Rule allowIf(String name, Arg arg) {
        return new Rule(List.of(name), "SCMP_ACT_ALLOW", null, List.of(arg), Condition.NONE, Condition.NONE);
    }

    private static Condition cap(String cap) {
        return new Condition(List.of(cap), List.of(), null);
    }

    private static Condition arches(String... arches) {
        return new Condition(List.of(), List.of(arches), null);
    }
}
