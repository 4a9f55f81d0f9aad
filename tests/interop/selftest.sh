#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Self-test of the @auth0/mdl interop scripts, independent of the C tools.
#   sh tests/interop/selftest.sh        (needs: node >= 20, openssl, npm ci done)
# Prints "ok N - ..." / "not ok N - ..." lines and a final "N passed, N failed".
# Exit 0 when everything passed, 1 otherwise, 2 when it cannot run.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
VEC=$(cd "$HERE/../vectors/iso18013-5-annex-d" 2>/dev/null && pwd)

command -v node >/dev/null 2>&1 || { echo "selftest: node not found" >&2; exit 2; }
command -v openssl >/dev/null 2>&1 || { echo "selftest: openssl not found" >&2; exit 2; }
if [ ! -d "$HERE/node_modules/@auth0/mdl" ]; then
	echo "selftest: run 'npm ci --no-audit --no-fund' in $HERE first" >&2
	exit 2
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/mindl-interop.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 2

PASS=0
FAIL=0
N=0
ok() { N=$((N + 1)); PASS=$((PASS + 1)); echo "ok $N - $1"; }
notok() { N=$((N + 1)); FAIL=$((FAIL + 1)); echo "not ok $N - $1"; [ -n "${2:-}" ] && sed 's/^/#   /' "$2" | head -20; return 0; }
# expect RC DESC CMD...: run CMD (stdout -> out.json, stderr -> err.txt), compare exit status
expect() {
	want=$1; desc=$2; shift 2
	"$@" >out.json 2>err.txt
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$desc"; return 0; fi
	echo "# exit $rc, wanted $want" >>err.txt
	cat out.json >>err.txt
	notok "$desc" err.txt
	return 1
}
# jcheck DESC EXPR: evaluate a JS expression over j = JSON.parse(out.json)
jcheck() {
	if node -e 'const j = JSON.parse(require("fs").readFileSync("out.json", "utf8"));
		process.exit(('"$2"') ? 0 : 1);' 2>err.txt; then ok "$1"; else cat out.json >>err.txt; notok "$1" err.txt; fi
}
SAME_KEYS='(a, b) => JSON.stringify(Object.keys(a).sort()) === JSON.stringify([...b].sort())'
WANT='["family_name","given_name","portrait","age_over_21"]'
NSJ='j.disclosed["org.iso.18013.5.1"] || {}'

V="node $HERE/verify.mjs"
IP="node $HERE/issue_present.mjs"
MR="node $HERE/make_request.mjs"

# ------------------------------------------------------------------ PKI ---
cat >pki.cnf <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
C = US
ST = US-IL
CN = mindl interop selftest IACA
[v3_iaca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
issuerAltName = URI:https://dmv.example.test/
crlDistributionPoints = URI:https://dmv.example.test/iaca.crl
[v3_ds]
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, 1.0.18013.5.1.2
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
issuerAltName = URI:https://dmv.example.test/
crlDistributionPoints = URI:https://dmv.example.test/iaca.crl
EOF
mkpki() { # PREFIX: PREFIX-iaca.{key,pem}, PREFIX-ds.{key,pem}
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1-iaca.key" &&
	openssl req -x509 -new -key "$1-iaca.key" -sha256 -days 3650 -config pki.cnf \
		-extensions v3_iaca -out "$1-iaca.pem" &&
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1-ds.key" &&
	openssl req -new -key "$1-ds.key" -subj "/C=US/ST=US-IL/CN=mindl interop selftest DS" -out "$1-ds.csr" &&
	openssl x509 -req -in "$1-ds.csr" -CA "$1-iaca.pem" -CAkey "$1-iaca.key" \
		-set_serial "0x$(openssl rand -hex 8)" -days 365 -sha256 \
		-extfile pki.cnf -extensions v3_ds -out "$1-ds.pem" &&
	openssl verify -CAfile "$1-iaca.pem" "$1-ds.pem"
}
if mkpki a >pki.log 2>&1 && mkpki b >>pki.log 2>&1; then ok "openssl IACA + DS (Annex B style) created and chain verifies"
else notok "openssl IACA + DS (Annex B style) created and chain verifies" pki.log; echo "$PASS passed, $FAIL failed"; exit 1; fi

# ------------------------------------------------------- request/issue ---
expect 0 "make_request writes REQ" $MR --elements family_name,given_name,portrait,age_over_21 --profile age-21 --out req.cbor
if [ -f req.cbor ] && [ "$(ls -l req.cbor.key 2>/dev/null | cut -c1-10)" = "-rw-------" ]; then ok "REQ.key exists with mode 0600"
else ls -l req.cbor* >err.txt 2>&1; notok "REQ.key exists with mode 0600" err.txt; fi
expect 0 "make_request writes a second, unrelated REQ" $MR --elements family_name,given_name,portrait,age_over_21 --profile age-21 --out req2.cbor

expect 0 "issue_present --auth mac" $IP --ds-key a-ds.key --ds-cert a-ds.pem --request req.cbor --out resp-mac.cbor
expect 0 "issue_present --auth signature" $IP --ds-key a-ds.key --ds-cert a-ds.pem --request req.cbor --out resp-sig.cbor --auth signature
if [ -s resp-mac.cbor.st ] && [ -s resp-sig.cbor.st ]; then ok "RESP.st written next to RESP"; else notok "RESP.st written next to RESP"; fi

# ------------------------------------------------------------- verify ---
expect 0 "verify mac response (envelope mode)" $V --trust a-iaca.pem --request req.cbor --response resp-mac.cbor --reader-key req.cbor.key
jcheck "mac: valid, deviceMac, exactly the requested elements disclosed" \
	"j.valid === true && j.error === null && j.deviceAuth === 'mac' && ($SAME_KEYS)($NSJ, $WANT) && Object.keys(j.disclosed).length === 1"
jcheck "mac: portrait reported as {bytes: N}, values decoded" \
	"typeof ($NSJ).portrait.bytes === 'number' && ($NSJ).age_over_21 === true && ($NSJ).family_name === 'INTEROPTEST'"
expect 0 "verify signature response (envelope mode)" $V --trust a-iaca.pem --request req.cbor --response resp-sig.cbor --reader-key req.cbor.key
jcheck "signature: valid, deviceSignature, exactly the requested elements disclosed" \
	"j.valid === true && j.deviceAuth === 'signature' && ($SAME_KEYS)($NSJ, $WANT)"

# Bare DeviceResponse + RESP.st (--transcript mode)
extract() { # ENVELOPE OUT: write the deviceResponse bytes as embedded
	node --input-type=module -e "
		import fs from 'node:fs';
		import { cborMapRawEntries } from '$HERE/lib.mjs';
		fs.writeFileSync('$2', cborMapRawEntries(fs.readFileSync('$1')).deviceResponse);"
}
extract resp-mac.cbor dr-mac.cbor && extract resp-sig.cbor dr-sig.cbor
expect 0 "verify mac response (--transcript RESP.st --reader-key PEM)" $V --trust a-iaca.pem --transcript resp-mac.cbor.st --device-response dr-mac.cbor --reader-key req.cbor.key
expect 0 "verify signature response (--transcript, no reader key)" $V --trust a-iaca.pem --transcript resp-sig.cbor.st --device-response dr-sig.cbor
expect 1 "mac response without the reader key is invalid" $V --trust a-iaca.pem --transcript resp-mac.cbor.st --device-response dr-mac.cbor
jcheck "invalid result discloses nothing" "j.valid === false && typeof j.error === 'string' && Object.keys(j.disclosed).length === 0"

# ------------------------------------------------------------ negative ---
tamper() { # IN OUT: change one byte of the family_name value "INTEROPTEST"
	node -e '
		const fs = require("fs");
		const b = fs.readFileSync(process.argv[1]);
		const i = b.indexOf(Buffer.from("INTEROPTEST"));
		if (i < 0 || b.indexOf(Buffer.from("INTEROPTEST"), i + 1) >= 0) process.exit(3);
		b[i + 10] ^= 0x01; // ...TEST -> ...TESU
		fs.writeFileSync(process.argv[2], b);' "$1" "$2"
}
if tamper resp-mac.cbor bad-mac.cbor && tamper resp-sig.cbor bad-sig.cbor; then
	expect 1 "tampered element value (mac response) is rejected" $V --trust a-iaca.pem --request req.cbor --response bad-mac.cbor --reader-key req.cbor.key
	jcheck "tamper detected as a digest mismatch" "/ATTRIBUTE_DIGEST_MATCH/.test(j.error)"
	expect 1 "tampered element value (signature response) is rejected" $V --trust a-iaca.pem --request req.cbor --response bad-sig.cbor
else notok "tamper: element value found exactly once"; fi
expect 1 "mac response replayed against another request is rejected" $V --trust a-iaca.pem --request req2.cbor --response resp-mac.cbor --reader-key req2.cbor.key
expect 1 "signature response replayed against another request is rejected" $V --trust a-iaca.pem --request req2.cbor --response resp-sig.cbor
expect 1 "response under an untrusted IACA is rejected" $V --trust b-iaca.pem --request req.cbor --response resp-mac.cbor --reader-key req.cbor.key
LATER=$(node -e 'console.log(new Date(Date.now() + 60 * 86400e3).toISOString().replace(/\.\d+Z$/, "Z"))')
expect 1 "--at after validUntil (now + 60 days) is rejected" $V --trust a-iaca.pem --request req.cbor --response resp-mac.cbor --at "$LATER"
jcheck "... as an MSO validity failure" "/MSO_VALIDITY_AT_VERIFICATION_TIME/.test(j.error)"
expect 2 "usage error exits 2" $V --trust a-iaca.pem --request req.cbor
expect 2 "reader key not matching the request's eReaderKey is a usage error" $V --trust a-iaca.pem --request req.cbor --response resp-mac.cbor --reader-key req2.cbor.key

# --------------------------------------------------- ISO 18013-5 Annex D ---
if [ -n "$VEC" ] && [ -f "$VEC/annexD_D.4.1.2_device_response.hex" ]; then
	AD="--trust $VEC/annexD_iaca_root.pem --device-response $VEC/annexD_D.4.1.2_device_response.hex --reader-key $VEC/annexD_ephemeral_reader_key.json"
	expect 0 "Annex D DeviceResponse verifies at 2021-01-01T00:00:00Z" $V $AD --transcript "$VEC/annexD_D.5.1_session_transcript_bytes.hex" --at 2021-01-01T00:00:00Z
	jcheck "Annex D: deviceMac, 6 elements disclosed" \
		"j.valid && j.deviceAuth === 'mac' && Object.keys($NSJ).length === 6 && ($NSJ).family_name === 'Doe'"
	expect 1 "Annex D DeviceResponse is expired now" $V $AD --transcript "$VEC/annexD_D.5.1_session_transcript_bytes.hex"
	# bare SessionTranscript (without the outer #6.24 bstr) is accepted and wrapped
	node -e '
		const fs = require("fs");
		const b = Buffer.from(fs.readFileSync(process.argv[1], "utf8").trim(), "hex");
		const h = b[2], off = h === 0x59 ? 5 : h === 0x58 ? 4 : 3;
		fs.writeFileSync("st-bare.bin", b.subarray(off));
		const t = Buffer.from(b); t[t.length - 1] ^= 0x01; fs.writeFileSync("st-bad.bin", t);' \
		"$VEC/annexD_D.5.1_session_transcript_bytes.hex"
	expect 0 "Annex D with a bare SessionTranscript array (wrapped by verify.mjs)" $V $AD --transcript st-bare.bin --at 2021-01-01T00:00:00Z
	jcheck "... reported as transcriptWrapped" "j.valid && j.transcriptWrapped === true"
	expect 1 "Annex D with one transcript byte changed is rejected" $V $AD --transcript st-bad.bin --at 2021-01-01T00:00:00Z
else
	notok "Annex D vectors not found in tests/vectors/iso18013-5-annex-d"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
