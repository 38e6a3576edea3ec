/* mrz_json.c — the words and the JSON of a read document: the one object the
 * CLI (`muster mrz parse`) and the server print. */
#include "travel/mrz.h"

#include <stdio.h>
#include <string.h>

static const char *check_name(int code)
{
    switch (code) {
    case MRZ_E_CHECK_DOCUMENT_NUMBER:
        return "document number";
    case MRZ_E_CHECK_BIRTH_DATE:
        return "birth date";
    case MRZ_E_CHECK_EXPIRY_DATE:
        return "expiry date";
    case MRZ_E_CHECK_OPTIONAL_DATA:
        return "personal number (optional data)";
    default:
        return "composite";
    }
}

/* The message without the position prefix. */
static void issue_body(const struct mrz_issue *is, char *out, size_t n)
{
    const char *t = is->text;
    switch (is->code) {
    case MRZ_W_LOWER_CASE:
        snprintf(out, n, "lower-case letters were read as upper case");
        break;
    case MRZ_W_SPACES:
        snprintf(out, n, "spaces around the lines were removed");
        break;
    case MRZ_W_CRLF:
        snprintf(out, n, "carriage returns (Windows line ends) were removed");
        break;
    case MRZ_W_ONE_LINE:
        snprintf(out, n, "the lines came concatenated as one line");
        break;
    case MRZ_W_DOCUMENT_CODE:
        snprintf(out, n, "document code %s is unusual for this format", t);
        break;
    case MRZ_W_UNKNOWN_STATE:
        snprintf(out, n, "issuing state '%s' is not on the ICAO code list", t);
        break;
    case MRZ_W_UNKNOWN_NATIONALITY:
        snprintf(out, n, "nationality '%s' is not on the ICAO code list", t);
        break;
    case MRZ_W_NAME_TRUNCATED:
        snprintf(out, n, "the name fills its field to the end and may be truncated");
        break;
    case MRZ_W_BIRTH_UNKNOWN:
        snprintf(out, n, "birth date %s has unknown parts", t);
        break;
    case MRZ_W_NO_EXPIRY:
        snprintf(out, n, "no expiry date (the field is all fillers)");
        break;
    case MRZ_W_NON_ICAO:
        snprintf(out, n,
                 "this looks like a French national identity card, a national "
                 "layout that is not ICAO TD2");
        break;
    case MRZ_E_EMPTY:
        snprintf(out, n, "no MRZ text");
        break;
    case MRZ_E_LINE_COUNT:
        if (is->a == 1)
            snprintf(out, n,
                     "one line of %d characters: an MRZ has 2 lines of 36 or 44 "
                     "characters, or 3 of 30",
                     is->b);
        else
            snprintf(out, n, "%d lines: an MRZ has 2 lines of 36 or 44 characters, or 3 of 30",
                     is->a);
        break;
    case MRZ_E_LINE_LENGTH:
        if (is->b)
            snprintf(out, n, "%d characters, expected %d", is->a, is->b);
        else
            snprintf(out, n, "%d characters, expected 36 or 44", is->a);
        break;
    case MRZ_E_CHARACTER:
        snprintf(out, n, "character %s is not allowed (only A-Z, 0-9 and <)", t);
        break;
    case MRZ_E_DOCUMENT_CODE:
        snprintf(out, n, "document code '%s' is not possible in this format", t);
        break;
    case MRZ_E_CODE_CHARACTER:
        snprintf(out, n, "a digit in the state or nationality code '%s'", t);
        break;
    case MRZ_E_NAME_CHARACTER:
        snprintf(out, n, "a digit ('%s') in the name field", t);
        break;
    case MRZ_E_DOCUMENT_NUMBER:
        snprintf(out, n, "the document number is empty");
        break;
    case MRZ_E_CHECK_DOCUMENT_NUMBER:
    case MRZ_E_CHECK_BIRTH_DATE:
    case MRZ_E_CHECK_EXPIRY_DATE:
    case MRZ_E_CHECK_OPTIONAL_DATA:
    case MRZ_E_CHECK_COMPOSITE:
        snprintf(out, n, "%s check digit fails: read '%c', computed %c", check_name(is->code),
                 is->a >= 0x20 && is->a < 0x7f ? is->a : '?', is->b);
        break;
    case MRZ_E_BIRTH_DATE:
        snprintf(out, n, "birth date '%s' is not a date (YYMMDD, '<<' for an unknown part)", t);
        break;
    case MRZ_E_EXPIRY_DATE:
        snprintf(out, n, "expiry date '%s' is not a date (YYMMDD)", t);
        break;
    case MRZ_E_SEX:
        snprintf(out, n, "sex '%s' is not M, F, X or <", t);
        break;
    default:
        snprintf(out, n, "issue %d", is->code);
    }
}

const char *mrz_issue_text(const struct mrz_issue *is, char *out, size_t n)
{
    if (n == 0)
        return out;
    size_t used = 0;
    if (is->line && is->col)
        used = (size_t)snprintf(out, n, "line %d column %d: ", is->line, is->col);
    else if (is->line)
        used = (size_t)snprintf(out, n, "line %d: ", is->line);
    if (used >= n)
        return out;
    issue_body(is, out + used, n - used);
    return out;
}

/* A stable name of each issue code for programs. */
static const char *issue_key(int code)
{
    static const char *const warn[] = {"",
                                       "lower_case",
                                       "spaces",
                                       "crlf",
                                       "one_line",
                                       "document_code",
                                       "unknown_state",
                                       "unknown_nationality",
                                       "name_truncated",
                                       "birth_date_unknown_parts",
                                       "no_expiry",
                                       "non_icao_layout"};
    static const char *const error[] = {"empty",
                                        "line_count",
                                        "line_length",
                                        "character",
                                        "document_code",
                                        "code_character",
                                        "name_character",
                                        "document_number",
                                        "check_document_number",
                                        "check_birth_date",
                                        "check_expiry_date",
                                        "check_optional_data",
                                        "check_composite",
                                        "birth_date",
                                        "expiry_date",
                                        "sex"};
    if (code >= MRZ_E_EMPTY && code - MRZ_E_EMPTY < (int)(sizeof error / sizeof error[0]))
        return error[code - MRZ_E_EMPTY];
    if (code > 0 && code < (int)(sizeof warn / sizeof warn[0]))
        return warn[code];
    return "unknown";
}

/* Appends s as a JSON string (s holds printable ASCII, but escape anyway). */
static void put_str(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)c);
        } else if (c < 0x20 || c >= 0x7f) {
            buf_printf(b, "\\u%04x", c);
        } else {
            buf_putc(b, (char)c);
        }
    }
    buf_putc(b, '"');
}

static void put_key(struct buf *b, const char *key)
{
    buf_printf(b, ",\"%s\":", key);
}

static void put_field(struct buf *b, const char *key, const char *s, bool present)
{
    put_key(b, key);
    if (present)
        put_str(b, s);
    else
        buf_puts(b, "null");
}

static void put_date(struct buf *b, const char *key, const struct mrz_date *d, bool present)
{
    put_key(b, key);
    if (!present || !d->readable || d->year == 0)
        buf_puts(b, "null");
    else if (d->month == 0)
        buf_printf(b, "\"%04d\"", d->year);
    else if (d->day == 0)
        buf_printf(b, "\"%04d-%02d\"", d->year, d->month);
    else
        buf_printf(b, "\"%04d-%02d-%02d\"", d->year, d->month, d->day);
    char raw[32];
    snprintf(raw, sizeof raw, "%s_raw", key);
    put_field(b, raw, d->raw, present);
}

static void put_check(struct buf *b, const char *key, enum mrz_check c, bool first)
{
    buf_printf(b, "%s\"%s\":%s", first ? "" : ",", key,
               c == MRZ_CHECK_NONE ? "null"
               : c == MRZ_CHECK_OK ? "true"
                                   : "false");
}

static void put_issues(struct buf *b, const char *key, const struct mrz_issue *is, int n)
{
    put_key(b, key);
    buf_putc(b, '[');
    for (int i = 0; i < n; i++) {
        char msg[256];
        buf_printf(b, "%s{\"code\":\"%s\",\"line\":", i ? "," : "", issue_key(is[i].code));
        buf_printf(b, is[i].line ? "%d" : "null", is[i].line);
        buf_printf(b, ",\"column\":");
        buf_printf(b, is[i].col ? "%d" : "null", is[i].col);
        buf_puts(b, ",\"message\":");
        put_str(b, mrz_issue_text(&is[i], msg, sizeof msg));
        buf_putc(b, '}');
    }
    buf_putc(b, ']');
}

static void put_suggestion(struct buf *b, const struct mrz_doc *d)
{
    put_key(b, "suggestion");
    if (!d->has_suggestion) {
        buf_puts(b, "null");
        return;
    }
    buf_puts(b, "{\"lines\":[");
    for (int i = 0; i < d->nlines; i++) {
        if (i)
            buf_putc(b, ',');
        put_str(b, d->suggestion[i]);
    }
    buf_puts(b, "],\"changes\":[");
    for (int i = 0; i < d->nchanges; i++)
        buf_printf(b, "%s{\"line\":%d,\"column\":%d,\"from\":\"%c\",\"to\":\"%c\"}", i ? "," : "",
                   d->changes[i].line, d->changes[i].col, d->changes[i].from, d->changes[i].to);
    buf_puts(b, "]}");
}

static const char *long_rule_name(enum mrz_long_rule r)
{
    static const char *const names[] = {NULL, "without_filler", "with_filler", "both", "neither"};
    return names[r];
}

void mrz_json(const struct mrz_doc *d, struct buf *b)
{
    bool f = d->format != MRZ_FORMAT_NONE && d->nlines > 0 && d->lines[0][0] && d->document_code[0];
    const char *fmt = mrz_format_name(d->format);
    buf_puts(b, "{\"format\":");
    if (fmt)
        put_str(b, fmt);
    else
        buf_puts(b, "null");
    buf_printf(b, ",\"valid\":%s", d->valid ? "true" : "false");
    put_field(b, "document_code", d->document_code, f);
    put_field(b, "issuing_state", d->issuing_state, f);
    put_field(b, "surname", d->surname, f);
    put_field(b, "given_names", d->given_names, f);
    put_key(b, "name_truncated");
    buf_puts(b, !f ? "null" : d->name_truncated ? "true" : "false");
    put_field(b, "document_number", d->document_number, f);
    const char *lr = long_rule_name(d->long_rule);
    put_field(b, "long_document_number_rule", lr ? lr : "", f && lr);
    put_field(b, "nationality", d->nationality, f);
    put_date(b, "birth_date", &d->birth_date, f);
    char sex[2] = {d->sex, '\0'};
    put_field(b, "sex", sex, f);
    put_date(b, "expiry_date", &d->expiry_date, f);
    put_field(b, "optional_data", d->optional_data, f);
    put_field(b, "optional_data_2", d->optional_data_2, f && d->has_optional_data_2);
    buf_puts(b, ",\"checks\":{");
    put_check(b, "document_number", d->check_document_number, true);
    put_check(b, "birth_date", d->check_birth_date, false);
    put_check(b, "expiry_date", d->check_expiry_date, false);
    put_check(b, "optional_data", d->check_optional_data, false);
    put_check(b, "composite", d->check_composite, false);
    buf_putc(b, '}');
    put_key(b, "lines");
    buf_putc(b, '[');
    for (int i = 0; f && i < d->nlines; i++) {
        if (i)
            buf_putc(b, ',');
        put_str(b, d->lines[i]);
    }
    buf_putc(b, ']');
    put_issues(b, "warnings", d->warnings, d->nwarnings);
    put_issues(b, "errors", d->errors, d->nerrors);
    put_suggestion(b, d);
    buf_putc(b, '}');
}
