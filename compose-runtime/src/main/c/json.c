#include "json.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser { const char *p; char *err; size_t errlen; };

static void *xcalloc(size_t n) { void *v = calloc(1, n); if (!v) abort(); return v; }

static void skip_ws(struct parser *ps) { while (isspace((unsigned char)*ps->p)) ps->p++; }

static int fail(struct parser *ps, const char *what) {
    if (ps->err && !ps->err[0]) snprintf(ps->err, ps->errlen, "%s near '%.20s'", what, ps->p);
    return -1;
}

static void put_utf8(char **o, unsigned cp) {
    char *d = *o;
    if (cp < 0x80) *d++ = (char)cp;
    else if (cp < 0x800) { *d++ = (char)(0xC0 | (cp >> 6)); *d++ = (char)(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) { *d++ = (char)(0xE0 | (cp >> 12)); *d++ = (char)(0x80 | ((cp >> 6) & 0x3F)); *d++ = (char)(0x80 | (cp & 0x3F)); }
    else { *d++ = (char)(0xF0 | (cp >> 18)); *d++ = (char)(0x80 | ((cp >> 12) & 0x3F)); *d++ = (char)(0x80 | ((cp >> 6) & 0x3F)); *d++ = (char)(0x80 | (cp & 0x3F)); }
    *o = d;
}

static int hex4(const char *s, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i]; v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return -1;
    }
    *out = v; return 0;
}

static char *parse_string(struct parser *ps) {
    if (*ps->p != '"') { fail(ps, "expected string"); return NULL; }
    const char *s = ++ps->p;
    size_t n = 0;
    while (s[n] && s[n] != '"') { if (s[n] == '\\' && s[n + 1]) n++; n++; }
    if (!s[n]) { fail(ps, "unterminated string"); return NULL; }
    char *out = xcalloc(n + 1), *o = out;   /* escapes never grow the text */
    while (*ps->p != '"') {
        char c = *ps->p++;
        if (c != '\\') { *o++ = c; continue; }
        c = *ps->p++;
        switch (c) {
        case 'n': *o++ = '\n'; break; case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break; case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'u': {
            unsigned cp;
            if (hex4(ps->p, &cp)) { free(out); fail(ps, "bad \\u escape"); return NULL; }
            ps->p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && ps->p[0] == '\\' && ps->p[1] == 'u') {
                unsigned lo;
                if (!hex4(ps->p + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00); ps->p += 6;
                }
            }
            put_utf8(&o, cp); break;
        }
        default: *o++ = c;
        }
    }
    ps->p++;
    *o = 0;
    return out;
}

static struct jval *parse_value(struct parser *ps, int depth);

static struct jval *parse_container(struct parser *ps, int depth, int obj) {
    struct jval *v = xcalloc(sizeof *v), **tail = &v->child;
    v->type = obj ? J_OBJ : J_ARR;
    ps->p++;
    skip_ws(ps);
    if (*ps->p == (obj ? '}' : ']')) { ps->p++; return v; }
    for (;;) {
        char *key = NULL;
        skip_ws(ps);
        if (obj) {
            if (!(key = parse_string(ps))) return NULL;
            skip_ws(ps);
            if (*ps->p++ != ':') { fail(ps, "expected ':'"); return NULL; }
        }
        struct jval *e = parse_value(ps, depth + 1);
        if (!e) return NULL;
        e->key = key;
        *tail = e; tail = &e->next;
        skip_ws(ps);
        if (*ps->p == ',') { ps->p++; continue; }
        if (*ps->p == (obj ? '}' : ']')) { ps->p++; return v; }
        fail(ps, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        return NULL;
    }
}

static struct jval *parse_value(struct parser *ps, int depth) {
    if (depth > 64) { fail(ps, "nesting too deep"); return NULL; }
    skip_ws(ps);
    char c = *ps->p;
    if (c == '{' || c == '[') return parse_container(ps, depth, c == '{');
    struct jval *v = xcalloc(sizeof *v);
    if (c == '"') { v->type = J_STR; if (!(v->str = parse_string(ps))) return NULL; return v; }
    if (!strncmp(ps->p, "true", 4)) { v->type = J_BOOL; v->boolean = 1; ps->p += 4; return v; }
    if (!strncmp(ps->p, "false", 5)) { v->type = J_BOOL; ps->p += 5; return v; }
    if (!strncmp(ps->p, "null", 4)) { v->type = J_NULL; ps->p += 4; return v; }
    if (c == '-' || isdigit((unsigned char)c)) {
        char *end;
        v->type = J_NUM;
        v->num = strtoll(ps->p, &end, 10);
        if (*end == '.' || *end == 'e' || *end == 'E') v->num = (long long)strtod(ps->p, &end);
        ps->p = end;
        return v;
    }
    fail(ps, "unexpected character");
    return NULL;
}

struct jval *json_parse(const char *text, char *err, size_t errlen) {
    struct parser ps = { text, err, errlen };
    if (err && errlen) err[0] = 0;
    struct jval *v = parse_value(&ps, 0);
    if (!v) return NULL;
    skip_ws(&ps);
    if (*ps.p) { fail(&ps, "trailing characters"); return NULL; }
    return v;
}

struct jval *json_parse_file(const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "r");
    if (!f) { snprintf(err, errlen, "cannot open %s: %m", path); return NULL; }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = xcalloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    buf[got] = 0;
    struct jval *v = json_parse(buf, err, errlen);
    free(buf);
    if (!v) { char tmp[256]; snprintf(tmp, sizeof tmp, "%s: %s", path, err); snprintf(err, errlen, "%s", tmp); }
    return v;
}

struct jval *jget(const struct jval *obj, const char *key) {
    if (!obj || obj->type != J_OBJ) return NULL;
    for (struct jval *e = obj->child; e; e = e->next)
        if (!strcmp(e->key, key)) return e;
    return NULL;
}

struct jval *jpath(const struct jval *root, const char *dotted) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", dotted);
    const struct jval *cur = root;
    for (char *save, *tok = strtok_r(buf, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save))
        cur = jget(cur, tok);
    return (struct jval *)cur;
}

const char *jstr(const struct jval *v, const char *dflt) { return v && v->type == J_STR ? v->str : dflt; }
long long jnum(const struct jval *v, long long dflt) { return v && v->type == J_NUM ? v->num : dflt; }
int jbool(const struct jval *v, int dflt) { return v && v->type == J_BOOL ? v->boolean : dflt; }
int jlen(const struct jval *arr) {
    int n = 0;
    if (arr && (arr->type == J_ARR || arr->type == J_OBJ)) for (struct jval *e = arr->child; e; e = e->next) n++;
    return n;
}
