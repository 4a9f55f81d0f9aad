#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# mindl-holder renew-proof: the holder's half of renewal without the
# record, on its own: build/tests/renewtool writes challenges (expired
# ones too) and checks each proof with the library's
# mindl_renewal_proof_verify, without a registry.  The desk's half
# (mindl-issuer renew-challenge, renew) is tested in tests/cli/registry.sh.  Exit codes,
# --json shape, file modes, the copy that signs, refusals that leave
# nothing behind.  Run from the repository root.
set -u
top=$(pwd)
B=$top/${MINDL_BIN:-bin}
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
mode() { stat -c %a "$1"; }

R=
case ${MINDL_BIN:-bin} in
*/bin) cands="$top/${MINDL_BIN%/bin}/tests/renewtool $top/build/tests/renewtool" ;;
*) cands="$top/build/tests/renewtool" ;;
esac
for c in $cands; do
	if [ -x "$c" ]; then R=$c; break; fi
done
[ -n "$R" ] || { nok "renewtool not built (make build/tests/renewtool)"; finish; }

d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-rn.XXXXXX")
trap 'rm -rf "$d"' EXIT INT TERM
cd "$d" || exit 1
rec=$top/schemas/samples/sample-record.json
port=$top/schemas/samples/portrait.jpg
now=$(date +%s)
soon=$((now + 3600))
"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "CLI IACA" \
    --out-key iaca.key --out-cert iaca.pem >/dev/null 2>&1 &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key --iaca-cert iaca.pem \
    --out-key ds.key --out-cert ds.pem >/dev/null 2>&1 &&
"$B/mindl-holder" keygen --no-passphrase --count 3 --out-key old.key --out-pub old.pub \
    >/dev/null 2>&1 &&
"$B/mindl-holder" keygen --no-passphrase --count 3 --out-key new.key --out-pub new.pub \
    >/dev/null 2>&1 &&
"$B/mindl-holder" keygen --no-passphrase --count 3 --out-key other.key --out-pub other.pub \
    >/dev/null 2>&1 &&
"$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$rec" --portrait "$port" \
    --ds-key ds.key --ds-cert ds.pem --device-pub old.pub -o cred.mdl >/dev/null 2>&1 &&
"$R" challenge ch.cbor "$soon" && "$R" challenge ch2.cbor "$soon" &&
"$R" challenge old.cbor 1 ||
    { nok "set-up"; finish; }

renew() {
	"$B/mindl-holder" renew-proof --no-passphrase --credential cred.mdl \
	    --device-key old.key --challenge ch.cbor --new-pub new.pub "$@"
}

expect 0 "renew-proof" renew -o proof
[ "$(mode proof)" = 600 ] && ok "the proof is 0600" || nok "the proof is 0600 ($(mode proof))"
grep -Eq '^proof proof: signed with the key of copy 1 of 3 for 3 new keys; bring it, cred.mdl and new.pub to the desk before [0-9-]{10}T[0-9:]{8}Z$' out &&
    ok "one line saying what it did" || nok "one line: $(cat out) $(cat err)"
"$R" verify proof ch.cbor cred.mdl new.pub >v 2>&1 && grep -qx 'copy 0' v &&
    ok "the desk accepts it: copy 0 signed" || nok "the desk accepts it: $(cat v)"
"$R" verify proof ch2.cbor cred.mdl new.pub >v 2>&1
[ $? -eq 1 ] && grep -qx MINDL_ERR_CHALLENGE v &&
    ok "another challenge: MINDL_ERR_CHALLENGE" || nok "another challenge: $(cat v)"
"$R" verify proof ch.cbor cred.mdl other.pub >v 2>&1
[ $? -eq 1 ] && grep -qx MINDL_ERR_RENEWAL_PROOF v &&
    ok "other new keys: MINDL_ERR_RENEWAL_PROOF" || nok "other new keys: $(cat v)"

# The first copy not presented signs: present copy 1, then copy 2 signs.
"$B/mindl-verifier" request --profile age-21 -o req >/dev/null 2>&1
"$B/mindl-holder" present --yes --no-passphrase --credential cred.mdl --device-key old.key \
    --request req -o resp -q >/dev/null 2>&1 || nok "present"
expect 0 "renew-proof --json after one presentation" renew -o proof2 --json
grep -Eq '^\{"ok":true,"proof":"proof2","copy":2,"copies":3,"new_keys":3,"challenge_expires":[0-9]+\}$' out &&
    ok "--json: one object; the first copy not presented signed" ||
    nok "--json: $(cat out)"
[ ! -s err ] && ok "--json: nothing on stderr" || nok "--json stderr: $(cat err)"
"$R" verify proof2 ch.cbor cred.mdl new.pub >v 2>&1 && grep -qx 'copy 1' v &&
    ok "the desk accepts it: copy 1 signed" || nok "copy 1: $(cat v)"
grep -qx 0 cred.mdl.spent && ok "renew-proof spends no copy" ||
    nok "renew-proof spends no copy: $(cat cred.mdl.spent)"

# Refusals, each leaving nothing behind.
cp proof proof.orig
expect 2 "an existing output is refused" renew -o proof
cmp -s proof proof.orig && ok "the existing proof is intact" || nok "existing proof changed"
expect 0 "--force replaces it" renew -o proof -f
expect 1 "keys not of this credential" "$B/mindl-holder" renew-proof --no-passphrase \
    --credential cred.mdl --device-key other.key --challenge ch.cbor --new-pub new.pub -o p1
[ ! -e p1 ] && grep -q 'MINDL_ERR_NOT_DEVICE_KEY' err && grep -q 'no proof written' err &&
    ok "wrong device key: named, nothing written" || nok "wrong device key: $(cat err)"
expect 1 "renewing onto the old keys" "$B/mindl-holder" renew-proof --no-passphrase \
    --credential cred.mdl --device-key old.key --challenge ch.cbor --new-pub old.pub -o p2
[ ! -e p2 ] && grep -q 'MINDL_ERR_KEY' err && ok "old keys as new: refused, nothing written" ||
    nok "old keys as new: $(cat err)"
expect 1 "private keys as the new public keys" "$B/mindl-holder" renew-proof --no-passphrase \
    --credential cred.mdl --device-key old.key --challenge ch.cbor --new-pub new.key -o p3
[ ! -e p3 ] && grep -q 'give the public keys' err && ok "a private key file: refused" ||
    nok "a private key file: $(cat err)"
expect 1 "an expired challenge" "$B/mindl-holder" renew-proof --no-passphrase \
    --credential cred.mdl --device-key old.key --challenge old.cbor --new-pub new.pub -o p4 --json
[ ! -e p4 ] && grep -q '"error":"MINDL_ERR_CHALLENGE"' out && grep -q 'ask the desk for a new one' out &&
    ok "expired challenge: --json failure object, nothing written" || nok "expired challenge: $(cat out)"
expect 1 "a credential as the challenge" "$B/mindl-holder" renew-proof --no-passphrase \
    --credential cred.mdl --device-key old.key --challenge cred.mdl --new-pub new.pub -o p5
[ ! -e p5 ] && grep -q 'not a renewal challenge' err && ok "wrong file as challenge: said so" ||
    nok "wrong file as challenge: $(cat err)"
expect 1 "the challenge as the credential" "$B/mindl-holder" renew-proof --no-passphrase \
    --credential ch.cbor --device-key old.key --challenge ch.cbor --new-pub new.pub -o p6
[ ! -e p6 ] && ok "wrong file as credential: nothing written" || nok "wrong file as credential"
expect 2 "-o - with --json: usage" renew -o - --json
grep -q '"ok":false' out && ok "usage error: --json failure object" || nok "usage --json: $(cat out)"
expect 2 "without --challenge: usage" "$B/mindl-holder" renew-proof --no-passphrase \
    --credential cred.mdl --device-key old.key --new-pub new.pub -o p7
expect 2 "an unencrypted key without --no-passphrase" "$B/mindl-holder" renew-proof \
    --credential cred.mdl --device-key old.key --challenge ch.cbor --new-pub new.pub -o p8
[ ! -e p7 ] && [ ! -e p8 ] && ok "usage errors: nothing written" || nok "usage errors wrote"
expect 0 "-o -: the proof on stdout" renew -o -
cp out proof.stdout
"$R" verify proof.stdout ch.cbor cred.mdl new.pub >v 2>&1 && grep -qx 'copy 1' v &&
    grep -q '^mindl-holder: proof on stdout: signed' err &&
    ok "-o -: a proof the desk accepts, the line on stderr" || nok "-o -: $(cat v) $(cat err)"
expect 0 "renew-proof --help" "$B/mindl-holder" renew-proof --help
finish
