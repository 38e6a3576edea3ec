/* cmd_mrz.c — `muster mrz parse` (MRZ text in, one JSON object per document
 * out) and `muster mrz make` (JSON lines of document data in, MRZ out). */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "travel/mrz.h"
#include "util/buf.h"
#include "util/timeutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: muster mrz parse [--json]    < documents\n"
    "       muster mrz make [--format TD1|TD2|TD3|MRVA|MRVB] [--json]   < JSON lines\n"
    "\n"
    "parse reads machine-readable zones (ICAO Doc 9303: TD1, TD2, TD3, MRV-A,\n"
    "MRV-B) from standard input, each document's lines together, documents\n"
    "separated by a blank line, and prints one JSON object per document (keys\n"
    "in docs/mrz.md). Exit status: 0 all valid, 1 any invalid, 2 any text that\n"
    "is not an MRZ. Dates take their century from today (MUSTER_NOW overrides).\n"
    "\n"
    "make reads one JSON object per line: format, document_code, issuing_state,\n"
    "surname, given_names, document_number, nationality, birth_date, sex,\n"
    "expiry_date, optional_data, optional_data_2 (dates YYYY-MM-DD or YYMMDD)\n"
    "and prints the MRZ lines, a blank line after each document (so the output\n"
    "reads back with parse); --json prints {\"format\",\"lines\",\"name_truncated\"}.\n";

static int64_t today_days(void)
{
    int64_t now = time_now();
    return now >= 0 ? now / 86400 : -((-now + 86399) / 86400);
}

/* True when the line [p, e) holds only spaces, tabs or CR. */
static bool blank(const char *p, const char *e)
{
    for (; p < e; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return false;
    return true;
}

/* Parses one document's text; prints its JSON; returns its exit status. */
static int parse_one(const char *p, size_t n, int64_t today, struct buf *out)
{
    struct mrz_doc doc;
    int rc = mrz_parse_at(p, n, today, &doc, NULL);
    buf_reset(out);
    mrz_json(&doc, out);
    buf_putc(out, '\n');
    fwrite(out->data, 1, out->len, stdout);
    return rc < 0 ? 2 : doc.valid ? 0 : 1;
}

static int cmd_parse(void)
{
    size_t len;
    char *text = cli_read_file("-", &len);
    if (!text)
        return cli_fail("mrz", 2, "cannot read standard input");
    int64_t today = today_days();
    struct buf out = {0};
    int status = 0, docs = 0;
    const char *p = text, *end = text + len, *start = NULL;
    for (;;) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            e = end;
        bool b = blank(p, e);
        if (!b && !start)
            start = p;
        if ((b || e == end) && start) {
            int s = parse_one(start, (size_t)(e - start), today, &out);
            status = s > status ? s : status;
            docs++;
            start = NULL;
        }
        if (e == end)
            break;
        p = e + 1;
    }
    buf_free(&out);
    free(text);
    if (docs == 0)
        return cli_fail("mrz", 2, "no MRZ on standard input");
    return status;
}

static enum mrz_format format_named(const char *s)
{
    static const char *const names[] = {"", "TD1", "TD2", "TD3", "MRVA", "MRVB"};
    for (int i = 1; i < 6; i++)
        if (s && strcasecmp(s, names[i]) == 0)
            return (enum mrz_format)i;
    if (s && (strcasecmp(s, "MRV-A") == 0))
        return MRZ_MRVA;
    if (s && (strcasecmp(s, "MRV-B") == 0))
        return MRZ_MRVB;
    return MRZ_FORMAT_NONE;
}

static const char *str(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Writes one document from a JSON line; returns its exit status. */
static int make_one(const char *line, int lineno, enum mrz_format deflt, bool json)
{
    json_error_t je;
    json_t *o = json_loads(line, 0, &je);
    if (!json_is_object(o)) {
        json_decref(o);
        return cli_fail("mrz", 2, "line %d: not a JSON object: %s", lineno, je.text);
    }
    enum mrz_format f = str(o, "format") ? format_named(str(o, "format")) : deflt;
    if (f == MRZ_FORMAT_NONE) {
        json_decref(o);
        return cli_fail("mrz", 1, "line %d: unknown format '%s'", lineno, str(o, "format"));
    }
    const char *sex = str(o, "sex");
    struct mrz_person p = {.document_code = str(o, "document_code"),
                           .issuing_state = str(o, "issuing_state"),
                           .surname = str(o, "surname"),
                           .given_names = str(o, "given_names"),
                           .document_number = str(o, "document_number"),
                           .nationality = str(o, "nationality"),
                           .birth_date = str(o, "birth_date"),
                           .sex = sex && sex[0] ? sex[0] : '<',
                           .expiry_date = str(o, "expiry_date"),
                           .optional_data = str(o, "optional_data"),
                           .optional_data_2 = str(o, "optional_data_2")};
    char mrz[MRZ_TEXT_MAX];
    bool cut = false;
    struct muster_err err;
    int rc = mrz_make(&p, f, mrz, sizeof mrz, &cut, &err);
    json_decref(o);
    if (rc < 0)
        return cli_fail("mrz", 1, "line %d: %s", lineno, err.msg);
    if (!json) {
        printf("%s\n\n", mrz);
        return 0;
    }
    printf("{\"format\":\"%s\",\"lines\":[\"", mrz_format_name(f));
    for (char *c = mrz; *c; c++)
        fputs(*c == '\n' ? "\",\"" : (char[2]){*c, 0}, stdout);
    printf("\"],\"name_truncated\":%s}\n", cut ? "true" : "false");
    return 0;
}

static int cmd_make(int argc, char **argv)
{
    enum mrz_format deflt = MRZ_TD3;
    bool json = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            deflt = format_named(argv[++i]);
            if (deflt == MRZ_FORMAT_NONE)
                return cli_fail("mrz", 2, "unknown format '%s' (TD1, TD2, TD3, MRVA, MRVB)",
                                argv[i]);
        } else {
            return cli_fail("mrz", 2, "unknown option '%s' (muster mrz --help)", argv[i]);
        }
    }
    size_t len;
    char *text = cli_read_file("-", &len);
    if (!text)
        return cli_fail("mrz", 2, "cannot read standard input");
    int status = 0, lineno = 0, docs = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        if (blank(line, line + strlen(line)))
            continue;
        int s = make_one(line, lineno, deflt, json);
        status = s > status ? s : status;
        docs++;
    }
    free(text);
    if (docs == 0)
        return cli_fail("mrz", 2, "no document data on standard input");
    return status;
}

int cmd_mrz(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc < 2)
        return cli_fail("mrz", 2, "parse or make? (muster mrz --help)");
    if (strcmp(argv[1], "parse") == 0) {
        for (int i = 2; i < argc; i++)
            if (strcmp(argv[i], "--json") != 0)
                return cli_fail("mrz", 2, "unknown option '%s' (muster mrz --help)", argv[i]);
        return cmd_parse();
    }
    if (strcmp(argv[1], "make") == 0)
        return cmd_make(argc, argv);
    return cli_fail("mrz", 2, "unknown subcommand '%s' (parse or make)", argv[1]);
}
