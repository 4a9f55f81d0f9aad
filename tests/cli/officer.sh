#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The officer gate (DESIGN.md 3.9): mindl-issuer operator enroll and list;
# once an officer is enrolled, revoke, renew, purge and issue --records
# need --officer and a fresh assertion of that officer's security key,
# and the audit trail names the officer; a registry without officers
# keeps working and says so.
#
# The security key is the software CTAP2 authenticator of tests/fido/,
# linked into a test build of the issuer (build/tests/mindl-issuer-softkey)
# in place of issuer/fido_open.c; everything else is the issuer's own
# code.  Its key is named by --device/--officer-device, else
# $MINDL_SOFTKEY, else "a"; $MINDL_SOFTKEY_FAULT makes it refuse the
# touch, sign without presence, sign with another key or for another
# rpId.  Run from the repository root.
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
# named NAME: the last failure's --json object names error NAME.
named() {
	[ "$(jq -r .error out 2>/dev/null)" = "$1" ] && ok "... $1" ||
	    nok "... want $1: $(cat out err | head -c 300)"
}
# state DB JQ: check --json on DB satisfies JQ.
state() {
	"$S" check --registry "$1" --json >chk.json 2>/dev/null
	[ "$(jq -r "$2" chk.json)" = true ]
}
d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-officer.XXXXXX")
trap 'rm -rf "$d"' EXIT INT TERM
S=
for c in "${B%/bin}/tests/mindl-issuer-softkey" \
    "$top/build/tests/mindl-issuer-softkey"; do
	[ -x "$c" ] && { S=$c; break; }
done
[ -n "$S" ] || { nok "build/tests/mindl-issuer-softkey not built"; finish; }
unset MINDL_SOFTKEY MINDL_SOFTKEY_FAULT
cd "$d" || exit 1
rec=$top/schemas/samples/sample-record.json
port=$top/schemas/samples/portrait.jpg
"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "Officer IACA" \
    --out-key iaca.key --out-cert iaca.pem >/dev/null 2>&1 &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key \
    --iaca-cert iaca.pem --out-key ds.key --out-cert ds.pem >/dev/null 2>&1 &&
"$B/mindl-holder" keygen --no-passphrase --count 2 --out-key dev.key --out-pub dev.pub \
    >/dev/null 2>&1 &&
"$B/mindl-holder" keygen --no-passphrase --count 2 --out-key new.key --out-pub new.pub \
    >/dev/null 2>&1 || { nok "set-up"; finish; }
ds="--no-passphrase --sample-policy --ds-key ds.key --ds-cert ds.pem"
uri=https://dmv.example/status/1
notice="no officer enrolled: anyone with this laptop and the registry secret"

# The production binary has no software key: it looks for real ones.
grep -q "mindl softkey test master key" "$B/mindl-issuer" &&
    nok "the installed issuer carries the test key" ||
    ok "the installed issuer has no software key in it"

# A registry with no officer: everything works, and every output says so.
expect 0 "init" "$S" init --registry reg.db --status-uri $uri --kdf-cost 10
grep -q "$notice" err && ok "init says no officer is enrolled" ||
    nok "init: $(cat err)"
expect 0 "init --json" "$S" init --registry j.db --status-uri $uri --kdf-cost 10 --json
[ "$(jq -r '.officers == 0' out)" = true ] && ok "init --json: \"officers\": 0" ||
    nok "init --json: $(cat out)"
# shellcheck disable=SC2086
expect 0 "issue --registry with no officer" "$S" issue $ds --record "$rec" \
    --portrait "$port" --device-pub dev.pub -o c1.mdl --registry reg.db
grep -q "$notice" err && ok "issue says no officer is enrolled" || nok "issue: $(cat err)"
# shellcheck disable=SC2086
expect 0 "issue --registry --json" "$S" issue $ds --record "$rec" \
    --portrait "$port" --device-pub dev.pub -o c2.mdl --registry reg.db --json
[ "$(jq -r '.officers == 0 and .approved_by == null' out)" = true ] &&
    ok "issue --json: \"officers\": 0, \"approved_by\": null" || nok "issue --json: $(cat out)"
expect 0 "check" "$S" check --registry reg.db
grep -q "$notice" err && ok "check says no officer is enrolled" || nok "check: $(cat err)"
expect 1 "--officer with nobody enrolled" "$S" revoke --registry reg.db \
    --document-number SS7Q4M2K9X --officer alice --json
named MINDL_ERR_UNKNOWN_OFFICER
expect 0 "operator list, nobody enrolled" "$S" operator list --registry reg.db --json
[ "$(jq -r '.officers == 0 and (.list | length) == 0' out)" = true ] &&
    ok "... an empty list" || nok "list: $(cat out)"

# Enrollment.
expect 2 "enroll without --id" "$S" operator enroll --registry reg.db
expect 2 "an officer id that is no id" "$S" operator enroll --registry reg.db --id "a b"
expect 2 "a PIN is never taken from argv" "$S" operator enroll --registry reg.db \
    --id alice --pin 1234
MINDL_SOFTKEY_FAULT=deny expect 1 "enroll, the touch refused" "$S" operator enroll \
    --registry reg.db --id alice --json
named MINDL_ERR_FIDO_PRESENCE
state reg.db '.officers == 0' && ok "... nobody enrolled" || nok "enrolled: $(cat chk.json)"
expect 0 "enroll the first officer: no approval needed" "$S" operator enroll \
    --registry reg.db --id alice
grep -q "touch your new security key" err && ok "... asks for a touch" ||
    nok "enroll prompt: $(cat err)"
grep -q "enrolled officer alice" out && ok "... says so" || nok "enroll: $(cat out)"
state reg.db '.officers == 1 and .audit[-1].action == "officer-enroll" and .audit[-1].operator == "alice"' &&
    ok "audit: officer-enroll by alice" || nok "audit: $(cat chk.json)"
expect 2 "enroll the same id again" "$S" operator enroll --registry reg.db --id alice \
    --json
named MINDL_ERR_EXISTS
expect 1 "enroll a second officer without approval" "$S" operator enroll \
    --registry reg.db --id bob --device b --json
named MINDL_ERR_OFFICER_REQUIRED
expect 0 "enroll a second officer, approved by the first" "$S" operator enroll \
    --registry reg.db --id bob --device b --officer alice --json
[ "$(jq -r '.officer == "bob" and .officers == 2 and .approved_by == "alice"' out)" = true ] &&
    ok "... bob, approved by alice" || nok "enroll --json: $(cat out)"
state reg.db '.audit[-1].action == "officer-enroll" and .audit[-1].operator == "alice"' &&
    ok "audit: bob's enrollment by alice" || nok "audit: $(cat chk.json)"
expect 0 "operator list" "$S" operator list --registry reg.db
[ "$(cut -f1 out | tr '\n' ' ')" = "alice bob " ] && ok "... alice and bob" ||
    nok "list: $(cat out)"
grep -q "$notice" err && nok "the notice outlives the first officer" ||
    ok "no more notice once an officer is enrolled"
expect 0 "operator list --json" "$S" operator list --registry reg.db --json
[ "$(jq -r '[.list[].id] == ["alice","bob"] and .officers == 2' out)" = true ] &&
    ok "... the same in --json" || nok "list --json: $(cat out)"
expect 2 "operator list takes no --id" "$S" operator list --registry reg.db --id x

# One record at the counter is not gated.
# shellcheck disable=SC2086
expect 0 "issue one record with officers enrolled" "$S" issue $ds --record "$rec" \
    --portrait "$port" --device-pub dev.pub -o c3.mdl --registry reg.db --json
[ "$(jq -r '.officers == 2 and .approved_by == null' out)" = true ] &&
    ok "... \"officers\": 2, nobody approved" || nok "issue: $(cat out)"

# issue --records: gated.
mkdir in outd
cp "$port" in/p.jpg
cp dev.pub in/k.pub
jq -c '{record: ., portrait: "p.jpg", device_pub: "k.pub", credential: "r1.mdl"}' \
    "$rec" >recs.jsonl
"$S" check --registry reg.db --json >chk.json 2>/dev/null
creds=$(jq .credentials chk.json)
# shellcheck disable=SC2086
expect 1 "issue --records without an officer" "$S" issue --records recs.jsonl \
    --portraits in -o outd $ds --registry reg.db --json
named MINDL_ERR_OFFICER_REQUIRED
[ ! -e outd/r1.mdl ] && state reg.db ".credentials == $creds" &&
    ok "... nothing issued, nothing recorded" || nok "records: $(ls outd) $(cat chk.json)"
# shellcheck disable=SC2086
MINDL_SOFTKEY_FAULT=deny expect 1 "issue --records, the touch refused" "$S" issue \
    --records recs.jsonl --portraits in -o outd $ds --registry reg.db --officer alice --json
named MINDL_ERR_FIDO_PRESENCE
[ ! -e outd/r1.mdl ] && ok "... nothing issued" || nok "records issued without approval"
# shellcheck disable=SC2086
expect 0 "issue --records approved by alice" "$S" issue --records recs.jsonl \
    --portraits in -o outd $ds --registry reg.db --officer alice --json
[ -s outd/r1.mdl ] && [ "$(jq -r '.issued == 1 and .approved_by == "alice"' out)" = true ] &&
    ok "... issued, approved by alice" || nok "records: $(cat out)"
state reg.db '.audit[-1].action == "issue" and .audit[-1].operator == "alice"' &&
    ok "audit: the batch by alice" || nok "audit: $(cat chk.json)"
# shellcheck disable=SC2086
expect 2 "--officer on a single issue" "$S" issue $ds --record "$rec" \
    --portrait "$port" --device-pub dev.pub -o c4.mdl --registry reg.db --officer alice

# Renewal: gated, and a refused renewal leaves the challenge unspent.
"$S" renew-challenge --registry reg.db -o ch.cbor >/dev/null 2>&1 &&
"$B/mindl-holder" renew-proof --credential c1.mdl --device-key dev.key --no-passphrase \
    --challenge ch.cbor --new-pub new.pub -o p.proof >/dev/null 2>&1 ||
    nok "renewal set-up"
renew() {	# renew OUT [extra]
	_o=$1
	shift
	# shellcheck disable=SC2086
	"$S" renew --registry reg.db --credential c1.mdl --proof p.proof \
	    --device-pub new.pub --iaca iaca.pem $ds -o "$_o" "$@"
}
expect 1 "renew without an officer" renew n1.mdl --json
named MINDL_ERR_OFFICER_REQUIRED
[ ! -e n1.mdl ] && ok "... nothing written" || nok "renewed without approval"
MINDL_SOFTKEY=b expect 1 "renew, bob's key answering for alice" renew n1.mdl \
    --officer alice --json
named MINDL_ERR_NOT_DEVICE_KEY
expect 0 "renew approved by bob (the same proof: its challenge unspent)" renew n1.mdl \
    --officer bob --officer-device b --json
[ -s n1.mdl ] && [ "$(jq -r '.ok and .approved_by == "bob"' out)" = true ] &&
    ok "... renewed, approved by bob" || nok "renew: $(cat out)"
state reg.db '.audit[-1].action == "renew" and .audit[-1].operator == "bob"' &&
    ok "audit: the renewal by bob" || nok "audit: $(cat chk.json)"

# Revocation.
state reg.db '.revoked_licences == 0 and .indices_revoked == 0' ||
    nok "revoked before the test: $(cat chk.json)"
expect 1 "revoke without --officer" "$S" revoke --registry reg.db \
    --document-number SS7Q4M2K9X --json
named MINDL_ERR_OFFICER_REQUIRED
state reg.db '.revoked_licences == 0 and .indices_revoked == 0' &&
    ok "... nothing revoked" || nok "revoked without approval: $(cat chk.json)"
expect 1 "revoke without --officer (text)" "$S" revoke --registry reg.db \
    --document-number SS7Q4M2K9X
grep -q "needs one of them to approve.*(MINDL_ERR_OFFICER_REQUIRED)" err &&
    ok "... says an officer must approve" || nok "text: $(cat err)"
expect 1 "revoke by an officer never enrolled" "$S" revoke --registry reg.db \
    --document-number SS7Q4M2K9X --officer carol --json
named MINDL_ERR_UNKNOWN_OFFICER
for f in "deny MINDL_ERR_FIDO_PRESENCE the touch refused" \
    "no-up MINDL_ERR_FIDO_PRESENCE signed without user presence" \
    "other-key MINDL_ERR_DEVICE_AUTH signed by another key" \
    "wrong-rpid MINDL_ERR_FIDO_RPID signed for another rpId"; do
	set -- $f
	_f=$1
	_e=$2
	shift 2
	MINDL_SOFTKEY_FAULT=$_f expect 1 "revoke: $*" "$S" revoke --registry reg.db \
	    --document-number SS7Q4M2K9X --officer alice --json
	named "$_e"
done
MINDL_SOFTKEY=b expect 1 "revoke: another key answering (bob's for alice)" "$S" revoke \
    --registry reg.db --document-number SS7Q4M2K9X --officer alice --json
named MINDL_ERR_NOT_DEVICE_KEY
expect 1 "revoke: alice's key for bob" "$S" revoke --registry reg.db \
    --document-number SS7Q4M2K9X --officer bob --json
named MINDL_ERR_NOT_DEVICE_KEY
expect 2 "--officer-pin-fd that is no descriptor" "$S" revoke --registry reg.db \
    --document-number SS7Q4M2K9X --officer alice --officer-pin-fd 9
expect 2 "--operator and --officer naming two people" "$S" revoke --registry reg.db \
    --document-number SS7Q4M2K9X --officer alice --operator mallory
state reg.db '.revoked_licences == 0 and .indices_revoked == 0' &&
    ok "after every refusal: nothing revoked" || nok "revoked: $(cat chk.json)"
expect 0 "revoke approved by alice" "$S" revoke --registry reg.db \
    --document-number SS7Q4M2K9X --officer alice --json
grep -q "touch your security key to approve" err && ok "... asks for a touch" ||
    nok "revoke prompt: $(cat err)"
[ "$(jq -r '.ok and .revoked_entries > 0 and .approved_by == "alice" and .officers == 2' out)" = true ] &&
    ok "... revoked, approved by alice" || nok "revoke --json: $(cat out)"
state reg.db '.revoked_licences == 1 and .indices_revoked > 0 and .audit[-1].action == "revoke" and .audit[-1].operator == "alice"' &&
    ok "audit: the revocation by alice, and nothing else about the licence" ||
    nok "after revoke: $(cat chk.json)"
jq -r '.audit[] | .operator' chk.json | grep -qv '^\(alice\|bob\|uid-[0-9]*\|[A-Za-z0-9._@-]*\)$' &&
    nok "an audit operator that is no id" || ok "audit operators are ids"

# Purge: gated (purge --at a far date would make every licence unrevocable).
expect 1 "purge without an officer" "$S" purge --registry reg.db --at 2099-01-01 --json
named MINDL_ERR_OFFICER_REQUIRED
state reg.db '.credentials > 0 and .licences == 1' && ok "... nothing purged" ||
    nok "purged: $(cat chk.json)"
expect 0 "purge approved by bob" "$S" purge --registry reg.db --at 2099-01-01 \
    --officer bob --officer-device b --json
state reg.db '.credentials == 0 and .audit[-1].action == "purge" and .audit[-1].operator == "bob"' &&
    ok "... purged, audited as bob" || nok "purge: $(cat chk.json)"

# Removing an officer: gated, never the last one, and that key then
# approves nothing.
expect 2 "remove without --id" "$S" operator remove --registry reg.db --officer alice
expect 1 "remove an officer never enrolled" "$S" operator remove --registry reg.db \
    --id carol --officer alice --json
named MINDL_ERR_UNKNOWN_OFFICER
expect 1 "remove without an approving officer" "$S" operator remove --registry reg.db \
    --id bob --json
named MINDL_ERR_OFFICER_REQUIRED
MINDL_SOFTKEY=b expect 1 "remove bob, bob's key answering for alice" "$S" operator \
    remove --registry reg.db --id bob --officer alice --json
state reg.db '.officers == 2' && ok "... nobody removed" || nok "removed: $(cat chk.json)"
expect 0 "remove bob, approved by alice" "$S" operator remove --registry reg.db \
    --id bob --officer alice --json
[ "$(jq -r '.ok and .removed == "bob" and .officers == 1 and .approved_by == "alice"' out)" = true ] &&
    ok "... removed, approved by alice" || nok "remove: $(cat out)"
state reg.db '.officers == 1 and .audit[-1].action == "officer-remove" and .audit[-1].operator == "alice"' &&
    ok "audit: officer-remove by alice" || nok "audit: $(cat chk.json)"
expect 1 "bob's key approves nothing now" "$S" purge --registry reg.db \
    --officer bob --officer-device b --json
named MINDL_ERR_UNKNOWN_OFFICER
expect 1 "the last officer cannot be removed" "$S" operator remove --registry reg.db \
    --id alice --officer alice --json
named MINDL_ERR_LAST_OFFICER
state reg.db '.officers == 1' && ok "... alice stays" || nok "last: $(cat chk.json)"

# The audit trail holds ids and counts, no document number.
grep -ai "SS7Q4M2K9X" reg.db reg.db-wal >/dev/null 2>&1 &&
    nok "the document number is in the registry" ||
    ok "no document number in the registry"

# A registry with no officer keeps working, revocation included.
# shellcheck disable=SC2086
"$S" issue $ds --record "$rec" --portrait "$port" --device-pub dev.pub -o j1.mdl \
    --registry j.db >/dev/null 2>&1 || nok "issue into j.db"
expect 0 "revoke in a registry with no officer" "$S" revoke --registry j.db \
    --document-number SS7Q4M2K9X --json
[ "$(jq -r '.ok and .revoked_entries == 2 and .officers == 0 and .approved_by == null' out)" = true ] &&
    ok "... revoked; --json says \"officers\": 0" || nok "j.db revoke: $(cat out)"
expect 0 "revoke again (text)" "$S" revoke --registry j.db --document-number SS7Q4M2K9X
grep -q "$notice" err && ok "... says no officer is enrolled" || nok "j.db: $(cat err)"
finish
