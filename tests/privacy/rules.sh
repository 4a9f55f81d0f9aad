#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Privacy rules 1, 2 (purpose credentials), 3, 4 and 7 of DESIGN.md
# section 4, through the tools.  (Rule 2 for whole credentials:
# tests/unit/test_shape.c and tests/privacy/population.sh; rule 5:
# tests/privacy/offline.sh; rule 6: tests/privacy/population.sh, link part.)
#
#  1. allowlist: every forbidden name is refused by mindl-issuer with the
#     field named, exit 1 and nothing written; so is an unknown field, a
#     portrait segment outside the allow-list, a value the forbidden list
#     catches, a code outside the tables and text outside its charset;
#  2. one shape: two holders whose records differ only in optional
#     elements (which the issuer must not let show) get purpose
#     credentials of the same shape and size, for every profile;
#  3. the issuer keeps nothing: traced, issue writes only the credential;
#  4. the verifier shows only the profile: a response carrying more than
#     the profile (from another implementation, which does not know
#     profiles) verifies, the extra element is dropped unseen and counted;
#  7. deniable by default: a presentation without --auth uses deviceMac,
#     and the MAC cannot be checked without the verifier's private key.
set -u
top=$(pwd)
B=$top/${MINDL_BIN:-bin}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-rules.XXXXXX")
trap 'rm -rf "$d"' EXIT INT TERM
cd "$d" || exit 1
"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "Rules IACA" \
    --out-key iaca.key --out-cert iaca.pem >/dev/null 2>&1 &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key --iaca-cert iaca.pem \
    --out-key ds.key --out-cert ds.pem >/dev/null 2>&1 &&
"$B/mindl-holder" keygen --no-passphrase --out-key dev.key --out-pub dev.pub ||
    { nok "set-up"; echo "$pass passed, $fail failed"; exit 1; }
rec=$top/schemas/samples/sample-record.json
port=$top/schemas/samples/portrait.jpg

issue() {
	"$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$1" --portrait "$port" --ds-key ds.key \
	    --ds-cert ds.pem --device-pub dev.pub -o "$2"
}

# Rule 1: each forbidden name (DESIGN.md rule 1), top level, inside the
# AAMVA namespace, with a harmless value.
n=0
for f in DHS_temporary_lawful_status DHS_compliance DHS_compliance_text \
    EDL_credential EDL_credential.v2 CDL_non_domiciled CDL_non_domiciled.v2 \
    nationality birth_place biometric_template_face race_ethnicity \
    immigration_status visa_type citizenship lawful_status legal_status \
    ssn passport_number consular_card; do
	for where in top aamva; do
		n=$((n + 1))
		if [ "$where" = top ]; then
			sed "s/^{/{\"$f\": \"1\",/" "$rec" >r.json
		else
			sed "s/^{/{\"org.iso.18013.5.1.aamva\": {\"$f\": 1},/" \
			    "$rec" >r.json
		fi
		"$B/mindl-issuer" issue --no-passphrase --sample-policy --record r.json --portrait "$port" \
		    --ds-key ds.key --ds-cert ds.pem --device-pub dev.pub \
		    -o out.mdl >/dev/null 2>err
		rc=$?
		if [ "$rc" -eq 1 ] && [ ! -e out.mdl ] &&
		    grep -q "MINDL_ERR_FORBIDDEN_ELEMENT" err &&
		    grep -q "$f" err; then
			:
		else
			nok "rule 1: $f ($where) refused with its name, nothing written (exit $rc: $(cat err))"
		fi
		rm -f out.mdl
	done
done
[ "$fail" -eq 0 ] && ok "rule 1: $n forbidden-field records refused, named, nothing written"
sed 's/^{/{"favourite_colour": "blue",/' "$rec" >r.json
if issue r.json out.mdl 2>err; then
	nok "rule 1: an unknown field is refused"
elif grep -q favourite_colour err && grep -q MINDL_ERR_UNKNOWN_ELEMENT err &&
    [ ! -e out.mdl ]; then
	ok "rule 1: an unknown field is refused with its name"
else
	nok "rule 1: an unknown field is refused with its name: $(cat err)"
fi

# Rule 1, the portrait: anything but the picture (EXIF GPS and camera
# serials, comments, reserved JPGn segments, Adobe APP14, bytes after the
# end of the image) would reach every verifier shown the photo.  The
# allow-list refuses each, placed where a viewer would never show it:
# after the JFIF header, or after EOI.
for seg in 'ffe1000a457869660000aabb' 'fffe00087363616e6e6564' \
    'fff000087363616e6e6564' 'ffee000e41646f626500640000000001' \
    'eoi:7363616e6e6564'; do
	case $seg in
	eoi:*)	{ cat "$port"; printf '%s' "${seg#eoi:}" | xxd -r -p; } >meta.jpg ;;
	*)	{ head -c 20 "$port"; printf '%s' "$seg" | xxd -r -p
		  tail -c +21 "$port"; } >meta.jpg ;;
	esac
	if "$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$rec" --portrait meta.jpg \
	    --ds-key ds.key --ds-cert ds.pem --device-pub dev.pub \
	    -o meta.mdl 2>err; then
		nok "rule 1: a portrait with a hidden segment ($seg) is refused"
	elif grep -q MINDL_ERR_PORTRAIT err && [ ! -e meta.mdl ]; then
		ok "rule 1: a portrait with a hidden segment ($seg) is refused"
	else
		nok "rule 1: a portrait with a hidden segment ($seg) is refused: $(cat err)"
	fi
done

# Rule 1, values: a value the DMV chooses that names status, a privilege
# code outside the tables, a document number outside its character set.
for v in '"administrative_number": "LIMITED TERM 7",' \
    '"administrative_number": "NOT-FOR-FEDERAL",' \
    '"administrative_number": "TPS-1",'; do
	sed "s/^{/{$v/" "$rec" >r.json
	if issue r.json out.mdl 2>err; then
		nok "rule 1: a forbidden value is refused ($v)"
	elif grep -q MINDL_ERR_FORBIDDEN_VALUE err &&
	    grep -q administrative_number err && [ ! -e out.mdl ]; then
		ok "rule 1: a forbidden value is refused, field named, nothing written ($v)"
	else
		nok "rule 1: a forbidden value is refused ($v): $(cat err)"
	fi
done
sed 's/"code": "B"/"code": "LT"/' "$rec" >r.json
if grep -q '"LT"' r.json && ! issue r.json out.mdl 2>err &&
    grep -q MINDL_ERR_POLICY err && grep -q "codes table" err &&
    [ ! -e out.mdl ]; then
	ok "rule 1: a restriction code outside the tables is refused"
else
	nok "rule 1: a restriction code outside the tables is refused: $(cat err)"
fi
sed 's/"document_number": "[^"]*"/"document_number": "SS7Q4M2K9X\/L"/' "$rec" >r.json
if grep -q 'X/L' r.json && ! issue r.json out.mdl 2>err &&
    grep -q document_number err && [ ! -e out.mdl ]; then
	ok "rule 1: a document number outside its character set is refused"
else
	nok "rule 1: a document number outside its character set is refused: $(cat err)"
fi

# Rule 3: the issuer writes the credential and nothing else.
if command -v strace >/dev/null 2>&1; then
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -qq -o trace -e trace=open,openat,creat,rename,renameat,renameat2,link,symlink,mkdir,socket,connect \
	    "$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$rec" --portrait "$port" \
	    --ds-key ds.key --ds-cert ds.pem --device-pub dev.pub -o cred.mdl
	w=$(grep -E 'O_WRONLY|O_RDWR|O_CREAT|creat\(|rename|link\(|mkdir|socket|connect' \
	    trace | grep -v '"cred.mdl' || true)
	if [ -s cred.mdl ] && [ -z "$w" ]; then
		ok "rule 3: issue writes only the credential (no log, no database, no socket)"
	else
		nok "rule 3: issue writes only the credential: $w"
	fi
else
	nok "rule 3: strace is not installed"
	issue "$rec" cred.mdl
fi

# Rule 4: extra elements from a peer that ignores profiles are dropped.
if (cd "$top" && sh tests/interop/setup.sh); then
	node "$top/tests/interop/make_request.mjs" --profile traffic-stop \
	    --elements family_name,given_name,portrait,driving_privileges,expiry_date,document_number,birth_date \
	    --out over.req >/dev/null &&
	node "$top/tests/interop/issue_present.mjs" --ds-key ds.key \
	    --ds-cert ds.pem --request over.req --out over.resp >/dev/null 2>&1
	"$B/mindl-verifier" verify --trust iaca.pem --request over.req \
	    --response over.resp --json >v.json 2>/dev/null
	"$B/mindl-verifier" verify --trust iaca.pem --request over.req \
	    --response over.resp >v.txt 2>&1
	if grep -q '"valid":true' v.json && grep -q '"dropped":1' v.json &&
	    ! grep -q birth_date v.json && ! grep -q 1990-01-15 v.json &&
	    ! grep -q birth_date v.txt && ! grep -q 1990-01-15 v.txt; then
		ok "rule 4: an element outside the profile is dropped unseen and counted"
	else
		nok "rule 4: an element outside the profile is dropped unseen: $(cat v.json)"
	fi
else
	nok "rule 4: npm ci in tests/interop failed"
fi

# Rule 7: deviceMac by default; the MAC needs the verifier's private key.
"$B/mindl-verifier" request --profile age-21 -o a.req >/dev/null 2>&1
"$B/mindl-holder" present --yes -q --no-passphrase --credential cred.mdl --device-key dev.key \
    --request a.req -o a.resp
if "$B/mindl-verifier" verify --trust iaca.pem --request a.req \
    --response a.resp --json 2>/dev/null | grep -q '"device_auth":"mac"'; then
	ok "rule 7: presentations are MACed by default"
else
	nok "rule 7: presentations are MACed by default"
fi
# A third party with everything but the verifier's private key (here a
# fresh key of its own) cannot check the MAC: nothing transferable.  The
# tool refuses such a key before verifying (the library's refusal of the
# MAC itself: tests/unit/test_mdoc.c mac_needs_reader_key).
"$B/mindl-holder" keygen --no-passphrase --out-key other.key --out-pub other.pub
if "$B/mindl-verifier" verify --trust iaca.pem --request a.req \
    --response a.resp --reader-key other.key --json 2>/dev/null |
    grep -q '"error":"MINDL_ERR_KEY_MISMATCH"'; then
	ok "rule 7: without the verifier's ephemeral key the MAC proves nothing"
else
	nok "rule 7: without the verifier's ephemeral key the MAC proves nothing"
fi

# Rule 2 for purpose credentials: the sample record without any optional
# element, and with more of them (AAMVA ones too), same required values.
all=age-18,age-21,traffic-stop,employer-driver,car-rental,identity
jq 'del(.sex, .height, .eye_colour, .resident_address, .resident_city,
    .resident_state, .resident_postal_code, .resident_country)' "$rec" >min.json
jq '. + {"weight": 58, "hair_colour": "black",
    "org.iso.18013.5.1.aamva": {"organ_donor": 1, "veteran": 1}}' "$rec" >max.json
for r in min max; do
	"$B/mindl-issuer" issue --no-passphrase --sample-policy --record $r.json \
	    --portrait "$port" --ds-key ds.key --ds-cert ds.pem --device-pub dev.pub \
	    --purpose $all -o $r.mdl --json 2>/dev/null |
	    jq -c '[.purposes[] | [.profile, .bytes]]' >$r.sizes
	"$B/mindl-verifier" inspect --json $r.mdl 2>/dev/null |
	    jq -c '[.documents[] | [.mso.digests, [.issuer_signed[].identifier]]]' >$r.shape 2>/dev/null
done
if [ -s min.sizes ] && cmp -s min.sizes max.sizes &&
    [ "$(wc -c <min.mdl)" -eq "$(wc -c <max.mdl)" ]; then
	ok "rule 2: optional elements change no purpose credential's size ($(cat min.sizes))"
else
	nok "rule 2: purpose credential sizes: $(cat min.sizes) vs $(cat max.sizes)"
fi
if [ -s min.shape ] && cmp -s min.shape max.shape; then
	ok "rule 2: the same digest counts and elements for both holders"
else
	nok "rule 2: shapes: $(head -c 300 min.shape) vs $(head -c 300 max.shape)"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
