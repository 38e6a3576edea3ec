#!/usr/bin/env bash
# GET /metrics is Prometheus text (format 0.0.4) and its figures move with
# the traffic: requests by method, route and status, the latency histogram
# (cumulative buckets ending at +Inf = _count), events appended, database
# size.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); trap 'stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 100 >/dev/null
start_server "$N"

scrape() { curl -s -D "$1.h" "$BASE/metrics" > "$1"; }
# the value of a sample (the whole name with labels), 0 when absent
val() { awk -v k="$2" 'index($0, k " ") == 1 { print $NF; f = 1 } END { if (!f) print 0 }' "$1"; }
# checks the text format: TYPE before samples, names, labels, numbers;
# histogram buckets cumulative, +Inf equal to _count
check_format() {
  grep -qi '^content-type: text/plain; version=0.0.4' "$1.h" || { echo "content type"; cat "$1.h"; exit 1; }
  awk '
    /^# HELP / { next }
    /^# TYPE / { typed[$3] = $4; next }
    /^#/ { print "bad comment: " $0; bad = 1; next }
    {
      if ($0 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})? ([-+]?[0-9.]+([eE][-+]?[0-9]+)?|\+Inf|NaN)$/) {
        print "bad sample: " $0; bad = 1; next
      }
      name = $1; sub(/\{.*/, "", name); fam = name
      sub(/_(bucket|sum|count)$/, "", fam)
      if (!(name in typed) && !(fam in typed)) { print "no TYPE before " name; bad = 1 }
      if (name ~ /_bucket$/) {
        if ($NF + 0 < last) { print "buckets not cumulative: " $0; bad = 1 }
        last = $NF + 0; if ($0 ~ /le="\+Inf"/) inf = $NF
      }
      if (name ~ /_seconds_count$/) count = $NF
    }
    END { if (inf == "" || inf != count) { print "+Inf bucket " inf " != count " count; bad = 1 }
          exit bad }' "$1" || { echo "not Prometheus text:"; cat "$1"; exit 1; }
}

scrape m0; check_format m0
off=$(login kor.officer muster-demo-2026)
for _ in 1 2 3; do curl -s -o /dev/null "$BASE/healthz"; done
for _ in 1 2; do curl -s -o /dev/null "$BASE/api/v1/me"; done   # 401: no token
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
airport=$(tsql "$N" "SELECT id FROM assembly_points WHERE kind = 'airport'")
w='{"point":"'$airport'","person":{"surname":"HAN","given_names":"MINA","nationality":"KOR","sex":"F","birth_date":"1991-05-05","document":{"type":"P","number":"M77770001","expiry":"2031-01-01"},"consent":true}}'
[ "$(api "$off" POST "/api/v1/operations/$op/walkins" "$w" | cut -d' ' -f1)" = 201 ]
scrape m1; check_format m1

moved() { # sample, at least
  local a b
  a=$(val m0 "$1"); b=$(val m1 "$1")
  awk -v a="$a" -v b="$b" -v n="$2" 'BEGIN { exit !(b - a >= n) }' ||
    { echo "$1: $a -> $b, expected +$2"; exit 1; }
}
moved 'muster_http_requests_total{method="GET",route="/healthz",status="200"}' 3
moved 'muster_http_requests_total{method="GET",route="/api/v1/me",status="401"}' 2
moved 'muster_http_requests_total{method="POST",route="/api/v1/login",status="200"}' 1
moved 'muster_http_requests_total{method="POST",route="/api/v1/operations/{operation}/walkins",status="201"}' 1
moved 'muster_http_requests_total{method="GET",route="/metrics",status="200"}' 1
moved 'muster_http_request_seconds_count' 8
moved 'muster_http_request_seconds_bucket{le="+Inf"}' 8
moved 'muster_events_total' 2   # the walk-in: registered, checked in
moved 'muster_writes_total' 1
[ "$(grep -c '^muster_http_request_seconds_bucket{le=' m1)" -ge 10 ] || { echo "few buckets"; exit 1; }
awk -v b="$(val m1 muster_database_bytes)" 'BEGIN { exit !(b > 100000) }' ||
  { echo "database size $(val m1 muster_database_bytes)"; exit 1; }
echo ok
