#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/cli/conventions.sh: the conventions every tool shares
# (docs/DESIGN.md section 5.1): --version, --help on stdout naming every
# option, each option in the man page, one JSON failure shape
# {"ok":false,"error","message"} for usage errors too, and -q meaning
# only --quiet.
#
# Run from the repository root:  sh tests/cli/conventions.sh
# Tools come from $MINDL_BIN (default bin).  Needs jq.
set -u

B=${MINDL_BIN:-bin}
case $B in
/*) ;;
*) B=$(pwd)/$B ;;
esac
top=$(pwd)
d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-conv.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }

version=$(sed -n 's/^#define MINDL_VERSION[^"]*"\([^"]*\)".*/\1/p' \
    "$top/core/include/mindl/mindl.h")

# tool:directory-of-its-man-page verbs...
for spec in "keys:keys:iaca ds reader reader-ca show status-signer" \
    "issuer:issuer:issue elements revoke renew purge operator" \
    "holder:holder:engage keygen present qr show" \
    "verifier:verifier:inspect profiles request scan status trust verify" \
    "audit:audit:population link"; do
	tool=mindl-${spec%%:*}
	rest=${spec#*:}
	man=$top/${rest%%:*}/$tool.1
	verbs=${rest#*:}

	"$B/$tool" --version >"$d/out" 2>"$d/err"
	rc=$?
	[ "$rc" -eq 0 ] && [ "$(cat "$d/out")" = "$tool $version" ] &&
	    [ ! -s "$d/err" ] && ok "$tool --version" ||
	    nok "$tool --version: exit $rc, $(cat "$d/out" "$d/err")"
	"$B/$tool" --help >"$d/out" 2>"$d/err"
	rc=$?
	[ "$rc" -eq 0 ] && [ ! -s "$d/err" ] && grep -q "^usage: $tool" "$d/out" &&
	    ok "$tool --help: on stdout, exit 0" ||
	    nok "$tool --help: exit $rc, stderr $(cat "$d/err")"
	for v in $verbs; do
		grep -q "^  $v  *[A-Z]" "$d/out" ||
		    nok "$tool --help lists $v with what it does"
	done
	"$B/$tool" nosuchverb --json >"$d/out" 2>"$d/err"
	rc=$?
	[ "$rc" -eq 2 ] && grep -q 'unknown verb' "$d/err" &&
	    ok "$tool: an unknown verb is a usage error" ||
	    nok "$tool: unknown verb: exit $rc"

	for v in $verbs; do
		"$B/$tool" "$v" --help >"$d/help" 2>"$d/err"
		rc=$?
		if [ "$rc" -ne 0 ] || [ -s "$d/err" ] ||
		    ! grep -q "^usage: $tool $v" "$d/help"; then
			nok "$tool $v --help: exit $rc, stderr $(cat "$d/err")"
			continue
		fi
		"$B/$tool" help "$v" >"$d/help2" 2>&1
		cmp -s "$d/help" "$d/help2" &&
		    ok "$tool $v --help on stdout, as \"help $v\"" ||
		    nok "$tool help $v differs from $v --help"
		# Every option the help names is described there and in
		# the man page.
		missing=""
		for o in $(grep -o '^ *\(-[a-zA-Z], \)\{0,1\}--[a-z0-9-]*' \
		    "$d/help" | sed 's/.*--/--/' | sort -u); do
			grep -q "^\.\(Op \)\{0,1\}It Fl \(. , Fl \)\{0,1\}${o#-}\( \|$\)" "$man" ||
			    grep -q "Fl ${o#-}\b" "$man" ||
			    missing="$missing $o"
		done
		[ -z "$missing" ] && ok "$tool $v: every option of --help is in $tool(1)" ||
		    nok "$tool $v: not in $tool(1):$missing"
		# A usage error, wherever --json stands: the one shape.
		"$B/$tool" "$v" --no-such-option --json >"$d/out" 2>"$d/err"
		rc=$?
		if [ "$rc" -eq 2 ] &&
		    [ "$(jq -c '[.ok, .error, .message]' "$d/out" 2>/dev/null)" = \
		    '[false,"MINDL_ERR_INVALID_ARG","unknown option --no-such-option"]' ] &&
		    grep -q "^usage: $tool $v" "$d/err"; then
			ok "$tool $v: a bad option with --json: exit 2, {ok,error,message}"
		else
			nok "$tool $v: bad option --json: exit $rc, $(cat "$d/out")"
		fi
	done
done

# Before the verb, or with an unknown verb, --json still gets its object.
"$B/mindl-verifier" --json nosuchverb >"$d/out" 2>"$d/err"
rc=$?
[ "$rc" -eq 2 ] && jq -e '.ok == false and .error == "MINDL_ERR_INVALID_ARG" and (.message | test("unknown verb"))' \
    "$d/out" >/dev/null && ok "an unknown verb with --json: the object" ||
    nok "unknown verb --json: exit $rc, $(cat "$d/out")"
"$B/mindl-verifier" --json profiles >"$d/out" 2>"$d/err"
rc=$?
[ "$rc" -eq 0 ] && jq -e '.profiles | length > 0' "$d/out" >/dev/null &&
    ok "--json before the verb is the verb's --json" ||
    nok "--json before the verb: exit $rc"

# Missing required options are named, in the same shape.
"$B/mindl-issuer" issue --json --record x.json >"$d/out" 2>"$d/err"
rc=$?
[ "$rc" -eq 2 ] && [ "$(jq -r .message "$d/out")" = "missing --ds-key" ] &&
    grep -q "mindl-issuer: issue: missing --ds-key" "$d/err" &&
    ok "a missing option is named, exit 2, in text and --json" ||
    nok "missing option: exit $rc, $(cat "$d/out" "$d/err")"
"$B/mindl-verifier" request --profile age-21 -o "$d/a.req" -o "$d/b.req" \
    --json >"$d/out" 2>"$d/err"
rc=$?
[ "$rc" -eq 2 ] && [ "$(jq -r .message "$d/out")" = "--out given twice" ] &&
    [ ! -e "$d/a.req" ] && [ ! -e "$d/b.req" ] &&
    ok "an option given twice is refused, nothing written" ||
    nok "option twice: exit $rc, $(cat "$d/out")"
"$B/mindl-verifier" verify --json --trust x.pem --response r >"$d/out" 2>"$d/err"
rc=$?
[ "$rc" -eq 2 ] && jq -e '.ok == false and .error == "MINDL_ERR_INVALID_ARG"' \
    "$d/out" >/dev/null && grep -q 'give --request' "$d/err" &&
    ok "verify without --request or --transcript: exit 2, the same shape" ||
    nok "verify form: exit $rc, $(cat "$d/out")"
# -q is --quiet only: the verifier's request is --request.
"$B/mindl-verifier" verify -q "$d/req" --trust x.pem --response r \
    >"$d/out" 2>"$d/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q 'unknown option -q' "$d/err" &&
    ok "mindl-verifier has no -q" || nok "verifier -q: exit $rc, $(cat "$d/err")"
"$B/mindl-holder" present --help | grep -q '^  -q, --quiet ' &&
    ok "mindl-holder's -q is --quiet" || nok "holder -q"
# The old output names are gone: outputs are --out-*.
for o in key-out portrait-out transcript-out; do
	{ "$B/mindl-verifier" help request; "$B/mindl-verifier" help verify; } |
	    grep -q -- "--$o" &&
	    nok "--$o still offered" || ok "no --$o (outputs are --out-*)"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
