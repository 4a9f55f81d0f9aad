#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Makes a directory of wrappers that run each tool under valgrind with
# leaks and memory errors fatal (exit 99), for the command-line tests:
#   sh scripts/valgrind-bin.sh bin build/valgrind-bin
#   MINDL_BIN=build/valgrind-bin sh tests/cli/keys.sh
set -eu
src=$1
dst=$2
mkdir -p "$dst"
abs=$(cd "$src" && pwd)
supp=$(cd "$(dirname "$0")" && pwd)/valgrind.supp
for t in "$abs"/mindl-*; do
	[ -x "$t" ] || continue
	w=$dst/$(basename "$t")
	cat >"$w" <<EOT
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
    --suppressions=$supp \\
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \\
    "$t" "\$@"
EOT
	chmod +x "$w"
done
