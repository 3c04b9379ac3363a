#include "logfile.h"
#include "shim.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int logfile_open(struct logfile *lf, const char *path, long long max_size, int max_file) {
    struct stat st;
    lf->path = path;
    lf->max_size = max_size;
    lf->max_file = max_file < 1 ? 1 : max_file;
    lf->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (lf->fd < 0) return -1;
    lf->size = fstat(lf->fd, &st) == 0 ? st.st_size : 0;
    return 0;
}

/* Rotation as Docker's logfile.go: shift .1 → .2 …, drop the oldest; max-file 1 just truncates */
static void rotate(struct logfile *lf) {
    char from[4200], to[4200];
    close(lf->fd);
    if (lf->max_file > 1) {
        snprintf(to, sizeof to, "%s.%d", lf->path, lf->max_file - 1);
        unlink(to);
        for (int i = lf->max_file - 2; i >= 1; i--) {
            snprintf(from, sizeof from, "%s.%d", lf->path, i);
            snprintf(to, sizeof to, "%s.%d", lf->path, i + 1);
            rename(from, to);
        }
        snprintf(to, sizeof to, "%s.1", lf->path);
        rename(lf->path, to);
    }
    lf->fd = open(lf->path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    lf->size = 0;
}

static size_t put(char *out, size_t cap, size_t o, const char *s, size_t n) {
    if (o + n <= cap) memcpy(out + o, s, n);
    return o + n;
}

/* length of a valid UTF-8 sequence at s, or 0 */
static size_t utf8_len(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    size_t len;
    unsigned cp;
    if (c < 0xC2) return 0;
    if (c < 0xE0) { len = 2; cp = c & 0x1F; }
    else if (c < 0xF0) { len = 3; cp = c & 0x0F; }
    else if (c < 0xF5) { len = 4; cp = c & 0x07; }
    else return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    return len;
}

static size_t escape(char *out, size_t cap, size_t o, const unsigned char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c < 0x80) {
            char e[6];
            if (c == '"' || c == '\\') { e[0] = '\\'; e[1] = (char)c; o = put(out, cap, o, e, 2); }
            else if (c == '\n') o = put(out, cap, o, "\\n", 2);
            else if (c == '\r') o = put(out, cap, o, "\\r", 2);
            else if (c == '\t') o = put(out, cap, o, "\\t", 2);
            else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                memcpy(e, "\\u00", 4); e[4] = hex[c >> 4]; e[5] = hex[c & 15];
                o = put(out, cap, o, e, 6);
            } else { e[0] = (char)c; o = put(out, cap, o, e, 1); }
            i++;
            continue;
        }
        size_t len = utf8_len(s + i, n - i);
        if (!len) { o = put(out, cap, o, "\\ufffd", 6); i++; continue; }
        if (len == 3 && s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
            o = put(out, cap, o, s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
        } else {
            o = put(out, cap, o, (const char *)s + i, len);
        }
        i += len;
    }
    return o;
}

size_t json_log_record(char *out, size_t cap, const char *line, size_t len, int newline, const char *stream, const char *time) {
    size_t o = 0;
    o = put(out, cap, o, "{\"log\":\"", 8);
    o = escape(out, cap, o, (const unsigned char *)line, len);
    if (newline) o = put(out, cap, o, "\\n", 2);
    o = put(out, cap, o, "\",\"stream\":\"", 12);
    o = put(out, cap, o, stream, strlen(stream));
    o = put(out, cap, o, "\",\"time\":\"", 10);
    o = put(out, cap, o, time, strlen(time));
    o = put(out, cap, o, "\"}\n", 3);
    return o;
}

static void emit(struct logfile *lf, struct linebuf *lb, const char *line, size_t len, int newline) {
    static char rec[LOG_BUF * 6 + 256];   /* worst case: every byte escaped as \u00XX */
    if (!lb->partial) rfc3339nano(lb->time, sizeof lb->time);
    lb->partial = !newline;
    if (lf->fd < 0) return;
    if (lf->max_size > 0 && lf->size >= lf->max_size) rotate(lf);
    size_t n = json_log_record(rec, sizeof rec, line, len, newline, lb->stream, lb->time);
    if (n <= sizeof rec && write(lf->fd, rec, n) == (ssize_t)n) lf->size += (long long)n;
}

void linebuf_feed(struct logfile *lf, struct linebuf *lb, const char *data, size_t len) {
    while (len) {
        size_t take = LOG_BUF - lb->n < len ? LOG_BUF - lb->n : len;
        memcpy(lb->buf + lb->n, data, take);
        lb->n += take; data += take; len -= take;
        size_t start = 0;
        for (;;) {
            char *nl = memchr(lb->buf + start, '\n', lb->n - start);
            if (!nl) break;
            emit(lf, lb, lb->buf + start, (size_t)(nl - (lb->buf + start)), 1);
            start = (size_t)(nl - lb->buf) + 1;
        }
        if (start == 0 && lb->n == LOG_BUF) { emit(lf, lb, lb->buf, LOG_BUF, 0); lb->n = 0; }
        else { memmove(lb->buf, lb->buf + start, lb->n - start); lb->n -= start; }
    }
}

void linebuf_flush(struct logfile *lf, struct linebuf *lb) {
    if (lb->n) emit(lf, lb, lb->buf, lb->n, 0);
    lb->n = 0;
}
