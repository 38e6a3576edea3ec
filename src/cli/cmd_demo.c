/* cmd_demo.c — `muster demo`: a fresh demo operation, summarised. */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "core/auth.h"
#include "core/events.h"
#include "core/scenario.h"
#include "net/http.h"
#include "util/timeutil.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int gen_scenario_run(const char *db, const char *nation, struct scn_options *o, int json);
int serve_until_signal(struct server *s);
void serve_block_signals(void);

/* The demo's accounts: one per role and nation the walkthrough needs. */
static const struct {
    const char *name, *nation, *role;
    bool at_airport;
} demo_users[] = {
    {"kor.admin", "KOR", "admin", false},
    {"kor.officer", "KOR", "officer", false},
    {"kor.field", "KOR", "field", true},
    {"kor.immigration", "KOR", "immigration", false},
    {"jpn.officer", "JPN", "officer", false},
    {"jpn.field", "JPN", "field", true},
    {"jpn.immigration", "JPN", "immigration", false},
    {"jpn.liaison", "JPN", "liaison", false},
};
#define DEMO_PASSWORD "muster-demo-2026"

/* Writes the arrival nations' pre-clearance rules and (generated) watchlists
 * into the store's ".clearance" folder (next to a SQLite file, in
 * $MUSTER_KEY_DIR for PostgreSQL), for `muster serve --clearance-dir`. */
static int write_clearance_dir(const char *db, char *dir, size_t cap)
{
    store_sidecar_path(db, ".clearance", dir, cap);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -1;
    static const char *const nations[][2] = {{"JPN", "KOR"}, {"KOR", "JPN"}};
    for (int i = 0; i < 2; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/%s.rules.json", dir, nations[i][0]);
        FILE *f = fopen(path, "w");
        if (!f)
            return -1;
        fprintf(f,
                "{\"country\": \"%s\", \"visa_exempt\": [\"%s\", \"USA\", \"GBR\"],\n"
                " \"humanitarian_entry\": {\"partners\": [\"%s\"], \"min_validity_days\": 0},\n"
                " \"min_validity_days\": 90, \"lost_passport_documents\": [\"emergency\", "
                "\"id_card\"],\n \"match_threshold\": 60}\n",
                nations[i][0], nations[i][1], nations[i][1]);
        fclose(f);
        snprintf(path, sizeof path, "%s/%s.watchlist.csv", dir, nations[i][0]);
        f = fopen(path, "w");
        if (!f)
            return -1;
        /* invented entries: common names with an old birth year */
        fprintf(f, "surname,given_names,birth_date,nationality,reason,id\n"
                   "YI,MINJUN,1961,KOR,demo listing,DEMO-1\nONO,SHIN'ICHI,1958,JPN,demo listing,"
                   "DEMO-2\nBAK,SEO-YEON,1970-03-04,KOR,demo listing,DEMO-3\n");
        fclose(f);
    }
    return 0;
}

/* Adds the demo accounts; field officers work at the airport. */
static int add_demo_users(const char *db, struct muster_err *err)
{
    struct node *n;
    int rc = node_open(db, &n, err);
    if (rc)
        return rc;
    char airport[40] = "";
    struct arena a = {0};
    struct store_operation *ops;
    size_t nops;
    if (n->st->ops->operation_list(n->st, &ops, &nops, &a, err) == 0 && nops > 0) {
        struct store_point *pts;
        size_t npts;
        if (n->st->ops->point_list(n->st, ops[0].id, &pts, &npts, &a, err) == 0)
            for (size_t i = 0; i < npts; i++)
                if (strcmp(pts[i].kind, "airport") == 0)
                    snprintf(airport, sizeof airport, "%s", pts[i].id);
    }
    for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0] && !rc; i++)
        rc = auth_user_add(n, "demo", demo_users[i].name, DEMO_PASSWORD, demo_users[i].nation,
                           demo_users[i].role, demo_users[i].at_airport ? airport : NULL, err);
    arena_free(&a);
    node_close(n);
    return rc;
}

static const char usage[] =
    "usage: muster demo [--db PATH] [--people N] [--listen HOST:PORT] [--no-serve] [--json]\n\n"
    "Makes a fresh database at PATH, a SQLite file or a postgres:// URI\n"
    "(default demo/muster.db; an earlier demo there is replaced), holding\n"
    "a generated joint Japan-Korea evacuation of about 10,000\n"
    "registrants, adds demo accounts, verifies its signed log, prints a summary\n"
    "and then serves it (default 127.0.0.1:8080) until Ctrl-C. --no-serve stops\n"
    "after the summary.\n";

int cmd_demo(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    const char *db = "demo/muster.db", *listen = "127.0.0.1:8080";
    int json = 0, serve = 1;
    struct scn_options o = {.seed = 1, .people = 10000};
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"people", required_argument, NULL, 'p'},
        {"no-serve", no_argument, NULL, 'N'},     {"json", no_argument, NULL, 'j'},
        {"listen", required_argument, NULL, 'l'}, {0, 0, 0, 0},
    };
    int c;
    long long num;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'p') {
            if (cli_int("demo", "--people", optarg, 1, 100000000, &num))
                return 2;
            o.people = num;
        } else if (c == 'j')
            json = 1;
        else if (c == 'l')
            listen = optarg;
        else if (c == 'N')
            serve = 0;
        else
            return cli_fail("demo", 2, "unknown option %s (muster demo --help)", argv[optind - 1]);
    }
    if (o.people < 1)
        return cli_fail("demo", 2, "--people must be a positive number");
    if (strcmp(db, "demo/muster.db") == 0 && mkdir("demo", 0700) != 0 && errno != EEXIST)
        return cli_fail("demo", 1, "cannot make demo/: %s", strerror(errno));
    /* replace an earlier demo: the store and its key file */
    struct muster_err err;
    char key[1100], shown[512];
    store_display(db, shown, sizeof shown);
    if (store_destroy(db, &err))
        return cli_fail("demo", 1, "cannot replace the earlier demo: %s", err.msg);
    store_sidecar_path(db, ".key", key, sizeof key);
    unlink(key);
    /* departures start tomorrow, so the demo always looks current */
    o.start = (time_now() / 86400 + 1) * 86400;
    if (!json)
        printf("muster demo: generating a joint Japan-Korea evacuation into %s\n", shown);
    int rc = gen_scenario_run(db, "KOR", &o, json);
    if (rc)
        return rc;
    if (add_demo_users(db, &err))
        return cli_fail("demo", 1, "cannot add the demo accounts: %s", err.msg);
    struct store *st;
    if (store_open(db, false, &st, &err))
        return cli_fail("demo", 1, "%s", err.msg);
    struct ev_verify_result res;
    double t0 = time_mono();
    rc = ev_verify(st, 2, &res, &err);
    store_close(st);
    if (rc)
        return cli_fail("demo", 1, "the new log does not verify: %s", err.msg);
    if (!json) {
        printf("  %-14s chain of %lld events verified in %.2f s (muster verify --db %s)\n",
               "verify", (long long)res.events, time_mono() - t0, shown);
        printf("\ndemo accounts (password %s):\n", DEMO_PASSWORD);
        for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++)
            printf("  %-18s %s %s%s\n", demo_users[i].name, demo_users[i].nation,
                   demo_users[i].role,
                   demo_users[i].at_airport ? " (Ben Gurion Airport desk)" : "");
    }
    if (!serve)
        return 0;
    char clear[1100];
    if (write_clearance_dir(db, clear, sizeof clear))
        return cli_fail("demo", 1, "cannot write %s: %s", clear, strerror(errno));
    serve_block_signals();
    struct server_options so = {.db = db, .listen = listen, .clearance_dir = clear};
    if (access("build/web/index.html", R_OK) == 0)
        so.web_root = "build/web";
    struct server *s;
    if (http_start(&so, &s, &err))
        return cli_fail("demo", 1, "%s", err.msg);
    printf(
        "\nserving on http://%.*s:%d  (API under /api/v1, see docs/openapi.yaml; Ctrl-C stops)\n",
        (int)(strrchr(listen, ':') - listen), listen, http_port(s));
    fflush(stdout);
    return serve_until_signal(s);
}
