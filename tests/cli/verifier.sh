#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/cli/verifier.sh: mindl-verifier against the command-line contract
# (DESIGN.md section 5) and privacy rule 4: exit codes, --json shape,
# file modes, only the profile's elements shown, nothing written about
# the holder, and the ISO 18013-5 Annex D vector in bare mode.
#
# Run from the repository root:  sh tests/cli/verifier.sh
# Tools come from $MINDL_BIN (default bin); the Annex D vector from
# tests/vectors/iso18013-5-annex-d (missing, it fails).  Needs jq for the
# JSON checks, openssl and xxd (or perl) to turn the Annex D reader key
# to PEM.
set -u

BIN=${MINDL_BIN:-bin}
case $BIN in
/*) ;;
*) BIN=$(pwd)/$BIN ;;
esac
ROOT=$(pwd)
VER=$BIN/mindl-verifier
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }
skip() { pass=$((pass + 1)); echo "ok - $1 # SKIP $2"; }
# check DESC CMD...: ok if CMD succeeds.
check() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else nok "$_d"; fi
}
# rc_is WANT CMD...: runs CMD (stdout to $T/out, stderr to $T/err).
rc_is() {
	_want=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	_rc=$?
	[ "$_rc" -eq "$_want" ] && return 0
	echo "    exit $_rc, wanted $_want: $*" >&2
	sed 's/^/    stderr: /' "$T/err" >&2
	return 1
}
# jqt FILTER FILE: true if the jq filter yields true.
jqt() {
	[ "$(jq -r "$1" "$2" 2>/dev/null)" = true ]
}
mode_of() {
	# POSIX ls: "-rw-------" for 0600.
	# shellcheck disable=SC2012
	ls -ln "$1" | cut -c1-10
}

if [ ! -x "$VER" ]; then
	echo "not ok - $VER not built"
	echo "0 passed, 1 failed"
	exit 1
fi
HAVE_JQ=0
command -v jq >/dev/null 2>&1 && HAVE_JQ=1

T=$(mktemp -d "${TMPDIR:-/tmp}/mindl-verifier-test.XXXXXX") || exit 3
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

# --- verifier alone -----------------------------------------------------

check "profiles lists profiles" sh -c "'$VER' profiles | grep -q age-18"
if [ "$HAVE_JQ" = 1 ]; then
	"$VER" profiles --json >"$T/profiles.json" 2>/dev/null
	check "profiles --json has ids, titles, elements" \
	    jqt '(.profiles | length > 0) and all(.profiles[]; (.id|type) == "string" and (.title|type) == "string" and (.portrait|type) == "boolean" and (.elements|type) == "object")' "$T/profiles.json"
	PROFILES=$(jq -r '.profiles[].id' "$T/profiles.json")
else
	PROFILES=$("$VER" profiles | grep -v '^[[:space:]]' | cut -f1)
fi

check "no verb: usage, exit 2" rc_is 2 "$VER"
check "unknown verb: exit 2" rc_is 2 "$VER" frobnicate
check "--help: exit 0" rc_is 0 "$VER" --help
check "verify --help: exit 0" rc_is 0 "$VER" verify --help
check "request without --profile: exit 2" rc_is 2 "$VER" request -o "$T/x.req"
if rc_is 2 "$VER" request --profile no-such-profile -o "$T/x.req" &&
    grep -q age-18 "$T/err" && [ ! -e "$T/x.req" ] && [ ! -e "$T/x.req.key" ]; then
	ok "unknown profile: exit 2, known ids listed, nothing written"
else
	nok "unknown profile: exit 2, known ids listed, nothing written"
fi
check "request -o - without --out-key: exit 2" \
    rc_is 2 "$VER" request --profile age-18 -o -

# request: key 0600 beside REQ, O_EXCL.
if rc_is 0 "$VER" request --profile age-18 -o "$T/a.req" &&
    [ -s "$T/a.req" ] && [ -f "$T/a.req.key" ]; then
	ok "request writes REQ and REQ.key"
else
	nok "request writes REQ and REQ.key"
fi
check "REQ.key mode is 600" [ "$(mode_of "$T/a.req.key")" = "-rw-------" ]
check "REQ.key is a PEM private key" grep -q "BEGIN PRIVATE KEY" "$T/a.req.key"
printf 'keep me\n' >"$T/existing"
if rc_is 2 "$VER" request --profile age-18 -o "$T/existing" &&
    [ "$(cat "$T/existing")" = "keep me" ] && [ ! -e "$T/existing.key" ]; then
	ok "request -o over an existing file fails and leaves it intact"
else
	nok "request -o over an existing file fails and leaves it intact"
fi
cp "$T/a.req" "$T/a.req.orig"
cp "$T/a.req.key" "$T/a.req.key.orig"
if rc_is 2 "$VER" request --profile age-21 -o "$T/a.req" &&
    cmp -s "$T/a.req" "$T/a.req.orig" && cmp -s "$T/a.req.key" "$T/a.req.key.orig"; then
	ok "a second request over REQ leaves REQ and REQ.key intact"
else
	nok "a second request over REQ leaves REQ and REQ.key intact"
fi
if rc_is 0 "$VER" request --profile age-21 -o "$T/a.req" -f &&
    ! cmp -s "$T/a.req" "$T/a.req.orig" &&
    [ "$(mode_of "$T/a.req.key")" = "-rw-------" ]; then
	ok "request --force replaces REQ and REQ.key"
else
	nok "request --force replaces REQ and REQ.key"
fi
if rc_is 0 "$VER" request --profile age-18 -o - --out-key "$T/stdout.key" &&
    [ -s "$T/out" ] && [ -f "$T/stdout.key" ]; then
	ok "request -o - --out-key K writes the request to stdout"
else
	nok "request -o - --out-key K writes the request to stdout"
fi

# inspect: labelled, for a request file.
if rc_is 0 "$VER" inspect "$T/a.req" &&
    [ "$(head -n 1 "$T/out")" = "UNVERIFIED: nothing below has been checked" ] &&
    grep -q "age_over_21 (intent_to_retain false)" "$T/out"; then
	ok "inspect REQ starts with UNVERIFIED and lists the elements"
else
	nok "inspect REQ starts with UNVERIFIED and lists the elements"
fi
if [ "$HAVE_JQ" = 1 ]; then
	"$VER" inspect --json "$T/a.req" >"$T/inspect.json" 2>/dev/null
	check "inspect --json REQ: verified false, profile age-21" \
	    jqt '.verified == false and .type == "request" and .profile == "age-21"' "$T/inspect.json"
fi
printf '\377not cbor' >"$T/garbage"
check "inspect of garbage: exit 1" rc_is 1 "$VER" inspect "$T/garbage"
check "inspect of a missing file: exit 3" rc_is 3 "$VER" inspect "$T/nonexistent"

# --- Annex D vector, bare mode ------------------------------------------

AD=tests/vectors/iso18013-5-annex-d
hex2bin() {
	if command -v xxd >/dev/null 2>&1; then
		xxd -r -p
	else
		perl -e 'local $/; $_ = <STDIN>; s/\s+//g; print pack("H*", $_)'
	fi
}
if [ ! -f "$AD/annexD_D.4.1.2_device_response.hex" ]; then
	nok "Annex D vector: $AD/annexD_D.4.1.2_device_response.hex not found"
elif ! command -v openssl >/dev/null 2>&1; then
	skip "Annex D vector" "openssl not installed"
else
	# The reader's ephemeral key as PEM: SEC1 ECPrivateKey from d on
	# P-256, then PKCS#8 via openssl.
	d=$(sed 's/.*"d"[[:space:]]*:[[:space:]]*"\([0-9a-fA-F]*\)".*/\1/' \
	    "$AD/annexD_ephemeral_reader_key.json")
	printf '30310201010420%sa00a06082a8648ce3d030107' "$d" | hex2bin |
	    openssl pkey -inform DER -out "$T/annexd-reader.pem" 2>/dev/null
	set -- --trust "$AD/annexD_iaca_root.pem" \
	    --transcript "$AD/annexD_D.5.1_session_transcript_bytes.hex" \
	    --response "$AD/annexD_D.4.1.2_device_response.hex"
	if rc_is 0 "$VER" verify "$@" --reader-key "$T/annexd-reader.pem" \
	    --at 2021-01-01T00:00:00Z && [ "$(head -n 1 "$T/out")" = VALID ] &&
	    grep -q "profile: none (all disclosed elements shown)" "$T/out"; then
		ok "Annex D DeviceResponse verifies at 2021-01-01 (bare mode, hex input)"
	else
		nok "Annex D DeviceResponse verifies at 2021-01-01 (bare mode, hex input)"
	fi
	if [ "$HAVE_JQ" = 1 ]; then
		"$VER" verify "$@" --reader-key "$T/annexd-reader.pem" \
		    --at 2021-01-01T00:00:00Z --json >"$T/ad.json" 2>/dev/null
		check "Annex D --json: valid, 6 elements, mac, profile null" \
		    jqt '.valid and .error == null and .profile == null and (.disclosed["org.iso.18013.5.1"] | length) == 6 and .device_auth == "mac" and .dropped == 0 and .disclosed["org.iso.18013.5.1"].family_name == "Doe"' "$T/ad.json"
		"$VER" verify "$@" --reader-key "$T/annexd-reader.pem" \
		    --at 2021-01-01T00:00:00Z --json --profile age-18 \
		    >"$T/ad18.json" 2>/dev/null
		if jqt '.valid and .profile == "age-18" and (.disclosed | [.[] | keys[]]) == ["portrait"] and .dropped == 5' "$T/ad18.json" &&
		    ! grep -q Doe "$T/ad18.json"; then
			ok "Annex D --profile age-18: only the portrait, 5 dropped unseen"
		else
			nok "Annex D --profile age-18: only the portrait, 5 dropped unseen"
		fi
	fi
	if rc_is 1 "$VER" verify "$@" --at 2021-01-01T00:00:00Z &&
	    grep -q MINDL_ERR_DEVICE_AUTH "$T/out" && ! grep -q Doe "$T/out"; then
		ok "Annex D without the reader key: deviceMac fails, nothing shown"
	else
		nok "Annex D without the reader key: deviceMac fails, nothing shown"
	fi
	check "Annex D at 2025 (expired): exit 1" \
	    rc_is 1 "$VER" verify "$@" --reader-key "$T/annexd-reader.pem" --at 2025-01-01
	check "Annex D with a wrong --profile: exit 2" \
	    rc_is 2 "$VER" verify "$@" --reader-key "$T/annexd-reader.pem" --profile nope
	"$VER" verify "$@" --reader-key "$AD/annexD_ephemeral_reader_key.json" \
	    --at 2021-01-01T00:00:00Z >"$T/out" 2>"$T/err"
	case $? in
	0) ok "Annex D with the JSON {x, y, d} reader key" ;;
	*) nok "Annex D with the JSON {x, y, d} reader key" ;;
	esac
	# A JSON key whose d does not match x, y is refused.
	sed 's/"d": "de3b/"d": "de3c/' "$AD/annexD_ephemeral_reader_key.json" \
	    >"$T/badkey.json"
	check "a JSON reader key with a mismatched d: exit 2" \
	    rc_is 2 "$VER" verify "$@" --reader-key "$T/badkey.json" \
	    --at 2021-01-01T00:00:00Z
	if rc_is 0 "$VER" inspect "$AD/annexD_D.4.1.2_device_response.hex" &&
	    [ "$(head -n 1 "$T/out")" = "UNVERIFIED: nothing below has been checked" ] &&
	    grep -q "family_name" "$T/out"; then
		ok "inspect Annex D DeviceResponse (hex): labelled UNVERIFIED"
	else
		nok "inspect Annex D DeviceResponse (hex): labelled UNVERIFIED"
	fi
	check "inspect Annex D DeviceRequest (hex)" \
	    rc_is 0 "$VER" inspect "$AD/annexD_D.4.1.1_device_request.hex"
fi

# --- full round trip: needs mindl-keys, mindl-issuer, mindl-holder --------

for t in keys issuer holder; do
	if [ ! -x "$BIN/mindl-$t" ]; then
		skip "round trip through issuer and holder" "$BIN/mindl-$t not built"
		echo "$pass passed, $fail failed"
		[ "$fail" -eq 0 ]
		exit
	fi
done
PORTRAIT=""
for p in schemas/samples/portrait.jpg tests/interop/sample-portrait.jpg; do
	[ -f "$p" ] && { PORTRAIT=$ROOT/$p; break; }
done
FAMILY=Quixotewright
cat >"$T/record.json" <<EOF
{"family_name": "$FAMILY", "given_name": "Alex", "birth_date": "1990-04-15",
 "document_number": "D1234567",
 "driving_privileges": [{"vehicle_category_code": "C", "issue_date": "2020-01-01"}],
 "sex": 2, "height": 170, "eye_colour": "brown"}
EOF
setup_ok=1
"$BIN/mindl-keys" iaca --no-passphrase --country US --state SS --name "Test IACA" \
    --out-key "$T/iaca.key" --out-cert "$T/iaca.pem" >/dev/null 2>&1 || setup_ok=0
"$BIN/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key "$T/iaca.key" --iaca-cert "$T/iaca.pem" \
    --out-key "$T/ds.key" --out-cert "$T/ds.pem" >/dev/null 2>&1 || setup_ok=0
"$BIN/mindl-keys" iaca --no-passphrase --country US --state SS --name "Other IACA" \
    --out-key "$T/other.key" --out-cert "$T/other.pem" >/dev/null 2>&1 || setup_ok=0
"$BIN/mindl-holder" keygen --no-passphrase --out-key "$T/dev.key" --out-pub "$T/dev.pub" \
    >/dev/null 2>&1 || setup_ok=0
[ -n "$PORTRAIT" ] || setup_ok=0
if [ "$setup_ok" = 1 ] && "$BIN/mindl-issuer" issue --no-passphrase --sample-policy --record "$T/record.json" \
    --portrait "$PORTRAIT" --ds-key "$T/ds.key" --ds-cert "$T/ds.pem" \
    --device-pub "$T/dev.pub" -o "$T/cred" >/dev/null 2>"$T/err"; then
	ok "setup: IACA, DS, device key and credential"
else
	nok "setup: IACA, DS, device key and credential"
	sed 's/^/    /' "$T/err"
	echo "$pass passed, $fail failed"
	exit 1
fi

. "$ROOT/tests/common/reader.sh"
reader_setup "$BIN" "$T" || nok "reader CA and reader certificate"
# A signed request: present over a copy of its engagement (present removes
# the one it used), so that a test can answer the same request twice.
present() { # REQ RESP [--auth ...]
	_req=$1
	_resp=$2
	shift 2
	if [ -f "$_req.de" ]; then
		cp "$_req.de" "$_req.de.use"
		set -- --reader-trust "$T/rca.pem" --engagement "$_req.de.use" "$@"
	fi
	"$BIN/mindl-holder" present --yes --no-passphrase --credential "$T/cred" \
	    --device-key "$T/dev.key" --request "$_req" -o "$_resp" -q "$@" \
	    >/dev/null 2>"$T/err"
}

# Each profile: request -> present -> verify shows exactly its elements.
for p in $PROFILES; do
	if ! rc_is 0 signed_request "$BIN" "$T" "$p" "$T/$p.req" ||
	    ! present "$T/$p.req" "$T/$p.resp"; then
		nok "$p: request and present"
		continue
	fi
	if ! rc_is 0 "$VER" verify --trust "$T/iaca.pem" --request "$T/$p.req" \
	    --response "$T/$p.resp" --json; then
		nok "$p: verify exits 0"
		continue
	fi
	if [ "$HAVE_JQ" = 1 ]; then
		want=$(jq -c --arg p "$p" '[.profiles[] | select(.id == $p) | .elements | to_entries[] | .key as $ns | .value[] | $ns + "/" + .] | sort' "$T/profiles.json")
		got=$(jq -c '[.disclosed | to_entries[] | .key as $ns | .value | keys[] | $ns + "/" + .] | sort' "$T/out")
		if [ "$want" = "$got" ] && jqt '.valid and .error == null and .dropped == 0 and .device_auth == "mac" and (.signer|type) == "string" and (.valid_until|type) == "string"' "$T/out"; then
			ok "$p: verify --json discloses exactly the profile's elements"
		else
			nok "$p: verify --json discloses exactly the profile's elements (want $want, got $got)"
		fi
	else
		check "$p: verify --json valid" grep -q '"valid":true' "$T/out"
	fi
done

# The traffic-stop response carries the family name: the rest uses it.
R=$T/traffic-stop
if [ ! -f "$R.resp" ]; then
	nok "traffic-stop response exists"
	echo "$pass passed, $fail failed"
	exit 1
fi

if rc_is 0 "$VER" verify --trust "$T/iaca.pem" --request "$R.req" --response "$R.resp" &&
    [ "$(head -n 1 "$T/out")" = "LICENCE VALID: YES" ] &&
    [ "$(sed -n 2p "$T/out")" = VALID ] &&
    grep -q "^org.iso.18013.5.1/family_name: \"$FAMILY\"$" "$T/out" &&
    grep -q "^org.iso.18013.5.1/portrait: [0-9]* bytes JPEG$" "$T/out" &&
    grep -q "^device auth: mac$" "$T/out"; then
	ok "verify text output: the purpose verdict first, VALID, elements, portrait as bytes"
else
	nok "verify text output: the purpose verdict first, VALID, elements, portrait as bytes"
fi

# Then who issued it, from the signing certificate, and the profile's
# fields labelled in the order a person reads them: name before number,
# privileges one a line; the raw details after them.
lab=$(sed -n '3,/^details:$/p' "$T/out")
if [ "$(echo "$lab" | head -n 1)" = "issued by: $(openssl x509 -in "$T/iaca.pem" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= //p') (US-SS)" ] &&
    [ "$(echo "$lab" | grep -o '^  [A-Z][a-z ]*:' | tr -d '\n')" = \
    "  Family name:  Given name:  Licence expires:  Licence number:  Portrait:  Driving privileges:" ] &&
    echo "$lab" | grep -q "^  Family name: *$FAMILY$" &&
    echo "$lab" | grep -q '^  Portrait: *[0-9]*-byte JPEG, not saved$' &&
    echo "$lab" | grep -Eq '^    [A-Z0-9]+  from [0-9-]{10}' &&
    [ "$(echo "$lab" | tail -n 1)" = "details:" ]; then
	ok "verify text output: issuer from the certificate, labelled fields in order, then details"
else
	nok "verify labelled fields: $lab"
fi

# Files given in the wrong place are named for what they are.
if rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$R.req" \
    --response "$T/cred" &&
    grep -q "^INVALID: this is a credential file, not the holder's response" "$T/out"; then
	ok "a credential given as the response: said so"
else
	nok "a credential given as the response: $(cat "$T/out")"
fi
if rc_is 2 "$VER" verify --trust "$T/iaca.pem" --request "$T/cred" \
    --reader-key "$R.req.key" --response "$R.resp" &&
    grep -q "this is a credential file, not a request" "$T/err"; then
	ok "a credential given as the request: said so, exit 2"
else
	nok "a credential given as the request: $(cat "$T/err")"
fi

# The purpose verdict: a genuine licence is not always a yes.  A bar's
# age-21 check of an 18-year-old: valid, signed age_over_21 false.
sed -e 's/"1990-04-15"/"2008-01-01"/' "$T/record.json" >"$T/young.json"
"$VER" request --profile age-21 -o "$T/bar.req" >/dev/null 2>&1
if "$BIN/mindl-issuer" issue --no-passphrase --sample-policy --record "$T/young.json" --portrait "$PORTRAIT" \
    --ds-key "$T/ds.key" --ds-cert "$T/ds.pem" --device-pub "$T/dev.pub" \
    -o "$T/young.cred" >/dev/null 2>&1 &&
    "$BIN/mindl-holder" present --yes --no-passphrase --credential "$T/young.cred" \
    --device-key "$T/dev.key" --request "$T/bar.req" -o "$T/young.resp" -q \
    >/dev/null 2>&1 &&
    rc_is 4 "$VER" verify --trust "$T/iaca.pem" --request "$T/bar.req" \
    --response "$T/young.resp" &&
    [ "$(head -n 1 "$T/out")" = "OVER 21: NO (age_over_21 is false)" ] &&
    [ "$(sed -n 2p "$T/out")" = VALID ]; then
	ok "age-21, holder under 21: OVER 21: NO first, exit 4"
else
	nok "age-21, holder under 21: OVER 21: NO first, exit 4: $(cat "$T/out")"
fi
if [ "$HAVE_JQ" = 1 ]; then
	rc_is 4 "$VER" verify --trust "$T/iaca.pem" --request "$T/bar.req" \
	    --response "$T/young.resp" --json
	check "age-21, holder under 21, --json: valid, purpose_met false, the reason" \
	    jqt '.valid and .purpose == "OVER 21" and .purpose_met == false and .purpose_reason == "age_over_21 is false" and .disclosed["org.iso.18013.5.1"].age_over_21 == false' "$T/out"
fi
present "$T/bar.req" "$T/adult.resp"
if rc_is 0 "$VER" verify --trust "$T/iaca.pem" --request "$T/bar.req" \
    --response "$T/adult.resp" &&
    [ "$(head -n 1 "$T/out")" = "OVER 21: YES" ]; then
	ok "age-21, holder over 21: OVER 21: YES first, exit 0"
else
	nok "age-21, holder over 21: OVER 21: YES first, exit 0"
fi
# (An expired licence under a live MSO cannot be issued with the built-in
# policy; tests/unit/test_purpose.c judges that case.)
if [ "$HAVE_JQ" = 1 ]; then
	"$VER" profiles --json >"$T/pp.json" 2>/dev/null
	check "profiles --json: each profile states its question and rule" \
	    jqt 'all(.profiles[]; (.purpose|type) == "string" and (.rule|startswith("YES when ")))' "$T/pp.json"
fi

# Tampering with one byte of an element value: digest mismatch.
off=$(grep -boa "$FAMILY" "$R.resp" | head -n 1 | cut -d: -f1)
cp "$R.resp" "$T/tampered.resp"
if [ -n "$off" ]; then
	printf 'X' | dd of="$T/tampered.resp" bs=1 seek="$off" conv=notrunc 2>/dev/null
fi
if [ -n "$off" ] && ! cmp -s "$R.resp" "$T/tampered.resp" &&
    rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$R.req" \
    --response "$T/tampered.resp" --json &&
    grep -q '"error":"MINDL_ERR_DIGEST"' "$T/out" &&
    grep -q '"disclosed":{}' "$T/out" && ! grep -q "$FAMILY" "$T/out"; then
	ok "one flipped byte in the family name: exit 1, MINDL_ERR_DIGEST, nothing disclosed"
else
	nok "one flipped byte in the family name: exit 1, MINDL_ERR_DIGEST, nothing disclosed"
fi
if rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$R.req" \
    --response "$T/tampered.resp" &&
    grep -q '^INVALID: .* (MINDL_ERR_DIGEST)$' "$T/out" &&
    [ "$(wc -l <"$T/out")" -eq 1 ]; then
	ok "tampered, text: one INVALID line and nothing else"
else
	nok "tampered, text: one INVALID line and nothing else"
fi

# After expiry of the MSO (30 days by policy) but within the DS cert.
later=$(( $(date -u +%s) + 45 * 86400 ))
AT=$(date -u -d "@$later" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null ||
    date -u -r "$later" +%Y-%m-%dT%H:%M:%SZ)
if rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$R.req" \
    --response "$R.resp" --at "$AT" --json &&
    grep -q '"error":"MINDL_ERR_EXPIRED"' "$T/out"; then
	ok "verify --at after expiry: MINDL_ERR_EXPIRED"
else
	nok "verify --at after expiry: MINDL_ERR_EXPIRED"
fi
# A lapsed copy is not a lapsed licence, and a wrong clock is neither.
if rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$R.req" \
    --response "$R.resp" --at "$AT" &&
    grep -q "^INVALID: the licence is valid until [0-9-]* but this copy's signature expired on [0-9-]*: the holder must renew it (MINDL_ERR_EXPIRED)$" "$T/out"; then
	ok "an expired copy of a valid licence: both dates, renew"
else
	nok "an expired copy of a valid licence: $(cat "$T/out")"
fi
if rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$T/age-21.req" \
    --response "$T/age-21.resp" --at "$AT" &&
    grep -q "^INVALID: this copy's signature expired on [0-9-]*: the holder must renew it" "$T/out"; then
	ok "an expired copy without the expiry date disclosed: the copy's date"
else
	nok "an expired copy without the expiry date disclosed: $(cat "$T/out")"
fi
if rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$R.req" \
    --response "$R.resp" --at 2001-01-01 &&
    grep -q "^INVALID: the reader's clock (2001-01-01) is before the document signer certificate's notBefore [0-9-]*: check the clock" "$T/out"; then
	ok "a reader clock before the signer's certificate: check the clock, with the dates"
else
	nok "a reader clock before the signer's certificate: $(cat "$T/out")"
fi
for c in mso-not-yet-valid:"this copy is valid from .* but the reader's clock says" \
    mso-signed-in-future:"this copy was signed at .*, after the reader's clock"; do
	if rc_is 1 "$VER" verify --trust tests/neg/cases/iaca.pem \
	    --request tests/neg/cases/request.cbor \
	    --reader-key tests/neg/cases/test-reader-key.pem \
	    --at 2026-01-01T13:00:00Z --response "tests/neg/cases/${c%%:*}.cbor" &&
	    grep -q "^INVALID: ${c#*:}" "$T/out"; then
		ok "${c%%:*}: the dates and check the clock"
	else
		nok "${c%%:*}: $(cat "$T/out")"
	fi
done
check "verify --at garbage: exit 2" rc_is 2 "$VER" verify --trust "$T/iaca.pem" \
    --request "$R.req" --response "$R.resp" --at yesterday-ish

if rc_is 1 "$VER" verify --trust "$T/other.pem" --request "$R.req" \
    --response "$R.resp" --json &&
    grep -q '"error":"MINDL_ERR_UNTRUSTED"' "$T/out"; then
	ok "wrong trust anchor: MINDL_ERR_UNTRUSTED"
else
	nok "wrong trust anchor: MINDL_ERR_UNTRUSTED"
fi
check "two trust anchors, one right: valid" rc_is 0 "$VER" verify \
    --trust "$T/other.pem" --trust "$T/iaca.pem" --request "$R.req" --response "$R.resp"

# Replay against a fresh request: the session differs.  The response
# names the request it answered, so the failure says so.
signed_request "$BIN" "$T" traffic-stop "$T/second.req" >/dev/null 2>&1
if rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$T/second.req" \
    --response "$R.resp" --json &&
    grep -q '"error":"MINDL_ERR_OTHER_REQUEST"' "$T/out"; then
	ok "replayed response (mac) against a second request: MINDL_ERR_OTHER_REQUEST"
else
	nok "replayed response (mac) against a second request: MINDL_ERR_OTHER_REQUEST"
fi
if present "$R.req" "$T/sig.resp" --auth signature &&
    rc_is 0 "$VER" verify --trust "$T/iaca.pem" --request "$R.req" \
    --response "$T/sig.resp" --json && grep -q '"device_auth":"signature"' "$T/out" &&
    rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$T/second.req" \
    --response "$T/sig.resp" --json &&
    grep -q '"error":"MINDL_ERR_OTHER_REQUEST"' "$T/out"; then
	ok "deviceSignature: valid, and a replay fails with MINDL_ERR_OTHER_REQUEST"
else
	nok "deviceSignature: valid, and a replay fails with MINDL_ERR_OTHER_REQUEST"
fi
# Another session's reader key is the verifier's own mistake, said as
# such before verifying: not a forgery by the holder.
if rc_is 2 "$VER" verify --trust "$T/iaca.pem" --request "$R.req" \
    --reader-key "$T/second.req.key" --response "$R.resp" &&
    [ ! -s "$T/out" ] &&
    grep -q "second.req.key: this is not the reader key of this request.*MINDL_ERR_KEY_MISMATCH" "$T/err"; then
	ok "another request's reader key: exit 2, named, no verdict"
else
	nok "another request's reader key: $(cat "$T/out" "$T/err")"
fi

# Exit codes for the verifier's own configuration and the holder's input.
check "verify without --trust: exit 2" rc_is 2 "$VER" verify \
    --request "$R.req" --response "$R.resp"
check "unreadable trust file: exit 2" rc_is 2 "$VER" verify \
    --trust "$T/nonexistent.pem" --request "$R.req" --response "$R.resp"
check "missing reader key: exit 2" rc_is 2 "$VER" verify --trust "$T/iaca.pem" \
    --request "$R.req" --reader-key "$T/nonexistent.key" --response "$R.resp"
check "unreadable response: exit 3" rc_is 3 "$VER" verify --trust "$T/iaca.pem" \
    --request "$R.req" --response "$T/nonexistent.resp"
if rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$R.req" \
    --response "$T/garbage" --json &&
    jqt '.valid == false and (.error|type) == "string" and .disclosed == {}' "$T/out"; then
	ok "unparsable response: exit 1, valid false, disclosed {}"
else
	nok "unparsable response: exit 1, valid false, disclosed {}"
fi
check "--request and --transcript together: exit 2" rc_is 2 "$VER" verify \
    --trust "$T/iaca.pem" --request "$R.req" --transcript "$R.req" --response "$R.resp"

# Retention: a verify writes nothing, in the working directory or TMPDIR.
mkdir "$T/work" "$T/tmp"
cp "$R.req" "$R.req.key" "$R.resp" "$T/iaca.pem" "$T/work/"
# shellcheck disable=SC2012
before=$(cd "$T/work" && ls -la | sed 1d | awk '{print $1, $5, $NF}')
(cd "$T/work" && TMPDIR=$T/tmp HOME=$T/tmp "$VER" verify --trust iaca.pem \
    --request traffic-stop.req --response traffic-stop.resp >/dev/null 2>&1 &&
    TMPDIR=$T/tmp HOME=$T/tmp "$VER" verify --trust iaca.pem \
    --request traffic-stop.req --response traffic-stop.resp --json >/dev/null 2>&1)
vrc=$?
# shellcheck disable=SC2012
after=$(cd "$T/work" && ls -la | sed 1d | awk '{print $1, $5, $NF}')
if [ "$vrc" -eq 0 ] && [ "$before" = "$after" ] && [ -z "$(ls -A "$T/tmp")" ]; then
	ok "verify creates no file (working directory, TMPDIR, HOME unchanged)"
else
	nok "verify creates no file (working directory, TMPDIR, HOME unchanged)"
fi

# Explicit outputs: --out-portrait, --out-transcript, --consume.  A
# portrait is kept only by a profile that may keep it (car-rental), asked
# with --retain, so that the holder was told (intent_to_retain).
KR=$T/keep
rc_is 0 signed_request "$BIN" "$T" car-rental "$KR.req" --retain &&
    present "$KR.req" "$KR.resp" ||
    nok "car-rental --retain: request and present"
if [ "$HAVE_JQ" = 1 ]; then
	"$VER" inspect --json "$KR.req" >"$T/out" 2>/dev/null
	check "request --retain: intent_to_retain true for what the profile may keep, only" \
	    jqt '[.. | objects | select(has("intent_to_retain")) | select(.intent_to_retain) | .identifier] | sort == ["family_name","given_name","portrait"]' "$T/out"
fi
if rc_is 2 "$VER" verify --trust "$T/iaca.pem" --request "$R.req" \
    --response "$R.resp" --out-portrait "$T/kept.jpg" --json &&
    [ ! -e "$T/kept.jpg" ] && grep -q '"error":"MINDL_ERR_PROFILE"' "$T/out" &&
    ! grep -q '"valid"' "$T/out" &&
    grep -q "the request did not tell the holder that the portrait is kept" "$T/err"; then
	ok "--out-portrait for a request that keeps nothing: exit 2 before verifying, nothing written"
else
	nok "--out-portrait without intent_to_retain: $(cat "$T/out" "$T/err")"
fi
if rc_is 2 "$VER" request --profile age-21 --retain -o "$T/r21.req" &&
    [ ! -e "$T/r21.req" ] && grep -q "a age-21 verifier may keep nothing\|an age-21 verifier may keep nothing\|age-21 verifier may keep nothing" "$T/err"; then
	ok "request --retain for a profile that keeps nothing: exit 2"
else
	nok "request --retain age-21: $(cat "$T/err")"
fi

if rc_is 0 "$VER" verify --trust "$T/iaca.pem" --request "$KR.req" \
    --response "$KR.resp" --out-portrait "$T/face.jpg" --out-transcript "$T/st" &&
    cmp -s "$T/face.jpg" "$PORTRAIT" &&
    [ "$(mode_of "$T/face.jpg")" = "-rw-------" ] && [ -s "$T/st" ]; then
	ok "--out-portrait (0600, the issued JPEG) and --out-transcript"
else
	nok "--out-portrait (0600, the issued JPEG) and --out-transcript"
fi
cp "$T/face.jpg" "$T/face.before"
if rc_is 2 "$VER" verify --trust "$T/iaca.pem" --request "$KR.req" \
    --response "$KR.resp" --out-portrait "$T/face.jpg" &&
    [ ! -s "$T/out" ] && grep -q "exists: refusing to overwrite" "$T/err" &&
    grep -q "nothing verified" "$T/err" && cmp -s "$T/face.jpg" "$T/face.before"; then
	ok "--out-portrait over an existing file: exit 2 before verifying, no verdict, file unchanged"
else
	nok "--out-portrait over an existing file: exit 2 before verifying, no verdict, file unchanged"
fi
if rc_is 3 "$VER" verify --trust "$T/iaca.pem" --request "$KR.req" \
    --response "$KR.resp" --out-portrait "$T/no/such/dir/face.jpg" &&
    grep -q "^org.iso.18013.5.1/portrait: [0-9]* bytes JPEG$" "$T/out" &&
    ! grep -q "written to" "$T/out" && grep -q "cannot write the portrait" "$T/err"; then
	ok "--out-portrait that cannot be written: exit 3, the report does not claim it"
else
	nok "--out-portrait that cannot be written: exit 3, the report does not claim it"
fi
if [ "$HAVE_JQ" = 1 ]; then
	rm -f "$T/face2.jpg"
	rc_is 0 "$VER" verify --trust "$T/iaca.pem" --request "$KR.req" \
	    --response "$KR.resp" --out-portrait "$T/face2.jpg" --json
	check "--out-portrait --json: portrait_written names the file" \
	    jqt ".portrait_written == \"$T/face2.jpg\"" "$T/out"
fi
if rc_is 2 "$VER" verify --trust "$T/iaca.pem" --request "$T/employer-driver.req" \
    --response "$T/employer-driver.resp" --out-portrait "$T/none.jpg" &&
    [ ! -e "$T/none.jpg" ]; then
	ok "--out-portrait for a profile without a portrait: refused, nothing written"
else
	nok "--out-portrait for a profile without a portrait: refused, nothing written"
fi
# On a terminal with 24-bit colour the portrait is drawn, not written;
# script(1) gives the verifier a terminal.
if command -v script >/dev/null 2>&1; then
	COLORTERM=truecolor LC_ALL=C.UTF-8 script -qec "'$VER' verify \
	    --trust '$T/iaca.pem' --request '$T/age-21.req' \
	    --response '$T/age-21.resp'" /dev/null >"$T/tty" 2>&1
	n=$(grep -c "$(printf '\033')\[38;2;[0-9]*;[0-9]*;[0-9]*m" "$T/tty")
	[ "$n" -ge 10 ] && grep -q "Portrait: .*shown above, not saved" "$T/tty" &&
	    [ "$(grep -c "$(printf '\033')\[0m" "$T/tty")" -eq "$n" ] &&
	    ok "a terminal with 24-bit colour: the portrait drawn, each line reset" ||
	    nok "portrait drawn: $n lines; $(head -c 300 "$T/tty")"
	COLORTERM=truecolor LC_ALL=C.UTF-8 script -qec "'$VER' verify --no-portrait \
	    --trust '$T/iaca.pem' --request '$T/age-21.req' \
	    --response '$T/age-21.resp'" /dev/null >"$T/tty" 2>&1
	! grep -q "$(printf '\033')" "$T/tty" && grep -q "^OVER 21: YES" "$T/tty" &&
	    ok "--no-portrait: not drawn" || nok "--no-portrait: $(head -c 300 "$T/tty")"
	LC_ALL=C.UTF-8 script -qec "env -u COLORTERM '$VER' verify \
	    --trust '$T/iaca.pem' --request '$T/age-21.req' \
	    --response '$T/age-21.resp'" /dev/null >"$T/tty" 2>&1
	! grep -q "$(printf '\033')" "$T/tty" &&
	    ok "a terminal without 24-bit colour: not drawn" ||
	    nok "no COLORTERM: $(head -c 300 "$T/tty")"
fi
COLORTERM=truecolor "$VER" verify --trust "$T/iaca.pem" --request "$T/age-21.req" \
    --response "$T/age-21.resp" >"$T/out" 2>&1
! grep -q "$(printf '\033')" "$T/out" && ok "not a terminal: not drawn" ||
    nok "drawn into a pipe"
check "inspect a response file: UNVERIFIED first" sh -c \
    "'$VER' inspect '$R.resp' | head -n 1 | grep -qx 'UNVERIFIED: nothing below has been checked'"
check "inspect a credential file: UNVERIFIED first" sh -c \
    "'$VER' inspect '$T/cred' | head -n 1 | grep -qx 'UNVERIFIED: nothing below has been checked'"
if [ "$HAVE_JQ" = 1 ]; then
	"$VER" inspect --json "$R.resp" >"$T/inspect.json" 2>/dev/null
	check "inspect --json response: verified false, documents listed" \
	    jqt '.verified == false and .type == "response" and (.documents | length) == 1' "$T/inspect.json"
fi
# Hardening findings 3 to 5, through the tool: a trusted issuer's response
# whose values are signed but of the wrong type, a portrait with a hidden
# segment, an MSO signed after the verification time (tests/neg/cases).
N=tests/neg/cases
for c in value-type-age-over-text-false:MINDL_ERR_VALUE_TYPE \
    value-type-expiry-untagged-text:MINDL_ERR_VALUE_TYPE \
    portrait-value-reserved-segment:MINDL_ERR_PORTRAIT \
    mso-signed-in-future:MINDL_ERR_SIGNED_LATER; do
	if rc_is 1 "$VER" verify --trust "$N/iaca.pem" --request "$N/request.cbor" \
	    --reader-key "$N/test-reader-key.pem" --at 2026-01-01T13:00:00Z \
	    --response "$N/${c%%:*}.cbor" &&
	    head -n 1 "$T/out" | grep -q "^INVALID: .*(${c#*:})" &&
	    ! grep -q Doe "$T/out"; then
		ok "${c%%:*}: INVALID (${c#*:}), nothing shown"
	else
		nok "${c%%:*}: INVALID (${c#*:}), nothing shown: $(cat "$T/out")"
	fi
done
if rc_is 0 "$VER" verify --trust "$N/iaca.pem" --request "$N/request.cbor" \
    --reader-key "$N/test-reader-key.pem" --at 2026-01-01T13:00:00Z \
    --response "$N/ok-mso-signed-within-clock-skew.cbor" &&
    grep -qx VALID "$T/out"; then
	ok "an MSO signed within the clock-skew allowance verifies"
else
	nok "an MSO signed within the clock-skew allowance verifies: $(cat "$T/out")"
fi

cp "$R.req.key" "$T/keep.key"
if rc_is 0 "$VER" verify --trust "$T/iaca.pem" --request "$R.req" \
    --response "$R.resp" --consume && [ ! -e "$R.req.key" ]; then
	ok "--consume deletes REQ.key after a valid verification"
else
	nok "--consume deletes REQ.key after a valid verification"
fi

# Another request or a forgery: device authentication fails for both, and
# the response's readerKeyDigest (SHA-256 of the eReaderKey it answered)
# tells them apart.  A: presented to; B: the same profile, another session.
OTHER="the response answers another request: ask the holder to present again to this one"
"$VER" request --profile age-21 -o "$T/ra.req" >/dev/null 2>&1
"$VER" request --profile age-21 -o "$T/rb.req" >/dev/null 2>&1
if present "$T/ra.req" "$T/ra.resp" &&
    rc_is 0 "$VER" verify --trust "$T/iaca.pem" --request "$T/ra.req" \
    --response "$T/ra.resp"; then
	ok "present to request A: valid against A"
else
	nok "present to request A: valid against A"
fi
if rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$T/rb.req" \
    --response "$T/ra.resp" &&
    [ "$(cat "$T/out")" = "INVALID: $OTHER (MINDL_ERR_OTHER_REQUEST)" ]; then
	ok "A's response against request B: exit 1, present again (MINDL_ERR_OTHER_REQUEST)"
else
	nok "A's response against request B: exit 1, present again: $(cat "$T/out")"
fi
if rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$T/rb.req" \
    --response "$T/ra.resp" --json &&
    grep -q '"error":"MINDL_ERR_OTHER_REQUEST"' "$T/out" &&
    grep -q "\"message\":\"$OTHER\"" "$T/out" &&
    grep -q '"valid":false' "$T/out" && grep -q '"disclosed":{}' "$T/out"; then
	ok "A's response against request B, --json: MINDL_ERR_OTHER_REQUEST, nothing disclosed"
else
	nok "A's response against request B, --json: $(cat "$T/out")"
fi
# One byte of the deviceMac tag changed: a forgery against its own request.
# COSE_Mac0 after the key: 84, protected 43 a1 01 05, {} a0, null f6,
# then 58 20 and the 32-byte tag.
off=$(grep -boa deviceMac "$T/ra.resp" | head -n 1 | cut -d: -f1)
cp "$T/ra.resp" "$T/ra-forged.resp"
if [ -n "$off" ]; then
	off=$((off + 9 + 9 + 4))
	printf 'A' | dd of="$T/ra-forged.resp" bs=1 seek="$off" conv=notrunc 2>/dev/null
	cmp -s "$T/ra.resp" "$T/ra-forged.resp" &&
	    printf 'B' | dd of="$T/ra-forged.resp" bs=1 seek="$off" conv=notrunc 2>/dev/null
fi
if [ -n "$off" ] && ! cmp -s "$T/ra.resp" "$T/ra-forged.resp" &&
    rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$T/ra.req" \
    --response "$T/ra-forged.resp" --json &&
    grep -q '"error":"MINDL_ERR_DEVICE_AUTH"' "$T/out" &&
    rc_is 1 "$VER" verify --trust "$T/iaca.pem" --request "$T/ra.req" \
    --response "$T/ra-forged.resp" &&
    grep -q '^INVALID: device authentication failed (MINDL_ERR_DEVICE_AUTH)$' "$T/out"; then
	ok "a changed deviceMac against its own request: still MINDL_ERR_DEVICE_AUTH"
else
	nok "a changed deviceMac against its own request: still MINDL_ERR_DEVICE_AUTH: $(cat "$T/out")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
