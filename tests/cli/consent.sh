#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The holder's consent prompt on a pseudo-terminal (build/tests/consent):
# mindl-holder present without --yes shows who asks, the profile, each
# element and whether the verifier keeps it, on the terminal, and asks.
# "n", end of input, or no terminal at all: no response file, no copy
# spent.  "y": the response.  And a signed request: the reader's name is
# shown, escaped.  Tools come from $MINDL_BIN (default bin).
set -u
top=$(pwd)
B=$top/${MINDL_BIN:-bin}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

P=
case ${MINDL_BIN:-bin} in
*/bin) cands="$top/${MINDL_BIN%/bin}/tests/consent $top/build/tests/consent" ;;
*) cands="$top/build/tests/consent" ;;
esac
for c in $cands; do
	if [ -x "$c" ]; then P=$c; break; fi
done
[ -n "$P" ] || { nok "consent not built (make build/tests/consent)"; finish; }

d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-consent.XXXXXX")
trap 'rm -rf "$d"' EXIT
cd "$d" || exit 1
. "$top/tests/common/reader.sh"
"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "Consent IACA" \
    --issuer-alt mailto:iaca@ss.dmv.invalid --out-key iaca.key \
    --out-cert iaca.pem >/dev/null &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key \
    --iaca-cert iaca.pem --out-key ds.key --out-cert ds.pem >/dev/null &&
"$B/mindl-holder" keygen --no-passphrase --count 4 --out-key dev.key --out-pub dev.pub &&
"$B/mindl-issuer" issue --no-passphrase --sample-policy \
    --record "$top/schemas/samples/sample-record.json" \
    --portrait "$top/schemas/samples/portrait.jpg" --ds-key ds.key \
    --ds-cert ds.pem --device-pub dev.pub -o cred >/dev/null &&
"$B/mindl-verifier" request --profile age-21 -o a.req >/dev/null ||
    { nok "set-up"; finish; }

present() { # ANSWER OUT [ARGS...]
	_a=$1 _o=$2
	shift 2
	"$P" "$_a" tty.txt "$B/mindl-holder" present --no-passphrase \
	    --credential cred --device-key dev.key -o "$_o" "$@"
}

# Declined: "n" is a no, and nothing is written or spent.
present n n.resp --request a.req
rc=$?
if [ "$rc" -eq 1 ] && [ ! -e n.resp ] && [ ! -e cred.spent ] &&
    grep -q "Verifier: unknown (unsigned request)" tty.txt &&
    grep -q "Asks as: age-21" tty.txt &&
    grep -q "share    age_over_21 (not kept)" tty.txt &&
    grep -q "Release the 2 shared elements? \[y/N\]" tty.txt &&
    grep -q "Declined: nothing released" tty.txt; then
	ok "declining on the terminal writes no response and spends no copy"
else
	nok "declined (exit $rc): $(cat tty.txt)"
fi
# End of input is a no.
present - eof.resp --request a.req
rc=$?
[ "$rc" -eq 1 ] && [ ! -e eof.resp ] && [ ! -e cred.spent ] &&
    ok "end of input at the prompt releases nothing" ||
    nok "end of input (exit $rc): $(cat tty.txt)"
# Anything but y or yes is a no.
present "sure" s.resp --request a.req
rc=$?
[ "$rc" -eq 1 ] && [ ! -e s.resp ] &&
    ok "an answer other than y or yes releases nothing" ||
    nok "other answer (exit $rc)"
# No terminal at all (setsid: none, even when the suite runs on one):
# refused, never released.
setsid "$B/mindl-holder" present --no-passphrase --credential cred \
    --device-key dev.key --request a.req -o nt.resp </dev/null >out 2>err
rc=$?
[ "$rc" -eq 1 ] && [ ! -e nt.resp ] && grep -q MINDL_ERR_DECLINED err &&
    ok "no terminal to ask: MINDL_ERR_DECLINED, nothing written" ||
    nok "no terminal (exit $rc): $(cat err)"
# Yes: the response, and a copy spent.
present y y.resp --request a.req
rc=$?
[ "$rc" -eq 0 ] && [ -s y.resp ] && [ -s cred.spent ] &&
    ok "yes on the terminal writes the response" ||
    nok "yes (exit $rc): $(cat tty.txt)"

# A signed request: the reader's name, escaped, and the profile.  mindl-keys
# refuses control characters in a name, so this reader's certificate is
# made with openssl: the reader CA could be anyone's.
reader_setup "$B" . &&
openssl ecparam -name prime256v1 -genkey -noout -out pd.sec 2>/dev/null &&
openssl pkcs8 -topk8 -nocrypt -in pd.sec -out pd.key &&
openssl req -new -key pd.key -subj "/CN=$(printf 'Springfield\033[2J PD')" \
    -out pd.csr 2>/dev/null &&
printf '%s\n' 'keyUsage=critical,digitalSignature' \
    'extendedKeyUsage=critical,1.0.18013.5.1.6' \
    'subjectKeyIdentifier=hash' 'authorityKeyIdentifier=keyid' \
    '2.25.256942022426772322938156655424109185414=DER:300e0c0c747261666669632d73746f70' \
    >pd.ext &&
openssl x509 -req -in pd.csr -CA rca.pem -CAkey rca.key -CAcreateserial \
    -days 30 -sha256 -extfile pd.ext -out pd.pem 2>/dev/null &&
"$B/mindl-holder" engage -o ts.de >/dev/null &&
"$B/mindl-verifier" request --profile traffic-stop -o ts.req \
    --reader-key pd.key --reader-cert pd.pem --engagement ts.de \
    --no-passphrase >/dev/null || nok "signed request set-up"
present n ts.resp --request ts.req --reader-trust rca.pem --engagement ts.de
rc=$?
if [ "$rc" -eq 1 ] && [ ! -e ts.resp ] &&
    grep -q 'Verifier: "Springfield\\x1b\[2J PD" (certified reader)' tty.txt &&
    ! grep -q "$(printf '\033')" tty.txt &&
    grep -q "Asks as: traffic-stop" tty.txt &&
    grep -q "share    document_number (not kept)" tty.txt; then
	ok "a signed request: the reader's name, escaped, and its profile"
else
	nok "signed request on the terminal (exit $rc): $(cat -v tty.txt)"
fi
[ -e ts.de ] && ok "a declined session keeps its engagement" ||
    nok "declined: engagement removed"
present y ts.resp --request ts.req --reader-trust rca.pem --engagement ts.de
rc=$?
[ "$rc" -eq 0 ] && [ -s ts.resp ] && [ ! -e ts.de ] &&
    "$B/mindl-verifier" verify --trust iaca.pem --request ts.req \
    --response ts.resp >/dev/null 2>&1 &&
    ok "consent given: the response verifies, the engagement is used up" ||
    nok "signed yes (exit $rc): $(cat -v tty.txt)"
finish
