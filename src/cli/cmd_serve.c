/* cmd_serve.c — `muster serve`: the HTTP API and the web UI. */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "net/http.h"
#include "net/sched.h"

#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: muster serve --db PATH [--listen HOST:PORT] [--tls-cert F --tls-key F]\n"
    "                    [--web DIR] [--threads N] [--clearance-dir DIR] [--routes]\n"
    "                    [--retention-every SECONDS] [--json]\n\n"
    "Serves the node at PATH (a SQLite file or a postgres:// URI; several servers\n"
    "may share one PostgreSQL database, docs/deploy.md): the JSON API under\n"
    "/api/v1 (docs/openapi.yaml), /healthz, /metrics and\n"
    "the web UI's files from DIR (default build/web when it exists). Default\n"
    "listen address 127.0.0.1:8080. SIGTERM or SIGINT stop it gracefully: in-flight\n"
    "requests finish, a request that arrives meanwhile gets 503 with Retry-After,\n"
    "new connections are refused once none is in flight, and every acknowledged\n"
    "write is on disk.\n"
    "--clearance-dir DIR holds each arrival nation's pre-clearance rules and\n"
    "watchlist: DIR/NAT.rules.json and DIR/NAT.watchlist.csv (docs/screening.md).\n"
    "--routes prints the route table and exits.\n"
    "--json: once listening, one JSON line on stdout instead of the text one,\n"
    "{\"serving\":true,\"db\",\"url\",\"port\",\"pid\"} (a script reads the port\n"
    "chosen for --listen HOST:0 from it); with --routes, a JSON array of\n"
    "{\"method\",\"pattern\"}.\n"
    "The retention job (muster retention run) runs on start and then every\n"
    "SECONDS (default 86400); MUSTER_NOW (ISO-8601) moves its clock for tests.\n";

/* Blocks until SIGTERM or SIGINT (the signals are blocked in every thread
 * started afterwards, so only sigwait sees them); stops the scheduler (may
 * be NULL), then the server. */
static int until_signal(struct server *s, struct sched *sc)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "muster serve: %s received, finishing in-flight requests\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    sched_stop(sc);
    http_stop(s);
    return 0;
}

int serve_until_signal(struct server *s)
{
    return until_signal(s, NULL);
}

void serve_block_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static void print_routes(int json)
{
    json_t *all = json_array();
    for (int i = 0; i < http_nroutes; i++) {
        if (json)
            json_array_append_new(all, json_pack("{s:s, s:s}", "method", http_routes[i].method,
                                                 "pattern", http_routes[i].pattern));
        else
            printf("%s %s\n", http_routes[i].method, http_routes[i].pattern);
    }
    if (json) {
        json_dumpf(all, stdout, JSON_COMPACT);
        putchar('\n');
    }
    json_decref(all);
}

/* The line a person or a script waits for: the server is listening. */
static void print_start(const struct server_options *o, struct server *s, int json)
{
    char url[300];
    snprintf(url, sizeof url, "%s://%.*s:%d", o->tls_cert ? "https" : "http",
             (int)(strrchr(o->listen, ':') - o->listen), o->listen, http_port(s));
    if (json) {
        json_t *j = json_pack("{s:b, s:s, s:s, s:i, s:I}", "serving", 1, "db", STORE_SHOWN(o->db),
                              "url", url, "port", http_port(s), "pid", (json_int_t)getpid());
        json_dumpf(j, stdout, JSON_COMPACT);
        putchar('\n');
        json_decref(j);
    } else {
        printf("muster serving %s on %s\n", STORE_SHOWN(o->db), url);
    }
    fflush(stdout);
}

int cmd_serve(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    struct server_options o = {.listen = "127.0.0.1:8080", .db = cli_db_default()};
    int routes = 0, json = 0;
    long long num;
    double every = 86400;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"tls-cert", required_argument, NULL, 'c'},
        {"tls-key", required_argument, NULL, 'k'},
        {"web", required_argument, NULL, 'w'},
        {"threads", required_argument, NULL, 't'},
        {"routes", no_argument, NULL, 'r'},
        {"clearance-dir", required_argument, NULL, 'C'},
        {"retention-every", required_argument, NULL, 'R'},
        {"json", no_argument, NULL, 'j'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            o.db = optarg;
            break;
        case 'l':
            o.listen = optarg;
            break;
        case 'c':
            o.tls_cert = optarg;
            break;
        case 'k':
            o.tls_key = optarg;
            break;
        case 'w':
            o.web_root = optarg;
            break;
        case 't':
            if (cli_int("serve", "--threads", optarg, 1, 1024, &num))
                return 2;
            o.threads = (int)num;
            break;
        case 'r':
            routes = 1;
            break;
        case 'j':
            json = 1;
            break;
        case 'C':
            o.clearance_dir = optarg;
            break;
        case 'R':
            if (cli_real("serve", "--retention-every", optarg, 1, 1e9, &every))
                return 2;
            break;
        default:
            return cli_fail("serve", 2, "unknown option %s (muster serve --help)",
                            argv[optind - 1]);
        }
    }
    if (routes) {
        print_routes(json);
        return 0;
    }
    if (!o.db)
        return cli_fail("serve", 2, "--db (or MUSTER_DB) is required (muster serve --help)");
    if (!o.web_root && access("build/web/index.html", R_OK) == 0)
        o.web_root = "build/web";
    serve_block_signals();
    struct server *s;
    struct muster_err err;
    if (http_start(&o, &s, &err))
        return cli_fail("serve", err.code == MUSTER_EINVAL ? 2 : 1, "%s", err.msg);
    print_start(&o, s, json);
    return until_signal(s, sched_start(s, every));
}
