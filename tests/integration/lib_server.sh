# lib_server.sh — helpers for integration tests that talk to `muster serve`.
# Source it; it defines start_server, login, api (curl wrapper), stop_server.

# start_server DB: starts muster serve on a free port; sets SERVER_PID, BASE.
start_server() {
  local db=$1 out
  out=$(mktemp)
  "$MUSTER" serve --db "$db" --listen 127.0.0.1:0 > "$out" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    if grep -q "^muster serving" "$out"; then break; fi
    sleep 0.05
  done
  local port
  port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$out" | head -1)
  [ -n "$port" ] || { cat "$out"; return 1; }
  BASE="http://127.0.0.1:$port"
}

stop_server() {
  [ -n "${SERVER_PID:-}" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}

# checkin_todo DB [TAIL]: "DOCUMENT POINT" lines of every allocated Korean
# with a valid passport, the people a check-in load can take (TAIL: more
# SQL, e.g. ORDER BY or LIMIT); needs tsql from tests/pg/lib.sh
checkin_todo() {
  tsql "$1" "SELECT p.doc_number || ' ' || l.point FROM persons p JOIN legs l ON p.leg = l.id
    WHERE p.status = 'allocated' AND p.doc_expiry > '$(date -u +%Y-%m-%d)' AND p.nation = 'KOR' ${2:-}"
}

# login USER PASSWORD: prints the bearer token.
login() {
  curl -s -X POST "$BASE/api/v1/login" -d "{\"user\":\"$1\",\"password\":\"$2\"}" | jq -r .token
}

# api TOKEN METHOD PATH [BODY]: prints "STATUS BODY" (body on one line).
api() {
  local tok=$1 method=$2 path=$3 body=${4:-}
  local args=(-s -o /tmp/muster-api.$$ -w '%{http_code}' -X "$method")
  [ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
  [ -n "$body" ] && args+=(-d "$body")
  local code
  code=$(curl "${args[@]}" "$BASE$path")
  printf '%s %s\n' "$code" "$(tr -d '\n' < /tmp/muster-api.$$)"
  rm -f /tmp/muster-api.$$
}

# wait_job TOKEN JOB: polls until the job is done, failed or proposed (a
# plan waiting to be accepted); prints its JSON.
wait_job() {
  local out
  for _ in $(seq 1 600); do
    out=$(api "$1" GET "/api/v1/jobs/$2" | cut -d' ' -f2-)
    case "$(jq -r .state <<<"$out")" in done|failed|proposed) printf '%s\n' "$out"; return 0 ;; esac
    sleep 0.1
  done
  echo "job $2 did not finish" >&2; return 1
}
