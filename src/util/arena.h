/* arena.h — a bump allocator: a request or a parse gets one, frees it once.
 *
 * struct arena a = {0}; p = arena_alloc(&a, n); ... arena_free(&a);
 * Allocation failure aborts. */
#ifndef MUSTER_UTIL_ARENA_H
#define MUSTER_UTIL_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head;
};

/* Returns n bytes aligned for any type, zero-filled, owned by the arena. */
void *arena_alloc(struct arena *a, size_t n);
/* Returns a copy of the n bytes at s plus a NUL, owned by the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Returns a copy of the C string s, owned by the arena. */
char *arena_strdup(struct arena *a, const char *s);
/* Frees everything the arena handed out. */
void arena_free(struct arena *a);

#endif
