/* cmd_export.c — `muster export`: a whole node as its event log, one JSON
 * object a line, for `muster import-log` (on either store).
 *
 * The lines, in this order:
 *   {"muster_log":1,"origin":…,"nation":…,"public_key":hex}
 *   {"node":{"origin","nation","public_key"}}       every origin's key
 *   {"event":{"origin","seq","lamport","time_ms","actor","nation","type",
 *             "body","prev","hash","sig"}}           in log order; body is
 *                                                   the exact signed bytes
 *   {"key":{"subject","wrapped"}}                   per-person data keys,
 *                                                   still wrapped
 *   {"user":{…}}                                    accounts (password hashes)
 *   {"end":{"nodes","events","keys","users"}}       counts: a cut file fails
 * Projections are not written: import-log rebuilds them from the events.
 * Sessions are not written. The node's secret key never is: it stays in the
 * key file, which import-log takes apart (--key). */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "store/store.h"

#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: muster export --db PATH [--out FILE] [--json]\n\n"
    "Writes the whole node at PATH (SQLite file or postgres:// URI) as its\n"
    "event log to stdout (or FILE), one JSON object a line: the node's\n"
    "identity, every origin's public key, every event as signed, the wrapped\n"
    "per-person data keys and the user accounts. `muster import-log` reads it\n"
    "into a new store of either kind. Needs no key file; the secret key is\n"
    "not in the output, but password hashes and wrapped keys are: keep the\n"
    "file as you keep the database.\n"
    "The summary (counts) goes to stderr, the log being on stdout; --json makes\n"
    "it one JSON object, {\"events\",\"nodes\",\"keys\",\"users\",\"out\"}, on\n"
    "stdout with --out FILE and on stderr without (the log is JSON lines).\n";

struct export_ctx {
    FILE *out;
    int64_t nodes, events, keys, users;
    struct progress bar; /* events written, out of the log's last id */
};

static json_t *hex(const uint8_t *b, size_t n)
{
    char h[2 * 256 + 1];
    if (n > 256)
        return json_null();
    sodium_bin2hex(h, sizeof h, b, n);
    return json_string(h);
}

static int put_line(FILE *out, const char *kind, json_t *v)
{
    json_t *line = kind ? json_pack("{s:o}", kind, v) : v;
    int rc = json_dumpf(line, out, JSON_COMPACT | JSON_SORT_KEYS) == 0 && fputc('\n', out) != EOF
                 ? 0
                 : MUSTER_EIO;
    json_decref(line);
    return rc;
}

static int put_node(void *ctx, const char *origin, const char *nation, const uint8_t pk[32])
{
    struct export_ctx *x = ctx;
    x->nodes++;
    return put_line(x->out, "node",
                    json_pack("{s:s, s:s, s:o}", "origin", origin, "nation", nation, "public_key",
                              hex(pk, 32)));
}

static int put_event(void *ctx, const struct store_event *ev)
{
    struct export_ctx *x = ctx;
    x->events++;
    if (x->events % 4096 == 0)
        progress_update(&x->bar, (uint64_t)x->events);
    return put_line(x->out, "event",
                    json_pack("{s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s%, s:o, s:o, s:o}", "origin",
                              ev->origin, "seq", (json_int_t)ev->seq, "lamport",
                              (json_int_t)ev->lamport, "time_ms", (json_int_t)ev->time_ms, "actor",
                              ev->actor, "nation", ev->nation, "type", ev->type, "body", ev->body,
                              ev->body_len, "prev", hex(ev->prev, 32), "hash", hex(ev->hash, 32),
                              "sig", hex(ev->sig, 64)));
}

static int put_key(void *ctx, const char *subject, const uint8_t *wrapped, size_t n)
{
    struct export_ctx *x = ctx;
    x->keys++;
    return put_line(x->out, "key",
                    json_pack("{s:s, s:o}", "subject", subject, "wrapped", hex(wrapped, n)));
}

static int put_users(struct store *st, struct export_ctx *x, struct muster_err *err)
{
    struct arena a = {0};
    struct store_user *us;
    size_t n;
    int rc = st->ops->user_list(st, &us, &n, &a, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        x->users++;
        rc = put_line(x->out, "user",
                      json_pack("{s:s, s:s, s:s, s:s?, s:s, s:b, s:I, s:I, s:I}", "name",
                                us[i].name, "nation", us[i].nation, "role", us[i].role, "points",
                                us[i].points, "pw_hash", us[i].pw_hash, "disabled", us[i].disabled,
                                "failed", (json_int_t)us[i].failed, "locked_until",
                                (json_int_t)us[i].locked_until, "created_ms",
                                (json_int_t)us[i].created_ms));
    }
    arena_free(&a);
    return rc;
}

static int export_node(struct store *st, FILE *out, struct export_ctx *x, struct muster_err *err)
{
    char origin[33], nation[4];
    uint8_t pk[32];
    int rc = st->ops->meta_get(st, "origin", origin, sizeof origin, err);
    if (!rc)
        rc = st->ops->meta_get(st, "nation", nation, sizeof nation, err);
    if (!rc)
        rc = st->ops->node_key(st, origin, pk, err);
    if (rc)
        return rc;
    rc = put_line(out, NULL,
                  json_pack("{s:i, s:s, s:s, s:o}", "muster_log", 1, "origin", origin, "nation",
                            nation, "public_key", hex(pk, 32)));
    if (!rc)
        rc = st->ops->node_scan(st, put_node, x, err);
    if (!rc)
        rc = st->ops->event_scan(st, 0, put_event, x, err);
    if (!rc)
        rc = st->ops->key_scan(st, put_key, x, err);
    if (!rc)
        rc = put_users(st, x, err);
    if (!rc)
        rc = put_line(out, "end",
                      json_pack("{s:I, s:I, s:I, s:I}", "nodes", (json_int_t)x->nodes, "events",
                                (json_int_t)x->events, "keys", (json_int_t)x->keys, "users",
                                (json_int_t)x->users));
    if (rc == MUSTER_EIO && !err->msg[0])
        err_set(err, MUSTER_EIO, "cannot write the log");
    return rc;
}

static void print_summary(const struct export_ctx *x, const char *path, int json)
{
    if (!json) {
        fprintf(stderr, "exported %lld events, %lld node keys, %lld data keys, %lld users\n",
                (long long)x->events, (long long)x->nodes, (long long)x->keys, (long long)x->users);
        return;
    }
    json_t *j = json_pack("{s:I, s:I, s:I, s:I, s:s?}", "events", (json_int_t)x->events, "nodes",
                          (json_int_t)x->nodes, "keys", (json_int_t)x->keys, "users",
                          (json_int_t)x->users, "out", path);
    FILE *f = path ? stdout : stderr;
    json_dumpf(j, f, JSON_COMPACT);
    fputc('\n', f);
    json_decref(j);
}

int cmd_export(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    const char *db = cli_db_default(), *path = NULL;
    int json = 0;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"out", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'o')
            path = optarg;
        else if (c == 'j')
            json = 1;
        else
            return cli_fail("export", 2, "unknown option %s (muster export --help)",
                            argv[optind - 1]);
    }
    if (!db)
        return cli_fail("export", 2, "--db (or MUSTER_DB) is required (muster export --help)");
    if (!store_exists(db))
        return cli_fail("export", 2, "no database at %s", STORE_SHOWN(db));
    FILE *out = path ? fopen(path, "wx") : stdout;
    if (!out)
        return cli_fail("export", 2, "cannot create %s (it must not exist)", path);
    struct muster_err err = {0};
    struct store *st;
    int rc = store_open(db, false, &st, &err);
    struct export_ctx x = {.out = out};
    if (!rc) {
        progress_begin(&x.bar, "exporting", (uint64_t)st->ops->event_count(st));
        rc = export_node(st, out, &x, &err);
        progress_end(&x.bar);
        store_close(st);
    }
    if (fflush(out) != 0 && !rc)
        rc = err_set(&err, MUSTER_EIO, "cannot write the log");
    if (path)
        fclose(out);
    if (rc) {
        if (path)
            remove(path);
        return cli_fail("export", 1, "%s", err.msg);
    }
    print_summary(&x, path, json);
    return 0;
}
