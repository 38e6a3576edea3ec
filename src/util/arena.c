/* arena.c — see arena.h. Blocks are chained; each is twice the size of the
 * one before, from 64 KiB up to 4 MiB, and a big request gets its own block.
 *
 * Why: a parse of a large input hands out tens of megabytes (a PAXLST list of
 * 120,000 people is 31 MB of structures), and getting that memory from the
 * kernel cost more than the parse itself. In fixed 64 KiB blocks it took
 * hundreds of malloc/free pairs, each free at the top of the heap shrinking
 * it again (brk, a TLB flush), and a page fault for every 4 KiB touched.
 * Doubling makes the blocks few; blocks of 2 MiB and more are aligned to
 * 2 MiB and offered to the kernel for transparent huge pages, so that one
 * fault maps 2 MiB (only a hint: without THP the pages fault in as usual). */
#include "util/arena.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_FIRST_BLOCK ((size_t)64 << 10)
#define ARENA_MAX_BLOCK   ((size_t)4 << 20)
#define ARENA_HUGE_PAGE   ((size_t)2 << 20)

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

/* A block of at least `need` bytes of data, sized by the doubling rule. */
static struct arena_block *new_block(const struct arena *a, size_t need)
{
    size_t cap = ARENA_FIRST_BLOCK;
    if (a->head)
        cap = a->head->cap >= ARENA_MAX_BLOCK / 2 ? ARENA_MAX_BLOCK : a->head->cap * 2;
    if (cap < need)
        cap = need;
    struct arena_block *b;
    size_t total = sizeof *b + cap;
    if (cap < ARENA_HUGE_PAGE) {
        b = malloc(total);
    } else {
        total = (total + ARENA_HUGE_PAGE - 1) & ~(ARENA_HUGE_PAGE - 1);
        b = aligned_alloc(ARENA_HUGE_PAGE, total);
#ifdef MADV_HUGEPAGE
        if (b)
            (void)madvise(b, total, MADV_HUGEPAGE);
#endif
    }
    if (!b)
        abort();
    b->used = 0;
    b->cap = total - sizeof *b;
    return b;
}

void *arena_alloc(struct arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        b = new_block(a, n);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

void arena_free(struct arena *a)
{
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}
