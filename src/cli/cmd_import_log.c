/* cmd_import_log.c — `muster import-log`: a node moved into a new store
 * from the output of `muster export` (see cmd_export.c for the format).
 *
 * Everything goes in in one transaction (on PostgreSQL through COPY): the
 * identity, the origins' keys, the events as signed, the wrapped data keys,
 * the accounts; the key file must be the node's and the log must verify
 * before the commit. Then the projections are rebuilt from the log. A
 * failure removes the new key file and the store again (store_destroy). */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "core/events.h"
#include "core/node.h"
#include "store/store.h"
#include "util/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "usage: muster import-log --db PATH --key FILE [--in FILE] [--json]\n\n"
    "Makes a new node store at PATH (SQLite file or postgres:// URI; it must\n"
    "not exist) from the output of `muster export` read from stdin (or\n"
    "--in FILE): the same node, moved between stores. FILE is the node's key\n"
    "file (where the exported node kept it); it is copied to PATH's key file\n"
    "(PATH.key, or $MUSTER_KEY_DIR/NAME.key on PostgreSQL). The projections\n"
    "are rebuilt from the events and the log is verified; on any error\n"
    "nothing is left behind.\n";

struct import_state {
    struct store *st;
    struct muster_err *err;
    int64_t line, nodes, events, keys, users;
    const char *keyfile; /* checked against the header's public key */
    char origin[33];
    bool ended;
};

static int bad(struct import_state *s, const char *what)
{
    return err_set(s->err, MUSTER_EINVAL, "line %lld: %s", (long long)s->line, what);
}

static bool unhex(const char *h, uint8_t *out, size_t n)
{
    size_t got = 0;
    return h && strlen(h) == 2 * n && sodium_hex2bin(out, n, h, 2 * n, NULL, &got, NULL) == 0 &&
           got == n;
}

static int read_header(struct import_state *s, json_t *j)
{
    const char *origin = NULL, *nation = NULL, *pk = NULL;
    int version = 0;
    if (json_unpack(j, "{s:i, s:s, s:s, s:s}", "muster_log", &version, "origin", &origin, "nation",
                    &nation, "public_key", &pk) ||
        version != 1 || strlen(origin) != 32 || strlen(nation) != 3)
        return bad(s, "not the output of muster export (no muster_log 1 header)");
    snprintf(s->origin, sizeof s->origin, "%s", origin);
    uint8_t key[32];
    if (!unhex(pk, key, 32))
        return bad(s, "the header's public_key is not 32 bytes of hex");
    int rc = node_key_matches(s->keyfile, key, s->err);
    if (!rc)
        rc = s->st->ops->meta_put(s->st, "origin", origin, s->err);
    if (!rc)
        rc = s->st->ops->meta_put(s->st, "nation", nation, s->err);
    return rc;
}

static int read_node(struct import_state *s, json_t *v)
{
    const char *origin, *nation, *pk;
    uint8_t key[32];
    if (json_unpack(v, "{s:s, s:s, s:s}", "origin", &origin, "nation", &nation, "public_key",
                    &pk) ||
        !unhex(pk, key, 32))
        return bad(s, "a node needs origin, nation and a 32-byte public_key");
    s->nodes++;
    return s->st->ops->node_put(s->st, origin, nation, key, s->err);
}

static int read_event(struct import_state *s, json_t *v)
{
    struct store_event ev = {0};
    const char *origin, *nation, *prev, *hash, *sig;
    json_int_t seq, lamport, time_ms;
    size_t body_len;
    if (json_unpack(v, "{s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s%, s:s, s:s, s:s}", "origin",
                    &origin, "seq", &seq, "lamport", &lamport, "time_ms", &time_ms, "actor",
                    &ev.actor, "nation", &nation, "type", &ev.type, "body", &ev.body, &body_len,
                    "prev", &prev, "hash", &hash, "sig", &sig) ||
        strlen(origin) != 32 || strlen(nation) != 3 || !unhex(prev, ev.prev, 32) ||
        !unhex(hash, ev.hash, 32) || !unhex(sig, ev.sig, 64))
        return bad(s, "an event needs every field of the log (muster export writes them)");
    memcpy(ev.origin, origin, 33);
    memcpy(ev.nation, nation, 4);
    ev.seq = seq;
    ev.lamport = lamport;
    ev.time_ms = time_ms;
    ev.body_len = body_len;
    s->events++;
    return s->st->ops->event_append(s->st, &ev, s->err);
}

static int read_key(struct import_state *s, json_t *v)
{
    const char *subject, *wrapped;
    uint8_t buf[256];
    size_t n = 0;
    if (json_unpack(v, "{s:s, s:s}", "subject", &subject, "wrapped", &wrapped) ||
        strlen(wrapped) > 2 * sizeof buf ||
        sodium_hex2bin(buf, sizeof buf, wrapped, strlen(wrapped), NULL, &n, NULL) != 0)
        return bad(s, "a key needs a subject and a hex wrapped key");
    s->keys++;
    return s->st->ops->key_put(s->st, subject, buf, n, s->err);
}

static int read_user(struct import_state *s, json_t *v)
{
    struct store_user u = {0};
    int disabled = 0;
    json_int_t failed = 0, locked = 0, created = 0;
    if (json_unpack(v, "{s:s, s:s, s:s, s?s, s:s, s?b, s?I, s?I, s?I}", "name", &u.name, "nation",
                    &u.nation, "role", &u.role, "points", &u.points, "pw_hash", &u.pw_hash,
                    "disabled", &disabled, "failed", &failed, "locked_until", &locked, "created_ms",
                    &created))
        return bad(s, "a user needs name, nation, role and pw_hash");
    u.disabled = disabled;
    u.failed = failed;
    u.locked_until = locked;
    u.created_ms = created;
    s->users++;
    return s->st->ops->user_put(s->st, &u, s->err);
}

static int read_end(struct import_state *s, json_t *v)
{
    json_int_t nodes, events, keys, users;
    if (json_unpack(v, "{s:I, s:I, s:I, s:I}", "nodes", &nodes, "events", &events, "keys", &keys,
                    "users", &users))
        return bad(s, "the end line needs the counts");
    if (nodes != s->nodes || events != s->events || keys != s->keys || users != s->users)
        return bad(s, "the counts at the end do not match the lines read (a damaged file)");
    s->ended = true;
    return 0;
}

static int read_line(struct import_state *s, const char *text, size_t len)
{
    json_error_t je;
    json_t *j = json_loadb(text, len, 0, &je);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        return bad(s, "not a JSON object");
    }
    int rc;
    if (s->ended) {
        rc = bad(s, "lines after the end");
    } else if (s->line == 1) {
        rc = read_header(s, j);
    } else {
        const char *kind =
            json_object_size(j) == 1 ? json_object_iter_key(json_object_iter(j)) : "";
        json_t *v = json_object_iter_value(json_object_iter(j));
        if (!json_is_object(v))
            rc = bad(s, "a line is one object: {\"kind\":{...}}");
        else if (!strcmp(kind, "node"))
            rc = read_node(s, v);
        else if (!strcmp(kind, "event"))
            rc = read_event(s, v);
        else if (!strcmp(kind, "key"))
            rc = read_key(s, v);
        else if (!strcmp(kind, "user"))
            rc = read_user(s, v);
        else if (!strcmp(kind, "end"))
            rc = read_end(s, v);
        else
            rc = bad(s, "unknown kind of line");
    }
    json_decref(j);
    return rc;
}

/* Reads every line into the new store and verifies the log, in one
 * transaction: a log that does not verify is never committed. */
static int load(struct store *st, FILE *in, struct import_state *s, struct ev_verify_result *res,
                struct muster_err *err)
{
    int rc = st->ops->begin(st, err);
    if (rc)
        return rc;
    char *text = NULL;
    size_t cap = 0;
    ssize_t len;
    struct stat sb; /* a bar of bytes read when the input is a file */
    struct progress pg;
    bool file = fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode);
    progress_begin(&pg, "loading", file ? (uint64_t)sb.st_size : 0);
    uint64_t bytes = 0;
    while (!rc && (len = getline(&text, &cap, in)) > 0) {
        s->line++;
        bytes += (uint64_t)len;
        rc = read_line(s, text, (size_t)len);
        if (s->line % 4096 == 0)
            progress_update(&pg, bytes);
    }
    free(text);
    if (!rc && !s->ended)
        rc = err_set(err, MUSTER_EINVAL, "the log ends early (no end line after line %lld)",
                     (long long)s->line);
    if (!rc)
        rc = ev_verify_progress(st, 2, progress_report, &pg, res, err);
    progress_end(&pg);
    if (!rc)
        rc = st->ops->commit(st, err);
    else
        st->ops->rollback(st);
    return rc;
}

static int copy_key(const char *from, const char *to, struct muster_err *err)
{
    size_t n;
    char *data = cli_read_file(from, &n);
    if (!data)
        return err_set(err, MUSTER_EINVAL, "cannot read key file %s: %s", from, strerror(errno));
    int fd = open(to, O_WRONLY | O_CREAT | O_EXCL, 0600);
    int rc = 0;
    if (fd < 0)
        rc = err_set(err, MUSTER_ECONFLICT, "cannot create key file %s: %s", to, strerror(errno));
    else if (write(fd, data, n) != (ssize_t)n || fsync(fd) != 0)
        rc = err_set(err, MUSTER_EIO, "cannot write key file %s", to);
    if (fd >= 0)
        close(fd);
    sodium_memzero(data, n);
    free(data);
    return rc;
}

/* Opens the imported node and rebuilds the projections from the log. */
static int finish(const char *db, struct muster_err *err)
{
    struct node *n;
    int rc = node_open(db, &n, err);
    if (rc)
        return rc;
    struct progress pg;
    progress_begin(&pg, "rebuilding", 0);
    rc = ev_rebuild_progress(n, progress_report, &pg, err);
    progress_end(&pg);
    node_close(n);
    return rc;
}

static int run(const char *db, const char *keyfile, FILE *in, int json)
{
    struct muster_err err = {0};
    char shown[512];
    store_display(db, shown, sizeof shown);
    if (store_exists(db))
        return cli_fail("import-log", 2, "%s already exists", shown);
    char keypath[1100];
    node_key_path(db, keypath, sizeof keypath);
    int rc = copy_key(keyfile, keypath, &err);
    if (rc)
        return cli_fail("import-log", 2, "%s", err.msg);
    double t0 = time_mono();
    struct store *st;
    struct import_state s = {.err = &err, .keyfile = keyfile};
    struct ev_verify_result res = {0};
    rc = store_open(db, true, &st, &err);
    if (!rc) {
        s.st = st;
        rc = load(st, in, &s, &res, &err);
        store_close(st);
    } else {
        unlink(keypath);
        return cli_fail("import-log", err.code == MUSTER_ECONFLICT ? 2 : 1, "%s", err.msg);
    }
    if (!rc)
        rc = finish(db, &err);
    if (rc) {
        struct muster_err ignored;
        unlink(keypath);
        store_destroy(db, &ignored);
        return cli_fail("import-log", err.code == MUSTER_EINVAL ? 2 : 1, "%s", err.msg);
    }
    double secs = time_mono() - t0;
    if (json)
        printf("{\"db\":\"%s\",\"origin\":\"%s\",\"events\":%lld,\"chains\":%lld,\"keys\":%lld,"
               "\"users\":%lld,\"seconds\":%.3f}\n",
               shown, s.origin, (long long)s.events, (long long)res.origins, (long long)s.keys,
               (long long)s.users, secs);
    else
        printf("imported node %s into %s: %lld events in %lld chain(s) verified, %lld data keys, "
               "%lld users, projections rebuilt, in %.2f s\n",
               s.origin, shown, (long long)s.events, (long long)res.origins, (long long)s.keys,
               (long long)s.users, secs);
    return 0;
}

int cmd_import_log(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    const char *db = cli_db_default(), *key = NULL, *path = NULL;
    int json = 0;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"key", required_argument, NULL, 'k'},
        {"in", required_argument, NULL, 'i'},
        {"json", no_argument, NULL, 'j'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'k')
            key = optarg;
        else if (c == 'i')
            path = optarg;
        else if (c == 'j')
            json = 1;
        else
            return cli_fail("import-log", 2, "unknown option %s (muster import-log --help)",
                            argv[optind - 1]);
    }
    if (!db || !key)
        return cli_fail("import-log", 2,
                        "--db and --key (the node's key file) are required (muster import-log "
                        "--help)");
    if (sodium_init() < 0)
        return cli_fail("import-log", 1, "libsodium failed to start");
    FILE *in = path ? fopen(path, "r") : stdin;
    if (!in)
        return cli_fail("import-log", 2, "cannot read %s: %s", path, strerror(errno));
    int rc = run(db, key, in, json);
    if (path)
        fclose(in);
    return rc;
}
