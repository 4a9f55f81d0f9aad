#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make demo: the whole job end to end on built-in sample data, in a fresh
# temporary directory: a DMV key ceremony, issuance from a sample record,
# and two verifiers (a bar checking age 21, a traffic stop) each seeing only
# what its profile allows, offline, and the bar turning away a genuine
# licence of a holder under 21.
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

step "Holder: device key on the phone"
"$top/$B/mindl-holder" keygen --no-passphrase --out-key device.key --out-pub device.pub

step "DMV desk: issue from the DMV record (no lawful-status field exists)"
"$top/$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$top/schemas/samples/sample-record.json" \
    --portrait "$top/schemas/samples/portrait.jpg" \
    --ds-key ds.key --ds-cert ds.pem --device-pub device.pub -o licence.mdl
ls -l licence.mdl

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
	step "Verifier ($profile): request -> holder presents -> verify offline"
	"$top/$B/mindl-verifier" request --profile "$profile" -o "$profile.req"
	"$top/$B/mindl-holder" present --no-passphrase --credential licence.mdl \
	    --device-key device.key --request "$profile.req" \
	    -o "$profile.resp"
	"$top/$B/mindl-verifier" verify --trust iaca.pem \
	    --request "$profile.req" --response "$profile.resp"
done

step "The bar again, a 19-year-old: a genuine licence, but not over 21"
sed 's/"birth_date": "[0-9-]*"/"birth_date": "'"$(($(date -u +%Y) - 19))"'-01-01"/' \
    "$top/schemas/samples/sample-record.json" >young.json
"$top/$B/mindl-issuer" issue --no-passphrase --sample-policy --record young.json \
    --portrait "$top/schemas/samples/portrait.jpg" \
    --ds-key ds.key --ds-cert ds.pem --device-pub device.pub -o young.mdl
"$top/$B/mindl-holder" present --no-passphrase --credential young.mdl --device-key device.key \
    --request age-21.req -o young.resp -q
rc=0
"$top/$B/mindl-verifier" verify --trust iaca.pem --request age-21.req \
    --response young.resp || rc=$?
[ "$rc" -eq 4 ] || { echo "demo: expected exit 4 (valid, purpose not met), got $rc" >&2; exit 1; }
echo "(exit 4: valid, but the answer is no)"

step "Same check, machine-readable"
"$top/$B/mindl-verifier" verify --trust iaca.pem --request age-21.req \
    --response age-21.resp --json
echo
echo "demo: done (files in $d)"
