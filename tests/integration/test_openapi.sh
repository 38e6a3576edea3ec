#!/usr/bin/env bash
# Every route the server has is in docs/openapi.yaml, and every documented
# route exists.
# store: none (no --db; tests/run-pg does not run it again)
set -euo pipefail
doc="$ROOT/docs/openapi.yaml"
documented=$(awk '
  /^paths:/ { inpaths = 1; next }
  inpaths && /^  \/[^ ]*:$/ { path = $1; sub(/:$/, "", path); next }
  inpaths && /^    (get|post|put|patch|delete):/ { m = $1; sub(/:$/, "", m); print toupper(m), path }
' "$doc" | sort)
served=$("$MUSTER" serve --routes | sort)
[ -n "$documented" ] && [ -n "$served" ]
missing=$(comm -23 <(echo "$served") <(echo "$documented"))
extra=$(comm -13 <(echo "$served") <(echo "$documented"))
[ -z "$missing" ] || { echo "routes not in docs/openapi.yaml:"; echo "$missing"; exit 1; }
[ -z "$extra" ] || { echo "documented routes the server does not have:"; echo "$extra"; exit 1; }
echo "ok ($(wc -l <<<"$served") routes)"
