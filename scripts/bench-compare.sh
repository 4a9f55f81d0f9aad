#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make bench BASE=REV: this build's bench against REV's, both measured in
# this one run, as ratios (a noisy machine makes figures from different
# runs meaningless).
#
#   sh scripts/bench-compare.sh REV BUILD
#
# REV's bench is built from a clean export of REV with REV's own Makefile,
# so that each side's bench.c is compiled against its own library; the
# variables given to make (CC, OPT, CFLAGS, ...) reach both builds.  Then:
#   - instructions per operation under callgrind, which the machine's load
#     does not change: (Ir(N2) - Ir(N1)) / (N2 - N1) of `bench 0 OP N',
#     which leaves out the set-up (skipped if valgrind is not installed);
#   - CPU time: BENCH_ROUNDS rounds (15) of `bench BENCH_SECONDS' (0.3) of
#     each binary, alternating, pinned to CPU 0 if taskset can; the median
#     over the rounds of each round's ratio.  Many short rounds keep the
#     two sides of a ratio seconds apart, as the load on the machine
#     changes from one minute to the next.
# Ratios are new/base cost per operation: above 1.00 is slower.  An
# operation one side lacks is n/a.  The last line names each operation
# more than THRESHOLD percent slower in instructions; it informs only:
# the exit status is 0 unless a build or a run failed.
set -u

N1=20
N2=120
THRESHOLD=2
ROUNDS=${BENCH_ROUNDS:-15}
SECS=${BENCH_SECONDS:-0.3}
# The operations of bench.c's ops[] table, and the label each prints.
OPS="verify-sig verify-mac issue raw-verify raw-sign raw-ecdh raw-issue"

die() { echo "bench-compare: $*" >&2; exit 3; }

[ $# -eq 2 ] || { echo "usage: bench-compare.sh rev build-dir" >&2; exit 2; }
rev=$1
build=$2
new=$build/bench/bench
[ -x "$new" ] || die "$new: not built"
sha=$(git rev-parse --verify -q "$rev^{commit}") ||
    { echo "bench-compare: $rev: no such commit" >&2; exit 2; }

out=$build/bench-cmp
rm -rf "$out"
mkdir -p "$out" || die "$out: cannot create"
tmp=$(mktemp -d "$build/bench-base.XXXXXX") || die "cannot make a directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "bench-compare: building $rev's bench ($(git log -1 --format='%h %s' "$sha" | cut -c1-60))" >&2
git archive "$sha" | tar -x -C "$tmp" || die "git archive $rev failed"
if ! "${MAKE:-make}" -C "$tmp" BUILD=build build/bench/bench \
    >"$out/base-build.log" 2>&1; then
	tail -n 20 "$out/base-build.log" >&2
	die "$rev: bench did not build (log: $out/base-build.log)"
fi
cp "$tmp/build/bench/bench" "$out/bench-base" || die "copy failed"
rm -rf "$tmp"
cp "$new" "$out/bench-new" || die "copy failed"

failed=0

# supports BIN OP: whether BIN runs OP alone (`bench 0 OP 1' prints
# nothing); an unknown op, or a bench without that mode, is n/a.
supports() {
	if "$1" 0 "$2" 1 >"$out/probe.out" 2>"$out/probe.err"; then
		[ ! -s "$out/probe.out" ]
		return
	fi
	grep -q 'unknown op' "$out/probe.err" && return 1
	echo "bench-compare: $1 0 $2 1 failed:" >&2
	cat "$out/probe.err" >&2
	failed=1
	return 1
}

# ir BIN OP N: callgrind's total instruction count of `bench 0 OP N'.
ir() {
	if ! valgrind --tool=callgrind -q --callgrind-out-file="$out/cg.out" \
	    "$1" 0 "$2" "$3" >/dev/null 2>"$out/cg.err"; then
		echo "bench-compare: callgrind $1 0 $2 $3 failed:" >&2
		cat "$out/cg.err" >&2
		return 1
	fi
	awk '$1 == "totals:" || $1 == "summary:" { v = $2 } END { print v }' \
	    "$out/cg.out"
}

: >"$out/ir.tsv"
if command -v valgrind >/dev/null 2>&1; then
	echo "bench-compare: callgrind, $N1 and $N2 of each operation" >&2
	for op in $OPS; do
		for side in base new; do
			v=n/a
			if ! supports "$out/bench-$side" "$op"; then
				:
			elif a=$(ir "$out/bench-$side" "$op" $N1) &&
			    b=$(ir "$out/bench-$side" "$op" $N2); then
				v=$(awk -v a="$a" -v b="$b" \
				    -v n=$((N2 - N1)) 'BEGIN { printf "%.1f\n", (b - a) / n }')
			else
				v=failed
				failed=1
			fi
			echo "$op $side $v" >>"$out/ir.tsv"
		done
	done
	rm -f "$out/cg.out" "$out/cg.err"
else
	echo "bench-compare: valgrind is not installed: no instruction" \
	    "counts (apt-get install valgrind)" >&2
fi

# Each figure of bench's human output, as "op rate": the label before the
# number names the operation.
parse() {
	awk '
	BEGIN {
		op["raw OpenSSL P-256 ECDSA verify"] = "raw-verify"
		op["raw OpenSSL P-256 ECDSA sign"] = "raw-sign"
		op["raw OpenSSL P-256 ECDH"] = "raw-ecdh"
		op["verify DeviceResponse (signature)"] = "verify-sig"
		op["verify DeviceResponse (mac)"] = "verify-mac"
		op["raw issuance cryptography"] = "raw-issue"
		op["issue credential"] = "issue"
	}
	match($0, /[0-9]+(\.[0-9]+)? \/s/) {
		label = substr($0, 1, RSTART - 1)
		sub(/[ \t]+$/, "", label)
		if (label in op)
			print op[label], substr($0, RSTART, RLENGTH - 3)
		else
			print "bench-compare: unknown figure: " label | "cat >&2"
	}' "$1"
}

pin=
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
	pin="taskset -c 0"
fi
echo "bench-compare: CPU time, $ROUNDS rounds of bench $SECS${pin:+ (pinned to CPU 0)}" >&2
: >"$out/time.tsv"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	# Alternate which side runs first, so that neither always follows.
	if [ $((r % 2)) -eq 1 ]; then order="base new"; else order="new base"; fi
	for side in $order; do
		# shellcheck disable=SC2086
		if ! $pin "$out/bench-$side" "$SECS" >"$out/run-$side.$r" \
		    2>"$out/run.err"; then
			echo "bench-compare: bench-$side $SECS failed:" >&2
			cat "$out/run.err" >&2
			exit 3
		fi
		parse "$out/run-$side.$r" >"$out/rate-$side.$r"
	done
	# Cost ratio new/base = rate base / rate new, per operation.
	awk 'NR == FNR { b[$1] = $2; next }
	    ($1 in b) && $2 > 0 { printf "%s %.6f\n", $1, b[$1] / $2 }' \
	    "$out/rate-base.$r" "$out/rate-new.$r" >>"$out/time.tsv"
	r=$((r + 1))
done
rm -f "$out/run.err" "$out/probe.out" "$out/probe.err"

echo "base: $(git log -1 --format='%h %s' "$sha" | cut -c1-70)"
echo "new:  this build ($(git describe --always --dirty))"
awk -v ops="$OPS" -v thr="$THRESHOLD" -v n1=$N1 -v n2=$N2 \
    -v rounds="$ROUNDS" -v secs="$SECS" '
FILENAME == ARGV[1] { ir[$1, $2] = $3; nir++; next }
{ t[$1, ++nt[$1]] = $2 }
function num(v) { return v ~ /^[0-9.]+$/ }
function median(o,    i, j, k, a, c) {
	c = nt[o]
	for (i = 1; i <= c; i++) {
		a[i] = t[o, i]
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			k = a[j]; a[j] = a[j - 1]; a[j - 1] = k
		}
	}
	return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
END {
	if (nir)
		printf "Ir/op: callgrind, (Ir(%d) - Ir(%d)) / %d; ", n2, n1,
		    n2 - n1
	printf "time: median of %d rounds of %ss\n", rounds, secs
	print "ratios are new/base cost per operation: above 1.00 is slower"
	printf "%-12s %12s %12s %10s %10s\n", "op", "base Ir/op", "new Ir/op",
	    "ratio Ir", "ratio time"
	n = split(ops, name, " ")
	counted = 0
	slow = ""
	for (i = 1; i <= n; i++) {
		o = name[i]
		b = ir[o, "base"]; w = ir[o, "new"]
		bs = num(b) ? sprintf("%.0f", b) : (b == "" ? "-" : b)
		ws = num(w) ? sprintf("%.0f", w) : (w == "" ? "-" : w)
		rs = "n/a"
		if (num(b) && num(w) && b > 0) {
			q = w / b
			rs = sprintf("%.3f", q)
			counted++
			if (q > 1 + thr / 100)
				slow = slow sprintf(" %s (+%.1f%%)", o,
				    (q - 1) * 100)
		} else if (b == "" && w == "")
			rs = "-"
		ts = nt[o] ? sprintf("%.2f", median(o)) : "n/a"
		printf "%-12s %12s %12s %10s %10s\n", o, bs, ws, rs, ts
	}
	if (counted == 0)
		print "no instruction counts to compare: slowdowns not judged"
	else if (slow == "")
		printf "no op is more than %d%% slower in instructions\n", thr
	else
		printf "more than %d%% slower in instructions:%s\n", thr, slow
}' "$out/ir.tsv" "$out/time.tsv"
exit "$failed"
