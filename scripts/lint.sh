#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make lint: banned functions in the library and tools (curl's list plus
# rand and system), header self-containment, an SPDX licence line in every
# source file, man pages (mandoc -Tlint) and shell scripts (shellcheck).
# Prints "N passed, N failed".
set -u
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
src="core/src/*.c tools/*.c keys/*.c issuer/*.c holder/*.c verifier/*.c audit/*.c"

# shellcheck disable=SC2086
hits=$(grep -nE '\b(gets|strcpy|strcat|sprintf|vsprintf|strtok|rand|srand|system|popen|mktemp|tmpnam|tempnam|atoi|atol|alloca)[[:space:]]*\(' \
    $src 2>/dev/null | grep -v '^\s*/\*' | grep -vE ':[0-9]+:\s*\*')
if [ -z "$hits" ]; then ok "no banned functions"; else
	nok "banned functions:"; echo "$hits" | sed 's/^/    /'; fi

for h in core/include/mindl/*.h; do
	if printf '#include "%s"\n' "mindl/${h##*/}" |
	    ${CC:-cc} -std=c11 -Icore/include -fsyntax-only -x c - 2>/dev/null; then
		:
	else
		nok "header not self-contained: $h"
	fi
done
[ "$fail" -eq 0 ] && ok "headers are self-contained"

# Every source, script, build file and man page says its licence.
missing=$(git ls-files '*.c' '*.h' '*.sh' '*.mjs' '*.1' '*.in' Makefile .ci/run |
    while read -r f; do
	[ -f "$f" ] || continue
	head -n 3 "$f" | grep -q 'SPDX-License-Identifier: BSD-2-Clause' ||
	    echo "$f"
    done)
if [ -z "$missing" ]; then ok "SPDX licence line in every source file"; else
	nok "no SPDX licence line:"; echo "$missing" | sed 's/^/    /'; fi

if command -v mandoc >/dev/null 2>&1; then
	for m in */*.1; do
		out=$(mandoc -Tlint -W warning "$m" 2>&1 |
		    grep -v 'referenced manual not found')
		if [ -z "$out" ]; then ok "mandoc -Tlint $m"; else
			nok "mandoc -Tlint $m"; echo "$out" | sed 's/^/    /'; fi
	done
else
	echo "# mandoc not installed: man pages not linted"
fi
if command -v shellcheck >/dev/null 2>&1; then
	# shellcheck disable=SC2046
	if shellcheck -S warning -s sh $(git ls-files '*.sh') .ci/run >/tmp/lint.$$ 2>&1; then
		ok "shellcheck"
	else
		nok "shellcheck"; sed 's/^/    /' /tmp/lint.$$ | head -n 60
	fi
	rm -f /tmp/lint.$$
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
