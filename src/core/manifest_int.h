/* manifest_int.h — what the manifest files (manifest.c, manifest_csv.c,
 * manifest_pdf.c, manifest_paxlst.c) share and nobody else uses. */
#ifndef MUSTER_CORE_MANIFEST_INT_H
#define MUSTER_CORE_MANIFEST_INT_H

#include "core/manifest.h"

#include <stddef.h>

/* Priority classes in the order they are printed; index 3 is never used by
 * valid input (NULL or "" counts as standard). */
enum { MF_CRITICAL, MF_VULNERABLE, MF_STANDARD, MF_NPRIORITY };
extern const char *const mf_priority_names[MF_NPRIORITY];
extern const char *const mf_need_names[4]; /* bit 0..3, as in CSV */

/* The priority index of a passenger (valid input). */
int mf_priority_index(const struct manifest_passenger *p);

/* Appends the passenger's needs as "stretcher;assisted;..." (sep between). */
void mf_needs_text(int needs, const char *sep, struct buf *out);

/* Passengers per nationality, sorted by count (descending) then code. */
struct mf_nat_count {
    const char *nationality; /* borrowed; "" for unknown */
    size_t count;
};
struct mf_totals {
    size_t priority[MF_NPRIORITY];
    size_t needs[4];
    struct mf_nat_count *nat; /* malloc'd; mf_totals_free */
    size_t nnat;
};
void mf_totals(const struct manifest *m, struct mf_totals *t);
void mf_totals_free(struct mf_totals *t);

/* True when s holds text. */
static inline bool mf_has(const char *s)
{
    return s && *s;
}

/* "" for NULL. */
static inline const char *mf_s(const char *s)
{
    return s ? s : "";
}

#endif
