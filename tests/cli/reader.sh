#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Reader certificates and signed requests through the tools: mindl-keys
# reader-ca and reader, mindl-verifier request --reader-key, and what
# mindl-holder present releases to whom, each refusal with its named
# error, a message that says why, and nothing written.  Tools come from
# $MINDL_BIN (default bin).
set -u
top=$(pwd)
B=$top/${MINDL_BIN:-bin}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }

d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-reader.XXXXXX")
trap 'rm -rf "$d"' EXIT
cd "$d" || exit 1
. "$top/tests/common/reader.sh"

"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "Reader IACA" \
    --issuer-alt mailto:iaca@ss.dmv.invalid --out-key iaca.key \
    --out-cert iaca.pem >/dev/null &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key \
    --iaca-cert iaca.pem --out-key ds.key --out-cert ds.pem >/dev/null &&
"$B/mindl-holder" keygen --no-passphrase --count 16 --out-key dev.key --out-pub dev.pub &&
"$B/mindl-issuer" issue --no-passphrase --sample-policy \
    --record "$top/schemas/samples/sample-record.json" \
    --portrait "$top/schemas/samples/portrait.jpg" --ds-key ds.key \
    --ds-cert ds.pem --device-pub dev.pub -o cred >/dev/null &&
reader_setup "$B" . || { nok "set-up"; echo "$pass passed, $fail failed"; exit 1; }

# mindl-keys
"$B/mindl-keys" reader --no-passphrase --ca-no-passphrase --ca-key rca.key \
    --ca-cert rca.pem --profile traffic-stop --name "Springfield PD" \
    --out-key pd.key --out-cert pd.pem --json >out 2>err &&
"$B/mindl-keys" show pd.pem >show 2>&1 &&
grep -q "^role reader$" show && grep -q "^profiles traffic-stop$" show &&
grep -q "subject C = US, ST = US-SS, CN = Springfield PD" show &&
openssl x509 -in pd.pem -noout -text | grep -q "1.0.18013.5.1.6" &&
    ok "reader: EKU 1.0.18013.5.1.6, the verifier's name and its profiles" ||
    nok "reader: $(cat out err show)"
nb=$(openssl x509 -in pd.pem -noout -startdate | cut -d= -f2)
na=$(openssl x509 -in pd.pem -noout -enddate | cut -d= -f2)
days=$(( ($(date -u -d "$na" +%s) - $(date -u -d "$nb" +%s)) / 86400 ))
[ "$days" -eq 90 ] && ok "reader: 90 days by default" || nok "reader: $days days"
"$B/mindl-keys" reader --no-passphrase --ca-no-passphrase --ca-key rca.key \
    --ca-cert rca.pem --profile traffic-stop --name X --days 366 \
    --out-key x.key --out-cert x.pem >out 2>err
rc=$?
[ "$rc" -eq 2 ] && [ ! -e x.key ] && [ ! -e x.pem ] && grep -q "1 to 365 days" err &&
    ok "reader --days 366: refused, nothing written" || nok "--days 366 (exit $rc): $(cat err)"
"$B/mindl-keys" reader --no-passphrase --ca-no-passphrase --ca-key rca.key \
    --ca-cert rca.pem --profile traffic-stop,no-such --name X \
    --out-key x.key --out-cert x.pem >out 2>err
rc=$?
[ "$rc" -eq 2 ] && [ ! -e x.key ] && grep -q 'unknown profile "no-such"' err &&
    ok "reader --profile with an unknown id: usage error" || nok "unknown profile (exit $rc): $(cat err)"

# mindl-verifier request: only what the certificate allows, with its key.
"$B/mindl-holder" engage -o e.de >/dev/null
"$B/mindl-verifier" request --profile identity -o id.req --reader-key pd.key \
    --reader-cert pd.pem --engagement e.de --no-passphrase >out 2>err
rc=$?
[ "$rc" -eq 1 ] && [ ! -e id.req ] && [ ! -e id.req.key ] &&
    grep -q "does not allow profile identity" err &&
    grep -q MINDL_ERR_READER_NOT_AUTHORISED err &&
    ok "request for a profile the certificate does not list: refused, nothing written" ||
    nok "request not authorised (exit $rc): $(cat err)"
"$B/mindl-verifier" request --profile traffic-stop -o k.req --reader-key rd.key \
    --reader-cert pd.pem --engagement e.de --no-passphrase >out 2>err
rc=$?
[ "$rc" -eq 1 ] && [ ! -e k.req ] && grep -q MINDL_ERR_KEY_MISMATCH err &&
    ok "request with another reader's key: refused" || nok "key mismatch (exit $rc): $(cat err)"
"$B/mindl-verifier" request --profile traffic-stop -o k.req --reader-key pd.key \
    --no-passphrase >out 2>err
[ $? -eq 2 ] && [ ! -e k.req ] && ok "--reader-key without --reader-cert and --engagement: usage" ||
    nok "partial reader options: $(cat err)"

present() { # REQ RESP [ARGS...]
	_q=$1 _r=$2
	shift 2
	"$B/mindl-holder" present --yes --no-passphrase --credential cred \
	    --device-key dev.key --request "$_q" -o "$_r" "$@" >out 2>err
}

# Traffic stop, signed: its profile; the holder is told who asked.
"$B/mindl-verifier" request --profile traffic-stop -o ts.req --reader-key pd.key \
    --reader-cert pd.pem --engagement e.de --no-passphrase --json >out 2>err &&
grep -q '"signed":true' out &&
cp e.de e.keep &&
present ts.req ts.resp --reader-trust rca.pem --engagement e.de &&
grep -q 'verifier: "Springfield PD" (certified reader)' err &&
grep -q 'released 6' err && [ ! -e e.de ] &&
"$B/mindl-verifier" verify --trust iaca.pem --request ts.req --response ts.resp \
    --json >out 2>/dev/null && grep -q '"valid":true' out &&
! grep -q '"birth_date"\|resident_address' out &&
    ok "signed traffic-stop request: released, the reader named, the engagement used up" ||
    nok "signed traffic-stop: $(cat out err)"

# The same request again: its engagement is gone from this session.
cp e.keep e2.de
"$B/mindl-holder" engage -f -o e2.de >/dev/null
present ts.req r.resp --reader-trust rca.pem --engagement e2.de
rc=$?
[ "$rc" -eq 1 ] && [ ! -e r.resp ] && grep -q MINDL_ERR_READER_AUTH err &&
    grep -q "does not cover this session" err && grep -q "nothing released" err &&
    ok "a signed request over another session gets nothing (MINDL_ERR_READER_AUTH)" ||
    nok "other session (exit $rc): $(cat err)"
present ts.req r.resp --reader-trust rca.pem
rc=$?
[ "$rc" -eq 1 ] && [ ! -e r.resp ] && grep -q "no --engagement" err &&
    ok "a signed request without the holder's engagement gets nothing" ||
    nok "no engagement (exit $rc): $(cat err)"

# Revoked by removal, or never trusted: another CA in --reader-trust.
"$B/mindl-keys" reader-ca --no-passphrase --country US --state SS --name "Other CA" \
    --issuer-alt mailto:x@ss.dmv.invalid --out-key oca.key --out-cert oca.pem >/dev/null
cp e.keep e3.de
present ts.req r.resp --reader-trust oca.pem --engagement e3.de
rc=$?
[ "$rc" -eq 1 ] && [ ! -e r.resp ] && grep -q MINDL_ERR_UNTRUSTED err &&
    grep -q "not from a reader CA in --reader-trust" err &&
    ok "a reader whose CA the holder removed gets nothing (MINDL_ERR_UNTRUSTED)" ||
    nok "untrusted (exit $rc): $(cat err)"

# Wrong EKU: a certificate under the reader CA with the DS EKU instead.
openssl ecparam -name prime256v1 -genkey -noout -out w.sec 2>/dev/null &&
openssl pkcs8 -topk8 -nocrypt -in w.sec -out w.key &&
openssl req -new -key w.key -subj "/C=US/ST=US-SS/CN=Wrong EKU" -out w.csr 2>/dev/null &&
printf '%s\n' 'keyUsage=critical,digitalSignature' \
    'extendedKeyUsage=critical,1.0.18013.5.1.2' \
    'subjectKeyIdentifier=hash' 'authorityKeyIdentifier=keyid' \
    '2.25.256942022426772322938156655424109185414=DER:300e0c0c747261666669632d73746f70' \
    >w.ext &&
openssl x509 -req -in w.csr -CA rca.pem -CAkey rca.key -CAcreateserial \
    -days 30 -sha256 -extfile w.ext -out w.pem 2>/dev/null &&
"$B/mindl-holder" engage -o w.de >/dev/null &&
"$B/mindl-verifier" request --profile traffic-stop -o w.req --reader-key w.key \
    --reader-cert w.pem --engagement w.de --no-passphrase >/dev/null 2>&1
present w.req w.resp --reader-trust rca.pem --engagement w.de
rc=$?
[ "$rc" -eq 1 ] && [ ! -e w.resp ] && grep -q MINDL_ERR_CERT_PROFILE err &&
    grep -q "EKU 1.0.18013.5.1.6" err &&
    ok "a certificate without the reader EKU gets nothing (MINDL_ERR_CERT_PROFILE)" ||
    nok "wrong EKU (exit $rc): $(cat err)"

# Unsigned: age-18 and age-21 only; --signed-only not even those.
"$B/mindl-verifier" request --profile traffic-stop -o u.req >/dev/null
present u.req u.resp
rc=$?
[ "$rc" -eq 1 ] && [ ! -e u.resp ] && grep -q MINDL_ERR_READER_REQUIRED err &&
    grep -q "may ask only for age-18 or age-21" err &&
    ok "an unsigned traffic-stop request gets nothing (MINDL_ERR_READER_REQUIRED)" ||
    nok "unsigned traffic-stop (exit $rc): $(cat err)"
"$B/mindl-verifier" request --profile age-21 -o a.req >/dev/null
present a.req a.resp && grep -q "verifier: unknown (unsigned request)" err &&
    ok "an unsigned age-21 request is answered" || nok "unsigned age-21: $(cat err)"
present a.req a2.resp --signed-only
rc=$?
[ "$rc" -eq 1 ] && [ ! -e a2.resp ] && grep -q "(--signed-only)" err &&
    ok "--signed-only: an unsigned age-21 request gets nothing" ||
    nok "--signed-only (exit $rc): $(cat err)"
# A signed request checked without --reader-trust counts as unsigned.
present ts.req ts2.resp --engagement e.keep
rc=$?
[ "$rc" -eq 1 ] && grep -q "treated as unsigned" err &&
    grep -q MINDL_ERR_READER_REQUIRED err &&
    ok "a signed request the holder cannot check counts as unsigned" ||
    nok "no --reader-trust (exit $rc): $(cat err)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
