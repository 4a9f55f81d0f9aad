#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Purpose credentials as QR codes: mindl-holder qr, mindl-verifier scan
# and verify --qr-text.  Every profile's code, printed and scanned, and
# typed as text; the verdicts (an under-21 holder's age-21 code is
# genuine and a no); only the profile's elements disclosed; "not
# holder-bound" said in text and JSON; a revoked licence's driving code
# REVOKED while its age code, which carries no status, stays valid;
# hostile pictures and texts refused by name with nothing shown.
# Run from the repository root; needs jq and build/tests/qrtool.
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
		nok "$_d (exit $_r, want $_w): $(head -c 300 err) $(head -c 300 out)"; fi
}
Q=
case $B in
*/bin) cands="${B%/bin}/tests/qrtool $top/build/tests/qrtool" ;;
*) cands="$top/build/tests/qrtool" ;;
esac
for c in $cands; do
	if [ -x "$c" ]; then Q=$c; break; fi
done
[ -n "$Q" ] || { nok "qrtool not built (make build/tests/qrtool)"; finish; }
d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-qr.XXXXXX")
trap 'rm -rf "$d"' EXIT INT TERM
cd "$d" || exit 1
# The default status cache lives here, never in the tester's home.
XDG_DATA_HOME=$d/xdg
export XDG_DATA_HOME
rec=$top/schemas/samples/sample-record.json
port=$top/schemas/samples/portrait.jpg
corpus=$top/tests/fuzz/corpus/qr
all=age-18,age-21,traffic-stop,employer-driver,car-rental,identity
"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "QR IACA" \
    --issuer-alt mailto:iaca@example.invalid --out-key iaca.key --out-cert iaca.pem \
    >/dev/null 2>&1 &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key \
    --iaca-cert iaca.pem --out-key ds.key --out-cert ds.pem >/dev/null 2>&1 &&
"$B/mindl-holder" keygen --no-passphrase --count 6 --out-key dev.key --out-pub dev.pub \
    >/dev/null 2>&1 || { nok "set-up"; finish; }
iss() {
	"$B/mindl-issuer" issue --sample-policy --no-passphrase --ds-key ds.key \
	    --ds-cert ds.pem --portrait "$port" --device-pub dev.pub "$@"
}
V() { "$B/mindl-verifier" "$@"; }
expect 0 "issue --purpose with every profile" iss --record "$rec" --purpose $all -o p.mdl
"$B/mindl-verifier" profiles --json >profiles.json 2>/dev/null

# Every profile: the code as a PNG, scanned; and as text, typed.
for p in $(echo $all | tr , ' '); do
	expect 0 "$p: qr --png" "$B/mindl-holder" qr --credential p.mdl --purpose "$p" \
	    --png "$p.png" --json
	v=$(jq -r '.version' out)
	[ "$(jq -r --arg p "$p" '.ok and .purpose == $p and .level == "M" and
	    .version >= 1 and .version <= 40 and .png != null and .text == null and
	    .holder_bound == false and (.warning | test("^not holder-bound: anyone"))' out)" = true ] &&
	    ok "$p: version $v-M, $(jq -r .bytes out) bytes in $(jq -r .characters out) characters" ||
	    nok "$p: qr --json: $(cat out)"
	[ "$(stat -c %a "$p.png")" = 600 ] && ok "$p: the PNG is 0600" ||
	    nok "$p: mode $(stat -c %a "$p.png")"
	expect 0 "$p: scan" V scan --trust iaca.pem "$p.png" --no-portrait
	sed -n 2p out | grep -q "^NOT HOLDER-BOUND: " && sed -n 3p out | grep -q "^VALID$" &&
	    head -n 1 out | grep -q ": YES$" &&
	    ok "$p: the answer, then NOT HOLDER-BOUND, then VALID" || nok "$p: scan: $(head -n 4 out)"
	"$B/mindl-holder" qr --credential p.mdl --purpose "$p" --text >"$p.txt" 2>qerr
	grep -q "not holder-bound" qerr && [ "$(wc -l <"$p.txt")" -eq 1 ] &&
	    grep -q '^MDL1:[0-9A-Z $%*+./:-]*$' "$p.txt" &&
	    ok "$p: --text: one line on stdout, the summary on stderr" ||
	    nok "$p: --text: $(head -c 200 "$p.txt") $(cat qerr)"
	expect 0 "$p: verify --qr-text -" sh -c \
	    "'$B/mindl-verifier' verify --trust iaca.pem --qr-text - --json <'$p.txt'"
	[ "$(jq -r --arg p "$p" --slurpfile pr profiles.json '.ok and .valid and
	    .profile == $p and .holder_bound == false and .device_auth == "none" and
	    (.warning | test("^NOT HOLDER-BOUND")) and .dropped == 0 and
	    ([.disclosed[] | keys[]] | sort) == ([$pr[0].profiles[] | select(.id == $p) |
	    .elements[][]] | sort)' out)" = true ] &&
	    ok "$p: --qr-text --json: exactly the profile's elements, not holder-bound" ||
	    nok "$p: --qr-text --json: $(jq -c 'del(.disclosed)' out)"
done

# The age-21 code: age_over_21 and the portrait, nothing else.
expect 0 "age-21: scan --json" V scan --trust iaca.pem age-21.png --json
[ "$(jq -r '.disclosed | keys == ["org.iso.18013.5.1"] and
    (.["org.iso.18013.5.1"] | keys) == ["age_over_21", "portrait"] and
    .["org.iso.18013.5.1"].age_over_21 == true' out)" = true ] &&
    [ "$(jq -r '.holder_bound == false and .warning ==
    "NOT HOLDER-BOUND: compare the portrait with the person" and
    .status.state == "none"' out)" = true ] &&
    ok "age-21: only age_over_21 and the portrait; holder_bound false, a warning" ||
    nok "age-21 json: $(jq -c 'del(.disclosed.["org.iso.18013.5.1"].portrait)' out)"
expect 0 "age-21: the summary in text" "$B/mindl-holder" qr --credential p.mdl \
    --purpose age-21 --svg age-21.svg
grep -q "^age-21: QR version [0-9]*-M, [0-9]* bytes in [0-9]* characters; SVG age-21.svg; not holder-bound: anyone with a copy of this code can show it; the verifier compares the portrait$" out &&
    ok "the summary: purpose, version, bytes, not holder-bound" || nok "summary: $(cat out)"
grep -q '<svg' age-21.svg && grep -q 'mm"' age-21.svg && ok "the SVG has a printed size" ||
    nok "svg: $(head -c 200 age-21.svg)"
"$B/mindl-holder" qr --credential p.mdl --purpose employer-driver --text 2>&1 >/dev/null |
    grep -q "it has no portrait to compare" && ok "a code without a portrait says so" ||
    nok "employer-driver summary"
expect 0 "--scale 2 --quiet-zone 1 still scans" "$B/mindl-holder" qr --credential p.mdl \
    --purpose age-18 --png small.png --scale 2 --quiet-zone 1
expect 0 "... scan" V scan --trust iaca.pem small.png --no-portrait
# --profile: the verifier's question, not the code's.
expect 4 "an age-18 code asked for age-21: genuine, but no" V scan --trust iaca.pem \
    age-18.png --profile age-21 --no-portrait
head -n 1 out | grep -q "^OVER 21: NO" && ok "... OVER 21: NO" || nok "$(head -n 2 out)"

# An under-21 holder: the age-21 code is genuine and the answer is no.
young=$(date -u -d '-19 years' +%Y-%m-%d)
jq --arg b "$young" '.birth_date = $b | .document_number = "SS0YOUNG1"' "$rec" >young.json
expect 0 "issue an under-21 holder's age codes" iss --record young.json \
    --purpose age-18,age-21 -o y.mdl
"$B/mindl-holder" qr --credential y.mdl --purpose age-21 --png y21.png >/dev/null 2>&1
"$B/mindl-holder" qr --credential y.mdl --purpose age-18 --png y18.png >/dev/null 2>&1
expect 4 "under 21: scan exits 4" V scan --trust iaca.pem y21.png --no-portrait
head -n 1 out | grep -q "^OVER 21: NO (" && sed -n 2p out | grep -q "^NOT HOLDER-BOUND" &&
    ok "... OVER 21: NO first, then NOT HOLDER-BOUND" || nok "young: $(head -n 3 out)"
expect 4 "under 21: --json" V scan --trust iaca.pem y21.png --json
[ "$(jq -r '.ok == false and .valid and .error == "MINDL_ERR_PURPOSE_NOT_MET" and
    .purpose_met == false and .holder_bound == false' out)" = true ] &&
    ok "... ok false, valid, PURPOSE_NOT_MET" || nok "young json: $(jq -c 'del(.disclosed)' out)"
expect 0 "under 21 but over 18: the age-18 code" V scan --trust iaca.pem y18.png --no-portrait
"$B/mindl-holder" qr --credential y.mdl --purpose age-21 --text 2>/dev/null >y21.txt
expect 4 "under 21 through --qr-text" sh -c \
    "'$B/mindl-verifier' verify --trust iaca.pem --qr-text - <y21.txt"

# Refusals of the holder's tool.
expect 2 "a purpose the credential does not hold" "$B/mindl-holder" qr \
    --credential y.mdl --purpose traffic-stop --png no.png
grep -q "holds no traffic-stop purpose credential; it holds age-18, age-21" err &&
    grep -q MINDL_ERR_PROFILE err && ok "... lists the purposes it holds" ||
    nok "message: $(cat err)"
expect 2 "an unknown profile" "$B/mindl-holder" qr --credential p.mdl --purpose bar-tab \
    --png no.png
"$B/mindl-holder" keygen --no-passphrase --count 1 --out-key one.key --out-pub one.pub \
    >/dev/null 2>&1
"$B/mindl-issuer" issue --sample-policy --no-passphrase --ds-key ds.key --ds-cert ds.pem \
    --portrait "$port" --device-pub one.pub --record "$rec" -o full.mdl >/dev/null 2>&1
expect 2 "an ordinary credential" "$B/mindl-holder" qr --credential full.mdl \
    --purpose age-21 --png no.png
grep -q "holds no purpose credential" err && ok "... says it holds none" ||
    nok "message: $(cat err)"
expect 2 "an existing output" "$B/mindl-holder" qr --credential p.mdl --purpose age-21 \
    --png age-21.png
grep -q MINDL_ERR_EXISTS err && ok "... MINDL_ERR_EXISTS" || nok "$(cat err)"
expect 0 "... replaced with -f" "$B/mindl-holder" qr --credential p.mdl --purpose age-21 \
    --png age-21.png -f
expect 2 "no output and stdout not a terminal" "$B/mindl-holder" qr --credential p.mdl \
    --purpose age-21
grep -q "give --png OUT, --svg OUT or --text" err && ok "... says which output to give" ||
    nok "message: $(cat err)"
expect 2 "--scale 0" "$B/mindl-holder" qr --credential p.mdl --purpose age-21 \
    --png no.png --scale 0
expect 2 "--scale without --png" "$B/mindl-holder" qr --credential p.mdl \
    --purpose age-21 --text --scale 2
expect 2 "--json failure shape" "$B/mindl-holder" qr --credential y.mdl \
    --purpose identity --text --json
[ "$(jq -r '.ok == false and .error == "MINDL_ERR_PROFILE"' out)" = true ] &&
    ok "... one object" || nok "json: $(cat out)"
[ ! -e no.png ] && ok "refusals wrote nothing" || nok "no.png written"
# Long names that do not compress: too large for any code.
fn=$(head -c 4000 /dev/urandom | tr -dc 'A-Za-z' | head -c 150)
gn=$(head -c 4000 /dev/urandom | tr -dc 'A-Za-z' | head -c 150)
jq --arg f "$fn" --arg g "$gn" '.family_name = $f | .given_name = $g' "$rec" >long.json
iss --record long.json --purpose traffic-stop -o long.mdl >/dev/null 2>&1 ||
    nok "issue a long-named traffic-stop credential"
expect 1 "a credential too large for version 40-M" "$B/mindl-holder" qr \
    --credential long.mdl --purpose traffic-stop --png long.png
grep -q "does not fit a version 40-M QR code" err && grep -q MINDL_ERR_TOO_LARGE err &&
    [ ! -e long.png ] && ok "... MINDL_ERR_TOO_LARGE, what to do, nothing written" ||
    nok "too large: $(cat err)"

# A revoked licence: its driving code REVOKED, its age code valid.
"$B/mindl-keys" status-signer --no-passphrase --iaca-no-passphrase --iaca-key iaca.key \
    --iaca-cert iaca.pem --out-key sl.key --out-cert sl.pem >/dev/null 2>&1 &&
"$B/mindl-issuer" init --registry reg.db --status-uri https://dmv.example/status/1 \
    --kdf-cost 10 >/dev/null 2>&1 &&
iss --record "$rec" --registry reg.db --purpose age-21,traffic-stop -o r.mdl \
    >/dev/null 2>&1 &&
"$B/mindl-holder" qr --credential r.mdl --purpose age-21 --png r21.png >/dev/null 2>&1 &&
"$B/mindl-holder" qr --credential r.mdl --purpose traffic-stop --png rts.png \
    >/dev/null 2>&1 || nok "issue through a registry, make its codes"
sdb=$d/status.db
at=$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:%SZ)
"$B/mindl-issuer" status publish --registry reg.db --signer-key sl.key \
    --signer-cert sl.pem --no-passphrase -o l0.cwt >/dev/null 2>&1 &&
V status import l0.cwt --trust iaca.pem --status-db "$sdb" >/dev/null 2>&1 ||
    nok "publish and import the first list"
expect 0 "the driving code before revocation" V scan --trust iaca.pem rts.png \
    --status-db "$sdb" --no-portrait --at "$at"
grep -q "^status: valid" out && ok "... status: valid" || nok "status: $(cat out)"
"$B/mindl-issuer" revoke --registry reg.db --document-number SS7Q4M2K9X >/dev/null 2>&1 &&
"$B/mindl-issuer" status publish --registry reg.db --signer-key sl.key \
    --signer-cert sl.pem --no-passphrase -o l1.cwt \
    --at "$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)" >/dev/null 2>&1 &&
V status import l1.cwt --trust iaca.pem --status-db "$sdb" --at "$at" >/dev/null 2>&1 ||
    nok "revoke, publish and import"
expect 1 "the revoked licence's driving code" V scan --trust iaca.pem rts.png \
    --status-db "$sdb" --no-portrait --at "$at"
head -n 1 out | grep -q "^REVOKED" && [ "$(wc -l <out)" -eq 1 ] &&
    ok "... REVOKED, and nothing else shown" || nok "revoked: $(cat out)"
expect 1 "... --json" V scan --trust iaca.pem rts.png --status-db "$sdb" --at "$at" --json
[ "$(jq -r '.ok == false and .error == "MINDL_ERR_REVOKED" and .status.state == "revoked"
    and .disclosed == {}' out)" = true ] && ok "... MINDL_ERR_REVOKED, state revoked" ||
    nok "revoked json: $(cat out)"
expect 0 "its age code still valid" V scan --trust iaca.pem r21.png --status-db "$sdb" \
    --at "$at" --json
[ "$(jq -r '.ok and .status.state == "none" and .status.uri == null' out)" = true ] &&
    ok "... the age code carries no status (state none)" || nok "age: $(jq -c .status out)"

# Hostile pictures and texts: named errors, exit 1, nothing shown.
# refused WANT_ERROR DESC CMD...: exit 1, one INVALID line, the error.
refused() {
	_e=$1
	_d=$2
	shift 2
	"$@" >out 2>err
	_r=$?
	if [ "$_r" -eq 1 ] && [ "$(wc -l <out)" -eq 1 ] && grep -q "^INVALID: .*($_e)$" out &&
	    ! grep -q "VALID$\|age_over\|Portrait" out; then ok "$_d: $_e"; else
		nok "$_d (exit $_r, want 1 and $_e): $(head -c 300 out) $(head -c 300 err)"; fi
}
"$Q" blank blank.png || nok "qrtool blank"
refused MINDL_ERR_QR_NOT_FOUND "a PNG with no code" V scan --trust iaca.pem blank.png
grep -q "in blank.png" out && ok "... the file named" || nok "$(cat out)"
head -c 1500 age-21.png >cut.png
refused MINDL_ERR_QR_NOT_FOUND "a truncated PNG" V scan --trust iaca.pem cut.png
refused MINDL_ERR_QR_NOT_FOUND "a photo with no code" V scan --trust iaca.pem "$port"
refused MINDL_ERR_UNSUPPORTED "a file that is no picture" V scan --trust iaca.pem p.mdl
refused MINDL_ERR_QR "a wrong prefix" V verify --trust iaca.pem --qr-text "$corpus/prefix-hc1"
refused MINDL_ERR_QR "bad base45" V verify --trust iaca.pem --qr-text "$corpus/base45-char"
refused MINDL_ERR_QR "a zlib bomb" V verify --trust iaca.pem --qr-text "$corpus/zlib-bomb-1MiB"
"$Q" png bomb.png <"$corpus/zlib-bomb-1MiB" || nok "qrtool png bomb"
refused MINDL_ERR_QR "a zlib bomb in a picture" V scan --trust iaca.pem bomb.png
head -c 400 age-21.txt >cut.txt
refused MINDL_ERR_QR "a cut text" V verify --trust iaca.pem --qr-text cut.txt
# One flipped bit of the Document anywhere: never accepted.
for off in 40 300 900 1500 1790; do
	"$Q" tamper $off <age-21.txt >t$off.txt || nok "qrtool tamper $off"
	"$B/mindl-verifier" verify --trust iaca.pem --qr-text t$off.txt --json >out 2>err
	r=$?
	[ "$r" -eq 1 ] && [ "$(jq -r '.ok == false and .valid == false and .disclosed == {}
	    and (.error | startswith("MINDL_ERR_"))' out)" = true ] &&
	    ok "byte $off flipped: $(jq -r .error out)" || nok "byte $off flipped: exit $r $(cat out)"
done
"$Q" tamper 1200 <age-21.txt | "$Q" png tamp.png || nok "qrtool png tampered"
"$B/mindl-verifier" scan --trust iaca.pem tamp.png >out 2>err
r=$?
[ "$r" -eq 1 ] && grep -q "^INVALID: .*(MINDL_ERR_[A-Z_]*)$" out && [ "$(wc -l <out)" -eq 1 ] &&
    ok "a tampered code scanned: $(sed 's/.*(\(.*\))$/\1/' out)" || nok "tampered scan: exit $r $(cat out)"
expect 3 "an image that does not exist" V scan --trust iaca.pem none.png
expect 2 "--qr-text with --response" V verify --trust iaca.pem --qr-text age-21.txt \
    --response x
expect 2 "--qr-text with --request" V verify --trust iaca.pem --qr-text age-21.txt \
    --request x
expect 2 "scan with no image" V scan --trust iaca.pem
expect 2 "scan with no trust anchor" V scan age-21.png
finish
