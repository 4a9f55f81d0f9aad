#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Hostile text through every tool's output (the hardening review's first
# and second findings): names, identifiers, values, namespaces,
# certificate subjects, record field names and file names that carry ESC
# sequences, C1 controls, bidirectional overrides, line feeds, bells,
# zero-width characters and bytes that are not UTF-8 reach each tool's
# text and JSON output, and no raw control byte may come out
# (build/tests/hostile check).  Each check also asserts that the hostile
# text did reach the output, escaped, so that it cannot pass by printing
# nothing.  Tools come from $MINDL_BIN (default bin).
set -u
B=${MINDL_BIN:-bin}
top=$(pwd)
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

H=
case $B in
*/bin) cands="${B%/bin}/tests/hostile $top/build/tests/hostile" ;;
*) cands="$top/build/tests/hostile" ;;
esac
for c in $cands; do
	if [ -x "$c" ]; then H=$c; break; fi
done
[ -n "$H" ] || { nok "hostile not built (make build/tests/hostile)"; finish; }

d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mkdir "$d/f" "$d/pop"
"$H" make "$d/f" || { nok "hostile make"; finish; }
f=$d/f
at=$(cat "$f/at")
cp "$f/cred" "$f/hostile.dr" "$d/pop/"
# A file name that carries ESC, C1 CSI and a byte that is not UTF-8.
bad=$(printf 'x\033[2J\302\23331m\377y')

# clean NAME EXPECT CMD...: run CMD with stdout and stderr to files; both
# pass the checker, and together they show the escaped form EXPECT.
# jclean: the same for --json, whose stdout must also be one JSON object.
clean() {
	check_run text "$@"
}
jclean() {
	check_run json "$@"
}
check_run() {
	kind=$1
	name=$2
	want=$3
	shift 3
	"$@" >"$d/out" 2>"$d/err"
	if ! "$H" check "$d/out" "$d/err" 2>"$d/why"; then
		nok "$name: raw control bytes: $(cat "$d/why")"
	elif [ "$kind" = json ] && command -v jq >/dev/null 2>&1 &&
	    ! jq -e . "$d/out" >/dev/null 2>&1; then
		nok "$name: not JSON"
	elif ! grep -qF -- "$want" "$d/out" "$d/err"; then
		nok "$name: the hostile text does not reach the output ($want)"
	else
		ok "$name"
	fi
}

# holder: the consent report names what the verifier asked for.
clean "untrusted text escaped: holder consent report" '\x1b[2J' \
    "$B/mindl-holder" present --yes --no-passphrase --credential "$f/cred" \
    --device-key "$f/device.key" --request "$f/hostile.req" -o "$d/r1"
jclean "untrusted text escaped: holder --json" '"ok":true' \
    "$B/mindl-holder" present --yes --json --reuse --no-passphrase --credential "$f/cred" \
    --device-key "$f/device.key" --request "$f/hostile.req" -o "$d/r2"

# verifier: a valid response disclosing hostile names and values.
clean "untrusted text escaped: verifier verify" '\x1b[2J' \
    "$B/mindl-verifier" verify --trust "$f/iaca.pem" \
    --transcript "$f/hostile.st" --response "$f/hostile.dr" \
    --reader-key "$f/reader.key" --at "$at"
grep -q '^VALID$' "$d/out" && ! grep -q '^VALID: forged' "$d/out" &&
    [ "$(grep -c 'VALID' "$d/out")" -ge 1 ] &&
    ok "untrusted text escaped: no forged line in the verdict" ||
    nok "untrusted text escaped: no forged line in the verdict"
jclean "json c1 escaped: verifier verify --json" '\u009b' \
    "$B/mindl-verifier" verify --json --trust "$f/iaca.pem" \
    --transcript "$f/hostile.st" --response "$f/hostile.dr" \
    --reader-key "$f/reader.key" --at "$at"
jclean "json bidi escaped: verifier verify --json" '\u202e' \
    "$B/mindl-verifier" verify --json --trust "$f/iaca.pem" \
    --transcript "$f/hostile.st" --response "$f/hostile.dr" \
    --reader-key "$f/reader.key" --at "$at"
clean "untrusted text escaped: verifier inspect response" '\x1b[2J' \
    "$B/mindl-verifier" inspect "$f/hostile.dr"
jclean "json c1 escaped: verifier inspect --json response" '\u009b' \
    "$B/mindl-verifier" inspect --json "$f/hostile.dr"
clean "untrusted text escaped: holder show" '\x1b[2J' \
    "$B/mindl-holder" show --credential "$f/hostile.cred"
jclean "json c1 escaped: holder show --json" '\u009b' \
    "$B/mindl-holder" show --json --credential "$f/hostile.cred"
clean "untrusted text escaped: verifier inspect request" '\xe2\x80\xae' \
    "$B/mindl-verifier" inspect "$f/hostile.req"
jclean "json c1 escaped: verifier inspect --json request" '\u009b' \
    "$B/mindl-verifier" inspect --json "$f/hostile.req"

# keys: a certificate whose subject is hostile.
clean "untrusted text escaped: keys show" 'IACA \x1b[2J' \
    "$B/mindl-keys" show "$f/hostile-cert.pem"
jclean "json escaped: keys show --json" 'IACA \u001b[2J' \
    "$B/mindl-keys" show --json "$f/hostile-cert.pem"

# issuer: a record whose field name is hostile is refused, by name.
clean "untrusted text escaped: issuer refusal" '\x1b' \
    "$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$f/hostile.json" \
    --portrait "$f/portrait.jpg" --ds-key "$f/ds.key" --ds-cert "$f/ds.pem" \
    --device-pub "$f/device.pub" -o "$d/c1" --at "$at"
jclean "untrusted text escaped: issuer --json refusal" '\\x1b' \
    "$B/mindl-issuer" issue --json --no-passphrase --sample-policy --record "$f/hostile.json" \
    --portrait "$f/portrait.jpg" --ds-key "$f/ds.key" --ds-cert "$f/ds.pem" \
    --device-pub "$f/device.pub" -o "$d/c2" --at "$at"

# audit: hostile names in the features and in what links.
clean "untrusted text escaped: audit population" 'element' \
    "$B/mindl-audit" population "$d/pop"
jclean "json escaped: audit population --json" 'element' \
    "$B/mindl-audit" population --json "$d/pop"
clean "untrusted text escaped: audit link" 'link' \
    "$B/mindl-audit" link "$f/hostile.dr" "$f/cred"

# File names: every tool names the file in its diagnostics.
clean "untrusted text escaped: a file name in verifier diagnostics" \
    '\x1b[2J' "$B/mindl-verifier" inspect "$d/$bad"
clean "untrusted text escaped: a file name in holder diagnostics" \
    '\xff' "$B/mindl-holder" present --yes --no-passphrase --credential "$d/$bad" \
    --device-key "$f/device.key" --request "$f/hostile.req" -o "$d/r3"
clean "untrusted text escaped: a file name in keys diagnostics" \
    '\xc2\x9b' "$B/mindl-keys" show "$d/$bad"
clean "untrusted text escaped: a file name in audit diagnostics" \
    '\x1b' "$B/mindl-audit" link "$d/$bad" "$f/cred"
clean "untrusted text escaped: an option value in diagnostics" \
    '\x1b' "$B/mindl-verifier" verify --trust "$f/iaca.pem" \
    --transcript "$f/hostile.st" --response "$f/hostile.dr" --at "$bad"
finish
