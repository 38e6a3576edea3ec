#!/usr/bin/env bash
# Every column of the schema has a row in docs/privacy.md's classification
# table: a field added without saying its class, audience and lifetime fails.
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
"$MUSTER" init --db "$d/n.db" --nation KOR >/dev/null
missing=0
for t in $(sqlite3 "$d/n.db" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"); do
  for c in $(sqlite3 "$d/n.db" "SELECT name FROM pragma_table_info('$t')"); do
    if ! grep -q "^| $t\.$c |" "$ROOT/docs/privacy.md"; then
      echo "docs/privacy.md has no row for $t.$c"; missing=1
    fi
  done
done
[ $missing -eq 0 ]
echo ok
