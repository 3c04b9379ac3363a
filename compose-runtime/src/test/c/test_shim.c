/* Unit tests of the shim's pure parts (no root): JSON reader, json-file records and line splitting. */
#include "../../main/c/json.h"
#include "../../main/c/logfile.h"
#include "../../main/c/shim.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static void test_json(void) {
    char err[256];
    struct jval *v = json_parse("{\"a\": {\"b\": [1, -2, 3e2]}, \"s\": \"x\\u00e9\\n\\\"\", \"t\": true, \"n\": null}", err, sizeof err);
    CHECK(v != NULL, "parse: %s", err);
    if (!v) return;
    CHECK(jlen(jpath(v, "a.b")) == 3, "array length");
    CHECK(jnum(jpath(v, "a.b")->child->next, 0) == -2, "negative number");
    CHECK(jnum(jpath(v, "a.b")->child->next->next, 0) == 300, "exponent");
    CHECK(!strcmp(jstr(jget(v, "s"), ""), "x\xc3\xa9\n\""), "string escapes: %s", jstr(jget(v, "s"), ""));
    CHECK(jbool(jget(v, "t"), 0) == 1, "bool");
    CHECK(jget(v, "n")->type == J_NULL, "null");
    CHECK(jget(v, "missing") == NULL, "missing key");
    CHECK(json_parse("{\"a\": }", err, sizeof err) == NULL && strstr(err, "unexpected"), "error text: %s", err);
    CHECK(json_parse("[1, 2", err, sizeof err) == NULL, "unterminated array");
    CHECK(json_parse("\"\\ud83d\\ude00\"", err, sizeof err) && !strcmp(json_parse("\"\\ud83d\\ude00\"", err, sizeof err)->str, "\xf0\x9f\x98\x80"),
          "surrogate pair");
}

static void test_record(void) {
    char out[512];
    const char *line = "<a href=\"x\">&</a>\t\x01\\";
    size_t n = json_log_record(out, sizeof out, line, strlen(line), 1, "stdout", "2026-01-02T03:04:05.5Z");
    out[n] = 0;
    CHECK(!strcmp(out, "{\"log\":\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\\t\\u0001\\\\\\n\",\"stream\":\"stdout\",\"time\":\"2026-01-02T03:04:05.5Z\"}\n"),
          "escaping: %s", out);
    n = json_log_record(out, sizeof out, "\xff ok \xe2\x80\xa8 \xc3\xa9", 11, 0, "stderr", "T");
    out[n] = 0;
    CHECK(!strcmp(out, "{\"log\":\"\\ufffd ok \\u2028 \xc3\xa9\",\"stream\":\"stderr\",\"time\":\"T\"}\n"), "utf-8: %s", out);
}

static char *slurp(const char *path) {
    static char buf[200000];
    int fd = open(path, O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n < 0 ? 0 : n] = 0;
    return buf;
}

static int count(const char *s, const char *needle) {
    int c = 0;
    for (const char *p = s; (p = strstr(p, needle)); p++) c++;
    return c;
}

static void test_lines(void) {
    char path[] = "/tmp/jcshim-test-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    struct logfile lf;
    static struct linebuf lb = { .stream = "stdout" };
    CHECK(logfile_open(&lf, path, 0, 1) == 0, "open");
    linebuf_feed(&lf, &lb, "one\ntw", 6);
    linebuf_feed(&lf, &lb, "o\n", 2);
    static char big[20001];
    memset(big, 'x', 20000);
    big[20000] = '\n';
    linebuf_feed(&lf, &lb, big, sizeof big);
    linebuf_feed(&lf, &lb, "tail", 4);
    linebuf_flush(&lf, &lb);
    char *text = slurp(path);
    CHECK(count(text, "\n") == 5, "5 records, got %d", count(text, "\n"));
    CHECK(strstr(text, "{\"log\":\"one\\n\",\"stream\":\"stdout\"") != NULL, "first line");
    CHECK(strstr(text, "{\"log\":\"two\\n\"") != NULL, "line across reads");
    CHECK(strstr(text, "{\"log\":\"tail\",\"stream\"") != NULL, "last line without newline");
    /* the 16 KiB chunk has no newline, the rest carries it; both share one time */
    char *chunk = strstr(text, "{\"log\":\"xxxx");
    CHECK(chunk && chunk[8 + 16384] == '"', "first chunk is 16384 bytes");
    char *rest = chunk ? strstr(chunk + 1, "{\"log\":\"xxxx") : NULL;
    CHECK(rest && rest[8 + 3616] == '\\' && rest[9 + 3616] == 'n', "second chunk is the rest plus newline");
    if (chunk && rest) {
        char *t1 = strstr(chunk, "\"time\":"), *t2 = strstr(rest, "\"time\":");
        CHECK(!strncmp(t1, t2, 40), "chunks share the first chunk's time");
    }
    close(lf.fd);
    unlink(path);
}

static void test_rotation(void) {
    char path[] = "/tmp/jcshim-rot-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    struct logfile lf;
    static struct linebuf lb = { .stream = "stdout" };
    logfile_open(&lf, path, 200, 3);
    for (int i = 0; i < 20; i++) linebuf_feed(&lf, &lb, "0123456789012345678901234567890123456789\n", 41);
    char p1[64], p2[64], p3[64];
    snprintf(p1, sizeof p1, "%s.1", path);
    snprintf(p2, sizeof p2, "%s.2", path);
    snprintf(p3, sizeof p3, "%s.3", path);
    CHECK(access(p1, F_OK) == 0 && access(p2, F_OK) == 0, "rotated files .1 and .2 exist");
    CHECK(access(p3, F_OK) != 0, "no .3 with max-file 3");
    close(lf.fd);
    unlink(path); unlink(p1); unlink(p2);
}

static void test_time(void) {
    char t[40];
    rfc3339nano(t, sizeof t);
    CHECK(strlen(t) >= 20 && t[10] == 'T' && t[strlen(t) - 1] == 'Z' && t[strlen(t) - 2] != '0', "RFC3339Nano: %s", t);
}

int main(void) {
    test_json();
    test_record();
    test_lines();
    test_rotation();
    test_time();
    if (failures) { fprintf(stderr, "%d shim unit check(s) failed\n", failures); return 1; }
    puts("shim unit tests: ok");
    return 0;
}
