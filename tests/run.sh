#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs the whole suite: unit binaries, fuzz-corpus replays, the negative
# corpus, command-line tests, privacy tests and interoperability tests.
# Usage: sh tests/run.sh BUILD_DIR   (tools from $MINDL_BIN, default bin),
# from the repository root: test data is read from tests/ (tests/vectors/).
# Set MINDL_SKIP_INTEROP=1 to leave out the Node.js interop suites (the
# sanitizer run does, since Node is not under test there).
set -u
build=${1:-build}
MINDL_BIN=${MINDL_BIN:-bin}
export MINDL_BIN
pass=0
fail=0
failed=""

run() {
	name=$1
	shift
	log=$build/test-logs/$(echo "$name" | tr '/ ' '__').log
	mkdir -p "$build/test-logs"
	if "$@" >"$log" 2>&1; then
		pass=$((pass + 1))
		echo "ok - $name"
	else
		fail=$((fail + 1))
		failed="$failed $name"
		echo "not ok - $name (log: $log)"
		tail -n 20 "$log" | sed 's/^/    /'
	fi
}

for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	run "unit/$(basename "$t")" "$t"
done
for t in "$build"/tests/replay_fuzz_*; do
	[ -x "$t" ] || continue
	h=${t##*/replay_fuzz_}
	[ -d "tests/fuzz/corpus/$h" ] || continue
	run "fuzz-replay/$h" "$t" "tests/fuzz/corpus/$h"
done
if [ -x "$build/tests/neg-check" ]; then
	run "neg/corpus" "$build/tests/neg-check" tests/neg
fi
for s in tests/cli/*.sh tests/privacy/*.sh; do
	[ -f "$s" ] || continue
	run "$s" sh "$s"
done
run "lint" sh scripts/lint.sh
if [ "${MINDL_SKIP_INTEROP:-0}" != 1 ] && [ -f tests/interop/run.sh ]; then
	run "interop/@auth0/mdl" sh tests/interop/run.sh
	[ -f tests/interop/run_owf.sh ] &&
	    run "interop/@owf/mdoc" sh tests/interop/run_owf.sh
fi
echo "suite: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "failed:$failed"; exit 1; }
