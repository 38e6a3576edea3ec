# tests/pg/lib.sh — sourced by integration tests that run on either store:
# SQLite files by default, PostgreSQL when MUSTER_TEST_PG is set (by
# tests/run-pg) to a server URI prefix ending in '/'.
#
#   tsetup DIR          call once, with the test's temporary folder
#   tdb NAME            the --db of store NAME: DIR/NAME.db, or a database
#   texists DB          true when the store exists (file or database)
#   tabsent DB          true when it does not (unlike "! texists", set -e sees it)
#   tkey DB             the node's key file
#   tsql DB SQL [PGSQL] runs a query, printing rows as sqlite3 does
#                       (PGSQL instead of SQL on PostgreSQL when given)
#   tcopy FROM TO       copies a store (cp, or CREATE DATABASE ... TEMPLATE)
#   tcopy_rows FROM TO TABLE WHERE
#                       copies the rows of TABLE matching WHERE from one store
#                       into another (sqlite3 ATTACH, or psql COPY out and in)
#   tbody               the SQL of an event's body as text, for LIKE
#   on_pg               true on PostgreSQL
#   pg_skip WHAT        says that a SQLite-only check is skipped

on_pg() { [ -n "${MUSTER_TEST_PG:-}" ]; }

tsetup() {
  T_DIR=$1
  T_SUFFIX=$(basename "$1" | tr -c 'a-zA-Z0-9\n' '_' | tr 'A-Z' 'a-z')
  if on_pg; then export MUSTER_KEY_DIR="$T_DIR"; fi
}

tdb() {
  if on_pg; then echo "${MUSTER_TEST_PG}${1}_${T_SUFFIX}"; else echo "$T_DIR/$1.db"; fi
}

# the database name of a URI
t_name() { local n=${1##*/}; echo "${n%%\?*}"; }

t_admin() { psql -qAtX "${MUSTER_TEST_PG}postgres" -v ON_ERROR_STOP=1 -c "$1"; }

texists() {
  if on_pg; then
    [ "$(t_admin "SELECT count(*) FROM pg_database WHERE datname = '$(t_name "$1")'")" = 1 ]
  else
    [ -e "$1" ]
  fi
}

tabsent() { ! texists "$1"; }

tkey() {
  if on_pg; then echo "$MUSTER_KEY_DIR/$(t_name "$1").key"; else echo "$1.key"; fi
}

tsql() {
  if on_pg; then
    psql -qAtX "$1" -v ON_ERROR_STOP=1 -c "${3:-$2}"
  else
    sqlite3 "$1" "$2"
  fi
}

tcopy() {
  if on_pg; then
    t_admin "CREATE DATABASE \"$(t_name "$2")\" TEMPLATE \"$(t_name "$1")\"" >/dev/null
  else
    cp "$1" "$2"
  fi
}

tcopy_rows() {
  if on_pg; then
    psql -qAtX "$1" -v ON_ERROR_STOP=1 -c "COPY (SELECT * FROM $3 WHERE $4) TO STDOUT" |
      psql -qAtX "$2" -v ON_ERROR_STOP=1 -c "COPY $3 FROM STDIN"
  else
    sqlite3 "$2" "ATTACH '$1' AS src; INSERT INTO $3 SELECT * FROM src.$3 WHERE $4"
  fi
}

tbody() {
  if on_pg; then echo "convert_from(body, 'UTF8')"; else echo "CAST(body AS TEXT)"; fi
}

pg_skip() { echo "skipped on PostgreSQL: $*" >&2; }
