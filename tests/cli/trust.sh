#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/cli/trust.sh: the trust store (DESIGN.md section 3.6) through
# mindl-verifier trust: both real AAMVA VICALs import at their own date
# (0600 in a 0700 directory) and are refused a day after their signer
# expired, after a one-byte change, and with another pinned anchor, with
# nothing stored; the Austroads list imports against its own root; each
# community root is imported or refused as tests/data/vical/README.md
# says, the deviation named, and accepted with --allow; list, remove,
# --json; verify --trust STORE, with a warning naming the deviation of a
# root that has one, and a refusal when the same root comes as PEM.
#
# Run from the repository root:  sh tests/cli/trust.sh
# Tools come from $MINDL_BIN (default bin).  Needs jq and openssl.
set -u

B=${MINDL_BIN:-bin}
case $B in
/*) ;;
*) B=$(pwd)/$B ;;
esac
ROOT=$(pwd)
D=$ROOT/tests/data/vical
V=$B/mindl-verifier
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }
# rc_is WANT CMD...: stdout to $T/out, stderr to $T/err.
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
# refused DESC ERROR CMD...: exit 1, the error named in text and --json.
refused() {
	_d=$1
	_e=$2
	shift 2
	if rc_is 1 "$@" && grep -q "($_e)" "$T/err" &&
	    rc_is 1 "$@" --json &&
	    [ "$(jq -r .error "$T/out")" = "$_e" ]; then
		ok "$_d: $_e"
	else
		nok "$_d: wanted $_e"
	fi
}
# verdict DESC ERROR CMD...: a verification's refusal, exit 1, the error
# named in the verdict (stdout) and in --json.
verdict() {
	_d=$1
	_e=$2
	shift 2
	if rc_is 1 "$@" && grep -q "^INVALID: .*($_e)" "$T/out" &&
	    rc_is 1 "$@" --json &&
	    [ "$(jq -r .error "$T/out")" = "$_e" ]; then
		ok "$_d: $_e"
	else
		nok "$_d: wanted $_e"
	fi
}
mode_of() {
	# shellcheck disable=SC2012
	ls -ldn "$1" | cut -c1-10
}
# flip IN OFFSET OUT: a copy with one bit of the byte at OFFSET flipped.
flip() {
	cp "$1" "$3"
	_b=$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null | od -An -tu1 |
	    tr -d ' ')
	# shellcheck disable=SC2059
	printf "\\$(printf '%03o' $((_b ^ 1)))" |
	    dd of="$3" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# roots STORE: how many roots it holds.
roots() {
	"$V" trust list --store "$1" --json 2>/dev/null | jq -r '.roots | length'
}

T=$(mktemp -d "${TMPDIR:-/tmp}/mindl-trust-test.XXXXXX") || exit 3
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 3
HOME=$T/home
export HOME
XDG_DATA_HOME=$T/xdg
export XDG_DATA_HOME
NOV=$D/aamva-vical-2025-11-18-1763491092481.cbor
AUG=$D/aamva-vical-2025-08-05-issue89782.cbor
AUS=$D/austroads-preprod-vical-2024-12-17-issue27.cbor
AAMVA=$D/aamva-dts-root-ca.pem
AUSROOT=$D/austroads-preprod-dts-root-ca.pem

# --- VICALs -----------------------------------------------------------
if rc_is 0 "$V" trust import-vical "$NOV" --anchor "$AAMVA" \
    --at 2025-11-18T18:38:12Z --json &&
    [ "$(jq -r '.roots | length' "$T/out")" = 14 ] &&
    [ "$(jq -r '.provider + " " + (.issue|tostring)' "$T/out")" = "AAMVA 227602" ] &&
    [ "$(jq -c '[.roots[] | select(.deviations != []) | [.jurisdiction, .deviations]]' "$T/out")" = '[["AK",["st-not-iso3166-2"]]]' ]; then
	ok "AAMVA 2025-11-18: 14 roots at its date, Alaska's deviation named"
else
	nok "AAMVA 2025-11-18: 14 roots at its date, Alaska's deviation named"
fi
DB=$XDG_DATA_HOME/mindl/trust.db
if [ "$(mode_of "$DB")" = "-rw-------" ] &&
    [ "$(mode_of "$XDG_DATA_HOME/mindl")" = "drwx------" ]; then
	ok "default store: 0600 in a 0700 directory under XDG_DATA_HOME"
else
	nok "default store: 0600 in a 0700 directory under XDG_DATA_HOME"
fi
if rc_is 0 "$V" trust import-vical "$AUG" --anchor "$AAMVA" \
    --at 2025-08-05T20:47:21Z --json &&
    [ "$(jq -r '.roots | length' "$T/out")" = 13 ] &&
    [ "$(roots "$DB")" = 14 ]; then
	ok "AAMVA 2025-08-05: 13 roots at its date, all already held"
else
	nok "AAMVA 2025-08-05: 13 roots at its date, all already held"
fi
S2=$T/s2
mkdir -p "$S2"
for f in "$NOV" "$AUG"; do
	n=$(basename "$f")
	refused "$n a day after the signer expired" MINDL_ERR_CERT_EXPIRED \
	    "$V" trust import-vical "$f" --anchor "$AAMVA" --at 2026-04-19 \
	    --store "$S2"
	refused "$n with another pinned anchor" MINDL_ERR_VICAL_SIGNER \
	    "$V" trust import-vical "$f" --anchor "$AUSROOT" \
	    --at 2025-08-06 --store "$S2"
done
# One bit flipped: in the protected header, the signer, the intermediate,
# the root's copy, the list, an entry's certificate, the signature.
size=$(wc -c <"$NOV")
bad=0
for off in 5 600 1500 2500 3300 5000 12000 $((size - 30)); do
	flip "$NOV" "$off" "$T/flip.cbor"
	if "$V" trust import-vical "$T/flip.cbor" --anchor "$AAMVA" \
	    --at 2025-11-18T18:38:12Z --store "$S2" >/dev/null 2>&1; then
		echo "    byte $off changed: accepted" >&2
		bad=1
	fi
done
if [ "$bad" = 0 ] && [ ! -e "$S2/trust.db" ]; then
	ok "one-byte changes anywhere: refused, nothing stored"
else
	nok "one-byte changes anywhere: refused, nothing stored"
fi
if rc_is 0 "$V" trust import-vical "$AUS" --anchor "$AUSROOT" \
    --at 2024-12-17T22:40:31Z --store "$T/aus" --json &&
    [ "$(jq -r '.roots | length' "$T/out")" = 38 ] &&
    [ "$(jq -c '[.skipped[].error] | unique' "$T/out")" = '["MINDL_ERR_CERT_PROFILE"]' ]; then
	ok "Austroads pre-production list against its own root: 38 roots, 2 not roots"
else
	nok "Austroads pre-production list against its own root: 38 roots, 2 not roots"
fi
refused "Austroads list against the AAMVA anchor" MINDL_ERR_VICAL_SIGNER \
    "$V" trust import-vical "$AUS" --anchor "$AAMVA" --at 2024-12-17 \
    --store "$T/aus2"

# --- community roots: Annex B, or the deviations named --------------------
while read -r f want; do
	if [ "$want" = OK ]; then
		if rc_is 0 "$V" trust import "$D/community-iaca/$f" \
		    --store "$T/c"; then
			ok "$f: Annex B holds, imported"
		else
			nok "$f: Annex B holds, imported"
		fi
		continue
	fi
	if rc_is 1 "$V" trust import "$D/community-iaca/$f" --store "$T/c" &&
	    grep -q "Annex B: $want;.*(MINDL_ERR_DEVIATION)" "$T/err" &&
	    rc_is 0 "$V" trust import "$D/community-iaca/$f" --store "$T/c" \
	    --allow "$want" --json &&
	    [ "$(jq -r '.roots[0].deviations | join(",")' "$T/out")" = "$want" ]; then
		ok "$f: refused for $want, imported with --allow"
	else
		nok "$f: refused for $want, imported with --allow"
	fi
done <<'EOF'
us-az-az-prod-iaca-2024.pem OK
us-az-mvmprodca-2023.pem no-pathlen
us-ca-california-dmv-iaca-root-2023.pem OK
us-co-colorado-root-certificate-2023.pem no-pathlen
us-co-co-drives-root-2022.pem no-pathlen,st-not-iso3166-2,no-issuer-alt-name
us-hi-hi-iaca-prod-2024.pem OK
us-la-louisiana-dmv-iaca-2023.pem st-not-iso3166-2
us-md-fast-enterprises-root-2022.pem no-pathlen
us-nm-new-mexico-root-ca-2024.pem no-pathlen
us-ny-nysdmv-iaca-2023.pem OK
us-oh-ohio-mdl-root-ca-gen1-2024.pem OK
us-pr-prdtop-mdl-prod-ca-2024.pem OK
us-wv-wv-prod-iaca-2024.pem OK
EOF
if [ "$(roots "$T/c")" = 13 ]; then
	ok "community store: 13 roots"
else
	nok "community store: 13 roots"
fi
if rc_is 2 "$V" trust import "$D/community-iaca/us-la-louisiana-dmv-iaca-2023.pem" \
    --store "$T/c" --allow no-such-thing; then
	ok "--allow with an unknown deviation: exit 2"
else
	nok "--allow with an unknown deviation: exit 2"
fi

# --- list, remove ---------------------------------------------------------
AK=$("$V" trust list --json | jq -r '.roots[] | select(.jurisdiction == "AK") | .sha256')
if rc_is 0 "$V" trust list && grep -q "Alaska DMV IACA (AK)" "$T/out" &&
    grep -q "deviations allowed: st-not-iso3166-2" "$T/out"; then
	ok "trust list: names, places, provenance, deviations"
else
	nok "trust list: names, places, provenance, deviations"
fi
if rc_is 2 "$V" trust remove 0123; then
	ok "remove with too short a prefix: exit 2"
else
	nok "remove with too short a prefix: exit 2"
fi
if rc_is 0 "$V" trust remove "$(echo "$AK" | cut -c1-12)" --json &&
    [ "$(jq -r .removed "$T/out")" = 1 ] && [ "$(roots "$DB")" = 13 ]; then
	ok "remove by the SHA-256's first digits"
else
	nok "remove by the SHA-256's first digits"
fi
if rc_is 1 "$V" trust remove "$(echo "$AK" | cut -c1-12)"; then
	ok "remove of a root not held: exit 1"
else
	nok "remove of a root not held: exit 1"
fi

# --- verify --trust STORE -------------------------------------------------
# A root without pathLenConstraint and its DS, made with openssl (mindl-keys
# makes only Annex B roots), a credential issued under them.
mkdir -p ca home
: >ca/index.txt
echo 01 >ca/serial
cat >ca.cnf <<'EOF'
[ca]
default_ca = c
[c]
dir = ca
database = ca/index.txt
serial = ca/serial
new_certs_dir = ca
default_md = sha256
policy = p
unique_subject = no
[p]
countryName = supplied
stateOrProvinceName = supplied
commonName = supplied
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
issuerAltName = URI:https://dmv.example.invalid
[ds]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,1.0.18013.5.1.2
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
issuerAltName = URI:https://dmv.example.invalid
EOF
cat >rec.json <<'EOF'
{"family_name": "Doe", "given_name": "Alex", "birth_date": "1990-04-15",
 "document_number": "D1234567",
 "driving_privileges": [{"vehicle_category_code": "C", "issue_date": "2020-01-01"}],
 "sex": 2, "height": 170, "eye_colour": "brown"}
EOF
start=$(date -u -d '-10 days' +%Y%m%d000000Z)
end=$(date -u -d '+300 days' +%Y%m%d000000Z)
setup=1
{ openssl ecparam -name prime256v1 -genkey -noout |
    openssl pkcs8 -topk8 -nocrypt -out np.key &&
    openssl req -new -key np.key -subj "/C=US/ST=US-SS/CN=No Pathlen IACA" \
    -out np.csr &&
    openssl ca -batch -config ca.cnf -selfsign -keyfile np.key -in np.csr \
    -startdate 20200101000000Z -enddate 20400101000000Z -extensions root \
    -notext -out np.pem &&
    openssl ecparam -name prime256v1 -genkey -noout |
    openssl pkcs8 -topk8 -nocrypt -out ds.key &&
    openssl req -new -key ds.key -subj "/C=US/ST=US-SS/CN=No Pathlen DS" \
    -out ds.csr &&
    openssl ca -batch -config ca.cnf -cert np.pem -keyfile np.key \
    -in ds.csr -startdate "$start" -enddate "$end" -extensions ds \
    -notext -out ds.pem &&
    "$B/mindl-holder" keygen --no-passphrase --out-key dev.key \
    --out-pub dev.pub &&
    "$B/mindl-issuer" issue --no-passphrase --sample-policy --record rec.json \
    --portrait "$ROOT/schemas/samples/portrait.jpg" --ds-key ds.key \
    --ds-cert ds.pem --device-pub dev.pub -o cred &&
    . "$ROOT/tests/common/reader.sh" && reader_setup "$B" . &&
    signed_request "$B" . traffic-stop ts.req && cp ts.req.de ts.req.de2 &&
    "$B/mindl-holder" present --yes --no-passphrase --credential cred \
    --device-key dev.key --request ts.req -o ts.resp -q \
    --reader-trust rca.pem --engagement ts.req.de; } \
    >"$T/setup.log" 2>&1 || setup=0
if [ "$setup" = 1 ]; then
	ok "setup: a root without pathLenConstraint, its DS, a credential"
else
	nok "setup: a root without pathLenConstraint, its DS, a credential"
	sed 's/^/    /' "$T/setup.log"
fi
verdict "verify --trust ROOT.pem without pathlen" MINDL_ERR_DEVIATION \
    "$V" verify --trust np.pem --request ts.req --response ts.resp
mkdir -m 0700 st
"$V" trust import np.pem --allow no-pathlen --store st >/dev/null 2>&1
if rc_is 0 "$V" verify --trust st --request ts.req --response ts.resp &&
    grep -q "deviates from ISO 18013-5 Annex B (no-pathlen)" "$T/err" &&
    grep -q "^issued by: No Pathlen IACA (US-SS)" "$T/out" &&
    rc_is 0 "$V" verify --trust st/trust.db --request ts.req \
    --response ts.resp --json &&
    [ "$(jq -c .root_deviations "$T/out")" = '["no-pathlen"]' ] &&
    grep -q "no-pathlen" "$T/err"; then
	ok "verify --trust STORE: accepted, the deviation warned of every time"
else
	nok "verify --trust STORE: accepted, the deviation warned of every time"
fi
# A store that does not hold the root: untrusted.
verdict "verify --trust STORE without the root" MINDL_ERR_UNTRUSTED \
    "$V" verify --trust "$T/c" --request ts.req --response ts.resp
# A strict root (mindl-keys) in a store: no warning.
if "$B/mindl-keys" iaca --no-passphrase --country US --state SS \
    --name "Test IACA" --out-key iaca.key --out-cert iaca.pem >/dev/null 2>&1 &&
    "$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key \
    --iaca-cert iaca.pem --out-key ds2.key --out-cert ds2.pem >/dev/null 2>&1 &&
    "$B/mindl-issuer" issue --no-passphrase --sample-policy --record rec.json \
    --portrait "$ROOT/schemas/samples/portrait.jpg" --ds-key ds2.key \
    --ds-cert ds2.pem --device-pub dev.pub -o cred2 >/dev/null 2>&1 &&
    "$B/mindl-holder" present --yes --no-passphrase --credential cred2 \
    --device-key dev.key --request ts.req -o ts2.resp -q \
    --reader-trust rca.pem --engagement ts.req.de2 >/dev/null 2>&1 &&
    "$V" trust import iaca.pem --store st >/dev/null 2>&1 &&
    rc_is 0 "$V" verify --trust st --request ts.req --response ts2.resp &&
    ! grep -q "warning" "$T/err"; then
	ok "verify --trust STORE with a mindl-keys root: no warning"
else
	nok "verify --trust STORE with a mindl-keys root: no warning"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
