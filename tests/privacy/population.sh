#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Privacy rules 2 and 6 (DESIGN.md section 4), checked with mindl-audit.
#
# (a) Two populations of $MINDL_POP_N (default 500) credentials each,
#     issued by bin/mindl-issuer with one policy and one DS key from
#     records that differ only in what the issuer must ignore or what
#     legitimately differs between holders (group A: "citizens"; group B:
#     "undocumented": no organ_donor/veteran, no street address, longer
#     names, later birth years, other portrait sizes) are
#     indistinguishable: "0 distinguishing features".
# (b) The same records issued for B with a deliberately broken policy
#     ARE told apart, naming the right feature: (i) a second DS key ->
#     signer_key_id; (ii) another MSO validity -> validity_length;
#     (iii) no decoy digests -> digests_per_namespace.  A control issues B
#     through tests/privacy/popgen.c with the right policy: 0 features,
#     so what (b) detects is the broken policy, not the generator.
# (c) mindl-audit link finds what two presentations of ONE credential
#     share (salts, digests, device key, issuer signature) and reports
#     "0 links" between presentations of two holders' credentials.
#
# Run from the repository root.  Tools from ${MINDL_BIN:-bin}; popgen from
# $MINDL_POPGEN, else <build>/tests/popgen next to the tools' build, else
# build/tests/popgen, else compiled here from build/libmindl.a.
# ok/nok always succeed, so "test && ok || nok" is an if-then-else here.
# shellcheck disable=SC2015
set -u
top=$(pwd)
B=${MINDL_BIN:-bin}
case $B in
/*) ;;
*) B=$top/$B ;;
esac
N=${MINDL_POP_N:-500}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
now() { date +%s; }
count() { set -- "$1"/*; [ -e "$1" ] && echo $# || echo 0; }

d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-population.XXXXXX") || exit 3
trap 'rm -rf "$d"' EXIT
trap 'exit 130' INT TERM

for t in mindl-keys mindl-issuer mindl-holder mindl-verifier mindl-audit; do
	[ -x "$B/$t" ] || { nok "$B/$t not built"; finish; }
done

# popgen: the generator of records and of broken-policy credentials.
P=${MINDL_POPGEN:-}
if [ -z "$P" ]; then
	case $B in
	*/bin) cands="${B%/bin}/tests/popgen $top/build/tests/popgen" ;;
	*) cands="$top/build/tests/popgen" ;;
	esac
	for c in $cands; do
		if [ -x "$c" ]; then P=$c; break; fi
	done
fi
if [ -z "$P" ] && [ -f "$top/build/libmindl.a" ]; then
	# Until the Makefile builds it: compile against the release library.
	# shellcheck disable=SC2046
	if ${CC:-cc} -std=c11 -D_DEFAULT_SOURCE -I"$top/core/include" \
	    -I"$top/core/src" "$top/tests/privacy/popgen.c" \
	    "$top/build/libmindl.a" $(pkg-config --libs openssl libcbor \
	    jansson zlib) -o "$d/popgen" 2>"$d/cc.log"; then
		P=$d/popgen
		echo "# popgen compiled by this test (no Makefile rule yet)"
	fi
fi
[ -n "$P" ] || { nok "popgen not built (make build/tests/popgen)"; finish; }

cd "$d" || exit 3
t_start=$(now)
"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "Population IACA" \
    --out-key iaca.key --out-cert iaca.pem >/dev/null 2>&1 &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key --iaca-cert iaca.pem \
    --out-key ds.key --out-cert ds.pem >/dev/null 2>&1 &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key --iaca-cert iaca.pem \
    --out-key ds2.key --out-cert ds2.pem >/dev/null 2>&1 ||
    { nok "key set-up"; finish; }
mkdir ra rb A B Bpop Bds2 Bdays Bdecoy
"$P" records --group A --count "$N" --out ra --seed 11 &&
"$P" records --group B --count "$N" --out rb --seed 12 ||
    { nok "popgen records"; finish; }
ok "records: $N per group (A has organ_donor/veteran, street addresses)"

# (a) Both groups through the real issuer, in two lanes (2 cores).
issue_lane() {	# issue_lane RECDIR OUTDIR FIRST
	_i=$3
	while [ "$_i" -lt "$N" ]; do
		_f=$(printf %05d "$_i")
		"$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$1/$_f.json" \
		    --portrait "$1/$_f.jpg" --ds-key ds.key --ds-cert ds.pem \
		    --device-pub "$1/$_f.pub" --at "$(cat "$1/$_f.at")" \
		    -o "$2/$_f.cred" 2>>issue.err || echo "$1/$_f" >>issue.fail
		_i=$((_i + 2))
	done
}
t0=$(now)
issue_lane ra A 0 &
issue_lane ra A 1 &
wait
issue_lane rb B 0 &
issue_lane rb B 1 &
wait
t1=$(now)
if [ ! -s issue.fail ] && [ "$(count A)" -eq "$N" ] &&
    [ "$(count B)" -eq "$N" ]; then
	ok "mindl-issuer issued $((2 * N)) credentials in $((t1 - t0)) s"
else
	nok "mindl-issuer issue: $(head -n 3 issue.err)"
fi

# audit GROUP_B_DIR OUT [extra args]: A against the given B.
audit() {
	_b=$1
	_o=$2
	shift 2
	"$B/mindl-audit" population --group "A=A" --group "B=$_b" "$@" >"$_o" \
	    2>"$_o.err"
}

t0=$(now)
audit B a.txt
rc=$?
t1=$(now)
[ "$rc" -eq 0 ] && ok "audit of $((2 * N)) credentials ran in $((t1 - t0)) s" ||
    nok "audit exit $rc: $(head -n 3 a.txt.err)"
if [ "$(tail -n 1 a.txt)" = "0 distinguishing features" ]; then
	ok "(a) A and B: 0 distinguishing features"
else
	nok "(a) A and B told apart: $(grep -A1 'distinguishing:' a.txt | head -n 8)"
fi
grep -q "^groups: A $N, B $N\$" a.txt && ok "(a) every credential audited" ||
    nok "(a) group sizes: $(grep '^groups' a.txt)"
# What legitimately differs is reported, as holder-side and not counted.
grep -q "holder-side difference (not counted): H element identifiers" \
    a.txt && ok "(a) element-set difference reported as holder-side" ||
    nok "(a) the element-set difference is not reported"
audit B /dev/null --expect-indistinguishable &&
    ok "(a) --expect-indistinguishable exits 0" ||
    nok "(a) --expect-indistinguishable exit $?"
audit B aj.json --json
if command -v jq >/dev/null 2>&1; then
	[ "$(jq -r '.distinguishing_count == 0 and .credentials == '"$((2 * N))"' and (.features | length) > 20 and all(.features[]; (.visibility | type) == "string")' aj.json)" = true ] &&
	    ok "(a) --json: one object, 0 distinguishing" ||
	    nok "(a) --json shape: $(head -c 300 aj.json)"
else
	grep -q '"distinguishing_count":0' aj.json && ok "(a) --json" ||
	    nok "(a) --json"
fi

# (b) Broken policies for B.  Control first: popgen, right policy.
"$P" issue --in rb --count "$N" --out Bpop --ds-key ds.key \
    --ds-cert ds.pem >/dev/null &&
"$P" issue --in rb --count "$N" --out Bds2 --ds-key ds2.key \
    --ds-cert ds2.pem >/dev/null &&
"$P" issue --in rb --count "$N" --out Bdays --ds-key ds.key \
    --ds-cert ds.pem --mso-days 60 >/dev/null &&
"$P" issue --in rb --count "$N" --out Bdecoy --ds-key ds.key \
    --ds-cert ds.pem --no-decoys >/dev/null ||
    nok "popgen issue"
audit Bpop c.txt
[ "$(tail -n 1 c.txt)" = "0 distinguishing features" ] &&
    ok "(b) control: B by popgen with the right policy: 0 features" ||
    nok "(b) control told apart: $(tail -n 1 c.txt)"

broken() {	# broken DIR FEATURE DESCRIPTION
	audit "$1" "$1.txt" --expect-indistinguishable
	_rc=$?
	_last=$(tail -n 1 "$1.txt")
	case $_last in
	"0 distinguishing features")
		nok "(b) $3: NOT told apart" ;;
	*" distinguishing feature"*": "*"$2"*)
		ok "(b) $3: told apart by $2 (${_last#*: })" ;;
	*)
		nok "(b) $3: told apart but not by $2: $_last" ;;
	esac
	[ "$_rc" -eq 1 ] && ok "(b) $3: --expect-indistinguishable exits 1" ||
	    nok "(b) $3: --expect-indistinguishable exit $_rc"
}
broken Bds2 signer_key_id "second DS key"
broken Bdays validity_length "MSO validity 60 days instead of 30"
broken Bdecoy digests_per_namespace "no decoy digests"

# (c) Linkability of presentations (rule 6): h1 holds a batch of two
# single-use copies; p1a and p1b show one each, p1c shows the first again
# (--reuse).
"$B/mindl-holder" keygen --no-passphrase --count 2 --out-key h1.key --out-pub h1.pub &&
"$B/mindl-holder" keygen --no-passphrase --count 2 --out-key h2.key --out-pub h2.pub &&
"$B/mindl-issuer" issue --no-passphrase --sample-policy --record ra/00000.json --portrait ra/00000.jpg \
    --ds-key ds.key --ds-cert ds.pem --device-pub h1.pub -o h1.cred &&
"$B/mindl-issuer" issue --no-passphrase --sample-policy --record rb/00000.json --portrait rb/00000.jpg \
    --ds-key ds.key --ds-cert ds.pem --device-pub h2.pub -o h2.cred &&
"$B/mindl-verifier" request --profile age-21 -o r1 >/dev/null &&
"$B/mindl-verifier" request --profile age-21 -o r2 >/dev/null &&
"$B/mindl-verifier" request --profile age-21 -o r3 >/dev/null &&
"$B/mindl-verifier" request --profile age-21 -o r4 >/dev/null &&
"$B/mindl-holder" present --yes -q --no-passphrase --credential h1.cred --device-key h1.key \
    --request r1 -o p1a 2>/dev/null &&
"$B/mindl-holder" present --yes -q --no-passphrase --credential h1.cred --device-key h1.key \
    --request r2 -o p1b 2>/dev/null &&
"$B/mindl-holder" present --yes -q --no-passphrase --reuse --credential h1.cred \
    --device-key h1.key --request r4 -o p1c 2>/dev/null &&
"$B/mindl-holder" present --yes -q --no-passphrase --credential h2.cred --device-key h2.key \
    --request r3 -o p2 2>/dev/null >/dev/null ||
    nok "(c) presentation set-up"
"$B/mindl-audit" link p1a p1b >l1.txt 2>l1.err
rc=$?
[ "$rc" -eq 0 ] && [ "$(tail -n 1 l1.txt)" = "0 links" ] &&
    ok "(c) one batch, two copies presented: 0 links" ||
    nok "(c) one batch, two copies: exit $rc, $(cat l1.txt l1.err)"
"$B/mindl-audit" link --expect-unlinkable p1a p1b >/dev/null 2>&1 &&
    ok "(c) --expect-unlinkable: two copies of one batch exit 0" ||
    nok "(c) --expect-unlinkable: two copies exit $?"
"$B/mindl-audit" link p1a p1c >l1.txt 2>l1.err
for k in salt value-digest digest-id device-key issuer-signature; do
	grep -Eq "^  $k +[0-9]+ shared" l1.txt &&
	    ok "(c) one copy presented twice (--reuse): $k shared" ||
	    nok "(c) one copy twice: no $k link found"
done
if [ "$(tail -n 1 l1.txt)" != "0 links" ] && grep -q '^link: p1a <-> p1c$' l1.txt; then
	ok "(c) one copy twice: $(tail -n 1 l1.txt) between p1a and p1c"
else
	nok "(c) one copy twice: $(tail -n 1 l1.txt)"
fi
"$B/mindl-audit" link p1a p2 >l2.txt 2>l2.err
[ "$(tail -n 1 l2.txt)" = "0 links" ] &&
    ok "(c) two holders: 0 links" || nok "(c) two holders: $(cat l2.txt)"
grep -q "^expected: issuer certificate .* shared by 2 files" l2.txt &&
    ok "(c) the shared DS certificate is reported as expected" ||
    nok "(c) the DS certificate is not reported as expected"
"$B/mindl-audit" link --expect-unlinkable p1a p2 >/dev/null 2>&1 &&
    ok "(c) --expect-unlinkable: two holders exit 0" ||
    nok "(c) --expect-unlinkable: two holders exit $?"
"$B/mindl-audit" link --expect-unlinkable p1a p1c >/dev/null 2>&1
rc=$?
[ "$rc" -eq 1 ] && ok "(c) --expect-unlinkable: one copy presented twice exits 1" ||
    nok "(c) --expect-unlinkable: one copy twice exit $rc"
"$B/mindl-audit" link --expect-unlinkable --json p1a p1c >lj.json 2>/dev/null
rc=$?
[ "$rc" -eq 1 ] && [ "$(jq -r '(.ok | not) and (.reason | type) == "string" and .link_count > 0' lj.json)" = true ] &&
    ok "(c) --json: ok is false when the exit status is 1, with the reason" ||
    nok "(c) --json on exit $rc: $(head -c 200 lj.json)"
# A credential and a presentation of it: linked; the holder's own files.
"$B/mindl-audit" link --json h1.cred p1a >l3.json 2>/dev/null
grep -q '"kind":"device-key"' l3.json &&
    ok "(c) credential file and its presentation linked (--json)" ||
    nok "(c) credential and presentation: $(head -c 200 l3.json)"
echo "# population.sh: $(($(now) - t_start)) s in all, N=$N"
finish
