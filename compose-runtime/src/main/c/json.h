/* A small JSON reader for the OCI config.json subset the shim needs. */
#ifndef JC_JSON_H
#define JC_JSON_H
#include <stddef.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
    enum jtype type;
    char *str;          /* J_STR value; also key when member of an object */
    char *key;
    long long num;      /* integers only: the spec has no fractions we need */
    int boolean;
    struct jval *child; /* first element / member */
    struct jval *next;  /* next sibling */
};

struct jval *json_parse(const char *text, char *err, size_t errlen);
struct jval *json_parse_file(const char *path, char *err, size_t errlen);
struct jval *jget(const struct jval *obj, const char *key);
/* path like "linux.resources.memory.limit" */
struct jval *jpath(const struct jval *root, const char *dotted);
const char *jstr(const struct jval *v, const char *dflt);
long long jnum(const struct jval *v, long long dflt);
int jbool(const struct jval *v, int dflt);
int jlen(const struct jval *arr);
#endif
