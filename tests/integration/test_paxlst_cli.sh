#!/usr/bin/env bash
# test_paxlst_cli.sh — `muster paxlst parse|build|check` end to end: the guide
# samples, exit statuses 0/1/2, JSON -> EDIFACT -> JSON, splitting, CUSRES.
# Needs jq (scripts/deps).
# store: none (no --db; tests/run-pg does not run it again)
set -eu
M=${MUSTER:-./muster}
ROOT=${ROOT:-.}
S="$ROOT/tests/vectors/paxlst-samples"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
status() { set +e; "$@" >"$T/out" 2>"$T/err"; echo $?; set -e; }
json_ok() { jq -e . "$1" >/dev/null || fail "not JSON: $1"; }

[ "$(status "$M" paxlst --help)" = 0 ] || fail "--help"
grep -q "muster paxlst parse FILE" "$T/out" || fail "--help text"

# parse: a valid sample exits 0 with the issue's JSON shape
[ "$(status "$M" paxlst parse "$S/wco-guide-example-5.1-passenger.edi")" = 0 ] || fail "parse 5.1"
json_ok "$T/out"
grep -q '"surname":"WILLIAMS","given_names":"JOHN DONALD","sex":"M","birth_date":"1972-09-07","nationality":"GBR"' "$T/out" \
  || fail "parse 5.1 fields"
grep -q '"flight":{"carrier":"ZZ","number":"123"' "$T/out" || fail "parse 5.1 flight"

# parse: the crew example's UNT miscount is an error: JSON printed, exit 1
[ "$(status "$M" paxlst parse "$S/wco-guide-example-5.2-crew.edi")" = 1 ] || fail "parse 5.2 status"
json_ok "$T/out"
grep -q '"code":"unt_count_mismatch"' "$T/out" || fail "parse 5.2 diagnostic"

# check: lists problems with their position; 0 valid, 1 invalid
[ "$(status "$M" paxlst check "$S/wco-guide-example-5.3-progressive.edi")" = 0 ] || fail "check 5.3"
grep -q '^valid: 0 errors' "$T/out" || fail "check 5.3 text"
[ "$(status "$M" paxlst check "$S/wco-guide-example-5.2-crew.edi")" = 1 ] || fail "check 5.2"
grep -q 'segment 23 (UNT), element 1, byte 446' "$T/out" || fail "check 5.2 position"
[ "$(status "$M" paxlst check --json "$S/smooks-d03b-bad-paxlst.edi")" = 1 ] || fail "check bad smooks"
json_ok "$T/out"
grep -q '"valid":false' "$T/out" || fail "check --json"

# unusable input: 2, one line on stderr
printf 'this is not edifact\n' >"$T/junk"
[ "$(status "$M" paxlst parse "$T/junk")" = 2 ] || fail "junk"
[ "$(wc -l <"$T/err")" = 1 ] || fail "junk: one-line error"
[ "$(status "$M" paxlst check "$T/missing")" = 2 ] || fail "missing file"
[ "$(status "$M" paxlst parse)" = 2 ] || fail "no file"
[ "$(status "$M" paxlst frobnicate x)" = 2 ] || fail "unknown action"
[ "$(status "$M" paxlst parse --bogus x)" = 2 ] || fail "unknown option"

# build: JSON -> EDIFACT -> JSON gives the same messages
"$M" paxlst parse "$S/wco-guide-example-5.3-progressive.edi" >"$T/a.json"
[ "$(status "$M" paxlst build "$T/a.json" -o "$T/b.edi")" = 0 ] || fail "build"
[ "$(status "$M" paxlst check "$T/b.edi")" = 0 ] || fail "check built: $(cat "$T/out")"
"$M" paxlst parse "$T/b.edi" >"$T/b.json"
[ "$(jq -cS .messages "$T/a.json")" = "$(jq -cS .messages "$T/b.json")" ] || fail "round trip differs"
[ "$(jq -r .interchange.sender "$T/b.json")" = XYZAIRLINES ] || fail "round trip sender"

# build: split into parts of one person each
[ "$(status "$M" paxlst build "$T/a.json" --max-per-message 1)" = 0 ] || fail "build split"
[ "$(tr "'" '\n' <"$T/out" | grep -c '^UNH')" = 2 ] || fail "split: two messages"
tr "'" '\n' <"$T/out" | grep -q '^UNH+1+PAXLST:D:15B:UN:IATA++01:C$' || fail "split: first part"

# build: names with service characters are released
jq '.messages[0].passengers[0].surname = "O'"'"'NEIL+SON:X?"' "$T/a.json" >"$T/c.json"
"$M" paxlst build "$T/c.json" -o "$T/c.edi"
grep -q "NAD+FL+++O?'NEIL?+SON?:X??:JULIO XAVIER'" "$T/c.edi" || fail "release characters"
"$M" paxlst parse "$T/c.edi" | grep -q "\"surname\":\"O'NEIL+SON:X?\"" || fail "released name read back"

# build: bad input
printf '{' >"$T/bad.json"
[ "$(status "$M" paxlst build "$T/bad.json")" = 2 ] || fail "build bad JSON"
printf '{"interchange":{"sender":"A","recipient":"B","control_ref":"1","prepared":"2026-01-01T00:00"},"messages":[{"flight":{"carrier":"KE","number":"1"},"passengers":[{"given_names":"X"}]}]}' >"$T/nos.json"
[ "$(status "$M" paxlst build "$T/nos.json")" = 1 ] || fail "build without surname"
grep -q 'surname' "$T/err" || fail "build error names the field"

# a CUSRES answer parses as CUSRES JSON
[ "$(status "$M" paxlst parse "$ROOT/tests/vectors/edifact-cusres-sample.edi")" = 0 ] || fail "cusres"
json_ok "$T/out"
grep -q '"status":"refer","reasons":\["WATCHLIST","DOC_EXPIRED"\]' "$T/out" || fail "cusres answers"
[ "$(status "$M" paxlst check "$ROOT/tests/vectors/edifact-cusres-sample.edi")" = 0 ] || fail "check cusres"
grep -q '^valid: 0 errors, 0 warnings' "$T/out" || fail "check cusres text"
echo ok
