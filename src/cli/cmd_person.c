/* cmd_person.c — `muster person copy`: the person's copy from the command
 * line, the same document as GET /api/v1/persons/{id}/copy (built by
 * net/api_privacy.c), recorded in the read audit before it is written out. */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "core/copy_pdf.h"
#include "core/events.h"
#include "core/node.h"
#include "net/api.h"
#include "util/timeutil.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: muster person copy ID --db PATH [--pdf FILE] [--json]\n\n"
    "Prints everything the node at PATH holds about person ID as JSON (the\n"
    "record, household, history, clearance decisions, which partner nations\n"
    "could see them and what partner accounts were sent, every recorded read),\n"
    "or writes it as a readable PDF to FILE. Only for people the node's own\n"
    "nation registered. The export is recorded in the read audit (actor\n"
    "\"cli\") before anything is written out.\n"
    "--json: the copy on one line (compact) instead of indented; with --pdf,\n"
    "{\"person\",\"pdf\",\"bytes\"} once the file is written.\n";

/* Appends the export's read-audit row, durably. */
static int audit(struct node *n, const char *person, const char *purpose, struct muster_err *err)
{
    struct store_read row = {0,       time_now_ms(), "cli", n->nation, "cli", "muster person copy",
                             purpose, person,        "full"};
    int rc = ev_begin(n, err);
    if (rc)
        return rc;
    rc = n->st->ops->read_audit_put(n->st, &row, 1, err);
    if (rc) {
        ev_rollback(n);
        return rc;
    }
    return ev_commit(n, err);
}

static int copy_out(struct node *n, const char *id, const char *pdf, int json)
{
    struct request r = {0};
    r.st = n->st;
    snprintf(r.who.nation, sizeof r.who.nation, "%s", n->nation);
    r.who.role = ROLE_ADMIN;
    struct store_person p;
    struct muster_err err;
    int rc = 0;
    enum access_view v = api_load_person(&r, id, &p, NULL);
    json_t *copy = NULL;
    struct buf out = {0};
    if (v == VIEW_NONE)
        rc = cli_fail("person", 1, "no person %s", id);
    else if (v != VIEW_FULL || strcmp(p.nation, n->nation) != 0)
        rc = cli_fail("person", 1,
                      "%s registered person %s: only that nation's node exports the copy", p.nation,
                      id);
    else if (!(copy = api_copy_json(&r, &p, &err)))
        rc = cli_fail("person", 2, "%s", err.msg);
    else if (pdf && copy_pdf(copy, &out, &err))
        rc = cli_fail("person", 2, "%s", err.msg);
    else if (audit(n, p.id, pdf ? "copy.pdf" : "copy", &err))
        rc = cli_fail("person", 2, "cannot record the export in the read audit: %s", err.msg);
    if (!rc && pdf) {
        FILE *f = fopen(pdf, "wb");
        if (!f || fwrite(out.data, 1, out.len, f) != out.len)
            rc = cli_fail("person", 2, "cannot write %s", pdf);
        if (f && fclose(f) && !rc)
            rc = cli_fail("person", 2, "cannot write %s", pdf);
        if (!rc && json)
            printf("{\"person\":\"%s\",\"pdf\":\"%s\",\"bytes\":%zu}\n", p.id, pdf, out.len);
    } else if (!rc) {
        char *text = json_dumps(copy, json ? JSON_COMPACT : JSON_INDENT(2));
        if (text)
            puts(text);
        free(text);
    }
    json_decref(copy);
    buf_free(&out);
    buf_free(&r.out);
    arena_free(&r.arena);
    return rc;
}

int cmd_person(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "copy") != 0)
        return cli_fail("person", 2, "unknown action '%s' (muster person --help)", argv[1]);
    const char *db = cli_db_default(), *pdf = NULL, *id = NULL;
    int json = 0;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"pdf", required_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'j'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 2;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'p')
            pdf = optarg;
        else if (c == 'j')
            json = 1;
        else
            return cli_fail("person", 2, "unknown option %s (muster person --help)",
                            argv[optind - 1]);
    }
    if (optind < argc)
        id = argv[optind];
    if (!db || !id)
        return cli_fail("person", 2, "usage: muster person copy ID --db PATH [--pdf FILE]");
    if (!store_exists(db))
        return cli_fail("person", 2, "no database at %s", STORE_SHOWN(db));
    struct node *n;
    struct muster_err err;
    if (node_open(db, &n, &err))
        return cli_fail("person", 2, "%s", err.msg);
    int rc = copy_out(n, id, pdf, json);
    node_close(n);
    return rc;
}
