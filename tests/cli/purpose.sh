#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# mindl-issuer issue --purpose: purpose credentials, one per profile,
# into one credential file; exit codes, --json, refusals that write
# nothing, and the registry's share (status indices for the driving
# purposes only).  Run from the repository root.
# ok/nok always succeed, so "test && ok || nok" is an if-then-else here.
# shellcheck disable=SC2015
set -u
top=$(pwd)
B=${MINDL_BIN:-bin}
case $B in
/*) ;;
*) B=$top/$B ;;
esac
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
# expect WANT DESC CMD...: CMD's exit status must be WANT.
expect() {
	_w=$1
	_d=$2
	shift 2
	"$@" >out 2>err
	_r=$?
	if [ "$_r" -eq "$_w" ]; then ok "$_d"; else
		nok "$_d (exit $_r, want $_w): $(head -c 300 err)"; fi
}
d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-purpose.XXXXXX")
trap 'rm -rf "$d"' EXIT INT TERM
cd "$d" || exit 1
rec=$top/schemas/samples/sample-record.json
port=$top/schemas/samples/portrait.jpg
"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "Purpose IACA" \
    --issuer-alt mailto:iaca@example.invalid --out-key iaca.key --out-cert iaca.pem \
    >/dev/null 2>&1 &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key \
    --iaca-cert iaca.pem --out-key ds.key --out-cert ds.pem >/dev/null 2>&1 &&
"$B/mindl-holder" keygen --no-passphrase --count 3 --out-key dev.key --out-pub dev.pub \
    >/dev/null 2>&1 || { nok "set-up"; finish; }
# shellcheck disable=SC2317
iss() {
	"$B/mindl-issuer" issue --sample-policy --no-passphrase --ds-key ds.key \
	    --ds-cert ds.pem --record "$rec" --portrait "$port" --device-pub dev.pub "$@"
}

expect 0 "issue --purpose age-21,traffic-stop" iss --purpose age-21,traffic-stop -o p.cred
[ "$(stat -c %a p.cred)" = 600 ] && ok "the file is 0600" ||
    nok "mode $(stat -c %a p.cred)"
grep -q "2 purpose credentials: age-21 [0-9]* bytes ([0-9]* deflated, no status" out &&
    grep -q "; traffic-stop [0-9]* bytes" out &&
    ok "the summary names each purpose and its size" || nok "summary: $(cat out)"
"$B/mindl-verifier" inspect --json p.cred >insp.json 2>/dev/null
[ "$(jq -r '.documents | length' insp.json)" = 2 ] &&
    ok "one entry per purpose" || nok "inspect: $(head -c 300 insp.json)"

expect 0 "--json" iss --purpose age-18,employer-driver,identity -o j.cred --json
[ "$(jq -r '.ok and (.purposes | length) == 3 and .purposes[0].profile == "age-18"
    and .purposes[1].profile == "employer-driver" and .purposes[2].profile == "identity"
    and ([.purposes[] | .bytes > 0 and .deflated > 0 and .deflated <= 2258] | all)
    and ([.purposes[] | .status] | any | not) and .revocation == "none"
    and (.credential_id | length) == 32' out)" = true ] &&
    ok "--json: each purpose, its sizes (deflated under 2,258), no status" ||
    nok "--json: $(cat out)"
# The age credential lasts the licence's term; the others 30 days.
[ "$(jq -r '(.purposes[0].valid_until - .purposes[0].valid_from) > 86400 * 365 * 3
    and (.purposes[1].valid_until - .purposes[1].valid_from) == 86400 * 30' out)" = true ] &&
    ok "age-18 until the licence's expiry, employer-driver the MSO's days" ||
    nok "validity: $(cat out)"
jq -r '.purposes[] | "\(.profile): \(.bytes) bytes, \(.deflated) deflated"' out

# Refusals: usage errors (exit 2), named, nothing written.
expect 2 "an unknown profile" iss --purpose age-21,bar-tab -o u.cred
grep -q "no profile named bar-tab" err && ok "the unknown profile is named" ||
    nok "message: $(cat err)"
[ ! -e u.cred ] && ok "nothing written on refusal" || nok "u.cred written"
expect 2 "an unknown profile, --json" iss --purpose bar-tab -o u.cred --json
[ "$(jq -r '.ok == false and (.message | test("bar-tab"))' out)" = true ] &&
    ok "--json failure names it" || nok "json: $(cat out)"
expect 2 "a profile twice" iss --purpose age-21,age-21 -o u.cred
expect 2 "not a list of ids" iss --purpose "age-21,,x" -o u.cred
expect 2 "a name with other characters" iss --purpose 'Age 21' -o u.cred
expect 2 "more purposes than device keys" iss \
    --purpose age-18,age-21,traffic-stop,identity -o u.cred
grep -q "4 purposes need as many device keys" err && ok "says how many keys" ||
    nok "message: $(cat err)"
expect 2 "--purpose with --records" "$B/mindl-issuer" issue --sample-policy \
    --no-passphrase --ds-key ds.key --ds-cert ds.pem --records r.jsonl \
    --portraits . -o outdir --purpose age-21
[ ! -e u.cred ] && [ ! -e outdir ] && ok "refusals wrote nothing" || nok "a refusal wrote"
expect 1 "a forbidden record field still refuses" "$B/mindl-issuer" issue \
    --sample-policy --no-passphrase --ds-key ds.key --ds-cert ds.pem \
    --record "$top/schemas/samples/forbidden-dhs.json" --portrait "$port" \
    --device-pub dev.pub --purpose age-21 -o u.cred
[ ! -e u.cred ] && ok "nothing written for a refused record" || nok "u.cred written"

# Through a registry: a status index for each driving purpose, none for ages.
uri=https://dmv.example/status/1
"$B/mindl-issuer" init --registry reg.db --status-uri $uri --kdf-cost 10 >/dev/null 2>&1 ||
    nok "init"
expect 0 "--purpose through a registry" iss --registry reg.db \
    --purpose age-21,traffic-stop,car-rental -o r.cred --json
[ "$(jq -r '.revocation == "status-list" and ([.purposes[] | .status] ==
    [false, true, true])' out)" = true ] &&
    ok "status for traffic-stop and car-rental, none for age-21" || nok "json: $(cat out)"
"$B/mindl-issuer" check --registry reg.db --json >chk.json 2>/dev/null
[ "$(jq -r '.ok and .credentials == 1 and .indices_used == 2' chk.json)" = true ] &&
    ok "the registry: one credential, two indices" || nok "check: $(cat chk.json)"
expect 0 "ages only through a registry" iss --registry reg.db --purpose age-18,age-21 \
    -o a.cred --json
"$B/mindl-issuer" check --registry reg.db --json >chk.json 2>/dev/null
[ "$(jq -r '.ok and .credentials == 1 and .indices_used == 2 and .audit_rows == 3' \
    chk.json)" = true ] &&
    ok "age purposes take no index and no row, one audit row" || nok "check: $(cat chk.json)"
doc=$(jq -r '.document_number' "$rec")
echo "$doc" | "$B/mindl-issuer" revoke --registry reg.db --document-number - \
    >/dev/null 2>&1 || nok "revoke"
expect 1 "a revoked licence gets no purpose credential" iss --registry reg.db \
    --purpose age-21 -o v.cred
grep -q MINDL_ERR_REVOKED err && [ ! -e v.cred ] &&
    ok "refused as revoked, nothing written" || nok "revoked: $(cat err)"
finish
