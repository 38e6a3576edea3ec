/* edifact_env.c — the envelope checker (UNB/UNZ, UNG/UNE, UNH/UNT) and
 * edi_check(), which runs the reader and the checker over a whole input. */
#include "travel/edifact.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void edi_env_init(struct edi_envelope *e)
{
    memset(e, 0, sizeof *e);
}

static void copy_ref(char dst[36], struct edi_value v)
{
    char tmp[EDI_MAX_COMPS];
    if (v.len >= sizeof tmp)
        v.len = sizeof tmp - 1;
    size_t n = edi_unescape(v, tmp);
    if (n > 35)
        n = 35;
    memcpy(dst, tmp, n);
    dst[n] = '\0';
}

static bool ref_equal(const char ref[36], struct edi_value v)
{
    char tmp[36];
    copy_ref(tmp, v);
    return strcmp(ref, tmp) == 0;
}

/* A problem of segment s, at its element el (1-based; 0 = the whole segment). */
#define DIAG(code, sev, el, ...)                                                                   \
    edi_diag_add(d, code, sev, s->index, s->tag, el, 0,                                            \
                 (el) ? edi_offset_of(s, (el)-1u, 0) : s->offset, __VA_ARGS__)

/* Checks a count element against what was seen; returns silently when equal. */
static void check_count(const struct edi_segment *s, struct edi_diags *d, enum edi_code code,
                        unsigned el, unsigned seen, const char *what)
{
    long n;
    struct edi_value v = edi_get(s, el - 1, 0);
    if (edi_number(v, &n) != 0) {
        DIAG(EDI_BAD_NUMBER, EDI_ERROR, el, "%s count '%.*s' is not a number", s->tag,
             v.len > 20 ? 20 : (int)v.len, v.p);
        return;
    }
    if ((unsigned long)n != seen)
        DIAG(code, EDI_ERROR, el, "%s declares %ld %s, counted %u", s->tag, n, what, seen);
}

static void close_message(struct edi_envelope *e, const struct edi_segment *s, struct edi_diags *d)
{
    if (!e->in_msg)
        return;
    DIAG(EDI_MISSING_UNT, EDI_ERROR, 0, "message '%s' (UNH at segment %u) has no UNT before %s",
         e->msg_ref, e->msg_first_seg, s->tag);
    e->in_msg = false;
}

static void close_group(struct edi_envelope *e, const struct edi_segment *s, struct edi_diags *d)
{
    if (!e->in_group)
        return;
    DIAG(EDI_MISSING_UNE, EDI_ERROR, 0, "group '%s' has no UNE before %s", e->group_ref, s->tag);
    e->in_group = false;
}

static void need_unb(struct edi_envelope *e, const struct edi_segment *s, struct edi_diags *d)
{
    if (e->in_ic || e->seen_unb)
        return;
    e->seen_unb = true; /* report once */
    DIAG(EDI_MISSING_UNB, EDI_ERROR, 0, "%s before any UNB interchange header", s->tag);
}

static void feed_unb(struct edi_envelope *e, const struct edi_segment *s, struct edi_diags *d)
{
    close_message(e, s, d);
    close_group(e, s, d);
    if (e->in_ic)
        DIAG(EDI_DUPLICATE_UNB, EDI_ERROR, 0, "second UNB before the UNZ of '%s'", e->ic_ref);
    e->in_ic = e->seen_unb = true;
    e->ended = false;
    e->any_group = e->any_loose_msg = false;
    e->ic_msgs = e->ic_groups = 0;
    copy_ref(e->ic_ref, edi_get(s, 4, 0));
}

static void feed_ung(struct edi_envelope *e, const struct edi_segment *s, struct edi_diags *d)
{
    close_message(e, s, d);
    close_group(e, s, d);
    need_unb(e, s, d);
    e->in_group = e->any_group = true;
    e->ic_groups++;
    e->group_msgs = 0;
    copy_ref(e->group_ref, edi_get(s, 4, 0));
}

static void feed_unh(struct edi_envelope *e, const struct edi_segment *s, struct edi_diags *d)
{
    close_message(e, s, d);
    need_unb(e, s, d);
    e->in_msg = true;
    e->msg_segs = 1;
    e->msg_first_seg = s->index;
    e->messages++;
    copy_ref(e->msg_ref, edi_get(s, 0, 0));
    if (e->in_group) {
        e->group_msgs++;
    } else {
        e->ic_msgs++;
        e->any_loose_msg = true;
    }
}

static void feed_unt(struct edi_envelope *e, const struct edi_segment *s, struct edi_diags *d)
{
    if (!e->in_msg) {
        DIAG(EDI_ORPHAN_UNT, EDI_ERROR, 0, "UNT without a UNH");
        return;
    }
    e->msg_segs++;
    check_count(s, d, EDI_UNT_COUNT_MISMATCH, 1, e->msg_segs, "segments (UNH to UNT)");
    if (!ref_equal(e->msg_ref, edi_get(s, 1, 0))) {
        char got[36];
        copy_ref(got, edi_get(s, 1, 0));
        DIAG(EDI_MESSAGE_REF_MISMATCH, EDI_ERROR, 2, "UNT reference '%s' differs from UNH '%s'",
             got, e->msg_ref);
    }
    e->in_msg = false;
}

static void feed_une(struct edi_envelope *e, const struct edi_segment *s, struct edi_diags *d)
{
    close_message(e, s, d);
    if (!e->in_group) {
        DIAG(EDI_ORPHAN_UNE, EDI_ERROR, 0, "UNE without a UNG");
        return;
    }
    check_count(s, d, EDI_UNE_COUNT_MISMATCH, 1, e->group_msgs, "messages in the group");
    if (!ref_equal(e->group_ref, edi_get(s, 1, 0)))
        DIAG(EDI_GROUP_REF_MISMATCH, EDI_ERROR, 2, "UNE reference differs from UNG '%s'",
             e->group_ref);
    e->in_group = false;
}

static void feed_unz(struct edi_envelope *e, const struct edi_segment *s, struct edi_diags *d)
{
    close_message(e, s, d);
    close_group(e, s, d);
    if (!e->in_ic) {
        need_unb(e, s, d);
    } else {
        if (e->any_group && e->any_loose_msg)
            DIAG(EDI_MIXED_GROUPS, EDI_ERROR, 0,
                 "interchange mixes messages inside and outside functional groups");
        if (e->any_group)
            check_count(s, d, EDI_UNZ_COUNT_MISMATCH, 1, e->ic_groups, "groups");
        else
            check_count(s, d, EDI_UNZ_COUNT_MISMATCH, 1, e->ic_msgs, "messages");
        if (!ref_equal(e->ic_ref, edi_get(s, 1, 0)))
            DIAG(EDI_CONTROL_REF_MISMATCH, EDI_ERROR, 2,
                 "UNZ control reference differs from UNB '%s'", e->ic_ref);
    }
    e->in_ic = false;
    e->ended = true;
}

enum edi_event edi_env_feed_slow(struct edi_envelope *e, const struct edi_reader *r,
                                 const struct edi_segment *s, struct edi_diags *d)
{
    const char *t = s->tag;
    if (e->ended && strcmp(t, "UNB") != 0) {
        DIAG(EDI_AFTER_UNZ, EDI_ERROR, 0, "segment after the UNZ interchange trailer");
        e->ended = false; /* report once */
        e->seen_unb = true;
    }
    if (t[0] == 'U' && t[1] == 'N' && t[2] && !t[3]) {
        switch (t[2]) {
        case 'B':
            feed_unb(e, s, d);
            return EDI_EV_UNB;
        case 'G':
            feed_ung(e, s, d);
            return EDI_EV_UNG;
        case 'H':
            feed_unh(e, s, d);
            return EDI_EV_UNH;
        case 'T':
            feed_unt(e, s, d);
            return EDI_EV_UNT;
        case 'E':
            feed_une(e, s, d);
            return EDI_EV_UNE;
        case 'Z':
            feed_unz(e, s, d);
            return EDI_EV_UNZ;
        default:
            break;
        }
    }
    if (e->in_msg) {
        e->msg_segs++;
        return EDI_EV_BODY;
    }
    if (t[0] == 'U' && t[1] == 'N')
        return EDI_EV_SERVICE;
    need_unb(e, s, d);
    DIAG(EDI_SEGMENT_OUTSIDE_MESSAGE, EDI_ERROR, 0, "data segment outside any UNH..UNT message");
    return EDI_EV_STRAY;
}

void edi_env_finish(struct edi_envelope *e, const struct edi_reader *r, struct edi_diags *d)
{
    size_t end = r->len;
    if (e->in_msg)
        edi_diag_add(d, EDI_MISSING_UNT, EDI_ERROR, 0, "", 0, 0, end,
                     "input ends inside message '%s' (no UNT)", e->msg_ref);
    if (e->in_group)
        edi_diag_add(d, EDI_MISSING_UNE, EDI_ERROR, 0, "", 0, 0, end,
                     "input ends inside group '%s' (no UNE)", e->group_ref);
    if (e->in_ic)
        edi_diag_add(d, EDI_MISSING_UNZ, EDI_ERROR, 0, "", 0, 0, end,
                     "input ends inside interchange '%s' (no UNZ)", e->ic_ref);
    e->in_msg = e->in_group = e->in_ic = false;
}

int edi_check(const char *data, size_t len, struct edi_diags *d, struct muster_err *err)
{
    struct edi_reader r;
    int rc = edi_reader_init(&r, data, len, NULL, err);
    if (rc) {
        edi_diag_add(d, EDI_BAD_UNA, EDI_ERROR, 0, "UNA", 0, 0, 0, "%s",
                     err ? err->msg : "bad UNA");
        return rc;
    }
    static_assert(sizeof(struct edi_segment) < 16384, "segment fits a small heap block");
    struct edi_segment *s = malloc(sizeof *s);
    if (!s)
        abort();
    struct edi_envelope e;
    edi_env_init(&e);
    for (;;) {
        rc = edi_next(&r, s, d);
        if (rc <= 0)
            break;
        if (s->index == 1 && !s->tag[0]) {
            rc = MUSTER_EINVAL; /* not EDIFACT at all */
            break;
        }
        if (s->charset_bad >= 0)
            edi_diag_add(d, EDI_CHARSET, EDI_WARNING, s->index, s->tag, 0, 0,
                         s->offset + (size_t)s->charset_bad,
                         "byte 0x%02x is outside the %s repertoire",
                         (unsigned char)s->raw[s->charset_bad], r.charset);
        edi_env_feed(&e, &r, s, d);
    }
    free(s);
    if (rc < 0 && r.nseg == 1)
        return err_set(err, MUSTER_EINVAL, "the input does not start with an EDIFACT segment");
    if (rc < 0)
        return err_set(err, MUSTER_EINVAL, "the input cannot be read past segment %u", r.nseg);
    edi_env_finish(&e, &r, d);
    if (r.nseg == 0)
        return err_set(err, MUSTER_EINVAL, "no EDIFACT segments in the input");
    return 0;
}
