#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Interoperability with @owf/mdoc (tests/interop/owf.mjs), both
# directions, with and without reader authentication:
#  1. @owf/mdoc verifies mindl's responses (age-21 unsigned, traffic-stop
#     to a signed request) and refuses a tampered one;
#  2. mindl-verifier verifies @owf/mdoc's responses to mindl's requests;
#  3. readerAuth made by mindl-verifier is checked by @owf/mdoc's Holder
#     over the holder's session (and fails over another);
#  4. readerAuth made by @owf/mdoc is checked by mindl-holder against the
#     reader CA, which then answers.
# deviceSignature throughout: @owf/mdoc 0.6.0's deviceMac does not follow
# RFC 9052 (README.md says how); mindl refuses it.
# Run from the repository root; tools in $MINDL_BIN (default bin).
set -u
top=$(pwd)
B=$top/${MINDL_BIN:-bin}
here=$top/tests/interop
O="node $here/owf.mjs"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }

sh "$here/setup.sh" || {
	echo "not ok - npm ci in tests/interop failed"
	echo "0 passed, 1 failed"
	exit 1
}
d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-owf.XXXXXX")
trap 'rm -rf "$d"' EXIT INT TERM
cd "$d" || exit 1
. "$top/tests/common/reader.sh"

"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "OWF IACA" \
    --issuer-alt mailto:iaca@ss.dmv.invalid --out-key iaca.key \
    --out-cert iaca.pem >/dev/null &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key \
    --iaca-cert iaca.pem --out-key ds.key --out-cert ds.pem >/dev/null &&
"$B/mindl-holder" keygen --no-passphrase --count 8 --out-key dev.key --out-pub dev.pub &&
"$B/mindl-issuer" issue --no-passphrase --sample-policy \
    --record "$top/schemas/samples/sample-record.json" \
    --portrait "$top/schemas/samples/portrait.jpg" --ds-key ds.key \
    --ds-cert ds.pem --device-pub dev.pub -o cred >/dev/null &&
reader_setup "$B" . ||
    { nok "set-up"; echo "$pass passed, $fail failed"; exit 1; }

hpresent() { # REQ RESP [ARGS...]
	_q=$1 _r=$2
	shift 2
	"$B/mindl-holder" present --yes -q --no-passphrase --credential cred \
	    --device-key dev.key --request "$_q" -o "$_r" --auth signature "$@"
}

# 1. @owf/mdoc verifies mindl: unsigned age-21, signed traffic-stop.
"$B/mindl-verifier" request --profile age-21 -o a.req >/dev/null &&
hpresent a.req a.resp &&
$O verify --trust iaca.pem --request a.req --response a.resp >out 2>err &&
grep -q '"valid":true' out && grep -q '"age_over_21":true' out &&
    ok "@owf/mdoc verifies mindl's age-21 response (unsigned request)" ||
    nok "@owf/mdoc verifies mindl's age-21 response: $(cat out err)"
signed_request "$B" . traffic-stop ts.req >/dev/null &&
cp ts.req.de ts.de.keep &&
hpresent ts.req ts.resp --reader-trust rca.pem --engagement ts.req.de &&
$O verify --trust iaca.pem --request ts.req --response ts.resp >out 2>err &&
grep -q '"valid":true' out && grep -q '"document_number":"SS7Q4M2K9X"' out &&
    ! grep -q birth_date out &&
    ok "@owf/mdoc verifies mindl's traffic-stop response to a signed request" ||
    nok "@owf/mdoc verifies mindl's traffic-stop response: $(cat out err)"
off=$(grep -boa 'Rivera' ts.resp | head -n 1 | cut -d: -f1)
cp ts.resp t.resp
[ -n "$off" ] && printf 'X' | dd of=t.resp bs=1 seek="$off" conv=notrunc 2>/dev/null
if [ -n "$off" ] && ! $O verify --trust iaca.pem --request ts.req \
    --response t.resp >out 2>&1 && grep -q '"valid":false' out; then
	ok "@owf/mdoc refuses a tampered mindl response"
else
	nok "@owf/mdoc refuses a tampered mindl response: $(cat out)"
fi

# 2. mindl verifies @owf/mdoc: its issuance under mindl's DS, its answer.
"$B/mindl-verifier" request --profile age-21 -o o.req >/dev/null &&
$O present --ds-key ds.key --ds-cert ds.pem --request o.req --out o.resp \
    --auth signature >/dev/null 2>err &&
"$B/mindl-verifier" verify --trust iaca.pem --request o.req --response o.resp \
    --json >out 2>>err &&
grep -q '"valid":true' out && grep -q '"age_over_21":true' out &&
grep -q '"device_auth":"signature"' out &&
    ok "mindl verifies @owf/mdoc's response (deviceSignature)" ||
    nok "mindl verifies @owf/mdoc's response: $(cat out err)"
# deviceMac: @owf/mdoc 0.6.0 leaves external_aad out of MAC_structure.
$O present --ds-key ds.key --ds-cert ds.pem --request o.req --out om.resp \
    --auth mac >/dev/null 2>&1
"$B/mindl-verifier" verify --trust iaca.pem --request o.req --response om.resp \
    --json >out 2>/dev/null
grep -q '"error":"MINDL_ERR_DEVICE_AUTH"' out &&
    ok "mindl refuses @owf/mdoc's deviceMac (MAC_structure without external_aad)" ||
    nok "@owf/mdoc deviceMac: $(cat out)"

# 3. mindl's readerAuth, checked by @owf/mdoc over the holder's session.
signed_request "$B" . age-21 r3.req >/dev/null &&
$O check-request --request r3.req --engagement r3.req.de >out 2>&1 &&
grep -q '"readerAuth":"PASSED"' out &&
    ok "@owf/mdoc verifies mindl's readerAuth" ||
    nok "@owf/mdoc verifies mindl's readerAuth: $(cat out)"
"$B/mindl-holder" engage -o other.de >/dev/null
if ! $O check-request --request r3.req --engagement other.de >out 2>&1 &&
    grep -q '"readerAuth":"FAILED"' out; then
	ok "@owf/mdoc refuses mindl's readerAuth over another session"
else
	nok "@owf/mdoc over another session: $(cat out)"
fi
# @owf/mdoc as the holder: checks the signature, then answers; mindl verifies.
$O present --ds-key ds.key --ds-cert ds.pem --request r3.req --out r3.resp \
    --auth signature --engagement r3.req.de --reader-check >/dev/null 2>err &&
"$B/mindl-verifier" verify --trust iaca.pem --request r3.req --response r3.resp \
    >/dev/null 2>>err &&
    ok "@owf/mdoc checks mindl's readerAuth, answers, and mindl verifies" ||
    nok "@owf/mdoc holder with readerAuth: $(cat err)"

# 4. @owf/mdoc's readerAuth, checked by mindl-holder.  (Its Verifier
# counts a withheld element as a mismatch with the request, so mindl's
# verifier checks the answer.)
"$B/mindl-holder" engage -o o4.de >/dev/null &&
cp o4.de o4.keep &&
$O request --profile traffic-stop \
    --elements family_name,given_name,portrait,driving_privileges,expiry_date,document_number,birth_date \
    --out o4.req --reader-key rd.key --reader-cert rd.pem --engagement o4.de \
    >/dev/null 2>err &&
"$B/mindl-holder" present --yes --no-passphrase --credential cred \
    --device-key dev.key --request o4.req -o o4.resp --auth signature \
    --reader-trust rca.pem --engagement o4.de >out 2>>err &&
grep -q 'verifier: "Test reader" (certified reader)' err &&
grep -q 'WITHHELD birth_date' err &&
"$B/mindl-verifier" verify --trust iaca.pem --request o4.req --response o4.resp \
    --json >out 2>>err &&
grep -q '"valid":true' out && grep -q '"dropped":0' out &&
! grep -q birth_date out &&
    ok "mindl-holder verifies @owf/mdoc's readerAuth and answers within the profile" ||
    nok "mindl-holder with @owf/mdoc's readerAuth: $(cat out err)"
# Over another session (the holder's engagement is another): refused.
"$B/mindl-holder" engage -o o5.de >/dev/null
"$B/mindl-holder" present --yes --no-passphrase --credential cred \
    --device-key dev.key --request o4.req -o o5.resp --auth signature \
    --reader-trust rca.pem --engagement o5.de >out 2>err
rc=$?
[ "$rc" -eq 1 ] && [ ! -e o5.resp ] && grep -q MINDL_ERR_READER_AUTH err &&
    ok "mindl-holder refuses @owf/mdoc's readerAuth over another session" ||
    nok "another session (exit $rc): $(cat err)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
