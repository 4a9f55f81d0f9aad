#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# mindl-issuer and mindl-holder: exit codes, --json shapes, file modes,
# refusals that leave nothing behind.  Run from the repository root.
set -u
top=$(pwd)
B=$top/${MINDL_BIN:-bin}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
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
d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-ih.XXXXXX")
trap 'rm -rf "$d"' EXIT INT TERM
cd "$d" || exit 1
rec=$top/schemas/samples/sample-record.json
port=$top/schemas/samples/portrait.jpg
"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "CLI IACA" \
    --out-key iaca.key --out-cert iaca.pem >/dev/null 2>&1 &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key --iaca-cert iaca.pem \
    --out-key ds.key --out-cert ds.pem >/dev/null 2>&1 ||
    { nok "set-up"; echo "$pass passed, $fail failed"; exit 1; }

# holder keygen
expect 0 "holder keygen" "$B/mindl-holder" keygen --no-passphrase --out-key dev.key \
    --out-pub dev.pub
[ "$(mode dev.key)" = 600 ] && ok "device key is 0600" || nok "device key is 0600 ($(mode dev.key))"
expect 2 "keygen with neither --pass-fd nor --no-passphrase, no terminal" \
    "$B/mindl-holder" keygen --out-key np.key --out-pub np.pub
[ ! -e np.key ] && [ ! -e np.pub ] &&
    grep -q "no passphrase: give --pass-fd N, type it on a terminal, or give --no-passphrase" err &&
    ok "an unencrypted key only when asked for: said so, nothing written" ||
    nok "unencrypted key not asked for: $(cat err)"
cp dev.key dev.key.orig
expect 2 "keygen refuses to overwrite" "$B/mindl-holder" keygen --no-passphrase \
    --out-key dev.key --out-pub other.pub
cmp -s dev.key dev.key.orig && [ ! -e other.pub ] &&
    ok "the existing key is intact, nothing else written" ||
    nok "the existing key is intact, nothing else written"
printf 'secret passphrase\n' >pass
expect 0 "keygen with --pass-fd" sh -c \
    "'$B/mindl-holder' keygen --out-key enc.key --out-pub enc.pub --pass-fd 3 3<pass"
grep -q "ENCRYPTED PRIVATE KEY" enc.key && ok "the key is encrypted" ||
    nok "the key is encrypted"
expect 0 "holder -h exits 0" "$B/mindl-holder" present -h
expect 2 "holder with no verb exits 2" "$B/mindl-holder"

# issuer
issue() {
	"$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$rec" --portrait "$port" \
	    --ds-key ds.key --ds-cert ds.pem --device-pub dev.pub "$@"
}
expect 0 "issue" issue -o cred.mdl
grep -Eq '^issued cred.mdl for Sample State Department of Motor Vehicles \(US-SS\): 16 single-use copies, [0-9]+ elements; licence valid until [0-9-]{10}; signatures valid [0-9-]{10} to [0-9-]{10} \(renew before then\); signer [0-9a-f]{16}$' out &&
    ok "issue: one line saying what was issued" || nok "issue summary: $(cat out)"
[ "$(mode cred.mdl)" = 600 ] && ok "credential is 0600" || nok "credential is 0600"
cp cred.mdl cred.orig
expect 2 "issue refuses to overwrite" issue -o cred.mdl
cmp -s cred.mdl cred.orig && ok "the existing credential is intact" ||
    nok "the existing credential is intact"
expect 0 "issue --json" issue -o cred2.mdl --json
grep -Eq '^\{"ok":true,"bytes":[0-9]+,"credential_id":"[0-9a-f]{32}","valid_from":[0-9]+,"valid_until":[0-9]+,"signer":"[0-9a-f]{16}","copies":16,"device":"software","revocation":"none","elements":[0-9]+,"licence_expiry":"[0-9-]{10}","issuing_authority":"Sample State Department of Motor Vehicles","issuing_jurisdiction":"US-SS","policy":"sample"\}$' out &&
    ok "issue --json: one object with the issuance result" ||
    nok "issue --json: one object with the issuance result: $(cat out)"
expect 0 "issue --json again" issue -o cred3.mdl --json
id1=$(sed 's/.*"credential_id":"\([0-9a-f]*\)".*/\1/' out)
cp out out.first
expect 0 "issue --json a third time" issue -o cred4.mdl --json
id2=$(sed 's/.*"credential_id":"\([0-9a-f]*\)".*/\1/' out)
[ -n "$id1" ] && [ "$id1" != "$id2" ] && ok "each issuance draws its own credential id" ||
    nok "each issuance draws its own credential id ($id1, $id2)"
od -An -tx1 -v cred4.mdl | tr -d ' \n' | grep -q "$id2" &&
    nok "the credential id is not in the credential" ||
    ok "the credential id is not in the credential"
expect 1 "a forbidden field: exit 1" "$B/mindl-issuer" issue --no-passphrase --sample-policy \
    --record "$top/schemas/samples/forbidden-dhs.json" --portrait "$port" \
    --ds-key ds.key --ds-cert ds.pem --device-pub dev.pub -o f.mdl --json
[ ! -e f.mdl ] && grep -q '"ok":false' out &&
    grep -q '"error":"MINDL_ERR_FORBIDDEN_ELEMENT"' out &&
    grep -q 'DHS_temporary_lawful_status' out &&
    ok "refusal: --json names the error and the field, nothing written" ||
    nok "refusal --json: $(cat out)"
expect 1 "bad JSON: exit 1" "$B/mindl-issuer" issue --no-passphrase --sample-policy \
    --record "$top/schemas/samples/bad-json.json" --portrait "$port" \
    --ds-key ds.key --ds-cert ds.pem --device-pub dev.pub -o j.mdl
grep -q "line [0-9]* column [0-9]*" err && ok "bad JSON: line and column" ||
    nok "bad JSON: line and column: $(cat err)"
# What a record may hold, for the desk: every element, how it is checked.
if "$B/mindl-issuer" elements >el.txt 2>err &&
    grep -q "^  family_name (Family name): tstr, required in the record$" el.txt &&
    grep -q "^    one of: black, blue, brown," el.txt &&
    grep -q "^  expiry_date (Licence expires): full-date, computed by the issuer" el.txt &&
    grep -q "^    codes: 01, 01.nn," el.txt; then
	ok "elements: each element, its type, where it comes from, its allowed values"
else
	nok "elements: $(cat err)"
fi
if command -v jq >/dev/null 2>&1; then
	"$B/mindl-issuer" elements --json >el.json 2>err
	[ "$(jq -r '[.elements[] | select(.identifier == "eye_colour") | .values | index("brown") != null] == [true] and ([.elements[] | select(.source == "record" and .type == "tstr") | .charset | type] | all(. == "string")) and ([.elements[].identifier] | index("DHS_compliance") == null)' el.json)" = true ] &&
	    ok "elements --json: values, charsets, and no forbidden element" ||
	    nok "elements --json: $(head -c 300 el.json)"
fi
# The desk fixes a record in one go: every problem, one per line, each
# with its field and error; a byte order mark and nulls are no problem.
printf '\357\273\277{"family_name": "Doe", "given_name": "Sam 2", "birth_date": "1990-01-01", "height": "162", "eye_colour": "purple", "sex": null, "driving_privileges": [{"vehicle_category_code": "D"}]}' >many.json
expect 1 "a record with four problems: exit 1" "$B/mindl-issuer" issue --no-passphrase --sample-policy \
    --record many.json --portrait "$port" --ds-key ds.key --ds-cert ds.pem \
    --device-pub dev.pub -o m.mdl
[ ! -e m.mdl ] && grep -q "refused, 4 problems (nothing issued):" err &&
    grep -q "^  given_name: character 5 is not allowed" err &&
    grep -q "^  height: expected a non-negative JSON integer (MINDL_ERR_JSON)$" err &&
    grep -q "^  eye_colour: value not allowed; one of: black, blue," err &&
    grep -q "^  document_number: required field missing (MINDL_ERR_MISSING)$" err &&
    ok "every problem of a record listed, one per line, BOM and null accepted, nothing written" ||
    nok "every problem of a record listed: $(cat err)"
expect 2 "the IACA key with the DS certificate is refused" \
    "$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$rec" --portrait "$port" \
    --ds-key iaca.key --ds-cert ds.pem --device-pub dev.pub -o k.mdl
[ ! -e k.mdl ] && ok "nothing written for a mismatched key" ||
    nok "nothing written for a mismatched key"
expect 2 "issuing outside the DS validity is refused" issue -o t.mdl \
    --at 2040-01-01
expect 2 "issue without --record: usage" "$B/mindl-issuer" issue --no-passphrase --sample-policy \
    --portrait "$port" -o u.mdl
expect 0 "issuer -h exits 0" "$B/mindl-issuer" issue -h

# holder present
. "$top/tests/common/reader.sh"
reader_setup "$B" . || nok "reader CA and reader certificate"
signed_request "$B" . employer-driver req >/dev/null 2>&1
cp req.de req.de2
expect 0 "present" "$B/mindl-holder" present --yes --no-passphrase --credential cred.mdl \
    --device-key dev.key --request req -o resp --reader-trust rca.pem \
    --engagement req.de
[ "$(mode resp)" = 600 ] && ok "response is 0600" || nok "response is 0600"
grep -q "released 4" err && ok "the holder is told what is released" ||
    nok "the holder is told what is released: $(cat err)"
# The response names the request it answers: readerKeyDigest is SHA-256
# over the eReaderKey bytes as the request file holds them (bstr 58 LL).
sha256() { if command -v sha256sum >/dev/null 2>&1; then sha256sum; else
	openssl dgst -sha256 -r; fi | cut -c1-64; }
k=$(grep -boa eReaderKey req | head -n 1 | cut -d: -f1)
g=$(grep -boa readerKeyDigest resp | head -n 1 | cut -d: -f1)
if [ -n "$k" ] && [ -n "$g" ]; then
	n=$(od -An -tu1 -j $((k + 11)) -N 1 req | tr -d ' ')
	want=$(dd if=req bs=1 skip=$((k + 12)) count="$n" 2>/dev/null | sha256)
	got=$(od -An -tx1 -v -j $((g + 15)) -N 34 resp | tr -d ' \n')
fi
[ -n "$k" ] && [ -n "$g" ] && [ "$got" = "5820$want" ] &&
    ok "the response's readerKeyDigest is SHA-256 of the request's eReaderKey" ||
    nok "readerKeyDigest: got ${got:-none}, want 5820${want:-?}"
expect 0 "present --json" "$B/mindl-holder" present --yes --no-passphrase --credential cred.mdl \
    --device-key dev.key --request req -o resp2 --json --reader-trust rca.pem \
    --engagement req.de2
grep -q '"profile":"employer-driver","released":4' out &&
    ok "present --json: profile and counts" || nok "present --json: $(cat out)"
expect 2 "present with an unencrypted key and no --no-passphrase" \
    "$B/mindl-holder" present --yes --credential cred.mdl --device-key dev.key \
    --request req -o none.resp
[ ! -e none.resp ] && grep -q "dev.key: this private key is not encrypted: give --no-passphrase" err &&
    ok "an unencrypted device key is used only when asked for" ||
    nok "unencrypted device key: $(cat err)"
expect 2 "present with a wrong passphrase" sh -c \
    "printf 'wrong\n' | '$B/mindl-holder' present --yes --credential cred.mdl \
    --device-key enc.key --request req -o resp3 --pass-fd 0"
expect 1 "present to a request naming no known profile" \
    "$B/mindl-holder" present --yes --no-passphrase --credential cred.mdl --device-key dev.key \
    --request "$top/tests/neg/cases/present-unknown-profile.cbor" -o resp4 --json
[ ! -e resp4 ] && grep -q '"error":"MINDL_ERR_PROFILE"' out &&
    ok "unknown profile: nothing released, --json says why" ||
    nok "unknown profile: $(cat out)"
# The holder looks at what it holds, and whether its key presents it.
expect 2 "show --no-passphrase without --device-key: a usage error" \
    "$B/mindl-holder" show --no-passphrase --credential cred.mdl
expect 0 "show: exit 0 with the right key" "$B/mindl-holder" show --no-passphrase \
    --credential cred.mdl --device-key dev.key
grep -q "^licence valid until: [0-9-]*$" out &&
    grep -q "^this copy's signature: [0-9-]* to [0-9-]*, valid (renew before it ends)$" out &&
    grep -q "^device key: this credential's$" out &&
    grep -q "^  org.iso.18013.5.1/family_name: " out &&
    grep -q "^  org.iso.18013.5.1/portrait: [0-9]* bytes JPEG$" out &&
    ok "show: the licence's expiry, the copy's validity, the key, the elements" ||
    nok "show: $(cat out)"
expect 1 "show with another device's key: exit 1" sh -c \
    "'$B/mindl-holder' show --credential cred.mdl --device-key enc.key --pass-fd 3 3<pass"
grep -q "^device key: NOT this credential's" out &&
    ok "show: another key is named as not this credential's" || nok "show another key: $(cat out)"
if command -v jq >/dev/null 2>&1; then
	"$B/mindl-holder" show --no-passphrase --credential cred.mdl --device-key dev.key --json \
	    --at 2099-01-01 >out 2>err
	[ "$(jq -r '.ok and .state == "expired" and .device_key_matches and (.elements["org.iso.18013.5.1"].family_name | type) == "string"' out)" = true ] &&
	    ok "show --json: state expired later, the key matches, the elements" ||
	    nok "show --json: $(head -c 300 out)"
fi
# Keys given in the wrong place: said as such, nothing written.
"$B/mindl-verifier" request --profile age-21 -o a21.req >/dev/null 2>&1
expect 1 "present with another device's key: exit 1" sh -c \
    "'$B/mindl-holder' present --yes --credential cred.mdl --device-key enc.key \
    --request a21.req -o resp5 --pass-fd 3 3<pass"
[ ! -e resp5 ] && grep -q "this is not the key cred.mdl was issued to" err &&
    grep -q MINDL_ERR_NOT_DEVICE_KEY err &&
    ok "another device's key: named before presenting, nothing written" ||
    nok "another device's key: $(cat err)"
expect 1 "present with the public key: exit 1" "$B/mindl-holder" present --yes --no-passphrase \
    --credential cred.mdl --device-key dev.pub --request req -o resp6
[ ! -e resp6 ] && grep -q "dev.pub: this is a public key: give the device's private key" err &&
    ok "a public key as --device-key: said so" || nok "public key as --device-key: $(cat err)"
expect 1 "issue with the holder's private key: exit 1" "$B/mindl-issuer" issue --no-passphrase --sample-policy \
    --record "$top/schemas/samples/sample-record.json" --portrait "$port" \
    --ds-key ds.key --ds-cert ds.pem --device-pub dev.key -o p.mdl
[ ! -e p.mdl ] && grep -q "dev.key: this is a private key: give the holder's public key" err &&
    ok "a private key as --device-pub: refused, said so" || nok "private key as --device-pub: $(cat err)"
expect 1 "present with the request as the credential: exit 1" \
    "$B/mindl-holder" present --yes --no-passphrase --credential req --device-key dev.key \
    --request req -o resp7
grep -q "req: this is a request file, not a credential" err &&
    ok "the request given as the credential: said so" || nok "request as credential: $(cat err)"
expect 3 "a missing record file: exit 3" "$B/mindl-issuer" issue --no-passphrase --sample-policy \
    --record nosuch.json --portrait "$port" --ds-key ds.key --ds-cert ds.pem \
    --device-pub dev.pub -o n.mdl
grep -q "nosuch.json: no such file (check the name and the directory) (MINDL_ERR_NO_FILE)" err &&
    ok "a missing file: no such file, named" || nok "a missing file: $(cat err)"
# Single-use copies (privacy rule 6): keygen --count N makes N device
# keys, the desk issues one MSO per key, each presentation shows a copy
# not shown before, and two presentations share no structure.
expect 0 "keygen --count 3" "$B/mindl-holder" keygen --no-passphrase --count 3 \
    --out-key b.key --out-pub b.pub
[ "$(grep -c 'BEGIN PRIVATE KEY' b.key)" = 3 ] && [ "$(grep -c 'BEGIN PUBLIC KEY' b.pub)" = 3 ] &&
    ok "three key pairs, one file each" || nok "keygen --count 3: $(grep -c BEGIN b.key b.pub)"
[ "$(grep -c 'BEGIN PUBLIC KEY' dev.pub)" = 16 ] &&
    ok "keygen makes 16 pairs by default" || nok "default count: $(grep -c BEGIN dev.pub)"
expect 2 "keygen --count 65: a usage error" "$B/mindl-holder" keygen \
    --no-passphrase --count 65 --out-key b2.key --out-pub b2.pub
[ ! -e b2.key ] && ok "--count out of range: nothing written" || nok "--count 65 wrote"
expect 0 "issue a batch of three" "$B/mindl-issuer" issue --no-passphrase \
    --sample-policy --record "$rec" --portrait "$port" --ds-key ds.key \
    --ds-cert ds.pem --device-pub b.pub -o b.mdl --json
grep -q '"copies":3' out && ok "issue --json: copies 3" || nok "batch issue: $(cat out)"
"$B/mindl-verifier" inspect --json b.mdl >out 2>err
if command -v jq >/dev/null 2>&1; then
	[ "$(jq '.documents | length' out)" = 3 ] && ok "the credential holds three MSOs" ||
	    nok "batch inspect: $(head -c 200 out)"
fi
for i in 1 2 3; do
	"$B/mindl-verifier" request --profile age-21 -o "b$i.req" >/dev/null 2>&1
	"$B/mindl-holder" present --yes --no-passphrase --credential b.mdl --device-key b.key \
	    --request "b$i.req" -o "b$i.resp" --json >"b$i.out" 2>"b$i.err"
	"$B/mindl-verifier" verify --trust iaca.pem --request "b$i.req" \
	    --response "b$i.resp" >/dev/null 2>&1 || nok "copy $i does not verify"
done
if command -v jq >/dev/null 2>&1; then
	[ "$(jq -s -c 'map(.copy)' b1.out b2.out b3.out)" = "[1,2,3]" ] &&
	    [ "$(jq -s -c 'map(.copies_left)' b1.out b2.out b3.out)" = "[2,1,0]" ] &&
	    ok "each presentation a copy not shown before, and how many are left" ||
	    nok "copies: $(cat b1.out b2.out b3.out)"
fi
grep -q "renew at the desk soon" b3.err && ok "few copies left: told to renew" ||
    nok "low copies warning: $(cat b3.err)"
[ "$(cat b.mdl.spent | tr '\n' ' ')" = "0 1 2 " ] && [ "$(mode b.mdl.spent)" = 600 ] &&
    ok "the copies shown are recorded beside the credential (0600)" ||
    nok "spent file: $(cat b.mdl.spent)"
expect 0 "two copies' presentations share no salt, digest, digestID, key or signature" \
    "$B/mindl-audit" link --expect-unlinkable b1.resp b2.resp
grep -Eq '^  disclosed-value +2 shared  e.g. (portrait age_over_2|age_over_2 portrait)' out &&
    grep -q '^disclosed values: 2 shared' out && [ "$(tail -n 1 out)" = "0 links" ] &&
    ok "the same portrait and answer are reported as value links, apart" ||
    nok "value links: $(cat out)"
"$B/mindl-verifier" request --profile age-21 -o b4.req >/dev/null 2>&1
cp b.mdl.spent spent.before
expect 2 "present over an existing response: refused before a copy is spent" \
    "$B/mindl-holder" present --yes --no-passphrase --credential b.mdl --device-key b.key \
    --request b1.req -o b1.resp
cmp -s b.mdl.spent spent.before && grep -q "b1.resp: exists: refusing to overwrite" err &&
    ok "an existing output: refused, no copy spent" || nok "existing output: $(cat err)"
expect 1 "a fourth presentation: every copy was shown" "$B/mindl-holder" present --yes \
    --no-passphrase --credential b.mdl --device-key b.key --request b4.req -o b4.resp --json
[ ! -e b4.resp ] && grep -q '"error":"MINDL_ERR_SPENT"' out &&
    grep -q "renew it at the desk (or --reuse" err &&
    ok "no copy left: refused with MINDL_ERR_SPENT, nothing written" ||
    nok "spent: $(cat out err)"
expect 0 "--reuse presents the copy shown longest ago" "$B/mindl-holder" present --yes \
    --no-passphrase --reuse --credential b.mdl --device-key b.key --request b4.req -o b4.resp
grep -q "presenting copy 1 again (--reuse): the verifiers who saw it can link" err &&
    [ "$(cat b.mdl.spent | tr '\n' ' ')" = "1 2 0 " ] &&
    ok "--reuse: warned that it links, and the copy moves to the end" ||
    nok "--reuse: $(cat err; cat b.mdl.spent)"
expect 1 "a reused copy links the two presentations" "$B/mindl-audit" link \
    --expect-unlinkable b1.resp b4.resp
# Presentations at once: the credential is locked, each takes its own copy.
"$B/mindl-holder" keygen --no-passphrase --count 6 --out-key c6.key --out-pub c6.pub \
    >/dev/null 2>&1
"$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$rec" --portrait "$port" \
    --ds-key ds.key --ds-cert ds.pem --device-pub c6.pub -o c6.mdl >/dev/null 2>&1
for i in 1 2 3 4 5 6; do
	"$B/mindl-verifier" request --profile age-21 -o "c6-$i.req" >/dev/null 2>&1
done
for i in 1 2 3 4 5 6; do
	"$B/mindl-holder" present --yes -q --no-passphrase --credential c6.mdl --device-key c6.key \
	    --request "c6-$i.req" -o "c6-$i.resp" >/dev/null 2>&1 &
done
wait
[ "$(sort -n c6.mdl.spent | tr '\n' ' ')" = "0 1 2 3 4 5 " ] &&
    [ "$(ls c6-*.resp | wc -l)" -eq 6 ] &&
    "$B/mindl-audit" link --expect-unlinkable c6-*.resp >/dev/null 2>&1 &&
    ok "six presentations at once: six different copies, unlinkable" ||
    nok "concurrent presentations: spent $(tr '\n' ' ' <c6.mdl.spent), $(ls c6-*.resp 2>/dev/null | wc -l) responses"
"$B/mindl-holder" show --credential b.mdl >out 2>err
grep -q "^copies: 3 single-use, 0 not yet presented: renew at the desk soon$" out &&
    ok "show: the copies and how many are unused" || nok "show copies: $(cat out)"
"$B/mindl-holder" keygen --no-passphrase --count 2 --out-key b5.key --out-pub b5.pub >/dev/null 2>&1
"$B/mindl-verifier" request --profile age-21 -o b6.req >/dev/null 2>&1
expect 1 "a key file with fewer keys than copies" "$B/mindl-holder" present --yes \
    --no-passphrase --credential cred.mdl --device-key b5.key --request b6.req -o b6.resp
[ ! -e b6.resp ] && grep -q "b5.key: this file holds fewer than [0-9]* keys" err &&
    ok "fewer keys than copies: said so, nothing written" || nok "fewer keys: $(cat err)"
# The issuing DMV is configuration: its own policy file, never a silent
# fallback to the sample, and never another state's signer.
"$B/mindl-keys" iaca --no-passphrase --country US --state IL --name "IL IACA" \
    --out-key il-iaca.key --out-cert il-iaca.pem >/dev/null 2>&1 &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key il-iaca.key \
    --iaca-cert il-iaca.pem --out-key il-ds.key --out-cert il-ds.pem >/dev/null 2>&1 ||
    nok "IL set-up"
cat >il.json <<'EOF'
{
	"comment": "Illinois Secretary of State, Driver Services",
	"issuing_country": "US",
	"issuing_authority": "Illinois Secretary of State",
	"issuing_jurisdiction": "US-IL",
	"un_distinguishing_sign": "USA",
	"mso_days": 14
}
EOF
ilissue() {
	"$B/mindl-issuer" issue --no-passphrase --record "$rec" --portrait "$port" \
	    --device-pub dev.pub "$@"
}
expect 0 "issue with the DMV's --policy" ilissue --policy il.json \
    --ds-key il-ds.key --ds-cert il-ds.pem -o il.mdl --json
if command -v jq >/dev/null 2>&1; then
	[ "$(jq -r '[.issuing_authority, .issuing_jurisdiction, .policy, (.valid_until - .valid_from)] | @tsv' out)" = \
	    "$(printf 'Illinois Secretary of State\tUS-IL\til.json\t1209600')" ] &&
	    ok "the credential is the policy's DMV's, with its validity rule" ||
	    nok "--policy: $(cat out)"
fi
"$B/mindl-holder" show --json --credential il.mdl >out 2>err
if command -v jq >/dev/null 2>&1; then
	[ "$(jq -r '.elements["org.iso.18013.5.1"] | [.issuing_authority, .issuing_jurisdiction, .issuing_country] | @tsv' out)" = \
	    "$(printf 'Illinois Secretary of State\tUS-IL\tUS')" ] &&
	    ok "its signed elements name the policy's DMV" || nok "IL show: $(head -c 300 out)"
fi
expect 2 "another state's signer with this policy: exit 2" ilissue --policy il.json \
    --ds-key ds.key --ds-cert ds.pem -o il2.mdl
[ ! -e il2.mdl ] && grep -q "ds.pem: the document signer is of C=US ST=US-SS but the policy (il.json) issues for US-IL, Illinois Secretary of State" err &&
    ok "a signer of another state: both places named, nothing issued" ||
    nok "signer of another state: $(cat err)"
expect 2 "the sample policy with Illinois keys: exit 2" ilissue --sample-policy \
    --ds-key il-ds.key --ds-cert il-ds.pem -o il3.mdl
[ ! -e il3.mdl ] && grep -q "issues for US-SS, Sample State" err &&
    ok "keys made for one state never issue Sample State licences" ||
    nok "sample with IL keys: $(cat err)"
expect 2 "no policy file: exit 2" ilissue --policy nosuch/policy.json \
    --ds-key il-ds.key --ds-cert il-ds.pem -o il4.mdl --json
[ ! -e il4.mdl ] && grep -q "nosuch/policy.json: no issuing policy here: write this DMV's policy file" err &&
    grep -q '"error":"MINDL_ERR_CONFIG"' out &&
    ok "a missing policy: said what to do, nothing issued" || nok "missing policy: $(cat err)"
printf '{"issuing_country":"US","issuing_authority":"X","issuing_jurisdiction":"US-IL","un_distinguishing_sign":"USA","age_over":[18]}' >shape.json
expect 2 "a policy that sets the credential's shape: exit 2" ilissue --policy shape.json \
    --ds-key il-ds.key --ds-cert il-ds.pem -o il5.mdl
grep -q 'shape.json: "age_over" is the same for every holder of this build (privacy rule 2)' err &&
    ok "the shape stays the build's (privacy rule 2)" || nok "shape in policy: $(cat err)"
printf '{"issuing_country":"US","issuing_authority":"X","issuing_jurisdiction":"US-IL","un_distinguishing_sign":"USA","mso_dayz":3}' >typo.json
expect 2 "a policy with an unknown key: exit 2" ilissue --policy typo.json \
    --ds-key il-ds.key --ds-cert il-ds.pem -o il6.mdl
grep -q 'typo.json: .*mso_dayz' err && ok "an unknown policy key is named" ||
    nok "unknown policy key: $(cat err)"
expect 2 "--policy with --sample-policy: exit 2" ilissue --policy il.json \
    --sample-policy --ds-key il-ds.key --ds-cert il-ds.pem -o il7.mdl

# The consent report says, per requested element, what happened to it.
if (cd "$top" && sh tests/interop/setup.sh); then
	node "$top/tests/interop/make_request.mjs" --profile age-21 \
	    --elements age_over_21,birth_date,weight --out over.req >/dev/null
	"$B/mindl-holder" present --yes --no-passphrase --credential cred.mdl --device-key dev.key \
	    --request over.req -o over.resp 2>err
	if grep -q "share    age_over_21" err &&
	    grep -q "WITHHELD birth_date" err && grep -q "WITHHELD weight" err; then
		ok "the consent report marks each element shared or withheld"
	else
		nok "the consent report: $(cat err)"
	fi
else
	nok "npm ci in tests/interop failed"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
