/* cmd_screen.c — `muster screen FILE.edi --watchlist W.csv --rules R.json`:
 * pre-clearance of a PAXLST manifest. Reads the files, maps every person of
 * the interchange to the screener's passenger (src/screen/screen.h), and
 * prints the answer per person as text, JSON, and optionally CUSRES. */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "core/clearance.h"
#include "screen/screen.h"
#include "travel/cusres.h"
#include "travel/paxlst.h"
#include "util/buf.h"
#include "util/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: muster screen FILE.edi --watchlist W.csv --rules R.json [--arrival-date YYYY-MM-DD]\n"
    "                   [--json] [--cusres OUT.edi]\n"
    "\n"
    "Screens every person of a PAXLST interchange for the arrival country: document\n"
    "checks (type, number, check digit, expiry and minimum validity on arrival, a\n"
    "number seen twice), the entry basis from the rules table, and the watchlist\n"
    "(romanisation-aware: Lee/Yi/Rhee, Ohno/Ono/Oono, swapped names, ...). Prints one\n"
    "line per person (cleared / refer / not_cleared and why); --json prints\n"
    "{\"summary\",\"passengers\":[...]}; --cusres writes the CUSRES answer (\"-\" = stdout).\n"
    "The arrival date is the leg's (DTM+232) unless --arrival-date is given.\n"
    "Formats: docs/screening.md. Exit status: 0 screened, 1 screened but the PAXLST has\n"
    "errors, 2 unusable input.\n";

struct opts {
    const char *file, *watchlist, *rules, *cusres;
    struct screen_date arrival;
    bool json;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "--watchlist") == 0 && has_value) {
            o->watchlist = argv[++i];
        } else if (strcmp(a, "--rules") == 0 && has_value) {
            o->rules = argv[++i];
        } else if (strcmp(a, "--cusres") == 0 && has_value) {
            o->cusres = argv[++i];
        } else if (strcmp(a, "--arrival-date") == 0 && has_value) {
            struct screen_date d;
            if (screen_date_parse(argv[++i], &d) != 0 || !d.m || !d.d)
                return cli_fail("screen", 2, "--arrival-date wants YYYY-MM-DD, not '%s'", argv[i]);
            o->arrival = d;
        } else if (a[0] == '-' && a[1]) {
            return cli_fail("screen", 2,
                            "unknown option or missing value '%s' (muster screen --help)", a);
        } else if (!o->file) {
            o->file = a;
        } else {
            return cli_fail("screen", 2, "one FILE only ('%s')", a);
        }
    }
    if (!o->file || !o->watchlist || !o->rules)
        return cli_fail("screen", 2,
                        "wants FILE.edi, --watchlist and --rules (muster screen --help)");
    return 0;
}

/* One person of the interchange, as screened. */
struct row {
    const struct paxlst_message *msg;
    const struct paxlst_person *person;
    char leg[64];
};

static void map_person(const struct paxlst_message *m, const struct paxlst_person *x,
                       struct row *row, struct screen_passenger *p)
{
    row->msg = m;
    row->person = x;
    clearance_passenger_from_paxlst(m, x, row->leg, sizeof row->leg, p);
}

static void print_text(const struct screen_passenger *p, const struct screen_result *r,
                       const struct screen_watchlist *wl)
{
    char name[96];
    struct buf line = {0};
    snprintf(name, sizeof name, "%s %s", p->surname ? p->surname : "",
             p->given_names ? p->given_names : "");
    buf_printf(&line, "%-11s %-8s %-30s", screen_decision_name(r->decision),
               p->leg_id ? p->leg_id : "", name);
    for (int i = 0; i < r->n_reasons; i++)
        buf_printf(&line, "%s %s", i ? ";" : "", r->reasons[i].text);
    while (line.len && line.data[line.len - 1] == ' ')
        line.data[--line.len] = '\0';
    puts(buf_str(&line));
    buf_free(&line);
    for (int i = 0; i < r->n_hits; i++) {
        struct screen_entry e;
        screen_watchlist_entry(wl, r->hits[i].entry, &e);
        printf("            hit %s (score %d): %s\n", e.id, r->hits[i].score, r->hits[i].why);
    }
}

static void print_json(const struct screen_passenger *p, const struct screen_result *r,
                       const struct row *rows, size_t n, const struct screen_watchlist *wl,
                       const int count[3])
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = screen_result_json(&p[i], &r[i], wl);
        const struct paxlst_person *x = rows[i].person;
        json_object_set_new(o, "role", json_string(x->role == PAXLST_CREW ? "crew" : "passenger"));
        json_object_set_new(o, "passenger_ref",
                            x->passenger_ref ? json_string(x->passenger_ref) : json_null());
        json_array_append_new(list, o);
    }
    json_t *root =
        json_pack("{s:{s:I,s:i,s:i,s:i},s:o}", "summary", "people", (json_int_t)n, "cleared",
                  count[0], "refer", count[1], "not_cleared", count[2], "passengers", list);
    char *s = json_dumps(root, JSON_COMPACT);
    puts(s ? s : "{}");
    free(s);
    json_decref(root);
}

/* Upper-case reason codes for CUSRES FTX, kept in one buffer per answer. */

static int write_cusres(const char *path, const struct paxlst_interchange *ic,
                        const struct screen_result *r, const struct row *rows, size_t n)
{
    const struct paxlst_person **people = calloc(n ? n : 1, sizeof *people);
    for (size_t i = 0; i < n; i++)
        people[i] = rows[i].person;
    struct muster_err err = {0};
    struct buf out = {0};
    int status = 0;
    if (clearance_cusres(ic, n ? rows[0].msg : NULL, people, r, n, &out, &err) != 0) {
        status = cli_fail("screen", 1, "CUSRES: %s", err.msg);
    } else {
        FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
        if (!f || fwrite(out.data, 1, out.len, f) != out.len || (f != stdout && fclose(f) != 0))
            status = cli_fail("screen", 2, "cannot write %s: %s", path, strerror(errno));
    }
    buf_free(&out);
    free(people);
    return status;
}

/* Loads the rules and the watchlist; returns 0 or the exit status. */
static int load_tables(const struct opts *o, struct screen_rules *rules,
                       struct screen_watchlist **wl)
{
    struct muster_err err = {0};
    size_t len;
    char *text = cli_read_file(o->rules, &len);
    if (!text)
        return cli_fail("screen", 2, "cannot read %s: %s", o->rules, strerror(errno));
    int rc = screen_rules_parse(text, len, rules, &err);
    free(text);
    if (rc)
        return cli_fail("screen", 2, "%s: %s", o->rules, err.msg);
    text = cli_read_file(o->watchlist, &len);
    if (!text)
        return cli_fail("screen", 2, "cannot read %s: %s", o->watchlist, strerror(errno));
    rc = screen_watchlist_load(text, len, wl, &err);
    free(text);
    if (rc)
        return cli_fail("screen", 2, "%s: %s", o->watchlist, err.msg);
    return 0;
}

static int screen_interchange(const struct opts *o, const struct paxlst_interchange *ic,
                              const struct screen_rules *rules, const struct screen_watchlist *wl)
{
    size_t n = 0, k = 0;
    struct muster_err err = {0};
    for (size_t m = 0; m < ic->nmessages; m++)
        n += ic->messages[m].npeople;
    struct row *rows = calloc(n ? n : 1, sizeof *rows);
    struct screen_passenger *p = calloc(n ? n : 1, sizeof *p);
    struct screen_result *r = calloc(n ? n : 1, sizeof *r);
    for (size_t m = 0; m < ic->nmessages; m++)
        for (size_t i = 0; i < ic->messages[m].npeople; i++, k++) {
            map_person(&ic->messages[m], &ic->messages[m].people[i], &rows[k], &p[k]);
            if (o->arrival.y)
                p[k].arrival = o->arrival; /* the command line wins */
        }
    int status = 0, count[3] = {0, 0, 0};
    if (screen_batch(rules, wl, p, n, o->arrival, r, &err) != 0) {
        status = cli_fail("screen", 2, "%s: %s (give --arrival-date)", o->file, err.msg);
    } else {
        for (size_t i = 0; i < n; i++)
            count[r[i].decision]++;
        if (o->json)
            print_json(p, r, rows, n, wl, count);
        else {
            for (size_t i = 0; i < n; i++)
                print_text(&p[i], &r[i], wl);
            printf("%zu people: %d cleared, %d refer, %d not cleared\n", n, count[0], count[1],
                   count[2]);
        }
        if (o->cusres)
            status = write_cusres(o->cusres, ic, r, rows, n);
        if (status == 0 && ic->nerrors)
            status = 1;
    }
    free(rows);
    free(p);
    free(r);
    return status;
}

int cmd_screen(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    struct opts o;
    int status = parse_opts(argc, argv, &o);
    if (status)
        return status;
    struct screen_rules *rules = malloc(sizeof *rules);
    struct screen_watchlist *wl = NULL;
    status = load_tables(&o, rules, &wl);
    size_t len = 0;
    char *data = status ? NULL : cli_read_file(o.file, &len);
    if (!status && !data)
        status = cli_fail("screen", 2, "cannot read %s: %s", o.file, strerror(errno));
    if (!status) {
        struct paxlst_interchange ic = {0};
        struct muster_err err = {0};
        if (paxlst_parse(data, len, &ic, &err) != 0)
            status = cli_fail("screen", 2, "%s: %s", o.file, err.msg);
        else if (ic.nmessages == 0)
            status = cli_fail("screen", 2, "%s: no PAXLST message", o.file);
        else
            status = screen_interchange(&o, &ic, rules, wl);
        paxlst_free(&ic);
    }
    free(data);
    free(rules);
    screen_watchlist_free(wl);
    return status;
}
