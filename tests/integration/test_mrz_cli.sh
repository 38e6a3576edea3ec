#!/usr/bin/env bash
# test_mrz_cli.sh — `muster mrz parse|make` end to end: the JSON of the issue,
# exit statuses 0/1/2, tolerated input, one-line errors, make | parse.
# store: none (no --db; tests/run-pg does not run it again)
set -eu
M=${MUSTER:-./muster}
export MUSTER_NOW=2026-11-29T12:00:00Z
fail() { echo "FAIL: $*" >&2; exit 1; }

td3='P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
L898902C36UTO7408122F1204159ZE184226B<<<<<10'

"$M" mrz --help | grep -q 'mrz parse' || fail "--help"

out=$(printf '%s\n' "$td3" | "$M" mrz parse)
for kv in '"format":"TD3"' '"valid":true' '"document_code":"P"' '"issuing_state":"UTO"' \
  '"surname":"ERIKSSON"' '"given_names":"ANNA MARIA"' '"document_number":"L898902C3"' \
  '"nationality":"UTO"' '"birth_date":"1974-08-12"' '"birth_date_raw":"740812"' '"sex":"F"' \
  '"expiry_date":"2012-04-15"' '"expiry_date_raw":"120415"' '"optional_data":"ZE184226B"' \
  '"optional_data_2":null' \
  '"checks":{"document_number":true,"birth_date":true,"expiry_date":true,"optional_data":true,"composite":true}' \
  '"warnings":[]' '"errors":[]' '"suggestion":null'; do
  case "$out" in *"$kv"*) ;; *) fail "missing $kv in $out" ;; esac
done

# two documents, one broken check digit: two lines, exit 1
set +e
out=$(printf '%s\n\n%s\n' "$td3" "${td3%10}11" | "$M" mrz parse); rc=$?
set -e
[ "$rc" -eq 1 ] || fail "exit $rc for an invalid document"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] || fail "two documents, two lines: $out"
printf '%s\n' "$out" | tail -1 | grep -q '"code":"check_composite"' || fail "composite error"

# Windows line ends, spaces, lower case: valid, with warnings
out=$(printf '  %s  \r\n' "$(printf '%s' "$td3" | head -1 | tr 'A-Z' 'a-z')" "$(printf '%s' "$td3" | tail -1)" | "$M" mrz parse)
case "$out" in *'"valid":true'*'"code":"crlf"'*) ;; *) fail "tolerance: $out" ;; esac

# not an MRZ: exit 2, the JSON names the line and column
set +e
out=$(printf 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<*10\n' | "$M" mrz parse); rc=$?
set -e
[ "$rc" -eq 2 ] || fail "exit $rc for a bad character"
case "$out" in *'"line":2,"column":42'*) ;; *) fail "position: $out" ;; esac
set +e
printf '' | "$M" mrz parse 2>/tmp/mrz_err.$$; rc=$?
"$M" mrz parse --bogus </dev/null 2>/dev/null; rc2=$?
"$M" mrz frob </dev/null 2>/dev/null; rc3=$?
set -e
[ "$rc" -eq 2 ] && [ "$rc2" -eq 2 ] && [ "$rc3" -eq 2 ] || fail "usage exits $rc $rc2 $rc3"
[ "$(wc -l < /tmp/mrz_err.$$)" -eq 1 ] || fail "one-line error"
rm -f /tmp/mrz_err.$$

# make | parse gives back the fields, for every format
for f in TD1 TD2 TD3 MRVA MRVB; do
  out=$(printf '{"format":"%s","issuing_state":"JPN","surname":"Sōma-Åberg","given_names":"Jürgen Ñico","document_number":"TK1234567","nationality":"KOR","birth_date":"1980-02-29","sex":"F","expiry_date":"2031-01-15"}\n' "$f" \
    | "$M" mrz make | "$M" mrz parse)
  for kv in "\"format\":\"$f\"" '"valid":true' '"surname":"SOMA AABERG"' '"given_names":"JUERGEN NICO"' \
    '"document_number":"TK1234567"' '"birth_date":"1980-02-29"' '"expiry_date":"2031-01-15"'; do
    case "$out" in *"$kv"*) ;; *) fail "$f round trip: missing $kv in $out" ;; esac
  done
done
out=$(printf '{"surname":"X","given_names":"Y","issuing_state":"UTO","nationality":"UTO","document_number":"1","birth_date":"740812","sex":"M","expiry_date":"300101"}\n' | "$M" mrz make --json)
case "$out" in '{"format":"TD3","lines":["P<UTOX<<Y<'*'],"name_truncated":false}') ;; *) fail "make --json: $out" ;; esac
set +e
printf '{"format":"TD3","surname":"X","document_number":"1234567890"}\n' | "$M" mrz make 2>/dev/null; rc=$?
printf 'not json\n' | "$M" mrz make 2>/dev/null; rc2=$?
set -e
[ "$rc" -eq 1 ] && [ "$rc2" -eq 2 ] || fail "make exits $rc $rc2"
echo ok
