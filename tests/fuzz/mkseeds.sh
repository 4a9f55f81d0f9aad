#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Rewrites the seed corpora in tests/fuzz/corpus/ from the Annex D vectors,
# the negative corpus and schemas/, and small JPEGs made with libjpeg
# (tests/fuzz/mkseeds.c).  Files already there (regressions, libFuzzer
# finds) are kept.  Run from the repo root.  "mkseeds.sh status" rewrites
# only corpus/status/ (its lists are signed by a key made each run),
# "mkseeds.sh qr" only corpus/qr/ and corpus/qr_image/, "mkseeds.sh
# fido" only corpus/fido/, "mkseeds.sh algs" only the seeds on other
# curves and digests (credential, document, cose, mso).
set -eu
BUILD=${BUILD:-build}
CC=${CC:-cc}
[ -f tests/fuzz/mkseeds.c ] || { echo "mkseeds.sh: run from the repository root" >&2; exit 2; }
make BUILD="$BUILD" "$BUILD/libmindl.a"
# shellcheck disable=SC2046
$CC -std=c11 -D_DEFAULT_SOURCE -O1 -g -Icore/include -Icore/src \
	$(pkg-config --cflags libpng) \
	tests/fuzz/mkseeds.c "$BUILD/libmindl.a" \
	$(pkg-config --libs openssl libcbor jansson zlib libjpeg libpng \
	libqrencode zbar libfido2) -lm \
	-o "$BUILD/fuzz-mkseeds"
mkdir -p tests/fuzz/corpus
"$BUILD/fuzz-mkseeds" "$@"
# VICALs: the real lists of tests/data/vical/ (signed by their providers;
# nothing here can make more).
if [ $# -eq 0 ]; then
	mkdir -p tests/fuzz/corpus/vical
	cp tests/data/vical/*.cbor tests/fuzz/corpus/vical/
fi
