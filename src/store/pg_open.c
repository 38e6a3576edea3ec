/* pg_open.c — connecting to PostgreSQL and bringing the schema up to date
 * (see pg.c for the store itself, migrations/pg_schema.c for the schema). */
#include "store/pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the advisory lock key of migrations ("must" + 1), apart from writers' */
#define PG_MIGRATE_LOCK "1836413813"

extern const char *const pg_migrations[];
extern const size_t pg_migrations_count;

/* --- opening and migrations ---------------------------------------------- */

/* The schema version (0 for an empty database) or a negative error. */
static int schema_version(struct pg_store *ps, struct muster_err *err)
{
    int rc = pg_command(ps, "CREATE TABLE IF NOT EXISTS muster_schema (version INTEGER NOT NULL)",
                        err, "schema version");
    if (rc)
        return rc;
    PGresult *r = PQexec(ps->conn, "SELECT coalesce(max(version), 0) FROM muster_schema");
    rc = pg_check(ps, r, err, "schema version");
    int version = rc ? rc : (int)pg_col_i64(r, 0, 0);
    PQclear(r);
    return version;
}

/* Brings the schema to the latest version in one transaction, under a lock
 * so that servers starting together do not migrate twice. *was receives the
 * version found. */
static int migrate(struct pg_store *ps, bool create, int *was, struct muster_err *err)
{
    int rc = pg_command(ps, "BEGIN; SELECT pg_advisory_xact_lock(" PG_MIGRATE_LOCK ")", err,
                        "schema migration");
    int version = rc ? rc : schema_version(ps, err);
    if (version < 0) {
        rc = version;
    } else if ((size_t)version > pg_migrations_count) {
        rc = err_set(err, MUSTER_EINVAL,
                     "database schema version %d is newer than this muster (%zu)", version,
                     pg_migrations_count);
    }
    if (version == 0 && !create)
        rc = err_set(err, MUSTER_ENOTFOUND, "holds no muster node");
    *was = version;
    for (size_t v = (size_t)version; rc == 0 && v < pg_migrations_count; v++) {
        char bump[96];
        snprintf(bump, sizeof bump,
                 "DELETE FROM muster_schema; INSERT INTO muster_schema VALUES (%zu)", v + 1);
        rc = pg_command(ps, pg_migrations[v], err, "schema migration");
        if (rc == 0)
            rc = pg_command(ps, bump, err, "schema migration");
    }
    if (rc == 0)
        rc = pg_command(ps, "COMMIT", err, "schema migration");
    if (rc && PQtransactionStatus(ps->conn) != PQTRANS_IDLE)
        PQclear(PQexec(ps->conn, "ROLLBACK"));
    return rc;
}

/* Connects to the server of uri, database "postgres", and creates the
 * database named in uri. */
static int create_database(const char *uri, const char *where, struct muster_err *err)
{
    const char *db = NULL;
    PQconninfoOption *opts = PQconninfoParse(uri, NULL);
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "dbname") == 0)
            db = o->val;
    const char *keys[] = {"dbname", "dbname", NULL};
    const char *vals[] = {uri, "postgres", NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    int rc = 0;
    if (!db || !*db) {
        rc = err_set(err, MUSTER_EINVAL, "%s names no database", where);
    } else if (PQstatus(c) != CONNECTION_OK) {
        rc = err_set(err, MUSTER_EIO, "cannot connect to %s: %s", where, PQerrorMessage(c));
    } else {
        char *id = PQescapeIdentifier(c, db, strlen(db));
        char sql[300];
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", id ? id : "\"\"");
        PQfreemem(id);
        PGresult *r = PQexec(c, sql);
        /* 42P04: made meanwhile by another process */
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !(state && strcmp(state, "42P04") == 0))
            rc = err_set(err, MUSTER_EIO, "cannot create %s: %s", where, PQresultErrorMessage(r));
        PQclear(r);
    }
    PQfinish(c);
    PQconninfoFree(opts);
    if (rc)
        err->msg[strcspn(err->msg, "\n")] = '\0';
    return rc;
}

/* Connects, creating the database first when asked and missing. */
static int connect_to(struct pg_store *ps, const char *uri, bool create, const char *where,
                      struct muster_err *err)
{
    ps->conn = PQconnectdb(uri);
    if (PQstatus(ps->conn) != CONNECTION_OK && create &&
        strstr(PQerrorMessage(ps->conn), "does not exist")) {
        PQfinish(ps->conn);
        ps->conn = NULL;
        int rc = create_database(uri, where, err);
        if (rc)
            return rc;
        ps->conn = PQconnectdb(uri);
    }
    if (PQstatus(ps->conn) != CONNECTION_OK) {
        if (!create && strstr(PQerrorMessage(ps->conn), "does not exist"))
            return err_set(err, MUSTER_ENOTFOUND, "no database at %s", where);
        err_set(err, MUSTER_EIO, "cannot connect to %s: %s", where, PQerrorMessage(ps->conn));
        err->msg[strcspn(err->msg, "\n")] = '\0';
        return MUSTER_EIO;
    }
    return pg_command(ps, PG_SESSION, err, "cannot set up the connection");
}

int store_pg_open(const char *uri, bool create, struct store **out, struct muster_err *err)
{
    struct pg_store *ps = calloc(1, sizeof *ps);
    if (!ps)
        return err_set(err, MUSTER_ENOMEM, "out of memory");
    ps->base.ops = pg_store_ops();
    snprintf(ps->base.path, sizeof ps->base.path, "%s", uri);
    char where[512];
    store_pg_display(uri, where, sizeof where);
    int was = 0, rc = connect_to(ps, uri, create, where, err);
    if (rc == 0)
        rc = migrate(ps, create, &was, err);
    if (rc == 0)
        rc = pg_copy_stage(ps, err);
    /* create: the database must not hold a node yet (as a SQLite file must
     * not exist); open: it must hold one */
    char origin[64];
    struct muster_err ignored;
    if (rc == 0 && create && was > 0 &&
        ps->base.ops->meta_get(&ps->base, "origin", origin, sizeof origin, &ignored) == 0)
        rc = err_set(err, MUSTER_ECONFLICT, "%s already holds a muster node", where);
    if (rc == MUSTER_ENOTFOUND && !create && was == 0)
        err_set(err, MUSTER_ENOTFOUND, "no muster database at %s", where);
    if (rc) {
        ps->base.ops->close(&ps->base);
        return rc;
    }
    *out = &ps->base;
    return 0;
}
