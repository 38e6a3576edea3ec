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
    if (code <= 0 || (size_t)code >= sizeof code_names / sizeof code_names[0] ||
        !code_names[code])
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
            return err_set(err, MUSTER_EINVAL, "UNA character %d (0x%02x) cannot be a service "
                           "character", i + 1, u[i]);
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

static bool valid_tag(struct edi_value v)
{
    if (v.len < 1 || v.len > 3 || v.rel)
        return false;
    for (uint32_t i = 0; i < v.len; i++) {
        char c = v.p[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
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

struct cut {
    unsigned nel, nrep, ncomp;
};

static int push_comp(struct edi_segment *s, struct cut *c, const char *p, size_t len, char esc)
{
    if (c->ncomp >= EDI_MAX_COMPS)
        return -1;
    s->comp[c->ncomp].p = p;
    s->comp[c->ncomp].len = (uint32_t)len;
    s->comp[c->ncomp].rel = esc;
    c->ncomp++;
    return 0;
}

static int close_rep(struct edi_segment *s, struct cut *c)
{
    if (c->nrep >= EDI_MAX_REPS + 1)
        return -1;
    s->rcomp[++c->nrep] = (uint16_t)c->ncomp;
    return 0;
}

static int close_elem(struct edi_segment *s, struct cut *c)
{
    if (c->nel >= EDI_MAX_ELEMS + 1)
        return -1;
    s->erep[++c->nel] = (uint16_t)c->nrep;
    return 0;
}

static void finish_segment(struct edi_reader *r, struct edi_segment *s, struct cut *c,
                           struct edi_diags *d)
{
    s->nelem = c->nel ? c->nel - 1 : 0;
    struct edi_value tag = s->comp[0];
    if (valid_tag(tag)) {
        memcpy(s->tag, tag.p, tag.len);
        s->tag[tag.len] = '\0';
    } else {
        s->tag[0] = '\0';
        edi_diag_add(d, EDI_BAD_TAG, EDI_ERROR, s->index, "", 0, 0, s->offset,
                     "segment tag '%.*s' is not 1-3 upper-case letters or digits",
                     tag.len > 10 ? 10 : (int)tag.len, tag.p);
    }
    if (!s->terminated)
        edi_diag_add(d, EDI_UNTERMINATED, EDI_ERROR, s->index, s->tag, 0, 0, s->offset,
                     "input ends inside the segment (no terminator '%c')", r->chars.term);
    if (s->tag[0] == 'U' && strcmp(s->tag, "UNB") == 0)
        take_unb(r, s);
}

static int too_big(struct edi_reader *r, struct edi_segment *s, struct edi_diags *d)
{
    edi_diag_add(d, EDI_TOO_BIG, EDI_ERROR, s->index, "", 0, 0, s->offset,
                 "segment has more than %d elements, %d repetitions or %d components",
                 EDI_MAX_ELEMS, EDI_MAX_REPS, EDI_MAX_COMPS);
    r->pos = r->len;
    return MUSTER_EINVAL;
}

int edi_next(struct edi_reader *r, struct edi_segment *s, struct edi_diags *d)
{
    const unsigned char *in = (const unsigned char *)r->data;
    const unsigned char *cls = r->cls;
    size_t len = r->len, i = r->pos;
    while (i < len && (in[i] == ' ' || in[i] == '\r' || in[i] == '\n' || in[i] == '\t') &&
           (cls[in[i]] & 0x0f) == C_DATA)
        i++;
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
    struct cut c = {0, 0, 0};
    size_t start = i, cstart = i;
    char esc = 0;
    for (;;) {
        while (i < len && cls[in[i]] == C_DATA)
            i++;
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
            esc = r->chars.release;
            if (i + 1 >= len) {
                edi_diag_add(d, EDI_DANGLING_RELEASE, EDI_ERROR, s->index, "", 0, 0, i,
                             "release character '%c' is the last byte", r->chars.release);
                i = len;
                break;
            }
            i += 2;
            continue;
        }
        if (push_comp(s, &c, r->data + cstart, i - cstart, esc))
            return too_big(r, s, d);
        esc = 0;
        if (k != C_COMP && close_rep(s, &c))
            return too_big(r, s, d);
        if ((k == C_ELEM || k == C_TERM) && close_elem(s, &c))
            return too_big(r, s, d);
        cstart = ++i;
        if (k == C_TERM) {
            s->terminated = true;
            break;
        }
    }
    if (!s->terminated) {
        if (push_comp(s, &c, r->data + cstart, i - cstart, esc) || close_rep(s, &c) ||
            close_elem(s, &c))
            return too_big(r, s, d);
        s->raw_len = i - start;
    } else {
        s->raw_len = i - 1 - start;
    }
    r->pos = i;
    finish_segment(r, s, &c, d);
    return 1;
}

unsigned edi_nrep(const struct edi_segment *s, unsigned e)
{
    if (e >= s->nelem)
        return 0;
    return s->erep[e + 2] - s->erep[e + 1];
}

unsigned edi_ncomp(const struct edi_segment *s, unsigned e, unsigned rep)
{
    if (rep >= edi_nrep(s, e))
        return 0;
    unsigned r = s->erep[e + 1] + rep;
    return s->rcomp[r + 1] - s->rcomp[r];
}

struct edi_value edi_get_rep(const struct edi_segment *s, unsigned e, unsigned rep, unsigned c)
{
    struct edi_value none = {"", 0, 0};
    if (c >= edi_ncomp(s, e, rep))
        return none;
    return s->comp[s->rcomp[s->erep[e + 1] + rep] + c];
}

struct edi_value edi_get(const struct edi_segment *s, unsigned e, unsigned c)
{
    return edi_get_rep(s, e, 0, c);
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

bool edi_eq(struct edi_value v, const char *t)
{
    size_t n = strlen(t);
    if (!v.rel)
        return v.len == n && memcmp(v.p, t, n) == 0;
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
