/* cmd_paxlst.c — `muster paxlst parse|build|check`: UN/EDIFACT PAXLST
 * passenger and crew lists to JSON and back, and their validation. The work
 * is in src/travel/paxlst.h; this file reads files and prints. */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "travel/cusres.h"
#include "travel/paxlst.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: muster paxlst parse FILE [--json]\n"
    "       muster paxlst build FILE.json [-o OUT] [--max-per-message N] [--no-group] [--json]\n"
    "       muster paxlst check FILE [--json]\n"
    "\n"
    "parse  reads a UN/EDIFACT interchange (PAXLST; CUSRES answers too) and prints it\n"
    "       as JSON (docs/paxlst.md), problems under \"warnings\".\n"
    "build  writes the interchange described by that JSON (\"-\" reads stdin); with\n"
    "       --json: {\"bytes\",\"edifact\"} on stdout, or with -o OUT {\"out\",\"bytes\"}\n"
    "       once the file is written.\n"
    "check  validates syntax, envelopes, counts and codes and lists every problem.\n"
    "\n"
    "exit status: 0 valid, 1 read but invalid (errors found), 2 unusable input.\n";

struct opts {
    const char *file, *out;
    bool json, no_group;
    size_t max;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "--no-group") == 0) {
            o->no_group = true;
        } else if (strcmp(a, "-o") == 0 && i + 1 < argc) {
            o->out = argv[++i];
        } else if (strcmp(a, "--max-per-message") == 0 && i + 1 < argc) {
            long long n;
            if (cli_int("paxlst", a, argv[++i], 1, 100000, &n))
                return 2;
            o->max = (size_t)n;
        } else if (a[0] == '-' && a[1]) {
            return cli_fail("paxlst", 2, "unknown option '%s' (muster paxlst --help)", a);
        } else if (!o->file) {
            o->file = a;
        } else {
            return cli_fail("paxlst", 2, "one FILE only ('%s')", a);
        }
    }
    if (!o->file)
        return cli_fail("paxlst", 2, "%s wants a FILE (muster paxlst --help)", argv[1]);
    return 0;
}

static char *read_input(const char *path, size_t *len)
{
    char *data = cli_read_file(path, len);
    if (!data)
        cli_fail("paxlst", 2, "cannot read %s: %s", path, strerror(errno));
    return data;
}

/* A file of CUSRES answers prints as CUSRES JSON. */
static int print_cusres(const char *data, size_t len)
{
    struct cusres_response r = {0};
    struct muster_err err = {0};
    int rc = cusres_parse(data, len, &r, &err);
    if (rc == 0) {
        struct buf b = {0};
        cusres_to_json(&r, &b);
        puts(buf_str(&b));
        buf_free(&b);
        rc = r.nerrors ? 1 : 0;
    } else {
        rc = -1;
    }
    cusres_free(&r);
    return rc;
}

static int do_parse(const struct opts *o)
{
    size_t len;
    char *data = read_input(o->file, &len);
    if (!data)
        return 2;
    struct paxlst_interchange ic = {0};
    struct muster_err err = {0};
    int rc = paxlst_parse(data, len, &ic, &err), status;
    if (rc) {
        status = cli_fail("paxlst", 2, "%s: %s", o->file, err.msg);
    } else if (ic.nmessages == 0 && (status = print_cusres(data, len)) >= 0) {
        /* printed as CUSRES */
    } else {
        struct buf b = {0};
        paxlst_to_json(&ic, &b);
        puts(buf_str(&b));
        buf_free(&b);
        status = ic.nerrors ? 1 : 0;
    }
    paxlst_free(&ic);
    free(data);
    return status;
}

static void print_problems(const struct paxlst_interchange *ic, bool json)
{
    size_t warnings = ic->ndiags + ic->ndropped - ic->nerrors;
    if (json) {
        struct buf b = {0};
        buf_printf(&b, "{\"valid\":%s,\"errors\":%zu,\"warnings\":%zu,\"problems\":[",
                   ic->nerrors ? "false" : "true", ic->nerrors, warnings);
        paxlst_diags_to_json(ic->diags, ic->ndiags, &b);
        buf_puts(&b, "]}");
        puts(buf_str(&b));
        buf_free(&b);
        return;
    }
    for (size_t i = 0; i < ic->ndiags; i++) {
        char line[400];
        edi_diag_format(&ic->diags[i], line, sizeof line);
        printf("%-7s %s\n", ic->diags[i].severity == EDI_ERROR ? "error" : "warning", line);
    }
    if (ic->ndropped)
        printf("(%zu more problems not listed)\n", ic->ndropped);
    printf("%s: %zu error%s, %zu warning%s\n", ic->nerrors ? "invalid" : "valid", ic->nerrors,
           ic->nerrors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
}

static int do_check(const struct opts *o)
{
    size_t len;
    char *data = read_input(o->file, &len);
    if (!data)
        return 2;
    struct paxlst_interchange ic = {0};
    struct muster_err err = {0};
    int status;
    struct cusres_response r = {0};
    if (paxlst_parse(data, len, &ic, &err) != 0) {
        status = cli_fail("paxlst", 2, "%s: %s", o->file, err.msg);
    } else if (ic.nmessages == 0 && cusres_parse(data, len, &r, &err) == 0) {
        /* CUSRES answers: check those */
        struct paxlst_interchange view = {
            .diags = r.diags, .ndiags = r.ndiags, .nerrors = r.nerrors};
        print_problems(&view, o->json);
        status = r.nerrors ? 1 : 0;
    } else {
        print_problems(&ic, o->json);
        status = ic.nerrors ? 1 : 0;
    }
    cusres_free(&r);
    paxlst_free(&ic);
    free(data);
    return status;
}

static int write_output(const char *path, const struct buf *b)
{
    FILE *f = path ? fopen(path, "wb") : stdout;
    if (!f)
        return cli_fail("paxlst", 2, "cannot write %s: %s", path, strerror(errno));
    fwrite(b->data, 1, b->len, f);
    if (!path)
        fputc('\n', f);
    int bad = ferror(f);
    if (path && fclose(f) != 0)
        bad = 1;
    return bad ? cli_fail("paxlst", 2, "cannot write %s", path ? path : "stdout") : 0;
}

/* build --json without -o: the interchange as a JSON string. */
static int print_json_edifact(const struct buf *b)
{
    json_t *j = json_pack("{s:I, s:s%}", "bytes", (json_int_t)b->len, "edifact", b->data, b->len);
    int bad = !j || json_dumpf(j, stdout, JSON_COMPACT) != 0 || putchar('\n') == EOF;
    json_decref(j);
    return bad ? cli_fail("paxlst", 2, "cannot write stdout") : 0;
}

static int do_build(const struct opts *o)
{
    size_t len;
    char *data = read_input(o->file, &len);
    if (!data)
        return 2;
    struct paxlst_interchange ic = {0};
    struct muster_err err = {0};
    struct buf out = {0};
    struct paxlst_build_options bo = {.max_per_message = o->max, .no_group = o->no_group};
    int status;
    if (paxlst_from_json(data, len, &ic, &err) != 0)
        status = cli_fail("paxlst", strncmp(err.msg, "JSON line", 9) == 0 ? 2 : 1, "%s: %s",
                          o->file, err.msg);
    else if (paxlst_write(&ic, &bo, &out, &err) != 0)
        status = cli_fail("paxlst", 1, "%s: %s", o->file, err.msg);
    else if (o->json && !o->out)
        status = print_json_edifact(&out);
    else
        status = write_output(o->out, &out);
    if (status == 0 && o->json && o->out)
        printf("{\"out\":\"%s\",\"bytes\":%zu}\n", o->out, out.len);
    buf_free(&out);
    paxlst_free(&ic);
    free(data);
    return status;
}

int cmd_paxlst(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || (argc > 1 && strcmp(argv[1], "help") == 0)) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc < 2)
        return cli_fail("paxlst", 2, "parse, build or check? (muster paxlst --help)");
    struct opts o;
    int rc = parse_opts(argc, argv, &o);
    if (rc)
        return rc;
    if (strcmp(argv[1], "parse") == 0)
        return do_parse(&o);
    if (strcmp(argv[1], "check") == 0)
        return do_check(&o);
    if (strcmp(argv[1], "build") == 0)
        return do_build(&o);
    return cli_fail("paxlst", 2, "unknown action '%s' (parse, build or check)", argv[1]);
}
