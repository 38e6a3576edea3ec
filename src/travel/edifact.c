/* edifact.c — UN/EDIFACT syntax: the zero-copy segment reader, the envelope
 * checker and the writer (see edifact.h).
 *
 * The reader classifies every byte through a 256-entry table built from the
 * service characters, so the inner loop is one load and one compare per data
 * byte; values are recorded as (pointer, length) into the input. */
#include "travel/edifact.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct edi_chars edi_default_chars = {':', '+', '.', '?', 0, '\''};

enum { C_DATA = 0, C_COMP, C_ELEM, C_REP, C_REL, C_TERM, C_BAD = 0x40 };

/* --- diagnostics ------------------------------------------------------------ */

static const char *const code_names[] = {
    [EDI_BAD_UNA] = "bad_una",
    [EDI_UNTERMINATED] = "unterminated_segment",
    [EDI_DANGLING_RELEASE] = "dangling_release",
    [EDI_BAD_TAG] = "bad_tag",
    [EDI_TOO_BIG] = "segment_too_big",
    [EDI_CHARSET] = "charset_violation",
    [EDI_MISSING_UNB] = "missing_unb",
    [EDI_DUPLICATE_UNB] = "duplicate_unb",
    [EDI_MISSING_UNZ] = "missing_unz",
    [EDI_CONTROL_REF_MISMATCH] = "control_ref_mismatch",
    [EDI_UNZ_COUNT_MISMATCH] = "unz_count_mismatch",
    [EDI_MISSING_UNE] = "missing_une",
    [EDI_ORPHAN_UNE] = "orphan_une",
    [EDI_GROUP_REF_MISMATCH] = "group_ref_mismatch",
    [EDI_UNE_COUNT_MISMATCH] = "une_count_mismatch",
    [EDI_MISSING_UNT] = "missing_unt",
    [EDI_ORPHAN_UNT] = "orphan_unt",
    [EDI_MESSAGE_REF_MISMATCH] = "message_ref_mismatch",
    [EDI_UNT_COUNT_MISMATCH] = "unt_count_mismatch",
    [EDI_SEGMENT_OUTSIDE_MESSAGE] = "segment_outside_message",
    [EDI_AFTER_UNZ] = "segment_after_unz",
    [EDI_BAD_NUMBER] = "bad_number",
    [EDI_MIXED_GROUPS] = "mixed_groups",
    [EDI_MESSAGE] = "message_rule",
    [EDI_UNUSED] = "unused_segment",
};

const char *edi_code_name(enum edi_code code)
{
    if (code <= 0 || (size_t)code >= sizeof code_names / sizeof code_names[0] || !code_names[code])
        return "unknown";
    return code_names[code];
}

void edi_diag_add(struct edi_diags *d, enum edi_code code, enum edi_severity sev, unsigned segment,
                  const char *tag, unsigned element, unsigned component, size_t offset,
                  const char *fmt, ...)
{
    if (!d)
        return;
    if (sev == EDI_ERROR)
        d->errors++;
    if (d->n >= EDI_MAX_DIAGS) {
        d->dropped++;
        return;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        struct edi_diag *v = realloc(d->v, cap * sizeof *v);
        if (!v)
            abort();
        d->v = v;
        d->cap = cap;
    }
    struct edi_diag *g = &d->v[d->n++];
    memset(g, 0, sizeof *g);
    g->code = code;
    g->severity = sev;
    g->segment = segment;
    snprintf(g->tag, sizeof g->tag, "%s", tag ? tag : "");
    g->element = element;
    g->component = component;
    g->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->msg, sizeof g->msg, fmt, ap);
    va_end(ap);
}

void edi_diags_free(struct edi_diags *d)
{
    free(d->v);
    memset(d, 0, sizeof *d);
}

void edi_diag_format(const struct edi_diag *g, char *out, size_t cap)
{
    char pos[96] = "";
    int n = 0;
    if (g->segment)
        n = snprintf(pos, sizeof pos, "segment %u (%s)", g->segment, g->tag[0] ? g->tag : "?");
    if (g->element && n >= 0 && (size_t)n < sizeof pos)
        n += snprintf(pos + n, sizeof pos - n, ", element %u", g->element);
    if (g->component && n >= 0 && (size_t)n < sizeof pos)
        n += snprintf(pos + n, sizeof pos - n, ", component %u", g->component);
    if (n >= 0 && (size_t)n < sizeof pos)
        snprintf(pos + n, sizeof pos - n, "%sbyte %zu", n ? ", " : "", g->offset);
    snprintf(out, cap, "%s: %s", pos, g->msg);
}

/* --- reading ---------------------------------------------------------------- */

/* UNOA (level A): upper case, digits, space and . , - ( ) / = ' + : ? ! " % & * ; < > */
static bool level_a(unsigned char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && strchr(" .,-()/='+:?!\"%&*;<>", c) != NULL;
}

static void build_classes(struct edi_reader *r)
{
    for (int c = 0; c < 256; c++) {
        unsigned char k = C_DATA;
        if (strcmp(r->charset, "UNOA") == 0 && !level_a((unsigned char)c))
            k = C_BAD;
        else if (strcmp(r->charset, "UNOB") == 0 && (c < 0x20 || c > 0x7e))
            k = C_BAD;
        r->cls[c] = k;
    }
    /* CR and LF between segments are skipped before a segment starts; inside
     * a segment they are data, so do not flag them as repertoire errors. */
    r->cls['\r'] = r->cls['\n'] = C_DATA;
    r->cls[(unsigned char)r->chars.comp] = C_COMP;
    r->cls[(unsigned char)r->chars.elem] = C_ELEM;
    if (r->chars.rep)
        r->cls[(unsigned char)r->chars.rep] = C_REP;
    r->cls[(unsigned char)r->chars.release] = C_REL;
    r->cls[(unsigned char)r->chars.term] = C_TERM;
}

static bool bad_service_char(unsigned char c)
{
    return c < 0x20 || c >= 0x7f || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int read_una(struct edi_reader *r, struct muster_err *err)
{
    if (r->len < 9)
        return err_set(err, MUSTER_EINVAL, "UNA service string advice is shorter than 9 bytes");
    const unsigned char *u = (const unsigned char *)r->data + 3;
    for (int i = 0; i < 6; i++) {
        bool space_ok = (i == 4); /* the repetition position may be a space */
        if (bad_service_char(u[i]) && !(space_ok && u[i] == ' '))
            return err_set(err, MUSTER_EINVAL,
                           "UNA character %d (0x%02x) cannot be a service "
                           "character",
                           i + 1, u[i]);
    }
    unsigned char set[5] = {u[0], u[1], u[3], u[5], u[4]};
    int nset = u[4] == ' ' ? 4 : 5;
    for (int i = 0; i < nset; i++) {
        for (int j = i + 1; j < nset; j++)
            if (set[i] == set[j])
                return err_set(err, MUSTER_EINVAL, "UNA declares '%c' for two service characters",
                               set[i]);
        if (set[i] == u[2])
            return err_set(err, MUSTER_EINVAL, "UNA decimal mark '%c' is also a separator", u[2]);
    }
    r->chars.comp = (char)u[0];
    r->chars.elem = (char)u[1];
    r->chars.decimal = (char)u[2];
    r->chars.release = (char)u[3];
    r->chars.rep = u[4] == ' ' ? 0 : (char)u[4];
    r->chars.term = (char)u[5];
    r->had_una = true;
    r->rep_from_una = true;
    r->pos = 9;
    return 0;
}

int edi_reader_init(struct edi_reader *r, const char *data, size_t len,
                    const struct edi_chars *chars, struct muster_err *err)
{
    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = len;
    r->chars = chars ? *chars : edi_default_chars;
    if (chars && chars->rep)
        r->rep_from_una = true;
    if (len >= 3 && memcmp(data, "UNA", 3) == 0) {
        int rc = read_una(r, err);
        if (rc)
            return rc;
    }
    build_classes(r);
    return 0;
}

static inline bool tag_char(unsigned char c)
{
    return (unsigned)(c - 'A') < 26 || (unsigned)(c - '0') < 10;
}

static bool valid_tag(struct edi_value v)
{
    const unsigned char *t = (const unsigned char *)v.p;
    if (v.len < 1 || v.len > 3 || v.rel || !tag_char(t[0]))
        return false;
    return (v.len < 2 || tag_char(t[1])) && (v.len < 3 || tag_char(t[2]));
}

/* After a UNB: syntax version 4 without UNA makes '*' the repetition
 * separator; the syntax identifier sets the repertoire to check. */
static void take_unb(struct edi_reader *r, const struct edi_segment *s)
{
    struct edi_value id = edi_get(s, 0, 0), ver = edi_get(s, 0, 1);
    snprintf(r->charset, sizeof r->charset, "%.*s", id.len <= 4 ? (int)id.len : 4, id.p);
    long v = 0;
    r->syntax_version = edi_number(ver, &v) == 0 ? (int)v : 0;
    if (!r->rep_from_una)
        r->chars.rep = r->syntax_version >= 4 ? '*' : 0;
    build_classes(r);
}

static void finish_segment(struct edi_reader *r, struct edi_segment *s, struct edi_diags *d)
{
    struct edi_value tag = s->comp[0];
    /* Built in a local and stored as one word: byte stores into s->tag,
     * read back at once as a word, do not forward (~5% of the reader). */
    char tg[4] = {0};
    if (valid_tag(tag)) {
        tg[0] = tag.p[0];
        tg[1] = tag.len > 1 ? tag.p[1] : '\0';
        tg[2] = tag.len > 2 ? tag.p[2] : '\0';
    } else {
        edi_diag_add(d, EDI_BAD_TAG, EDI_ERROR, s->index, "", 0, 0, s->offset,
                     "segment tag '%.*s' is not 1-3 upper-case letters or digits",
                     tag.len > 10 ? 10 : (int)tag.len, tag.p);
    }
    memcpy(s->tag, tg, sizeof tg);
    if (!s->terminated)
        edi_diag_add(d, EDI_UNTERMINATED, EDI_ERROR, s->index, s->tag, 0, 0, s->offset,
                     "input ends inside the segment (no terminator '%c')", r->chars.term);
    if (tg[0] == 'U' && tg[1] == 'N' && tg[2] == 'B')
        take_unb(r, s);
}

static int too_big(struct edi_reader *r, struct edi_segment *s, struct edi_diags *d)
{
    edi_diag_add(d, EDI_TOO_BIG, EDI_ERROR, s->index, "", 0, 0, s->offset,
                 "segment has more than %d components", EDI_MAX_COMPS);
    r->pos = r->len;
    return MUSTER_EINVAL;
}

/* Skips data bytes (class 0); returns the position of the next other byte or len. */
static inline size_t scan(const unsigned char *in, const unsigned char *cls, size_t i, size_t len)
{
    while (i + 4 <= len) {
        if (cls[in[i]])
            return i;
        if (cls[in[i + 1]])
            return i + 1;
        if (cls[in[i + 2]])
            return i + 2;
        if (cls[in[i + 3]])
            return i + 3;
        i += 4;
    }
    while (i < len && !cls[in[i]])
        i++;
    return i;
}

static size_t skip_blanks(const struct edi_reader *r, size_t i)
{
    const unsigned char *in = (const unsigned char *)r->data;
    while (i < r->len && (in[i] == ' ' || in[i] == '\r' || in[i] == '\n' || in[i] == '\t') &&
           r->cls[in[i]] == C_DATA)
        i++;
    return i;
}

int edi_next(struct edi_reader *r, struct edi_segment *s, struct edi_diags *d)
{
    const char *data = r->data; /* locals: the stores below may alias *r */
    const unsigned char *in = (const unsigned char *)data;
    const unsigned char *cls = r->cls;
    const char release = r->chars.release;
    size_t len = r->len, i = r->pos;
    if (i < len && in[i] <= ' ')
        i = skip_blanks(r, i);
    if (i >= len) {
        r->pos = len;
        return 0;
    }
    s->index = ++r->nseg;
    s->offset = i;
    s->raw = r->data + i;
    s->terminated = false;
    s->charset_bad = -1;
    s->erep[0] = 0;
    s->rcomp[0] = 0;
    unsigned nel = 0, nrep = 0, nc = 0;
    size_t start = i, cstart = i;
    char esc = 0;
    for (;;) {
        i = scan(in, cls, i, len);
        if (i >= len)
            break;
        unsigned k = cls[in[i]];
        if (k == C_BAD) {
            if (s->charset_bad < 0)
                s->charset_bad = (long)(i - start);
            i++;
            continue;
        }
        if (k == C_REL) {
            esc = release;
            if (i + 1 >= len) {
                edi_diag_add(d, EDI_DANGLING_RELEASE, EDI_ERROR, s->index, "", 0, 0, i,
                             "release character '%c' is the last byte", r->chars.release);
                i = len;
                break;
            }
            i += 2;
            continue;
        }
        if (nc >= EDI_MAX_COMPS) /* repetitions and elements never outnumber components */
            return too_big(r, s, d);
        s->comp[nc].p = data + cstart;
        s->comp[nc].len = (uint32_t)(i - cstart);
        s->comp[nc].rel = esc;
        nc++;
        esc = 0;
        cstart = ++i;
        if (k == C_COMP)
            continue;
        s->rcomp[++nrep] = (uint16_t)nc;
        if (k == C_REP)
            continue;
        s->erep[++nel] = (uint16_t)nrep;
        if (k == C_TERM) {
            s->terminated = true;
            break;
        }
    }
    if (!s->terminated) {
        if (nc >= EDI_MAX_COMPS)
            return too_big(r, s, d);
        s->comp[nc].p = data + cstart;
        s->comp[nc].len = (uint32_t)(i - cstart);
        s->comp[nc].rel = esc;
        s->rcomp[++nrep] = (uint16_t)++nc;
        s->erep[++nel] = (uint16_t)nrep;
        s->raw_len = i - start;
    } else {
        s->raw_len = i - 1 - start;
    }
    s->nelem = nel - 1;
    r->pos = i;
    finish_segment(r, s, d);
    return 1;
}

size_t edi_unescape(struct edi_value v, char *out)
{
    if (!v.rel) {
        memcpy(out, v.p, v.len);
        out[v.len] = '\0';
        return v.len;
    }
    size_t n = 0;
    for (uint32_t i = 0; i < v.len; i++) {
        if (v.p[i] == v.rel && i + 1 < v.len)
            i++;
        out[n++] = v.p[i];
    }
    out[n] = '\0';
    return n;
}

bool edi_eq_escaped(struct edi_value v, const char *t)
{
    size_t n = strlen(t);
    char tmp[256];
    if (v.len >= sizeof tmp)
        return false;
    size_t m = edi_unescape(v, tmp);
    return m == n && memcmp(tmp, t, n) == 0;
}

char *edi_strdup(struct arena *a, struct edi_value v)
{
    char *p = arena_alloc(a, v.len + 1);
    edi_unescape(v, p);
    return p;
}

int edi_number(struct edi_value v, long *out)
{
    if (v.len < 1 || v.len > 9 || v.rel)
        return -1;
    long n = 0;
    for (uint32_t i = 0; i < v.len; i++) {
        if (v.p[i] < '0' || v.p[i] > '9')
            return -1;
        n = n * 10 + (v.p[i] - '0');
    }
    *out = n;
    return 0;
}
