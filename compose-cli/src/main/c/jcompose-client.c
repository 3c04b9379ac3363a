/*
 * jcompose-client: the thin native front of `jcompose`. It hands the command line, environment,
 * working directory and terminal facts to the CLI server inside the running jcomposed (a warm
 * JVM) and relays stdin, stdout, stderr, signals and the exit code, so a command costs no JVM
 * start. Whenever the server cannot take the request (no daemon, another build, an interactive
 * exec/run) it execs the JVM launcher instead, so falling back never changes what the user sees.
 * Protocol and rules: docs/cli.md. libc only.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#ifndef JCOMPOSE_BUILD_ID
#define JCOMPOSE_BUILD_ID "unknown"
#endif

#define DEFAULT_HOST "unix:///run/jcompose/jcompose.sock"
#define CLI_SOCKET "jcompose-cli.sock"
#define MAX_PAYLOAD (16u << 20)

extern char **environ;

static int sig_pipe[2] = {-1, -1};

/* The global flags that take their value as the next argument (CommandWord.VALUED in Java). */
static const char *const VALUED[] = {"-f", "--file", "-p", "--project-name", "--project-directory", "--workdir",
                                     "--env-file", "--profile", "--ansi", "--progress", "--parallel", "-H", "--host", NULL};

static int valued(const char *a) {
    for (int i = 0; VALUED[i]; i++) {
        if (strcmp(a, VALUED[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Runs the JVM launcher with the same arguments: the path that works without a server. */
static void fallback(char **argv) {
    signal(SIGPIPE, SIG_DFL);
    const char *launcher = getenv("JCOMPOSE_JVM_LAUNCHER");
    char derived[4096];
    if (launcher == NULL || launcher[0] == '\0') {
        /* <root>/compose-cli/target/native/jcompose-client -> <root>/bin/jcompose-jvm */
        ssize_t n = readlink("/proc/self/exe", derived, sizeof derived - 64);
        if (n <= 0) {
            fprintf(stderr, "jcompose: cannot find the JVM launcher (set JCOMPOSE_JVM_LAUNCHER)\n");
            exit(1);
        }
        derived[n] = '\0';
        for (int up = 0; up < 4; up++) {
            char *slash = strrchr(derived, '/');
            if (slash == NULL) {
                break;
            }
            *slash = '\0';
        }
        strcat(derived, "/bin/jcompose-jvm");
        launcher = derived;
    }
    argv[0] = (char *)launcher;
    execv(launcher, argv);
    fprintf(stderr, "jcompose: cannot run %s: %s\n", launcher, strerror(errno));
    exit(1);
}

/* The host the CLI would use: -H/--host among the global flags, else JCOMPOSE_HOST, else the default. */
static const char *engine_host(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0 || a[0] != '-' || strcmp(a, "-") == 0) {
            break; /* the sub-command: its own flags are not global */
        }
        if ((strcmp(a, "-H") == 0 || strcmp(a, "--host") == 0) && i + 1 < argc) {
            return argv[i + 1];
        }
        if (strncmp(a, "--host=", 7) == 0) {
            return a + 7;
        }
        if (strncmp(a, "-H", 2) == 0 && a[2] != '\0') {
            return a[2] == '=' ? a + 3 : a + 2;
        }
        if (valued(a)) {
            i++;
        }
    }
    const char *env = getenv("JCOMPOSE_HOST");
    return env != NULL && env[0] != '\0' ? env : DEFAULT_HOST;
}

/* Connects to the CLI socket next to the engine's unix socket; -1 when there is none. */
static int connect_server(const char *host) {
    if (strncmp(host, "unix://", 7) != 0) {
        return -1; /* TCP engines: no CLI server can be next to them */
    }
    const char *path = host + 7;
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        return -1;
    }
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    size_t dir = (size_t)(slash - path);
    if (dir + 1 + strlen(CLI_SOCKET) + 1 > sizeof addr.sun_path) {
        return -1;
    }
    memcpy(addr.sun_path, path, dir);
    memcpy(addr.sun_path + dir, "/" CLI_SOCKET, strlen(CLI_SOCKET) + 2);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t len) {
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int send_frame(int fd, char type, const void *payload, uint32_t len) {
    unsigned char h[5] = {(unsigned char)type, len >> 24, len >> 16, len >> 8, len};
    if (write_all(fd, h, 5) != 0) {
        return -1;
    }
    return len == 0 ? 0 : write_all(fd, payload, len);
}

static int send_text(int fd, char type, const char *text) {
    return send_frame(fd, type, text, (uint32_t)strlen(text));
}

/* Reads one frame; the payload is malloc'ed (caller frees). -1 at the end of the connection. */
static int read_frame(int fd, char *type, unsigned char **payload, uint32_t *len) {
    unsigned char h[5];
    if (read_all(fd, h, 5) != 0) {
        return -1;
    }
    *type = (char)h[0];
    *len = (uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 8 | h[4];
    if (*len > MAX_PAYLOAD) {
        return -1;
    }
    *payload = malloc(*len + 1);
    if (*payload == NULL || (*len > 0 && read_all(fd, *payload, *len) != 0)) {
        free(*payload);
        return -1;
    }
    (*payload)[*len] = '\0';
    return 0;
}

static void winsize(unsigned char out[4]) {
    struct winsize ws = {0};
    if (ioctl(2, TIOCGWINSZ, &ws) != 0 && ioctl(1, TIOCGWINSZ, &ws) != 0 && ioctl(0, TIOCGWINSZ, &ws) != 0) {
        memset(&ws, 0, sizeof ws);
    }
    out[0] = ws.ws_col >> 8;
    out[1] = ws.ws_col;
    out[2] = ws.ws_row >> 8;
    out[3] = ws.ws_row;
}

static int send_request(int fd, int argc, char **argv) {
    if (send_text(fd, 'V', JCOMPOSE_BUILD_ID) != 0) {
        return -1;
    }
    for (int i = 1; i < argc; i++) {
        if (send_text(fd, 'A', argv[i]) != 0) {
            return -1;
        }
    }
    for (char **e = environ; *e; e++) {
        if (send_text(fd, 'E', *e) != 0) {
            return -1;
        }
    }
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) == NULL) {
        return -1; /* a deleted or too long working directory: let the JVM report it */
    }
    unsigned char term[7] = {(unsigned char)isatty(0), (unsigned char)isatty(1), (unsigned char)isatty(2)};
    winsize(term + 3);
    if (send_text(fd, 'C', cwd) != 0 || send_frame(fd, 'T', term, 7) != 0 || send_frame(fd, 'G', NULL, 0) != 0) {
        return -1;
    }
    return 0;
}

static void on_signal(int signo) {
    int saved = errno;
    unsigned char s = (unsigned char)signo;
    if (write(sig_pipe[1], &s, 1) < 0) {
        /* the pipe is full: the signal is one of many already queued */
    }
    errno = saved;
}

static const char *signal_name(int signo) {
    switch (signo) {
        case SIGINT: return "INT";
        case SIGTERM: return "TERM";
        case SIGHUP: return "HUP";
        case SIGQUIT: return "QUIT";
        case SIGUSR1: return "USR1";
        case SIGUSR2: return "USR2";
        default: return NULL;
    }
}

static void install_signals(void) {
    if (pipe2(sig_pipe, O_CLOEXEC) != 0) {
        return;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) {
        sigaction(forwarded[i], &sa, NULL);
    }
}

/* Relays until the server sends the exit code; returns it. */
static int relay(int fd, char type, unsigned char *payload, uint32_t len) {
    int want_stdin = 0;
    for (;;) {
        switch (type) {
            case 'o':
                write_all(1, payload, len); /* a closed stdout (| head) must not stop the run */
                break;
            case 'e':
                write_all(2, payload, len);
                break;
            case 'r':
                want_stdin = 1;
                break;
            case 'x':
                if (len == 4) {
                    return (int)((uint32_t)payload[0] << 24 | (uint32_t)payload[1] << 16 | (uint32_t)payload[2] << 8 | payload[3]);
                }
                return 1;
            default:
                break; /* a frame type this client does not know: newer server, ignore */
        }
        free(payload);
        payload = NULL;
        for (;;) {
            struct pollfd p[3] = {{.fd = fd, .events = POLLIN}, {.fd = sig_pipe[0], .events = POLLIN},
                                  {.fd = want_stdin ? 0 : -1, .events = POLLIN}};
            if (poll(p, 3, -1) < 0) {
                if (errno == EINTR) {
                    continue;
                }
                return 1;
            }
            if (p[1].revents & POLLIN) {
                unsigned char s;
                if (read(sig_pipe[0], &s, 1) == 1) {
                    if (s == SIGWINCH) {
                        unsigned char ws[4];
                        winsize(ws);
                        send_frame(fd, 'W', ws, 4);
                    } else if (signal_name(s) != NULL) {
                        send_text(fd, 'S', signal_name(s));
                    }
                }
            }
            if (p[2].revents & (POLLIN | POLLHUP | POLLERR)) {
                static unsigned char buf[65536];
                ssize_t n = read(0, buf, sizeof buf);
                if (n < 0 && errno == EINTR) {
                    continue;
                }
                if (n <= 0) {
                    want_stdin = 0;
                    send_frame(fd, 'I', NULL, 0);
                } else {
                    send_frame(fd, 'I', buf, (uint32_t)n);
                }
            }
            if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                break;
            }
        }
        if (read_frame(fd, &type, &payload, &len) != 0) {
            fprintf(stderr, "jcompose: the CLI server in jcomposed closed the connection before the command ended\n");
            return 1;
        }
    }
}

int main(int argc, char **argv) {
    const char *off = getenv("JCOMPOSE_NO_SERVER");
    if (off != NULL && off[0] != '\0' && strcmp(off, "0") != 0) {
        fallback(argv);
    }
    int fd = connect_server(engine_host(argc, argv));
    if (fd < 0) {
        fallback(argv);
    }
    signal(SIGPIPE, SIG_IGN);
    install_signals();
    char type;
    unsigned char *payload;
    uint32_t len;
    if (send_request(fd, argc, argv) != 0 || read_frame(fd, &type, &payload, &len) != 0) {
        close(fd);
        fallback(argv); /* the server left before answering: nothing was printed yet */
    }
    if (type == 'n') {
        if (getenv("JCOMPOSE_CLIENT_DEBUG") != NULL) {
            fprintf(stderr, "jcompose-client: declined: %s\n", (char *)payload);
        }
        free(payload);
        close(fd);
        fallback(argv);
    }
    int code = relay(fd, type, payload, len);
    close(fd);
    return code;
}
