#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Regenerates the negative corpus: builds tests/neg/gen.c against the
# library, rewrites tests/neg/cases/ and tests/neg/cases.txt, then runs
# tests/neg/check.c over the result.  Run from the repository root.
# Keys are random: review `git diff --stat tests/neg` and commit the lot.
set -eu

BUILD=${BUILD:-build}
CC=${CC:-cc}
LIBS="$(pkg-config --libs openssl libcbor jansson zlib libjpeg libpng libqrencode zbar libfido2)"
CFLAGS="-std=c11 -D_DEFAULT_SOURCE -O1 -g -Icore/include -Icore/src"

[ -f tests/neg/gen.c ] || { echo "regen.sh: run from the repository root" >&2; exit 2; }
make BUILD="$BUILD" "$BUILD/libmindl.a"
mkdir -p "$BUILD/tests"
# shellcheck disable=SC2086
$CC $CFLAGS tests/neg/gen.c "$BUILD/libmindl.a" $LIBS -o "$BUILD/tests/neg-gen"
# shellcheck disable=SC2086
$CC $CFLAGS tests/neg/check.c "$BUILD/libmindl.a" $LIBS -o "$BUILD/tests/neg-check"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/cases"
"$BUILD/tests/neg-gen" "$tmp"
"$BUILD/tests/neg-check" "$tmp" > "$tmp/check.log" || {
	grep -v '^ok' "$tmp/check.log" >&2
	echo "regen.sh: the new corpus does not pass; nothing replaced" >&2
	exit 1
}
rm -rf tests/neg/cases
mv "$tmp/cases" tests/neg/cases
mv "$tmp/cases.txt" tests/neg/cases.txt
tail -n 1 "$tmp/check.log"
