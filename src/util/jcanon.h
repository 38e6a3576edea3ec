/* jcanon.h — the canonical JSON text of a value: compact, object keys sorted
 * bytewise, byte for byte what jansson's json_dumps(v, JSON_COMPACT |
 * JSON_SORT_KEYS) writes, only faster (event bodies and sealed fields are
 * mostly long base64 strings, which it copies in runs rather than a code
 * point at a time).
 *
 * struct buf b = {0}; jcanon_dump(v, &b); ... buf_free(&b); */
#ifndef MUSTER_UTIL_JCANON_H
#define MUSTER_UTIL_JCANON_H

#include "util/buf.h"

#include <jansson.h>
#include <stdbool.h>

/* Appends the canonical text of v to b. Returns 0, or -1 when v holds a
 * string that is not valid UTF-8 or an object deeper than 64 levels, as
 * json_dumps would fail (b then holds a partial text). */
int jcanon_dump(const json_t *v, struct buf *b);

/* The canonical text as a malloc'd C string, or NULL (see jcanon_dump). */
char *jcanon_dumps(const json_t *v, size_t *len);

/* The pieces, for writers that make canonical text without a json_t (an
 * import's bodies): a string (-1 when not valid UTF-8), a real, an
 * integer, each exactly as jcanon_dump writes that value. */
int jcanon_string(struct buf *b, const char *s, size_t len);
void jcanon_real(struct buf *b, double v);
void jcanon_integer(struct buf *b, long long v);
/* True when s[0..len) is UTF-8 that json_string would accept. */
bool jcanon_utf8(const char *s, size_t len);

#endif
