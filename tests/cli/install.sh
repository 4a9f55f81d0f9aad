#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make install and make uninstall into a staging directory (DESTDIR): the
# tools, man pages, libmindl.a, the public headers and mindl.pc land with
# their modes; a program built against the staged copy with
# `pkg-config --static --cflags --libs mindl` links and runs; uninstall
# leaves no file behind.
#
# Run from the repository root after `make` (make test builds first).  It
# installs the release build as it is: when that is not up to date it
# fails rather than rebuild.  Under make asan and make valgrind (MINDL_BIN
# is not bin/) it skips: what make install copies is the release build,
# not the tools those runs test.
set -u
top=$(pwd)
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}
mode() { stat -c %a "$1" 2>/dev/null || stat -f %Lp "$1"; }

bin=${MINDL_BIN:-bin}
if [ "$(cd "$bin" 2>/dev/null && pwd)" != "$top/bin" ]; then
	echo "# SKIP make install copies the release build in bin/;" \
	    "the tools under test here are $bin"
	finish
fi
[ -f Makefile ] && [ -f core/mindl.pc.in ] ||
    { nok "run from the repository root"; finish; }

# A make of our own: nothing from an enclosing make (make test-run,
# make asan) may change its variables, jobs or output.
unset MAKEFLAGS MFLAGS MAKELEVEL GNUMAKEFLAGS
mk() { make --no-print-directory "$@"; }

if ! mk -q all >/dev/null 2>&1; then
	nok "the release build is up to date (run make first)"
	finish
fi
ok "the release build is up to date"

d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-install.XXXXXX") || exit 3
trap 'rm -rf "$d"' EXIT INT TERM
stage=$d/stage
mkdir "$stage"
umask 077

# --- install ------------------------------------------------------------
if mk install DESTDIR="$stage" PREFIX=/usr/local >"$d/install.log" 2>&1; then
	ok "make install DESTDIR=... PREFIX=/usr/local"
else
	nok "make install DESTDIR=... PREFIX=/usr/local"
	sed 's/^/    /' "$d/install.log"
	finish
fi
if grep -qE '(^| )-c -o |^ar ' "$d/install.log"; then
	nok "make install built nothing"
	sed 's/^/    /' "$d/install.log"
else
	ok "make install built nothing"
fi
mk -q all >/dev/null 2>&1 && ok "the release build is still up to date" ||
    nok "the release build is still up to date"

# Every file expected, with its mode, and nothing else (the umask above
# would leave anything installed without an explicit mode at 0600).
p=usr/local
{
	for t in bin/mindl-*; do
		echo "755 $p/bin/${t#bin/}"
	done
	for m in keys/*.1 issuer/*.1 holder/*.1 verifier/*.1 audit/*.1; do
		[ -f "$m" ] && echo "644 $p/share/man/man1/${m#*/}"
	done
	echo "644 $p/lib/libmindl.a"
	echo "644 $p/lib/pkgconfig/mindl.pc"
	for h in core/include/mindl/*.h; do
		echo "644 $p/include/mindl/${h#core/include/mindl/}"
	done
} | sort >"$d/want"
(cd "$stage" && find . ! -type d | sed 's|^\./||' | while read -r f; do
	echo "$(mode "$f") $f"
done) | sort >"$d/got"
if cmp -s "$d/want" "$d/got"; then
	ok "installed files and modes ($(wc -l <"$d/want") files)"
else
	nok "installed files and modes"
	diff "$d/want" "$d/got" | sed 's/^/    /'
fi
same=1
for t in bin/mindl-*; do
	cmp -s "$t" "$stage/$p/bin/${t#bin/}" || same=0
done
cmp -s build/libmindl.a "$stage/$p/lib/libmindl.a" || same=0
for h in core/include/mindl/*.h; do
	cmp -s "$h" "$stage/$p/include/mindl/${h#core/include/mindl/}" || same=0
done
[ "$same" = 1 ] && ok "installed copies are the built files" ||
    nok "installed copies are the built files"

# --- pkg-config and a program linked against the staged library ---------
# PKG_CONFIG_SYSROOT_DIR maps mindl.pc's /usr/local paths into the stage.
pc() {
	PKG_CONFIG_PATH=$stage/$p/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$stage \
	    pkg-config "$@"
}
pc --exists mindl && ok "pkg-config finds mindl" ||
    nok "pkg-config finds mindl"
req=$(pc --print-requires-private mindl | awk '{print $1}' | sort | tr '\n' ' ')
[ "$req" = "jansson libcbor libcrypto libfido2 libjpeg libpng libqrencode zbar zlib " ] &&
    ok "mindl.pc Requires.private: the core's libraries" ||
    nok "mindl.pc Requires.private: the core's libraries (got: $req)"
flags=$(pc --cflags --libs --static mindl)
n=0
for f in "-I$stage/$p/include" "-L$stage/$p/lib" -lmindl -lcrypto -lcbor \
    -ljansson -ljpeg; do
	case " $flags " in *" $f "*) n=$((n + 1)) ;; esac
done
[ "$n" = 7 ] && ok "pkg-config --cflags --libs --static mindl: $flags" ||
    nok "pkg-config --cflags --libs --static mindl: $flags"
cat >"$d/prog.c" <<'EOF'
#include <stdio.h>

#include <mindl/buf.h>
#include <mindl/mindl.h>

int
main(void)
{
	struct mindl_buf b;
	int r;

	/* The portrait decoder links only with Requires.private's libjpeg. */
	mindl_buf_init(&b, 1024);
	r = mindl_jpeg_halfblocks((const unsigned char *)"\xff\xd8", 2, 1, 1,
	    &b);
	mindl_buf_clear(&b);
	return printf("%s %s\n", mindl_errname(MINDL_ERR_DIGEST),
	    mindl_errname(r)) < 0;
}
EOF
# shellcheck disable=SC2086
if (cd "$d" && ${CC:-cc} -std=c11 -Wall -Wextra -Werror -o prog prog.c \
    $flags) >"$d/cc.log" 2>&1; then
	ok "a program compiles and links against the installed library"
	out=$("$d/prog" 2>&1)
	[ "$out" = "MINDL_ERR_DIGEST MINDL_ERR_PORTRAIT" ] &&
	    ok "and runs: an error name and a refused portrait: $out" ||
	    nok "and runs: an error name and a refused portrait: $out"
else
	nok "a program compiles and links against the installed library"
	sed 's/^/    /' "$d/cc.log"
fi

# --- uninstall ----------------------------------------------------------
if mk uninstall DESTDIR="$stage" PREFIX=/usr/local >"$d/uninstall.log" 2>&1
then
	ok "make uninstall DESTDIR=... PREFIX=/usr/local"
else
	nok "make uninstall DESTDIR=... PREFIX=/usr/local"
	sed 's/^/    /' "$d/uninstall.log"
fi
left=$(cd "$stage" && find . ! -type d)
[ -z "$left" ] && ok "make uninstall leaves no file behind" ||
    nok "make uninstall leaves no file behind: $left"
[ ! -d "$stage/$p/include/mindl" ] &&
    ok "make uninstall removes include/mindl" ||
    nok "make uninstall removes include/mindl"
finish
