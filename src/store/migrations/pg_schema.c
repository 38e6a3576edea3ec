/* pg_schema.c — the PostgreSQL schema as numbered migrations.
 *
 * Migration i (1-based) brings the database from version i-1 to i; the
 * version is the one row of muster_schema (PostgreSQL has no user_version).
 * A released migration is never edited: add a new one. Tables and columns
 * are those of migrations/sqlite_schema.c, in the same order, so that
 * proj_digest gives the same digest on both stores. Every text column uses
 * the "C" collation: comparisons, ORDER BY and LIKE then work on bytes as
 * SQLite's BINARY collation does, whatever the database's locale. Event ids
 * are not a sequence: pg.c appends max(id) + 1 under the writers' advisory
 * lock, so ids have no gaps and increase in commit order. */
#include <stddef.h>

#define T "TEXT COLLATE \"C\""
#define I "BIGINT"
#define R "DOUBLE PRECISION"

const char *const pg_migrations[] = {
    /* 1: the log, node identity, person keys, projections, accounts */
    "CREATE TABLE meta (key " T " PRIMARY KEY, value " T " NOT NULL);"
    "CREATE TABLE nodes (origin " T " PRIMARY KEY, nation " T " NOT NULL,"
    "  pubkey BYTEA NOT NULL);"
    "CREATE TABLE events ("
    "  id " I " PRIMARY KEY, origin " T " NOT NULL, seq " I " NOT NULL,"
    "  lamport " I " NOT NULL, time_ms " I " NOT NULL, actor " T " NOT NULL,"
    "  nation " T " NOT NULL, type " T " NOT NULL, body BYTEA NOT NULL,"
    "  prev BYTEA NOT NULL, hash BYTEA NOT NULL, sig BYTEA NOT NULL, UNIQUE (origin, seq));"
    "CREATE INDEX events_lamport ON events (lamport);"
    "CREATE TABLE person_keys (subject " T " PRIMARY KEY, wrapped BYTEA NOT NULL);"
    "CREATE TABLE operations (id " T " PRIMARY KEY, nation " T " NOT NULL, name " T " NOT NULL,"
    "  host_country " T " NOT NULL, area " T ", status " T " NOT NULL, partners " T ","
    "  created_ms " I " NOT NULL);"
    "CREATE TABLE assembly_points (id " T " PRIMARY KEY, operation " T " NOT NULL,"
    "  name " T " NOT NULL, kind " T " NOT NULL, lat " R " NOT NULL, lon " R " NOT NULL,"
    "  capacity " I " NOT NULL);"
    "CREATE TABLE legs (id " T " PRIMARY KEY, operation " T " NOT NULL, operator " T " NOT NULL,"
    "  kind " T " NOT NULL, vehicle " T ", seats " I " NOT NULL, stretchers " I " NOT NULL,"
    "  point " T " NOT NULL, departs " I " NOT NULL, destination " T " NOT NULL,"
    "  destination_country " T ", carries " T " NOT NULL, status " T " NOT NULL);"
    "CREATE TABLE households (id " T " PRIMARY KEY, operation " T " NOT NULL,"
    "  nation " T " NOT NULL, size " I " NOT NULL);"
    "CREATE TABLE persons (id " T " PRIMARY KEY, household " T " NOT NULL,"
    "  operation " T " NOT NULL, nation " T " NOT NULL, nationality " T " NOT NULL,"
    "  surname " T ", given_names " T ", native_name " T ", sex " T ", birth_date " T ","
    "  doc_type " T ", doc_number " T ", doc_state " T ", doc_expiry " T ","
    "  phone " T ", email " T ", address " T ", lat " R ", lon " R ", needs " I " NOT NULL,"
    "  priority " T " NOT NULL, priority_override " T ", consent " I " NOT NULL,"
    "  status " T " NOT NULL, leg " T ", updated_ms " I " NOT NULL);"
    "CREATE INDEX persons_household ON persons (household);"
    "CREATE INDEX persons_doc ON persons (doc_number);"
    "CREATE INDEX persons_name ON persons (surname, given_names);"
    "CREATE INDEX persons_operation ON persons (operation, status);"
    "CREATE INDEX legs_operation ON legs (operation);"
    "CREATE INDEX points_operation ON assembly_points (operation);"
    "CREATE INDEX persons_leg ON persons (leg);"
    "CREATE TABLE users (name " T " PRIMARY KEY, nation " T " NOT NULL, role " T " NOT NULL,"
    "  points " T ", pw_hash " T " NOT NULL, disabled " I " NOT NULL DEFAULT 0,"
    "  failed " I " NOT NULL DEFAULT 0, locked_until " I " NOT NULL DEFAULT 0,"
    "  created_ms " I " NOT NULL);"
    "CREATE TABLE sessions (token_hash " T " PRIMARY KEY, \"user\" " T " NOT NULL,"
    "  expires_ms " I " NOT NULL, revoked " I " NOT NULL DEFAULT 0);",
    /* 2: pre-clearance decisions of the arrival country */
    "CREATE TABLE clearances (id " T " PRIMARY KEY, leg " T " NOT NULL, person " T ","
    "  nation " T " NOT NULL, decision " T " NOT NULL, basis " T " NOT NULL,"
    "  surname " T ", given_names " T ", birth_date " T ", nationality " T ", doc_number " T ","
    "  reasons " T ", hits " T ", original " T ", override_by " T ", override_reason " T ","
    "  decided_ms " I " NOT NULL);"
    "CREATE INDEX clearances_leg ON clearances (leg, nation);",
    /* 3: every transaction reads the highest Lamport clock */
    "CREATE INDEX IF NOT EXISTS events_lamport ON events (lamport);",
    /* 4: the read audit: who read whose personal data, when and why.
     * Append-only: a trigger refuses every UPDATE, DELETE and TRUNCATE. */
    "CREATE TABLE read_audit (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    "  time_ms " I " NOT NULL, actor " T " NOT NULL, nation " T " NOT NULL, role " T " NOT NULL,"
    "  route " T " NOT NULL, purpose " T " NOT NULL, person " T " NOT NULL, view " T " NOT NULL);"
    "CREATE INDEX read_audit_person ON read_audit (person, id);"
    "CREATE FUNCTION read_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS"
    "  $$BEGIN RAISE EXCEPTION 'read_audit is append-only'; END$$;"
    "CREATE TRIGGER read_audit_no_change BEFORE UPDATE OR DELETE ON read_audit"
    "  FOR EACH ROW EXECUTE FUNCTION read_audit_refuse();"
    "CREATE TRIGGER read_audit_no_truncate BEFORE TRUNCATE ON read_audit"
    "  FOR EACH STATEMENT EXECUTE FUNCTION read_audit_refuse();",
    /* 5: retention periods per data class of each operation, and when it closed */
    "CREATE TABLE retention (id " T " PRIMARY KEY, nation " T ", registry_days " I ","
    "  partner_days " I ", clearance_days " I ", closed_ms " I ", updated_ms " I " NOT NULL);",
    /* 6: the reciprocity ledger: carriages (no personal data) and versioned
     * fare policies */
    "CREATE TABLE carriages (id " T " PRIMARY KEY, operation " T " NOT NULL, leg " T " NOT NULL,"
    "  carrier " T " NOT NULL, nationality " T " NOT NULL, slot " T " NOT NULL,"
    "  boarded_ms " I " NOT NULL, departed_ms " I ", fare " T ");"
    "CREATE INDEX carriages_operation ON carriages (operation, carrier, nationality);"
    "CREATE TABLE fare_policies (id " T " PRIMARY KEY, operation " T " NOT NULL,"
    "  nation " T " NOT NULL, effective_ms " I " NOT NULL, set_ms " I " NOT NULL,"
    "  policy " T " NOT NULL);"
    "CREATE INDEX fare_policies_at ON fare_policies (operation, nation, effective_ms);",
    /* 7: when a leg lands (the arrivals forecast); NULL when not known */
    "ALTER TABLE legs ADD COLUMN arrives " I ";",
    /* 8: an operation's households of one nation (GET .../households) */
    "CREATE INDEX households_operation ON households (operation, nation);",
    /* 9: the check-in desk finds a person by birth date (then name) when the
     * document number is new */
    "CREATE INDEX persons_birth ON persons (operation, birth_date);",
    /* 10: a store where people boarded before the ledger (6) has no
     * carriages for them: the next open replays the log (core/events.h,
     * ev_rebuild_if_asked) */
    "INSERT INTO meta (key, value) SELECT 'rebuild', 'ledger'"
    "  WHERE NOT EXISTS (SELECT 1 FROM carriages)"
    "    AND EXISTS (SELECT 1 FROM events WHERE type = 'person.status'"
    "                AND convert_from(body, 'UTF8') LIKE '%\"to\":\"boarded\"%')"
    "  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;",
};

const size_t pg_migrations_count = sizeof pg_migrations / sizeof pg_migrations[0];

const char *const pg_projection_tables[] = {
    "operations", "assembly_points", "legs",      "households",    "persons",
    "clearances", "retention",       "carriages", "fare_policies",
};

const size_t pg_projection_tables_count =
    sizeof pg_projection_tables / sizeof pg_projection_tables[0];
