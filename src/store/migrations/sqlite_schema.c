/* sqlite_schema.c — the SQLite schema as numbered migrations.
 *
 * Migration i (1-based) brings the database from user_version i-1 to i. A
 * released migration is never edited: add a new one. Projection tables are
 * listed in sqlite_projection_tables so that a rebuild and the digest cover
 * every one of them. */
#include <stddef.h>

const char *const sqlite_migrations[] = {
    /* 1: the log, node identity, person keys, projections */
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE nodes (origin TEXT PRIMARY KEY, nation TEXT NOT NULL, pubkey BLOB NOT NULL);"
    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY, origin TEXT NOT NULL, seq INTEGER NOT NULL,"
    "  lamport INTEGER NOT NULL, time_ms INTEGER NOT NULL, actor TEXT NOT NULL,"
    "  nation TEXT NOT NULL, type TEXT NOT NULL, body BLOB NOT NULL,"
    "  prev BLOB NOT NULL, hash BLOB NOT NULL, sig BLOB NOT NULL, UNIQUE (origin, seq));"
    "CREATE TABLE person_keys (subject TEXT PRIMARY KEY, wrapped BLOB NOT NULL);"
    "CREATE TABLE operations (id TEXT PRIMARY KEY, nation TEXT NOT NULL, name TEXT NOT NULL,"
    "  host_country TEXT NOT NULL, area TEXT, status TEXT NOT NULL, partners TEXT,"
    "  created_ms INTEGER NOT NULL);"
    "CREATE TABLE assembly_points (id TEXT PRIMARY KEY, operation TEXT NOT NULL,"
    "  name TEXT NOT NULL, kind TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,"
    "  capacity INTEGER NOT NULL);"
    "CREATE TABLE legs (id TEXT PRIMARY KEY, operation TEXT NOT NULL, operator TEXT NOT NULL,"
    "  kind TEXT NOT NULL, vehicle TEXT, seats INTEGER NOT NULL, stretchers INTEGER NOT NULL,"
    "  point TEXT NOT NULL, departs INTEGER NOT NULL, destination TEXT NOT NULL,"
    "  destination_country TEXT, carries TEXT NOT NULL, status TEXT NOT NULL);"
    "CREATE TABLE households (id TEXT PRIMARY KEY, operation TEXT NOT NULL,"
    "  nation TEXT NOT NULL, size INTEGER NOT NULL);"
    "CREATE TABLE persons (id TEXT PRIMARY KEY, household TEXT NOT NULL,"
    "  operation TEXT NOT NULL, nation TEXT NOT NULL, nationality TEXT NOT NULL,"
    "  surname TEXT, given_names TEXT, native_name TEXT, sex TEXT, birth_date TEXT,"
    "  doc_type TEXT, doc_number TEXT, doc_state TEXT, doc_expiry TEXT,"
    "  phone TEXT, email TEXT, address TEXT, lat REAL, lon REAL, needs INTEGER NOT NULL,"
    "  priority TEXT NOT NULL, priority_override TEXT, consent INTEGER NOT NULL,"
    "  status TEXT NOT NULL, leg TEXT, updated_ms INTEGER NOT NULL);"
    "CREATE INDEX persons_household ON persons (household);"
    "CREATE INDEX persons_doc ON persons (doc_number);"
    "CREATE INDEX persons_name ON persons (surname, given_names);"
    "CREATE INDEX persons_operation ON persons (operation, status);"
    "CREATE INDEX legs_operation ON legs (operation);"
    "CREATE INDEX points_operation ON assembly_points (operation);"
    "CREATE INDEX persons_leg ON persons (leg);"
    "CREATE TABLE users (name TEXT PRIMARY KEY, nation TEXT NOT NULL, role TEXT NOT NULL,"
    "  points TEXT, pw_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
    "  failed INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,"
    "  created_ms INTEGER NOT NULL);"
    "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user TEXT NOT NULL,"
    "  expires_ms INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);",
    /* 2: pre-clearance decisions of the arrival country */
    "CREATE TABLE clearances (id TEXT PRIMARY KEY, leg TEXT NOT NULL, person TEXT,"
    "  nation TEXT NOT NULL, decision TEXT NOT NULL, basis TEXT NOT NULL,"
    "  surname TEXT, given_names TEXT, birth_date TEXT, nationality TEXT, doc_number TEXT,"
    "  reasons TEXT, hits TEXT, original TEXT, override_by TEXT, override_reason TEXT,"
    "  decided_ms INTEGER NOT NULL);"
    "CREATE INDEX clearances_leg ON clearances (leg, nation);",
    /* 3: every transaction reads the highest Lamport clock */
    "CREATE INDEX IF NOT EXISTS events_lamport ON events (lamport);",
    /* 4: the read audit: who read whose personal data, when and why.
     * Append-only: the triggers refuse every UPDATE and DELETE. */
    "CREATE TABLE read_audit (id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL,"
    "  actor TEXT NOT NULL, nation TEXT NOT NULL, role TEXT NOT NULL, route TEXT NOT NULL,"
    "  purpose TEXT NOT NULL, person TEXT NOT NULL, view TEXT NOT NULL);"
    "CREATE INDEX read_audit_person ON read_audit (person, id);"
    "CREATE TRIGGER read_audit_no_update BEFORE UPDATE ON read_audit"
    "  BEGIN SELECT RAISE(ABORT, 'read_audit is append-only'); END;"
    "CREATE TRIGGER read_audit_no_delete BEFORE DELETE ON read_audit"
    "  BEGIN SELECT RAISE(ABORT, 'read_audit is append-only'); END;",
    /* 5: retention periods per data class of each operation, and when it closed */
    "CREATE TABLE retention (id TEXT PRIMARY KEY, nation TEXT, registry_days INTEGER,"
    "  partner_days INTEGER, clearance_days INTEGER, closed_ms INTEGER, updated_ms INTEGER NOT "
    "NULL);",
    /* 6: the reciprocity ledger: carriages (no personal data) and versioned
     * fare policies */
    "CREATE TABLE carriages (id TEXT PRIMARY KEY, operation TEXT NOT NULL, leg TEXT NOT NULL,"
    "  carrier TEXT NOT NULL, nationality TEXT NOT NULL, slot TEXT NOT NULL,"
    "  boarded_ms INTEGER NOT NULL, departed_ms INTEGER, fare TEXT);"
    "CREATE INDEX carriages_operation ON carriages (operation, carrier, nationality);"
    "CREATE TABLE fare_policies (id TEXT PRIMARY KEY, operation TEXT NOT NULL,"
    "  nation TEXT NOT NULL, effective_ms INTEGER NOT NULL, set_ms INTEGER NOT NULL,"
    "  policy TEXT NOT NULL);"
    "CREATE INDEX fare_policies_at ON fare_policies (operation, nation, effective_ms);",
    /* 7: when a leg lands (the arrivals forecast); NULL when not known */
    "ALTER TABLE legs ADD COLUMN arrives INTEGER;",
    /* 8: an operation's households of one nation (GET .../households) */
    "CREATE INDEX households_operation ON households (operation, nation);",
    /* 9: the check-in desk finds a person by birth date (then name) when the
     * document number is new */
    "CREATE INDEX persons_birth ON persons (operation, birth_date);",
    /* 10: a store where people boarded before the ledger (6) has no
     * carriages for them: the next open replays the log (core/events.h,
     * ev_rebuild_if_asked) */
    "INSERT OR REPLACE INTO meta (key, value) SELECT 'rebuild', 'ledger'"
    "  WHERE NOT EXISTS (SELECT 1 FROM carriages)"
    "    AND EXISTS (SELECT 1 FROM events WHERE type = 'person.status'"
    "                AND CAST(body AS TEXT) LIKE '%\"to\":\"boarded\"%');",
};

const size_t sqlite_migrations_count = sizeof sqlite_migrations / sizeof sqlite_migrations[0];

const char *const sqlite_projection_tables[] = {
    "operations", "assembly_points", "legs",      "households",    "persons",
    "clearances", "retention",       "carriages", "fare_policies",
};

const size_t sqlite_projection_tables_count =
    sizeof sqlite_projection_tables / sizeof sqlite_projection_tables[0];
