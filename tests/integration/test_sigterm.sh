#!/usr/bin/env bash
# SIGTERM with requests in flight: check-ins from 16 clients and crew PDF
# manifests of the fullest legs are running when the server is told to
# stop. Every request it had taken gets its whole answer (curl sees a
# status and the full body; a PDF ends with %%EOF), the ones that came
# after are refused at connect, none is cut; the server exits 0, and every
# check-in answered 201 is in the database afterwards. A connection open
# but silent at SIGTERM still has its late request answered.
set -euo pipefail
. "$ROOT/tests/integration/lib_server.sh"
d=$(mktemp -d); loaders=()
trap 'kill "${loaders[@]}" 2>/dev/null || true; stop_server; rm -rf "$d"' EXIT
. "$ROOT/tests/pg/lib.sh"; tsetup "$d"
cd "$d"
N=$(tdb n)
"$MUSTER" demo --no-serve --db "$N" --people 3000 >/dev/null
start_server "$N"
off=$(login kor.officer muster-demo-2026)
op=$(tsql "$N" "SELECT id FROM operations LIMIT 1")
job=$(api "$off" POST "/api/v1/operations/$op/plan" '' | cut -d' ' -f2- | jq -r .job)
[ "$(wait_job "$off" "$job" | jq -r .state)" = done ]
checkin_todo "$N" > todo
[ "$(wc -l < todo)" -gt 300 ] || { echo "too few people to check in"; exit 1; }
tsql "$N" "SELECT leg FROM persons WHERE leg IS NOT NULL GROUP BY leg ORDER BY count(*) DESC LIMIT 4" > legs

# each line of answers: "curl-exit http-code what"
checkins() {
  xargs -P 16 -L 1 sh -c 'code=$(curl -s -o /dev/null -w "%{http_code}" -X POST \
    -H "Authorization: Bearer '"$off"'" -d "{\"point\":\"$1\",\"document_number\":\"$0\"}" \
    '"$BASE"'/api/v1/operations/'"$op"'/checkins); echo "$? $code $0"' < todo > answers 2>/dev/null
}
pdfs() {
  for i in 1 2 3; do
    while read -r leg; do
      code=$(curl -s -o "pdf.$leg.$i" -w '%{http_code}' -H "Authorization: Bearer $off" \
        "$BASE/api/v1/legs/$leg/manifest?format=pdf") && rc=0 || rc=$?
      echo "$rc $code pdf.$leg.$i" >> pdf_answers
    done < legs
  done
}
: > pdf_answers
checkins & loaders+=($!)
pdfs & loaders+=($!)
# stop once 30 check-ins are answered, with the clients still sending
for _ in $(seq 1 600); do
  [ "$(awk '$2 == 201' answers 2>/dev/null | wc -l)" -ge 30 ] && break
  sleep 0.02
done
before=$(awk '$2 == 201' answers | wc -l)
kill -TERM "$SERVER_PID"
rc=0; wait "$SERVER_PID" || rc=$?; SERVER_PID=""
[ "$rc" = 0 ] || { echo "the server exited $rc after SIGTERM"; exit 1; }
wait "${loaders[@]}" || true; loaders=()

n201=$(awk '$2 == 201' answers | wc -l)
refused=$(awk '$1 == 7' answers | wc -l)
echo "check-ins: $before answered 201 at SIGTERM, $n201 in all, $refused refused after it"
[ "$before" -ge 30 ] && [ "$refused" -gt 0 ] || { echo "SIGTERM did not land during the load"; exit 1; }
# no request cut: each got a status, or was refused at connect (curl 7)
bad=$(awk '!(($1 == 0 && $2 != "000") || $1 == 7)' answers pdf_answers)
[ -z "$bad" ] || { echo "requests cut by the shutdown (curl exit, status):"; echo "$bad" | head; exit 1; }
# every PDF answered 200 is whole
while read -r rcurl code f; do
  [ "$code" = 200 ] || continue
  tail -c 1024 "$f" | grep -q '%%EOF' || { echo "$f is cut"; exit 1; }
done < pdf_answers
[ "$(awk '$2 == 200' pdf_answers | wc -l)" -ge 1 ] || { echo "no manifest was answered"; exit 1; }
# every 201 is on disk
for doc in $(awk '$2 == 201 { print $3 }' answers); do
  st=$(tsql "$N" "SELECT status FROM persons WHERE doc_number = '$doc'")
  [ "$st" = checked_in ] || { echo "$doc acknowledged but $st after the restart"; exit 1; }
done
"$MUSTER" verify --db "$N" >/dev/null

# A connection accepted before the stop whose request comes 0.6 s after
# SIGTERM, long after the server stopped accepting, still gets a whole 503
# before the close; a connection tried meanwhile is refused.
start_server "$N"
exec 3<>"/dev/tcp/127.0.0.1/${BASE##*:}"
sleep 0.3 # accepted, nothing sent yet
kill -TERM "$SERVER_PID"
sleep 0.6
curl -s -o /dev/null "$BASE/healthz" && rc=0 || rc=$?
[ "$rc" = 7 ] || { echo "a new connection after the stop got curl exit $rc, not refused"; exit 1; }
(printf 'GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n' >&3) 2>/dev/null || true
reply=$(timeout 5 cat <&3 | tr -d '\r' || true)
exec 3<&-
rc=0; wait "$SERVER_PID" || rc=$?; SERVER_PID=""
[ "$rc" = 0 ] || { echo "the server exited $rc after SIGTERM"; exit 1; }
head -1 <<<"$reply" | grep -q '^HTTP/1.1 503' ||
  { echo "a request on a connection accepted before SIGTERM got: '$(head -1 <<<"$reply")'"; exit 1; }
grep -q '"code":"stopping"' <<<"$reply" || { echo "the 503 has no body: $reply"; exit 1; }
echo ok
