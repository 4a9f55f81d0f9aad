#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make demo: the whole job end to end on built-in sample data, in a fresh
# temporary directory: a DMV key ceremony, a registry that holds no
# personal data, issuance from a sample record, two verifiers (a bar
# checking age 21, a traffic stop) certified by the DMV's reader CA, each
# signing its request and seeing only what its profile allows, offline, the bar turning away a genuine licence of a holder
# under 21, a printed age-21 QR code scanned at the bar, a revocation seen
# through a published status list, and a renewal without the record.
set -eu
B=${MINDL_BIN:-bin}
top=$(pwd)
d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-demo.XXXXXX")
cd "$d"
step() { printf '\n== %s\n' "$*"; }

step "DMV key officer: IACA root and document signer (Annex B profiles)"
"$top/$B/mindl-keys" iaca --no-passphrase --country US --state SS \
    --name "Sample State DMV IACA" --out-key iaca.key --out-cert iaca.pem
"$top/$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key --iaca-cert iaca.pem \
    --out-key ds.key --out-cert ds.pem
openssl verify -CAfile iaca.pem ds.pem
"$top/$B/mindl-keys" status-signer --no-passphrase --iaca-no-passphrase --iaca-key iaca.key \
    --iaca-cert iaca.pem --out-key status.key --out-cert status.pem

step "DMV: a reader CA, and verifiers certified for what they may ask"
"$top/$B/mindl-keys" reader-ca --no-passphrase --country US --state SS \
    --name "Sample State DMV reader CA" --issuer-alt https://dmv.example/readers \
    --out-key reader-ca.key --out-cert reader-ca.pem
"$top/$B/mindl-keys" reader --no-passphrase --ca-no-passphrase \
    --ca-key reader-ca.key --ca-cert reader-ca.pem --profile age-21 \
    --name "The Corner Bar" --out-key age-21.rkey --out-cert age-21.rcert
"$top/$B/mindl-keys" reader --no-passphrase --ca-no-passphrase \
    --ca-key reader-ca.key --ca-cert reader-ca.pem --profile traffic-stop \
    --name "Sample State Police" --out-key traffic-stop.rkey \
    --out-cert traffic-stop.rcert

step "DMV: a registry with no personal data (revocation by status list)"
"$top/$B/mindl-issuer" init --registry registry.db \
    --status-uri https://dmv.example/status/1 --operator demo

step "Holder: device key on the phone"
"$top/$B/mindl-holder" keygen --no-passphrase --count 4 --out-key device.key --out-pub device.pub

step "DMV desk: issue from the DMV record (no lawful-status field exists)"
"$top/$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$top/schemas/samples/sample-record.json" \
    --portrait "$top/schemas/samples/portrait.jpg" \
    --ds-key ds.key --ds-cert ds.pem --device-pub device.pub -o licence.mdl \
    --registry registry.db --operator demo
ls -l licence.mdl
"$top/$B/mindl-issuer" check --registry registry.db

step "The desk refuses a record carrying a lawful-status proxy"
if "$top/$B/mindl-issuer" issue --no-passphrase --sample-policy \
    --record "$top/schemas/samples/forbidden-dhs.json" \
    --portrait "$top/schemas/samples/portrait.jpg" --ds-key ds.key \
    --ds-cert ds.pem --device-pub device.pub -o refused.mdl; then
	echo "demo: the forbidden record was accepted" >&2
	exit 1
fi
[ ! -e refused.mdl ] && echo "(refused, nothing written)"

for profile in age-21 traffic-stop; do
	step "Verifier ($profile): holder engages -> signed request -> holder checks the reader, presents -> verify offline"
	"$top/$B/mindl-holder" engage -o "$profile.de"
	"$top/$B/mindl-verifier" request --profile "$profile" -o "$profile.req" \
	    --reader-key "$profile.rkey" --reader-cert "$profile.rcert" \
	    --engagement "$profile.de" --no-passphrase
	"$top/$B/mindl-holder" present --yes --no-passphrase --credential licence.mdl \
	    --device-key device.key --request "$profile.req" \
	    --reader-trust reader-ca.pem --engagement "$profile.de" \
	    -o "$profile.resp"
	"$top/$B/mindl-verifier" verify --trust iaca.pem \
	    --request "$profile.req" --response "$profile.resp"
done

step "The bar again, a 19-year-old: a genuine licence, but not over 21"
sed -e 's/"birth_date": "[0-9-]*"/"birth_date": "'"$(($(date -u +%Y) - 19))"'-01-01"/' \
    -e 's/SS7Q4M2K9X/SS5Y0UNG19/' "$top/schemas/samples/sample-record.json" >young.json
"$top/$B/mindl-holder" keygen --no-passphrase --count 4 --out-key young.key --out-pub young.pub
"$top/$B/mindl-issuer" issue --no-passphrase --sample-policy --record young.json \
    --portrait "$top/schemas/samples/portrait.jpg" \
    --ds-key ds.key --ds-cert ds.pem --device-pub young.pub -o young.mdl \
    --registry registry.db --operator demo
"$top/$B/mindl-holder" engage -o young.de
"$top/$B/mindl-verifier" request --profile age-21 -o young.req \
    --reader-key age-21.rkey --reader-cert age-21.rcert \
    --engagement young.de --no-passphrase
"$top/$B/mindl-holder" present --yes --no-passphrase --credential young.mdl --device-key young.key \
    --request young.req --reader-trust reader-ca.pem --engagement young.de \
    -o young.resp -q
rc=0
"$top/$B/mindl-verifier" verify --trust iaca.pem --request young.req \
    --response young.resp || rc=$?
[ "$rc" -eq 4 ] || { echo "demo: expected exit 4 (valid, purpose not met), got $rc" >&2; exit 1; }
echo "(exit 4: valid, but the answer is no)"

step "No phone: a printed age-21 code (over 21 and a grey thumbnail, nothing else)"
"$top/$B/mindl-holder" keygen --no-passphrase --count 1 --out-key paper.key --out-pub paper.pub
"$top/$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$top/schemas/samples/sample-record.json" \
    --portrait "$top/schemas/samples/portrait.jpg" --ds-key ds.key --ds-cert ds.pem \
    --device-pub paper.pub --purpose age-21 -o paper.mdl
"$top/$B/mindl-holder" qr --credential paper.mdl --purpose age-21 --png age-21.png
"$top/$B/mindl-verifier" scan --trust iaca.pem --no-portrait age-21.png

step "DMV: the young licence is suspended; the list is published"
"$top/$B/mindl-issuer" revoke --registry registry.db --document-number SS5Y0UNG19 \
    --operator demo
"$top/$B/mindl-issuer" status publish --registry registry.db --signer-key status.key \
    --signer-cert status.pem --no-passphrase -o status-1.cwt --operator demo

step "The bar imports the list (a file: no call home) and checks again"
"$top/$B/mindl-verifier" status import status-1.cwt --trust iaca.pem --status-db status.db
"$top/$B/mindl-verifier" request --profile age-21 -o bar2.req
"$top/$B/mindl-holder" present --yes --no-passphrase --credential young.mdl --device-key young.key \
    --request bar2.req -o young2.resp -q
rc=0
"$top/$B/mindl-verifier" verify --trust iaca.pem --request bar2.req \
    --response young2.resp --status-db status.db --no-portrait || rc=$?
[ "$rc" -eq 1 ] || { echo "demo: expected exit 1 (revoked), got $rc" >&2; exit 1; }
echo "(exit 1: revoked)"
"$top/$B/mindl-verifier" request --profile age-21 -o bar3.req
"$top/$B/mindl-holder" present --yes --no-passphrase --credential licence.mdl --device-key device.key \
    --request bar3.req -o ok.resp -q
"$top/$B/mindl-verifier" verify --trust iaca.pem --request bar3.req \
    --response ok.resp --status-db status.db --no-portrait

step "Renewal without the record: new keys, a proof, a fresh batch"
"$top/$B/mindl-issuer" renew-challenge --registry registry.db -o renew.ch --operator demo
"$top/$B/mindl-holder" keygen --no-passphrase --count 4 --out-key device2.key --out-pub device2.pub
"$top/$B/mindl-holder" renew-proof --no-passphrase --credential licence.mdl \
    --device-key device.key --challenge renew.ch --new-pub device2.pub -o renew.proof
"$top/$B/mindl-issuer" renew --registry registry.db --credential licence.mdl \
    --proof renew.proof --device-pub device2.pub --iaca iaca.pem --no-passphrase \
    --sample-policy --ds-key ds.key --ds-cert ds.pem -o licence2.mdl --operator demo

step "Same check, machine-readable"
"$top/$B/mindl-verifier" verify --trust iaca.pem --request age-21.req \
    --response age-21.resp --json
echo
echo "demo: done (files in $d)"
