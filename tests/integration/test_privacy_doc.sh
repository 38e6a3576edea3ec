#!/usr/bin/env bash
# Every column of the schema has a row in docs/privacy.md's classification
# table: a field added without saying its class, audience and lifetime fails.
# Runs on either store (each has its own schema to check).
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
N=$(tdb n)
"$MUSTER" init --db "$N" --nation KOR >/dev/null
missing=0
for t in $(tsql "$N" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name" \
  "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"); do
  for c in $(tsql "$N" "SELECT name FROM pragma_table_info('$t')" \
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()
       AND table_name = '$t' ORDER BY ordinal_position"); do
    if ! grep -q "^| $t\.$c |" "$ROOT/docs/privacy.md"; then
      echo "docs/privacy.md has no row for $t.$c"; missing=1
    fi
  done
done
[ $missing -eq 0 ]
echo ok
