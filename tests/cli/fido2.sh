#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Holders' security keys in the tools (DESIGN.md 3.1, 3.10): the desk binds
# a credential to credentials made on the holder's key (issue
# --device-fido2), the holder answers a request with it (present --fido2),
# and a verifier with the key plugged in makes it answer a fresh challenge
# for a printed code (scan --fido2, verify --qr-text --fido2).  The key is
# the software CTAP2 authenticator of tests/fido/, reached through
# libfido2's I/O hooks by test builds of the three tools
# (build/tests/mindl-*-softkey) that link tests/fido/softopen.c in place of
# tools/fido_open.c; everything else is the tools' own code.  Key "a" is
# the holder's, "b" another person's ($MINDL_SOFTKEY);
# $MINDL_SOFTKEY_FAULT makes the key misbehave.
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
expect() {
	_w=$1
	_d=$2
	shift 2
	"$@" >out 2>err
	_r=$?
	if [ "$_r" -eq "$_w" ]; then ok "$_d"; else
		nok "$_d (exit $_r, want $_w): $(head -c 300 err)"; fi
}
named() {
	[ "$(jq -r .error out 2>/dev/null)" = "$1" ] && ok "... $1" ||
	    nok "... want $1: $(cat out err | head -c 300)"
}
jqok() {
	[ "$(jq -r "$1" out 2>/dev/null)" = true ] && ok "... $2" ||
	    nok "... $2: $(cat out err | head -c 300)"
}
absent() {
	[ ! -e "$1" ] && ok "... $1 not written" || nok "... $1 was written"
}
d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-fido2.XXXXXX")
trap 'rm -rf "$d"' EXIT INT TERM
for t in issuer holder verifier; do
	v=
	for c in "${B%/bin}/tests/mindl-$t-softkey" \
	    "$top/build/tests/mindl-$t-softkey"; do
		[ -x "$c" ] && { v=$c; break; }
	done
	[ -n "$v" ] || { nok "build/tests/mindl-$t-softkey not built"; finish; }
	eval "S$t=\$v"
done
# shellcheck disable=SC2154
SI=$Sissuer SH=$Sholder SV=$Sverifier
unset MINDL_SOFTKEY MINDL_SOFTKEY_FAULT
cd "$d" || exit 1
rec=$top/schemas/samples/sample-record.json
port=$top/schemas/samples/portrait.jpg
"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "Key IACA" \
    --out-key iaca.key --out-cert iaca.pem >/dev/null 2>&1 &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key \
    --iaca-cert iaca.pem --out-key ds.key --out-cert ds.pem >/dev/null 2>&1 &&
"$B/mindl-holder" keygen --no-passphrase --count 2 --out-key dev.key \
    --out-pub dev.pub >/dev/null 2>&1 &&
"$B/mindl-verifier" request --profile age-21 -o req.cbor >/dev/null 2>&1 ||
    { nok "set-up"; finish; }
ds="--no-passphrase --sample-policy --ds-key ds.key --ds-cert ds.pem"
T="--trust iaca.pem --no-portrait"

# The installed tools look for real keys only.
for t in holder verifier; do
	grep -q "mindl softkey test master key" "$B/mindl-$t" &&
	    nok "the installed $t carries the test key" ||
	    ok "the installed $t has no software key in it"
done

# The desk.
# shellcheck disable=SC2086
expect 2 "--device-fido2 and --device-pub" "$SI" issue $ds --record "$rec" \
    --portrait "$port" --device-pub dev.pub --device-fido2 -o x.mdl
# shellcheck disable=SC2086
expect 2 "--copies without --device-fido2" "$SI" issue $ds --record "$rec" \
    --portrait "$port" --device-pub dev.pub --copies 2 -o x.mdl
# shellcheck disable=SC2086
expect 2 "--copies 65" "$SI" issue $ds --record "$rec" --portrait "$port" \
    --device-fido2 --copies 65 -o x.mdl
# shellcheck disable=SC2086
expect 2 "a PIN is never taken from argv" "$SI" issue $ds --record "$rec" \
    --portrait "$port" --device-fido2 --pin 1234 -o x.mdl
# shellcheck disable=SC2086
MINDL_SOFTKEY_FAULT=deny expect 1 "issue, the touch refused" "$SI" issue $ds \
    --record "$rec" --portrait "$port" --device-fido2 -o x.mdl --json
named MINDL_ERR_FIDO_PRESENCE
absent x.mdl
# shellcheck disable=SC2086
expect 0 "issue --device-fido2 --copies 3" "$SI" issue $ds --record "$rec" \
    --portrait "$port" --device-fido2 --copies 3 -o key.mdl --json
jqok '.copies == 3 and .device == "fido2"' "three copies, bound to a security key"
[ "$(grep -c "touch your security key" err)" -eq 3 ] &&
    ok "... one touch asked for per copy" || nok "touches: $(cat err)"
# shellcheck disable=SC2086
expect 0 "issue with a software key" "$SI" issue $ds --record "$rec" \
    --portrait "$port" --device-pub dev.pub -o soft.mdl

expect 0 "show a key-bound credential" "$B/mindl-holder" show --credential key.mdl --json
jqok '.device == "fido2" and .copies == 3' "show: bound to a security key"
expect 1 "renew-proof of a key-bound credential" "$B/mindl-holder" renew-proof \
    --credential key.mdl --challenge none.ch --new-pub dev.pub -o proof.cbor --json
named MINDL_ERR_UNSUPPORTED
absent proof.cbor

# The holder answers a request with the key.
expect 2 "present --fido2 with --device-key" "$SH" present --yes --credential key.mdl \
    --fido2 --device-key dev.key --request req.cbor -o x.resp
expect 2 "present without a key" "$SH" present --yes --credential key.mdl \
    --request req.cbor -o x.resp
expect 0 "present --fido2" "$SH" present --yes --credential key.mdl --fido2 \
    --request req.cbor -o r1.resp
grep -q "touch your security key" err && ok "... the holder is asked to touch" ||
    nok "present: $(cat err)"
grep -q "mindl.fido2CredentialId" r1.resp && nok "the response carries the \
credential id" || ok "... the response carries no credential id"
# shellcheck disable=SC2086
expect 0 "verify the key's response" "$B/mindl-verifier" verify $T \
    --request req.cbor --response r1.resp --json
jqok '.valid and .device_auth == "fido2" and .holder_bound' \
    "valid, device auth fido2, holder-bound"
expect 0 "inspect the key's response" "$B/mindl-verifier" inspect r1.resp --json
jqok '.documents[0].device_auth == "mindl.fido2Signature" and .documents[0].fido2_credential_id_bytes == null' \
    "inspect names the extension; the response carries no id"
expect 0 "inspect the key-bound credential" "$B/mindl-verifier" inspect key.mdl --json
jqok '[.documents[].fido2_credential_id_bytes > 0] | all' "inspect: each copy carries an id"
MINDL_SOFTKEY=b expect 1 "present with another person's key" "$SH" present --yes \
    --credential key.mdl --fido2 --request req.cbor -o r2.resp --json
named MINDL_ERR_NOT_DEVICE_KEY
absent r2.resp
expect 1 "present --fido2 for a software-key credential" "$SH" present --yes \
    --credential soft.mdl --fido2 --request req.cbor -o r3.resp --json
named MINDL_ERR_KEY
absent r3.resp
# A key that misbehaves: each answer is refused by the verifier, named.
for f in no-up:MINDL_ERR_FIDO_PRESENCE other-key:MINDL_ERR_DEVICE_AUTH \
    wrong-rpid:MINDL_ERR_FIDO_RPID; do
	MINDL_SOFTKEY_FAULT=${f%%:*} "$SH" present --yes --credential key.mdl --fido2 \
	    --request req.cbor -o "f-${f%%:*}.resp" --reuse -q >/dev/null 2>&1
	# shellcheck disable=SC2086
	expect 1 "verify a response, key fault ${f%%:*}" "$B/mindl-verifier" \
	    verify $T --request req.cbor --response "f-${f%%:*}.resp" --json
	named "${f#*:}"
done
# Two copies' presentations by one key share nothing but disclosed values.
expect 0 "the audit finds no link between two copies' presentations" \
    "$B/mindl-audit" link --expect-unlinkable r1.resp f-no-up.resp --json
jqok '.link_count == 0 and ([.links[].kind] - ["disclosed-value"] | length) == 0' "no link but disclosed values"
# The response answers this request only: another request's session fails.
"$B/mindl-verifier" request --profile traffic-stop -o req2.cbor >/dev/null 2>&1
cp req.cbor.key req2.cbor.key.orig 2>/dev/null
# shellcheck disable=SC2086
expect 1 "the key's response against another request" "$B/mindl-verifier" \
    verify $T --request req2.cbor --response r1.resp --json
named MINDL_ERR_OTHER_REQUEST

# Printed codes bound to the key.
# shellcheck disable=SC2086
expect 0 "issue --device-fido2 --purpose" "$SI" issue $ds --record "$rec" \
    --portrait "$port" --device-fido2 --purpose age-21,traffic-stop -o p.mdl
# shellcheck disable=SC2086
"$SI" issue $ds --record "$rec" --portrait "$port" --device-pub dev.pub \
    --purpose age-21 -o ps.mdl >/dev/null 2>&1
expect 0 "qr of a key-bound code" "$B/mindl-holder" qr --credential p.mdl \
    --purpose age-21 --png age.png --json
jqok '.security_key and (.holder_bound | not)' "the holder is told the code is key-bound"
"$B/mindl-holder" qr --credential p.mdl --purpose age-21 --text >age.txt 2>/dev/null
"$B/mindl-holder" qr --credential ps.mdl --purpose age-21 --text >soft.txt 2>/dev/null
# shellcheck disable=SC2086
expect 0 "scan --fido2" "$SV" scan $T --fido2 age.png --json
jqok '.valid and .holder_bound and .device_auth == "fido2" and .warning == null' \
    "holder-bound by the key, no warning"
# shellcheck disable=SC2086
expect 0 "scan --fido2, text" "$SV" scan $T --fido2 age.png
grep -q "NOT HOLDER-BOUND" out && nok "text says not holder-bound" ||
    ok "... no NOT HOLDER-BOUND line"
grep -q "^device auth: fido2" out && ok "... device auth: fido2" ||
    nok "text: $(cat out)"
# shellcheck disable=SC2086
expect 0 "the same code without --fido2" "$B/mindl-verifier" scan $T age.png --json
jqok '(.holder_bound | not) and (.warning | startswith("NOT HOLDER-BOUND"))' \
    "not holder-bound without the key"
# shellcheck disable=SC2086
expect 0 "verify --qr-text --fido2" "$SV" verify $T --qr-text age.txt --fido2 --json
jqok '.holder_bound' "holder-bound"
# shellcheck disable=SC2086
MINDL_SOFTKEY=b expect 1 "a copied code, shown with another key" "$SV" scan $T \
    --fido2 age.png --json
named MINDL_ERR_NOT_DEVICE_KEY
jqok '.message | test("not the one the code was issued to")' "the verifier is told"
for f in deny:MINDL_ERR_FIDO_PRESENCE no-up:MINDL_ERR_FIDO_PRESENCE \
    other-key:MINDL_ERR_DEVICE_AUTH wrong-rpid:MINDL_ERR_FIDO_RPID; do
	# shellcheck disable=SC2086
	MINDL_SOFTKEY_FAULT=${f%%:*} expect 1 "scan --fido2, key fault ${f%%:*}" \
	    "$SV" scan $T --fido2 age.png --json
	named "${f#*:}"
done
# shellcheck disable=SC2086
expect 1 "--fido2-uv, a key that did not verify its user" "$SV" scan $T --fido2 \
    --fido2-uv age.png --json
named MINDL_ERR_FIDO_PRESENCE
# shellcheck disable=SC2086
expect 1 "scan --fido2 of a code bound to no key" "$SV" verify $T --qr-text soft.txt \
    --fido2 --json
named MINDL_ERR_NOT_KEY_BOUND
# shellcheck disable=SC2086
expect 2 "verify --fido2 without a code" "$SV" verify $T --request req.cbor \
    --response r1.resp --fido2
# shellcheck disable=SC2086
expect 2 "scan --device without --fido2" "$SV" scan $T --device x age.png
finish
