#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Installs the Node.js peers of tests/interop (npm ci from the committed
# package-lock) unless they are there already.  Used by every test that
# drives @auth0/mdl.  Run from the repository root.
set -u
here=tests/interop
[ -d "$here/node_modules/@auth0/mdl" ] && [ -d "$here/node_modules/@owf/mdoc" ] && exit 0
if ! (cd "$here" && npm ci --no-audit --no-fund >/dev/null 2>&1); then
	echo "tests/interop/setup.sh: npm ci failed" >&2
	exit 1
fi
