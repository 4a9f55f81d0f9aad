#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/cli/status.sh: Token Status Lists through the tools (DESIGN.md
# section 3.8): mindl-keys status-signer; mindl-verifier status import
# and list (a good list is cached, 0600 in a 0700 directory; tampered,
# expired, another IACA's, a DS-signed and truncated lists are refused
# with their named errors and nothing is cached; a rollback is refused);
# and what verify says of a credential that refers to a list: valid,
# REVOKED (exit 1), unknown, --require-status, never its index.
#
# Run from the repository root:  sh tests/cli/status.sh
# Tools come from $MINDL_BIN (default bin); lists and credentials from
# build/tests/mkstatus ($MKSTATUS).  Needs jq.
set -u

B=${MINDL_BIN:-bin}
case $B in
/*) ;;
*) B=$(pwd)/$B ;;
esac
ROOT=$(pwd)
MK=${MKSTATUS:-$ROOT/build/tests/mkstatus}
[ -x "$MK" ] || MK=$ROOT/build-asan/tests/mkstatus
V=$B/mindl-verifier
K=$B/mindl-keys
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
cached() {
	"$V" status list --status-db "$DB" --json 2>/dev/null |
	    jq -r '.lists | length'
}

if [ ! -x "$MK" ]; then
	echo "not ok - $MK not built"
	echo "0 passed, 1 failed"
	exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/mindl-status-test.XXXXXX") || exit 3
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 3
HOME=$T/home
export HOME
unset XDG_DATA_HOME
S=$ROOT/schemas/samples
URI=https://dmv.example.invalid/status/1
TODAY=$(date -u +%Y-%m-%d)
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# --- keys ---------------------------------------------------------------

"$K" iaca --country US --state SS --name "Test IACA" --no-passphrase \
    --issuer-alt mailto:iaca@example.invalid --out-key iaca.key \
    --out-cert iaca.pem >/dev/null 2>&1
"$K" iaca --country US --state OO --name "Other IACA" --no-passphrase \
    --issuer-alt mailto:other@example.invalid --out-key other.key \
    --out-cert other.pem >/dev/null 2>&1
"$K" ds --iaca-key iaca.key --iaca-cert iaca.pem --iaca-no-passphrase \
    --no-passphrase --out-key ds.key --out-cert ds.pem >/dev/null 2>&1
if rc_is 0 "$K" status-signer --iaca-key iaca.key --iaca-cert iaca.pem \
    --iaca-no-passphrase --no-passphrase --out-key ss.key --out-cert ss.pem \
    --json && jq -e '.ok and (.key_id | length == 16)' "$T/out" >/dev/null &&
    [ "$(mode_of ss.key)" = "-rw-------" ]; then
	ok "status-signer: a key (0600) and its certificate, --json"
else
	nok "status-signer: a key (0600) and its certificate, --json"
fi
if openssl x509 -in ss.pem -noout -text 2>/dev/null |
    grep -q 'Extended Key Usage'; then
	nok "status-signer: the certificate carries no EKU"
else
	ok "status-signer: the certificate carries no EKU"
fi
rc_is 2 "$K" status-signer --iaca-key iaca.key --iaca-cert iaca.pem \
    --iaca-no-passphrase --no-passphrase --out-key x.key --out-cert x.pem \
    --days 458 && [ ! -e x.key ] &&
    ok "status-signer --days 458: exit 2, nothing written" ||
    nok "status-signer --days 458"
rc_is 2 "$K" status-signer --iaca-key iaca.key --iaca-cert iaca.pem \
    --iaca-no-passphrase --no-passphrase --out-key ss.key --out-cert y.pem &&
    [ ! -e y.pem ] && ok "status-signer refuses an existing key file" ||
    nok "status-signer over an existing key"
"$K" status-signer --iaca-key other.key --iaca-cert other.pem \
    --iaca-no-passphrase --no-passphrase --out-key oss.key \
    --out-cert oss.pem >/dev/null 2>&1

# --- lists --------------------------------------------------------------

"$MK" list ss.key ss.pem good.cwt "$URI" "$NOW" 2099-01-01 70000 ||
    nok "mkstatus list"
"$MK" list ss.key ss.pem old.cwt "$URI" "$TODAY" 2099-01-01
"$MK" list ss.key ss.pem short.cwt "$URI" "$TODAY" "$TODAY"T00:00:01Z
"$MK" list oss.key oss.pem other.cwt "$URI" "$NOW" 2099-01-01
"$MK" list ds.key ds.pem ds.cwt "$URI" "$NOW" 2099-01-01
n=$(wc -c <good.cwt)
# One bit of the signature's last byte; one of the list (in the payload).
flip good.cwt $((n - 1)) sig.cwt
flip good.cwt $((n - 100)) lst.cwt
head -c $((n / 2)) good.cwt >cut.cwt

DB=$T/cache/status.db
mkdir -p "$T/cache"
refused "a flipped signature byte is refused" MINDL_ERR_SIGNATURE \
    "$V" status import sig.cwt --trust iaca.pem --status-db "$DB"
if rc_is 1 "$V" status import lst.cwt --trust iaca.pem --status-db "$DB" &&
    grep -q 'MINDL_ERR_SIGNATURE\|MINDL_ERR_STATUS_LIST\|MINDL_ERR_CBOR' \
    "$T/err"; then
	ok "a flipped byte in the list is refused"
else
	nok "a flipped byte in the list is refused"
fi
refused "a truncated list is refused" MINDL_ERR_CBOR \
    "$V" status import cut.cwt --trust iaca.pem --status-db "$DB"
refused "an expired list is refused" MINDL_ERR_STATUS_EXPIRED \
    "$V" status import short.cwt --trust iaca.pem --status-db "$DB"
refused "a list of another IACA is refused" MINDL_ERR_UNTRUSTED \
    "$V" status import other.cwt --trust iaca.pem --status-db "$DB"
refused "a list signed by a DS is refused" MINDL_ERR_CERT_PROFILE \
    "$V" status import ds.cwt --trust iaca.pem --status-db "$DB"
[ "$(cached)" = 0 ] && ok "nothing cached after the refusals" ||
    nok "nothing cached after the refusals: $(cached)"

if rc_is 0 "$V" status import good.cwt --trust iaca.pem --status-db "$DB" &&
    grep -q '^imported: https://dmv.example.invalid/status/1' "$T/out" &&
    [ "$(cached)" = 1 ] && [ "$(mode_of "$DB")" = "-rw-------" ]; then
	ok "a good list is imported, the cache 0600"
else
	nok "a good list is imported"
fi
if rc_is 0 "$V" status list --status-db "$DB" --json &&
    jq -e '.ok and (.lists[0] | .uri == "https://dmv.example.invalid/status/1" and .entries == 1048576 and (.signer | length == 16) and .expired == false and (.iaca_sha256 | length == 64))' \
    "$T/out" >/dev/null; then
	ok "status list --json"
else
	nok "status list --json: $(cat "$T/out")"
fi
rc_is 0 "$V" status import good.cwt --trust iaca.pem --status-db "$DB" \
    --json && [ "$(jq -r .outcome "$T/out")" = unchanged ] &&
    ok "the same list again: unchanged" || nok "the same list again"
if rc_is 1 "$V" status import old.cwt --trust iaca.pem --status-db "$DB" &&
    grep -q 'rollback' "$T/err" && [ "$(cached)" = 1 ] &&
    "$V" status list --status-db "$DB" --json | jq -e \
    --arg now "$NOW" '.lists[0].iat == $now' >/dev/null; then
	ok "an older list is refused as a rollback; the cache keeps the newer"
else
	nok "rollback refused"
fi

# The default place: $HOME/.local/share/mindl, 0700.
if rc_is 0 "$V" status import good.cwt --trust iaca.pem &&
    [ "$(mode_of "$HOME/.local/share/mindl")" = "drwx------" ] &&
    [ "$(mode_of "$HOME/.local/share/mindl/status.db")" = "-rw-------" ]
then
	ok "the default cache: \$HOME/.local/share/mindl/status.db, 0700/0600"
else
	nok "the default cache"
fi
XDG_DATA_HOME=$T/xdg rc_is 0 "$V" status import good.cwt --trust iaca.pem &&
    [ -f "$T/xdg/mindl/status.db" ] && ok "XDG_DATA_HOME is honoured" ||
    nok "XDG_DATA_HOME"
rc_is 2 "$V" status frob && ok "status frob: usage error" ||
    nok "status frob"
rc_is 2 "$V" status import good.cwt && ok "import without --trust: exit 2" ||
    nok "import without --trust"

# A uri that would drive a terminal is printed escaped.
"$MK" list ss.key ss.pem esc.cwt "$(printf 'https://x.invalid/\033[2J\033]0;x\007')" \
    "$NOW" 2099-01-01
"$V" status import esc.cwt --trust iaca.pem --status-db "$T/esc.db" \
    >"$T/esc.out" 2>&1
"$V" status list --status-db "$T/esc.db" >>"$T/esc.out" 2>&1
if grep -q "$(printf '\033')" "$T/esc.out" ||
    grep -q "$(printf '\007')" "$T/esc.out"; then
	nok "a hostile uri is printed escaped"
else
	ok "a hostile uri is printed escaped"
fi

# --- verify -------------------------------------------------------------

"$B/mindl-holder" keygen --no-passphrase --count 1 --out-key dev.key \
    --out-pub dev.pub >/dev/null 2>&1
"$MK" cred ds.key ds.pem dev.pub "$S/sample-record.json" "$S/portrait.jpg" \
    "$URI" 70001 "$NOW" ok.cred
"$MK" cred ds.key ds.pem dev.pub "$S/sample-record.json" "$S/portrait.jpg" \
    "$URI" 70000 "$NOW" rev.cred
"$MK" cred ds.key ds.pem dev.pub "$S/sample-record.json" "$S/portrait.jpg" \
    https://dmv.example.invalid/status/9 70001 "$NOW" nolist.cred
for c in ok rev nolist; do
	"$V" request --profile age-21 -o $c.req >/dev/null 2>&1
	"$B/mindl-holder" present --yes --no-passphrase --credential $c.cred \
	    --device-key dev.key --request $c.req -o $c.resp >/dev/null 2>&1
done
vfy() {
	_c=$1
	shift
	"$V" verify --trust iaca.pem --request "$_c.req" --response "$_c.resp" \
	    --no-portrait --status-db "$DB" "$@"
}
if rc_is 0 vfy ok && grep -q '^status: valid (list [0-9]* min old)' \
    "$T/out" && ! grep -q 70001 "$T/out"; then
	ok "verify: status valid, the list's age, no index"
else
	nok "verify: status valid"
fi
if rc_is 0 vfy ok --json && jq -e '.ok and .status.state == "valid" and .status.uri == "https://dmv.example.invalid/status/1" and (.status.list_age_seconds | type) == "number" and (.status | has("idx") | not)' \
    "$T/out" >/dev/null && ! grep -q 70001 "$T/out"; then
	ok "verify --json: status object, no idx"
else
	nok "verify --json: status object: $(cat "$T/out")"
fi
if rc_is 1 vfy rev && head -n 1 "$T/out" | grep -q '^REVOKED: ' &&
    ! grep -q 'Age 21' "$T/out"; then
	ok "verify: a revoked licence says REVOKED first, exit 1, nothing shown"
else
	nok "verify: revoked"
fi
if rc_is 1 vfy rev --json && jq -e '(.ok | not) and .error == "MINDL_ERR_REVOKED" and .status.state == "revoked" and .disclosed == {}' \
    "$T/out" >/dev/null; then
	ok "verify --json: revoked"
else
	nok "verify --json: revoked: $(cat "$T/out")"
fi
if rc_is 0 vfy nolist && grep -q '^status: unknown: no status list' \
    "$T/out" && rc_is 1 vfy nolist --require-status --json &&
    jq -e '.error == "MINDL_ERR_STATUS_UNKNOWN" and .status.state == "unknown"' \
    "$T/out" >/dev/null; then
	ok "verify: no list, unknown; --require-status fails"
else
	nok "verify: unknown and --require-status"
fi
# The other IACA's list for the same uri, both IACAs trusted: unknown.
cat iaca.pem other.pem >both.pem
"$V" status import other.cwt --trust both.pem --status-db "$T/o.db" \
    >/dev/null 2>&1
if rc_is 0 "$V" verify --trust both.pem --request ok.req --response ok.resp \
    --no-portrait --status-db "$T/o.db" --json &&
    jq -e '.status.state == "unknown" and (.status.reason | test("another IACA"))' \
    "$T/out" >/dev/null; then
	ok "verify: a list under another IACA than the DS says nothing"
else
	nok "verify: another IACA's list: $(cat "$T/out")"
fi
rc_is 2 vfy ok --status-db "$T/nonexistent.db" &&
    ok "verify --status-db of no file: exit 2" ||
    nok "verify --status-db of no file"
# Verify writes nothing, the cache included: the directories' entries
# and their own times, not their parents' (the ".." lines).
ls -la "$HOME/.local/share/mindl" "$T/cache" >listing 2>&1
sed '/ \.\.$/d' listing >before
"$V" verify --trust iaca.pem --request ok.req --response ok.resp \
    --no-portrait >/dev/null 2>&1
vfy ok >/dev/null 2>&1
ls -la "$HOME/.local/share/mindl" "$T/cache" >listing 2>&1
sed '/ \.\.$/d' listing >after
cmp -s before after && ok "verify creates no file beside the cache" ||
    nok "verify created files: $(diff before after)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
