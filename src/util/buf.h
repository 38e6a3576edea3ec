/* buf.h — a growable byte buffer (always NUL-terminated).
 *
 * struct buf b = {0}; buf_puts(&b, "x"); ... buf_free(&b);
 * Allocation failure aborts: muster treats out-of-memory as fatal. */
#ifndef MUSTER_UTIL_BUF_H
#define MUSTER_UTIL_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
    char *data; /* NUL-terminated when len > 0 or after any append */
    size_t len;
    size_t cap;
};

/* Makes room for n more bytes. */
void buf_reserve(struct buf *b, size_t n);
/* Appends n bytes. */
void buf_add(struct buf *b, const void *p, size_t n);
/* Appends a C string. */
void buf_puts(struct buf *b, const char *s);
/* Appends one byte. */
void buf_putc(struct buf *b, char c);
/* Appends printf-style text. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends n bytes as lower-case hex. */
void buf_hex(struct buf *b, const uint8_t *p, size_t n);
/* Appends n bytes as base64 with padding (RFC 4648, the alphabet of
 * sodium_base64_VARIANT_ORIGINAL). Not constant-time: for public bytes
 * such as ciphertext. */
void buf_base64(struct buf *b, const uint8_t *p, size_t n);
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Frees the memory; the buffer is empty and reusable afterwards. */
void buf_free(struct buf *b);
/* Returns the contents as a C string ("" when empty); owned by b. */
const char *buf_str(const struct buf *b);

#endif
