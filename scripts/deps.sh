#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Installs the Debian packages mindl needs when run as root; otherwise
# prints the exact apt-get line and fails.  Used by `make demo` and
# `make test` so that a fresh Debian 12 machine needs nothing else.
set -u
# The build: compiler, make, pkg-config and the core's libraries.
# The tests: zlib (the negative corpus), clang and its sanitizer and
# libFuzzer runtimes (make asan, make fuzz), and the command-line tools the
# scripts call.  sqlite3 is the issuer's registry and the verifier's
# status cache; libfido2, libqrencode, libzbar and libpng (QR images as
# PNG: written by libqrencode's modules, read for zbar) are the core's
# security keys and QR codes.
pkgs="gcc make pkg-config libssl-dev libcbor-dev libjansson-dev \
libjpeg62-turbo-dev zlib1g-dev libpng-dev clang libclang-rt-14-dev openssl strace util-linux jq valgrind \
xxd mandoc shellcheck \
libsqlite3-dev libfido2-dev libqrencode-dev libzbar-dev"
missing=""
for p in $pkgs; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$s" in
	*"ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done
# Node.js runs the interoperability tests; any packaged node >= 18 works
# (Debian's nodejs and npm packages, or an existing installation).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null &&
	    apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	    { echo "deps: apt-get install failed" >&2; exit 3; }
	exit 0
fi
echo "deps: missing packages; run as root:" >&2
echo "  apt-get install -y$missing" >&2
exit 2
