/* pg_admin.c — what the PostgreSQL store says about a database as a whole:
 * whether it holds the muster schema, removing muster's objects from it, where the
 * files that belong to it live, and its URI without the password. */
#include "store/pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the advisory lock key of migrations, as in pg_open.c: no server migrates
 * while the objects are dropped */
#define PG_MIGRATE_LOCK "1836413813"

/* Every object the migrations make (migrations/pg_schema.c) and the
 * version table; test_store.c makes a node again after dropping them, so
 * a table missing here fails it. */
static const char drop_sql[] =
    "BEGIN; SET LOCAL lock_timeout = '30s';"
    " SELECT pg_advisory_xact_lock(" PG_MIGRATE_LOCK ");"
    " DROP TABLE IF EXISTS meta, nodes, events, person_keys, operations, assembly_points, legs,"
    " households, persons, users, sessions, clearances, read_audit, retention, carriages,"
    " fare_policies, muster_schema"
    " CASCADE;"
    " DROP FUNCTION IF EXISTS read_audit_refuse() CASCADE; COMMIT";

/* The value of keyword in the parsed uri, or "" (borrowed from opts). */
static const char *conninfo(PQconninfoOption *opts, const char *keyword)
{
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (o->val && strcmp(o->keyword, keyword) == 0)
            return o->val;
    return "";
}

void store_pg_display(const char *uri, char *out, size_t cap)
{
    PQconninfoOption *opts = PQconninfoParse(uri, NULL);
    if (!opts) {
        snprintf(out, cap, "postgres://(a URI that cannot be read)");
        return;
    }
    const char *user = conninfo(opts, "user"), *port = conninfo(opts, "port");
    snprintf(out, cap, "postgres://%s%s%s%s%s/%s", user, *user ? "@" : "", conninfo(opts, "host"),
             *port ? ":" : "", port, conninfo(opts, "dbname"));
    PQconninfoFree(opts);
}

void store_pg_sidecar_path(const char *uri, const char *suffix, char *out, size_t cap)
{
    const char *dir = getenv("MUSTER_KEY_DIR");
    PQconninfoOption *opts = PQconninfoParse(uri, NULL);
    const char *name = conninfo(opts, "dbname");
    size_t len = strlen(name);
    char safe[128];
    if (len == 0 || len >= sizeof safe) {
        snprintf(safe, sizeof safe, "%s", len ? "muster-long-name" : "postgres");
    } else {
        for (size_t i = 0; i < len; i++) {
            char c = name[i];
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '.' || c == '-';
            safe[i] = ok ? c : '_';
        }
        safe[len] = '\0';
    }
    PQconninfoFree(opts);
    snprintf(out, cap, "%s/%s%s", dir && *dir ? dir : ".", safe, suffix);
}

bool store_pg_exists(const char *uri)
{
    PGconn *c = PQconnectdb(uri);
    bool yes = false;
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexec(c, "SELECT to_regclass('muster_schema') IS NOT NULL");
        yes = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
              strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        PQclear(r);
    }
    PQfinish(c);
    return yes;
}

int store_pg_destroy(const char *uri, struct muster_err *err)
{
    char where[512];
    store_pg_display(uri, where, sizeof where);
    PGconn *c = PQconnectdb(uri);
    int rc = 0;
    if (PQstatus(c) != CONNECTION_OK) {
        /* no database: nothing to remove */
        if (!strstr(PQerrorMessage(c), "does not exist"))
            rc = err_set(err, MUSTER_EIO, "cannot connect to %s: %s", where, PQerrorMessage(c));
    } else {
        PQclear(PQexec(c, "SET client_min_messages = warning"));
        PGresult *r = PQexec(c, drop_sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = err_set(err, MUSTER_EIO, "cannot remove the muster node at %s: %s", where,
                         PQresultErrorMessage(r));
        PQclear(r);
    }
    PQfinish(c);
    if (rc)
        err->msg[strcspn(err->msg, "\n")] = '\0';
    return rc;
}
