/* store.h — the one interface to muster's storage.
 *
 * Like SQLite's VFS or Redis's ae: a struct of operations that a backend
 * fills (store/sqlite.c today; store/pg.c for headquarters later). Nothing
 * above src/store/ knows which backend runs, and only src/store/ writes SQL.
 *
 * What is stored:
 *   - the event log (append-only; see core/events.h for what an event is),
 *   - the node's public identity and the public keys of origin nodes,
 *   - per-person data keys (wrapped), kept OUTSIDE the log so that destroying
 *     one shreds that person's fields in every event (crypto-shredding),
 *   - projections: the tables queries read, rebuilt from the log at will.
 *
 * Writes happen inside store_begin()/store_commit(); a commit that returned 0
 * is durable (SQLite: WAL + synchronous=FULL). Strings in records are
 * borrowed: the store copies what it keeps; on reads, returned strings live in
 * the caller's arena. */
#ifndef MUSTER_STORE_STORE_H
#define MUSTER_STORE_STORE_H

#include "util/arena.h"
#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One event as stored. body is the exact canonical JSON bytes that were
 * hashed; it is never re-serialised. */
struct store_event {
    int64_t id;        /* local position in this node's log, assigned on append */
    char origin[33];   /* origin node id, 32 hex chars */
    int64_t seq;       /* origin sequence, 1, 2, ... without gaps per origin */
    int64_t lamport;   /* Lamport clock */
    int64_t time_ms;   /* wall clock at the origin, ms since 1970 UTC */
    const char *actor; /* who did it: "user:<name>", "cli", "system" */
    char nation[4];    /* nation on whose behalf (ISO 3166-1 alpha-3) */
    const char *type;  /* e.g. "household.registered" */
    const char *body;  /* canonical JSON */
    size_t body_len;
    uint8_t prev[32]; /* hash of the previous event of the same origin (zeros first) */
    uint8_t hash[32]; /* BLAKE2b-256 over the canonical encoding (core/events.c) */
    uint8_t sig[64];  /* Ed25519 signature of hash by the origin node */
};

/* The head of one origin's chain. seq 0 and a zero hash when empty. */
struct store_head {
    int64_t seq;
    int64_t lamport; /* highest Lamport clock in the whole log */
    uint8_t hash[32];
};

/* Projection rows. Text fields may be NULL (unknown). */
struct store_operation {
    const char *id, *nation, *name, *host_country, *status;
    const char *area;     /* JSON array of [lat, lon] pairs */
    const char *partners; /* JSON array of nation codes */
    int64_t created_ms;
};

struct store_point {
    const char *id, *operation, *name, *kind; /* kind: airport|port|embassy|other */
    double lat, lon;
    int64_t capacity;
};

struct store_leg {
    const char *id, *operation, *operator_nation, *kind, *vehicle, *point, *destination, *status;
    const char *destination_country; /* ISO alpha-3 of the arrival country */
    const char *carries;             /* JSON array of nation codes */
    int64_t seats, stretchers, departs;
    int64_t arrives; /* Unix seconds; 0 when not known */
};

struct store_household {
    const char *id, *operation, *nation;
    int64_t size;
};

struct store_person {
    const char *id, *household, *operation, *nation, *nationality;
    const char *surname, *given_names, *native_name, *sex, *birth_date;
    const char *doc_type, *doc_number, *doc_state, *doc_expiry;
    const char *phone, *email, *address;
    double lat, lon; /* NAN when unknown */
    int64_t needs;   /* bit set, see core/registry.h */
    const char *priority, *priority_override, *status, *leg;
    bool consent;
    int64_t updated_ms;
};

/* One pre-clearance decision of an arrival country about one passenger. */
struct store_clearance {
    const char *id, *leg, *person, *nation, *decision, *basis;
    const char *surname, *given_names, *birth_date, *nationality, *doc_number;
    const char *reasons, *hits; /* JSON arrays */
    const char *original;       /* the decision before an override, or NULL */
    const char *override_by, *override_reason;
    int64_t decided_ms;
};

/* The retention of one operation's data, per data class (a projection of
 * operation.retention and of the operation closing; core/retention.h).
 * Days < 0: not set, the class is kept. closed_ms 0: the operation is open. */
struct store_retention {
    const char *id;     /* the operation */
    const char *nation; /* the nation that set the periods (NULL: none set) */
    int64_t registry_days, partner_days, clearance_days;
    int64_t closed_ms;
    int64_t updated_ms;
};

/* One row of the read audit: an account was sent a person's personal data.
 * Rows are only ever appended (the schema refuses UPDATE and DELETE). */
struct store_read {
    int64_t id; /* assigned on append */
    int64_t time_ms;
    const char *actor;   /* account name */
    const char *nation;  /* the account's nation */
    const char *role;    /* the account's role */
    const char *route;   /* "GET /api/v1/persons/{person}" */
    const char *purpose; /* what the answer was: "person", "search", "manifest.pdf", ... */
    const char *person;  /* whose data */
    const char *view;    /* "full" or "partner" */
};

/* A user account of this node (not replicated; not a projection). */
struct store_user {
    const char *name, *nation, *role;
    const char *points;  /* JSON array of assembly point ids (field officers) */
    const char *pw_hash; /* Argon2id string (libsodium crypto_pwhash_str) */
    bool disabled;
    int64_t failed;       /* consecutive failed logins */
    int64_t locked_until; /* ms; 0 when not locked */
    int64_t created_ms;
};

/* A login session: only the BLAKE2b hash of the bearer token is stored. */
struct store_session {
    const char *token_hash; /* hex */
    const char *user;
    int64_t expires_ms;
    bool revoked;
};

/* Search over persons. NULL/empty fields are not filtered on. */
struct store_person_query {
    const char *operation;
    const char *text;       /* upper-case, accents removed: prefix of surname, given
                             * names or document number; part of the phone number
                             * (spaces, '-' and '+' ignored) or of the native name */
    const char *native;     /* with text: the query as typed, for the native name
                             * (NULL: text); native names are stored as typed */
    const char *household;  /* members of one household */
    const char *leg;        /* people allocated to a leg */
    const char *doc_number; /* exact */
    int64_t limit, offset;
};

/* Counts for summaries: people by status and by nationality. */
struct store_count {
    const char *key;
    int64_t n;
};

/* One carriage of the reciprocity ledger: a person boarded (and later
 * departed on) a leg. A projection of person.status; it holds no personal
 * data (no person id, no name), so an erasure or a retention purge leaves it
 * and the accounts stay whole. */
struct store_carriage {
    const char *id; /* hex BLAKE2b-128 of the person id and the leg (core/project.c) */
    const char *operation, *leg;
    const char *carrier;             /* nation operating the leg */
    const char *nationality;         /* of the person carried */
    const char *slot;                /* "seat" or "stretcher" */
    int64_t boarded_ms, departed_ms; /* departed 0: not departed yet */
    const char *fare; /* JSON policy of the carrier in force at boarding; NULL: free */
};

/* Carriages summed by operation, leg, carrier, nationality and fare. */
struct store_carriage_sum {
    const char *operation, *leg, *carrier, *nationality, *fare;
    int64_t boarded;  /* boarded, not departed yet */
    int64_t departed; /* departed */
    int64_t stretchers;
};

/* One version of a nation's fare policy in an operation: in force from
 * effective_ms until a version with a later effective_ms. */
struct store_fare {
    const char *id; /* "<origin>.<seq>" of the fare.policy event */
    const char *operation, *nation;
    int64_t effective_ms, set_ms;
    const char *policy; /* JSON {kind, amount?, currency?, note?} */
};

struct store;

struct store_ops {
    const char *name;
    void (*close)(struct store *s);

    int (*begin)(struct store *s, struct muster_err *err);
    int (*commit)(struct store *s, struct muster_err *err);
    void (*rollback)(struct store *s);
    /* nested points inside a transaction, so that one bad request in a
     * group commit is undone alone */
    int (*savepoint)(struct store *s, struct muster_err *err);
    int (*release)(struct store *s, struct muster_err *err);
    void (*rollback_to)(struct store *s);
    /* Durability of the commits that follow (call between transactions).
     * full (the default) returns from commit once it is on disk. !full
     * returns once it is written but not flushed (SQLite: WAL with
     * synchronous=NORMAL; PostgreSQL: synchronous_commit=off): it survives
     * a crash of muster, not of the machine, until the next full commit,
     * which flushes everything before it too. */
    int (*set_durable)(struct store *s, bool full, struct muster_err *err);
    /* Flushing on other threads, so that a writer need not wait for the
     * disk (may be NULL: PostgreSQL flushes on its own). defer_sync: the
     * commits of this handle return once written, not flushed, and never
     * copy the WAL into the database. sync, on another handle of the same
     * database, from any thread: every commit that returned before it was
     * called is on disk when it returns 0. checkpoint, on another handle:
     * copies committed pages from the WAL into the database without
     * blocking the writer (flushing the WAL first). */
    int (*defer_sync)(struct store *s, struct muster_err *err);
    int (*sync)(struct store *s, struct muster_err *err);
    int (*checkpoint)(struct store *s, struct muster_err *err);
    /* A bulk load of about rows persons follows in this transaction (an
     * import): the store may set the persons' secondary indexes aside and
     * build each once, sorted, in bulk_end, which must run before the
     * commit. Reads stay correct meanwhile, only slower. A rollback undoes
     * both. NULL when a store has nothing to gain (PostgreSQL copies). */
    int (*bulk_begin)(struct store *s, int64_t rows, struct muster_err *err);
    int (*bulk_end)(struct store *s, struct muster_err *err);
    /* Outside a transaction, around a bulk load's one transaction: on, the
     * store may write that transaction's pages once, into the database
     * itself, when no other handle has the database open (SQLite: a
     * rollback journal instead of the WAL, whose checkpoint would copy
     * every page a second time); returns whether it did. Off puts the
     * usual mode back. Durability and all-or-nothing are unchanged. NULL
     * when a store has nothing to gain. */
    bool (*bulk_mode)(struct store *s, bool on);
    /* A read snapshot (may be NULL: the backend has none): the reads between
     * read_begin and read_end see one state of the database and share one
     * read transaction instead of one per statement. Only reads may run in
     * it; begin() ends it first. read_end without a snapshot does nothing. */
    void (*read_begin)(struct store *s);
    void (*read_end)(struct store *s);

    /* node settings: small key/value text */
    int (*meta_get)(struct store *s, const char *key, char *out, size_t cap,
                    struct muster_err *err);
    int (*meta_put)(struct store *s, const char *key, const char *value, struct muster_err *err);
    /* public keys of origin nodes (this node's own included) */
    int (*node_put)(struct store *s, const char *origin, const char *nation, const uint8_t pk[32],
                    struct muster_err *err);
    int (*node_key)(struct store *s, const char *origin, uint8_t pk[32], struct muster_err *err);
    /* Calls fn for each origin node's public key, by origin, until fn
     * returns non-zero (which scan returns). Strings valid during the call. */
    int (*node_scan)(struct store *s,
                     int (*fn)(void *ctx, const char *origin, const char *nation,
                               const uint8_t pk[32]),
                     void *ctx, struct muster_err *err);

    /* the log */
    int (*event_append)(struct store *s, struct store_event *ev, struct muster_err *err);
    int (*event_head)(struct store *s, const char *origin, struct store_head *head,
                      struct muster_err *err);
    /* Calls fn for each event with id > after, in log order, until fn returns
     * non-zero (which scan returns). Event strings are valid during the call. */
    int (*event_scan)(struct store *s, int64_t after,
                      int (*fn)(void *ctx, const struct store_event *ev), void *ctx,
                      struct muster_err *err);
    int64_t (*event_count)(struct store *s);

    /* per-person data keys (wrapped by the node's key-encryption key) */
    int (*key_put)(struct store *s, const char *subject, const uint8_t *wrapped, size_t n,
                   struct muster_err *err);
    /* Fills out (cap bytes) and *n; MUSTER_ENOTFOUND when absent or destroyed. */
    int (*key_get)(struct store *s, const char *subject, uint8_t *out, size_t cap, size_t *n,
                   struct muster_err *err);
    int (*key_destroy)(struct store *s, const char *subject, struct muster_err *err);
    /* Calls fn for each data key still held (still wrapped), by subject,
     * until fn returns non-zero (which scan returns); for export. */
    int (*key_scan)(struct store *s,
                    int (*fn)(void *ctx, const char *subject, const uint8_t *wrapped, size_t n),
                    void *ctx, struct muster_err *err);

    /* projections */
    int (*proj_clear)(struct store *s, struct muster_err *err);
    /* BLAKE2b-256 over every projection row in a fixed order. */
    int (*proj_digest)(struct store *s, uint8_t out[32], struct muster_err *err);
    int (*operation_put)(struct store *s, const struct store_operation *o, struct muster_err *err);
    int (*point_put)(struct store *s, const struct store_point *p, struct muster_err *err);
    int (*leg_put)(struct store *s, const struct store_leg *l, struct muster_err *err);
    int (*household_put)(struct store *s, const struct store_household *h, struct muster_err *err);
    int (*person_put)(struct store *s, const struct store_person *p, struct muster_err *err);
    int (*person_get)(struct store *s, const char *id, struct store_person *p, struct arena *a,
                      struct muster_err *err);
    int (*person_set_status)(struct store *s, const char *id, const char *status, const char *leg,
                             int64_t updated_ms, struct muster_err *err);
    /* removes a person's projection row (erasure); 0 also when absent */
    int (*person_delete)(struct store *s, const char *id, struct muster_err *err);
    int (*operation_get)(struct store *s, const char *id, struct store_operation *o,
                         struct arena *a, struct muster_err *err);
    int (*point_get)(struct store *s, const char *id, struct store_point *p, struct arena *a,
                     struct muster_err *err);
    int (*leg_get)(struct store *s, const char *id, struct store_leg *l, struct arena *a,
                   struct muster_err *err);
    int (*household_get)(struct store *s, const char *id, struct store_household *h,
                         struct arena *a, struct muster_err *err);
    /* Lists of an operation (operation NULL: every operation, for ops_list).
     * Arrays live in the arena. */
    int (*operation_list)(struct store *s, struct store_operation **out, size_t *n, struct arena *a,
                          struct muster_err *err);
    int (*point_list)(struct store *s, const char *operation, struct store_point **out, size_t *n,
                      struct arena *a, struct muster_err *err);
    int (*leg_list)(struct store *s, const char *operation, struct store_leg **out, size_t *n,
                    struct arena *a, struct muster_err *err);
    int (*person_find)(struct store *s, const struct store_person_query *q,
                       struct store_person **out, size_t *n, struct arena *a,
                       struct muster_err *err);
    /* Every person of an operation born on birth_date (YYYY-MM-DD), by id,
     * however many (no limit: the check-in desk's name + birth date look-up
     * compares the names above the store, in their MRZ form). */
    int (*person_born)(struct store *s, const char *operation, const char *birth_date,
                       struct store_person **out, size_t *n, struct arena *a,
                       struct muster_err *err);
    /* seats taken on a leg: people allocated to it by status, not cancelled */
    int (*leg_load)(struct store *s, const char *leg, int64_t *seats, int64_t *stretchers,
                    struct muster_err *err);
    /* counts of persons of an operation grouped by "status" or "nationality"
     * or "priority"; *out is an arena array of *n entries. */
    int (*person_counts)(struct store *s, const char *operation, const char *by,
                         struct store_count **out, size_t *n, struct arena *a,
                         struct muster_err *err);
    int64_t (*table_count)(struct store *s, const char *table);

    /* pre-clearance decisions (a projection); list: of one leg by one nation */
    int (*clearance_put)(struct store *s, const struct store_clearance *c, struct muster_err *err);
    int (*clearance_get)(struct store *s, const char *id, struct store_clearance *c,
                         struct arena *a, struct muster_err *err);
    int (*clearance_list)(struct store *s, const char *leg, const char *nation,
                          struct store_clearance **out, size_t *n, struct arena *a,
                          struct muster_err *err);

    /* retention (a projection). get: MUSTER_ENOTFOUND when the operation has
     * no row; list: every row of a closed operation, by id. */
    int (*retention_put)(struct store *s, const struct store_retention *r, struct muster_err *err);
    int (*retention_get)(struct store *s, const char *id, struct store_retention *r,
                         struct arena *a, struct muster_err *err);
    int (*retention_list)(struct store *s, struct store_retention **out, size_t *n, struct arena *a,
                          struct muster_err *err);
    /* The ids of an operation's data of one class (cls "registry": persons
     * registered by nation; "partner": persons registered by any other
     * nation; "clearance": decisions on the operation's legs), by id; *ids
     * is an arena array of *n strings. */
    int (*retention_subjects)(struct store *s, const char *operation, const char *cls,
                              const char *nation, const char ***ids, size_t *n, struct arena *a,
                              struct muster_err *err);
    /* Deletes the projection rows of that class; *gone gets how many. */
    int (*retention_purge)(struct store *s, const char *operation, const char *cls,
                           const char *nation, int64_t *gone, struct muster_err *err);

    /* every decision about one person, oldest first (the person's copy) */
    int (*clearance_of_person)(struct store *s, const char *person, struct store_clearance **out,
                               size_t *n, struct arena *a, struct muster_err *err);

    /* the read audit (node-local, append-only): put appends n rows inside
     * the current transaction; list gives one person's rows, oldest first,
     * at most limit (0: all) */
    int (*read_audit_put)(struct store *s, const struct store_read *rows, size_t n,
                          struct muster_err *err);
    int (*read_audit_list)(struct store *s, const char *person, int64_t limit,
                           struct store_read **out, size_t *n, struct arena *a,
                           struct muster_err *err);

    /* accounts and sessions (node-local) */
    int (*user_put)(struct store *s, const struct store_user *u, struct muster_err *err);
    int (*user_get)(struct store *s, const char *name, struct store_user *u, struct arena *a,
                    struct muster_err *err);
    int (*user_list)(struct store *s, struct store_user **out, size_t *n, struct arena *a,
                     struct muster_err *err);
    int (*user_login_result)(struct store *s, const char *name, int64_t failed,
                             int64_t locked_until, struct muster_err *err);
    int (*session_put)(struct store *s, const struct store_session *ss, struct muster_err *err);
    int (*session_get)(struct store *s, const char *token_hash, struct store_session *ss,
                       struct arena *a, struct muster_err *err);
    int (*session_revoke)(struct store *s, const char *token_hash, struct muster_err *err);

    /* Size of the database in bytes (for /metrics and summaries). */
    int64_t (*size_bytes)(struct store *s);

    /* The reciprocity ledger (a projection): carriages and fare policies.
     * carriage_get: MUSTER_ENOTFOUND when absent; carriage_delete: 0 also
     * when absent. carriage_sums of one operation (NULL: every operation),
     * ordered by operation, leg, carrier, nationality. fare_at: the version of
     * nation's policy in force at at_ms (the latest effective_ms <= at_ms),
     * MUSTER_ENOTFOUND when none. */
    int (*carriage_put)(struct store *s, const struct store_carriage *c, struct muster_err *err);
    int (*carriage_get)(struct store *s, const char *id, struct store_carriage *c, struct arena *a,
                        struct muster_err *err);
    int (*carriage_delete)(struct store *s, const char *id, struct muster_err *err);
    int (*carriage_sums)(struct store *s, const char *operation, struct store_carriage_sum **out,
                         size_t *n, struct arena *a, struct muster_err *err);
    int (*fare_put)(struct store *s, const struct store_fare *f, struct muster_err *err);
    int (*fare_at)(struct store *s, const char *operation, const char *nation, int64_t at_ms,
                   struct store_fare *f, struct arena *a, struct muster_err *err);

    /* Removes an assembly point's row (point.deleted); 0 also when absent. */
    int (*point_delete)(struct store *s, const char *id, struct muster_err *err);
    /* The households of an operation registered by nation, by id; *out is
     * an arena array of *n. */
    int (*household_list)(struct store *s, const char *operation, const char *nation,
                          struct store_household **out, size_t *n, struct arena *a,
                          struct muster_err *err);
    /* Removes a household's row (household.deleted); 0 also when absent. */
    int (*household_delete)(struct store *s, const char *id, struct muster_err *err);
};

/* Every backend's handle starts with this. */
struct store {
    const struct store_ops *ops;
    char path[1024];
};

/* Opens (creating if asked) the store at uri: a file path for SQLite, or a
 * postgres:// (postgresql://) URI for PostgreSQL. Runs pending schema
 * migrations. On success *out must be closed with store_close(). */
int store_open(const char *uri, bool create, struct store **out, struct muster_err *err);
/* True when uri names a PostgreSQL database (postgres:// or postgresql://)
 * rather than a SQLite file. */
bool store_is_pg_uri(const char *uri);
/* True when a store is at uri: the SQLite file exists, or the PostgreSQL
 * database holds the muster schema. What `access(db, F_OK) == 0` said before
 * there were two backends. */
bool store_exists(const char *uri);
/* Removes the store at uri so that a new one can be made there: SQLite, the
 * file with its -wal, -shm and -journal files; PostgreSQL, muster's tables
 * and functions in the database (the database itself stays, so a role
 * without CREATEDB can make a node there again). Nothing there is not an
 * error. Fails (MUSTER_EIO) when another connection holds the database
 * past the lock timeout. Files from store_sidecar_path() are not removed. */
int store_destroy(const char *uri, struct muster_err *err);
/* The path of a file or folder that belongs to the store at uri (suffix
 * such as ".key" or ".clearance") into out: SQLite, "<file><suffix>" next
 * to the database; PostgreSQL, "<dir>/<name><suffix>" with dir
 * $MUSTER_KEY_DIR (default: the current directory) and name the database
 * name of the URI (characters other than [A-Za-z0-9_.-] as '_'). The host
 * is left out on purpose: after a failover the URI names another host and
 * the same files must be found (docs/deploy.md). */
void store_sidecar_path(const char *uri, const char *suffix, char *out, size_t cap);
/* uri as it may be shown to a person or written to a log, into out, which
 * is returned: a SQLite path as it is; a PostgreSQL URI as
 * postgres://[user@]host[:port]/dbname, never its password or options. */
const char *store_display(const char *uri, char *out, size_t cap);
/* store_display() into a buffer that lives until the end of the enclosing
 * block, for one message: cli_fail("x", 2, "no database at %s", STORE_SHOWN(db)). */
#define STORE_SHOWN(uri) store_display((uri), (char[512]){0}, 512)
/* Closes the store and frees the handle. */
void store_close(struct store *s);

/* The SQLite backend (store/sqlite.c). */
int store_sqlite_open(const char *path, bool create, struct store **out, struct muster_err *err);
/* The PostgreSQL backend (store/pg.c). create: the database is created on
 * the server when missing, and must not hold a node yet (MUSTER_ECONFLICT);
 * without create, a database without the muster schema is MUSTER_ENOTFOUND.
 * Several processes may open one database: writers are serialised. */
int store_pg_open(const char *uri, bool create, struct store **out, struct muster_err *err);
/* True when the database at uri can be reached and holds the muster schema. */
bool store_pg_exists(const char *uri);
/* store_destroy(), store_sidecar_path() and store_display() for PostgreSQL. */
int store_pg_destroy(const char *uri, struct muster_err *err);
void store_pg_sidecar_path(const char *uri, const char *suffix, char *out, size_t cap);
void store_pg_display(const char *uri, char *out, size_t cap);

#endif
