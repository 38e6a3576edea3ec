/* http.h — muster's HTTP server: libmicrohttpd with epoll and a thread pool
 * sized to the cores, one route table, JSON in and out, and group commit.
 *
 * Reads run on the pool's threads, each request borrowing a read-only store
 * connection; all its reads share one read snapshot (store read_begin) until
 * it gives the connection back, instead of one transaction per statement.
 * Writes go to one writer thread that takes every queued write,
 * runs each inside its own savepoint of one transaction, and commits once:
 * many check-ins share one fsync, and a 201 is sent only after that commit
 * returned. While a request waits for its write, its connection is
 * suspended, so the pool thread serves others. An answer that carries
 * personal data waits the same way for its read-audit rows (http_read);
 * batches of those rows alone are committed without an fsync and flushed
 * within 100 ms (docs/privacy.md states the guarantee). */
#ifndef MUSTER_NET_HTTP_H
#define MUSTER_NET_HTTP_H

#include "core/auth.h"
#include "core/node.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct server;
struct request;

/* A write run on the writer thread inside a savepoint; returns 0 or a
 * negative status with err set (then only this write is undone). */
typedef int (*http_write_fn)(struct node *n, void *arg, struct muster_err *err);
/* Called back on a pool thread when the write is durable or failed. */
typedef void (*http_after_fn)(struct request *r, int rc, const struct muster_err *err);
typedef void (*http_handler_fn)(struct request *r);

enum http_auth { AUTH_NONE, AUTH_REQUIRED };

/* A write for the writer thread. done is called on the writer thread once
 * the write is durable (rc 0) or failed. */
struct http_wjob {
    http_write_fn fn;
    void *arg;
    int rc;
    struct muster_err err;
    void (*done)(struct http_wjob *j);
    void *ctx;
};

/* Queues a write from outside a request (background jobs); returns -1 when
 * the server is stopping. */
int http_submit(struct server *s, struct http_wjob *j);

struct route {
    const char *method;  /* GET, POST, PUT, PATCH, DELETE */
    const char *pattern; /* "/api/v1/persons/{id}": {x} matches one segment */
    http_handler_fn handler;
    enum http_auth auth;
};

struct request {
    struct server *srv;
    const struct route *route;
    int route_index;
    const char *method, *url;
    const char *params[6]; /* the {x} segments of the pattern, in order */
    int nparams;
    struct principal who; /* valid when the route needs auth */
    struct store *st;     /* a read connection for this request */
    struct arena arena;   /* freed with the request */
    struct buf body;
    bool body_too_large;
    /* the answer */
    int status;
    struct buf out;
    const char *content_type;
    char disposition[160]; /* Content-Disposition, when a download */
    int retry_after;       /* seconds, for a Retry-After header (0: none) */
    bool closing;          /* Connection: close (the server is stopping) */
    /* a pending write */
    struct http_wjob wjob;
    void *write_arg;
    http_after_fn after;
    int phase;    /* 0 new, 1 dispatched, 2 answered after its write */
    bool waiting; /* suspended until the writer is done */
    /* the read audit: whose personal data the answer carries (http_read) */
    struct http_read *reads;
    size_t nreads, capreads;
    size_t nwritten;        /* reads[0..nwritten) went in with the write, sorted */
    http_write_fn write_fn; /* the handler's write, when reads go with it */
    int64_t read_ms;
    bool written; /* set by the writer thread */
    void *conn;   /* the libmicrohttpd connection */
    double started;
};

struct server_options {
    const char *db;
    const char *listen; /* "127.0.0.1:8080" */
    const char *tls_cert, *tls_key;
    const char *web_root;      /* folder of the web UI's built files, or NULL */
    const char *clearance_dir; /* NAT.rules.json and NAT.watchlist.csv, or NULL */
    int threads;               /* 0: one per core */
    size_t max_body;           /* bytes; 0: 1 MiB */
};

/* Starts the server; returns 0 and *out, or an error. */
int http_start(const struct server_options *o, struct server **out, struct muster_err *err);
/* Stops accepting, lets in-flight requests finish, flushes the writer,
 * closes everything. */
void http_stop(struct server *s);
/* The port actually bound (useful with port 0). */
int http_port(const struct server *s);

/* --- for handlers (src/net/api_*.c) --- */

/* Answers with JSON (takes ownership of body). */
void http_json(struct request *r, int status, json_t *body);
/* Answers JSON text that the caller then writes into the returned buffer
 * (empty; valid until the request ends). */
struct buf *http_json_text(struct request *r, int status);
/* Answers {"error":{"code":code,"message":...}} with status. */
void http_error(struct request *r, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Maps a muster status to an HTTP error answer (404, 409, 400, 403, 500). */
void http_fail(struct request *r, const struct muster_err *err);
/* Parses the body as a JSON object whose keys are all in allowed (a
 * NULL-terminated list); on failure answers 400/413 and returns NULL. */
json_t *http_body(struct request *r, const char *const *allowed);
/* Checks the member key of object o, when present and not null: it must be
 * an object whose keys are all in allowed (NULL-terminated); else answers
 * 400 (unknown_field naming "key.field", or invalid) and returns false. */
bool http_nested(struct request *r, json_t *o, const char *key, const char *const *allowed);
/* For routes that take no body: true when none came; else answers 400
 * unexpected_body and returns false. (A body over the limit is answered
 * 413 on every route before its handler runs.) */
bool http_no_body(struct request *r);
/* The bearer token of the request's Authorization header, or NULL. */
const char *http_bearer(struct request *r);
/* The value of a query parameter, or NULL. */
const char *http_query(struct request *r, const char *key);
/* Queues a write; the response is produced by after once it is durable.
 * Read-audit rows recorded before (http_read: the people the answer will
 * carry) are written in the same transaction as the write, so that the
 * answer waits for one commit, not two; rows after adds beyond those are
 * written before it is sent, as usual. Returns -1 when it could not be
 * queued (then it answered 503 and after is never called). */
int http_write(struct request *r, http_write_fn fn, void *arg, http_after_fn after);
/* As http_write, for CPU-heavy work that writes little (a login's Argon2id
 * check): fn runs on a thread of its own pool with that thread's node, not
 * on the writer, and the request waits suspended, holding no pool thread.
 * Returns -1 when too many wait (then it answered 503 and after is never
 * called). */
int http_offload(struct request *r, http_write_fn fn, void *arg, http_after_fn after);
/* Records that the answer being built carries personal data of person, for
 * purpose (a short constant: "person", "search", "manifest.pdf", ...) in
 * view ("full" or "partner"). Once the handler (and its write, if any) is
 * done, the server appends one read_audit row per person through the
 * group-commit writer and sends the answer only after that commit returned;
 * when the rows cannot be written the answer is replaced by a 503 and no
 * personal data leaves. Strings are borrowed until the request ends. */
void http_read(struct request *r, const char *purpose, const char *person, const char *view);
/* Returns the server's node (writer thread only!) or its nation for reads. */
const char *http_node_nation(const struct server *s);
/* Answers with raw bytes of the given type (copied), as a download when
 * filename is not NULL. */
void http_bytes(struct request *r, int status, const char *type, const char *data, size_t len,
                const char *filename);

/* The arrival nations' clearance rules and watchlists (api_clearance.c). */
struct clearance_set;
struct clearance_set *http_clearance(struct server *s);
int api_clearance_load(const char *dir, struct clearance_set **out, struct muster_err *err);
void api_clearance_free(struct clearance_set *cs);

/* The server's background jobs (net/jobs.h) and database path. */
struct jobs *http_jobs(struct server *s);
/* The server's session cache (core/auth.h), for logout. */
struct auth_cache *http_sessions(struct server *s);
/* The server's count of failed logins by name (core/auth.h). */
struct auth_throttle *http_logins(struct server *s);
const char *http_db(const struct server *s);

/* The route table (src/net/routes.c) and its size. */
extern const struct route http_routes[];
extern const int http_nroutes;

#endif
