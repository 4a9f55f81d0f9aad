#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Privacy rules 4 and 5 (DESIGN.md section 4): verification is offline by
# construction and the verifier stores nothing about the holder.
#  - verify succeeds inside a network namespace with no interfaces up;
#  - traced with strace, verify makes no socket() call at all;
#  - traced, verify opens no file for writing, and the working directory,
#    HOME and TMPDIR hold the same files before and after.
set -u
top=$(pwd)
B=$top/${MINDL_BIN:-bin}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-offline.XXXXXX")
trap 'rm -rf "$d"' EXIT INT TERM
cd "$d" || exit 1
mkdir home tmp work
"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "Offline IACA" \
    --out-key iaca.key --out-cert iaca.pem >/dev/null &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key --iaca-cert iaca.pem \
    --out-key ds.key --out-cert ds.pem >/dev/null &&
"$B/mindl-holder" keygen --no-passphrase --out-key dev.key --out-pub dev.pub &&
"$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$top/schemas/samples/sample-record.json" \
    --portrait "$top/schemas/samples/portrait.jpg" --ds-key ds.key \
    --ds-cert ds.pem --device-pub dev.pub -o cred &&
. "$top/tests/common/reader.sh" &&
reader_setup "$B" . &&
signed_request "$B" . traffic-stop req &&
"$B/mindl-holder" present --yes -q --no-passphrase --credential cred --device-key dev.key \
    --request req -o resp --reader-trust rca.pem --engagement req.de || { nok "set-up"; echo "$pass passed, $fail failed"; exit 1; }

verify() {
	"$B/mindl-verifier" verify --trust "$d/iaca.pem" --request "$d/req" \
	    --response "$d/resp" --json
}

# 1. No network at all.
if unshare -n true 2>/dev/null; then
	if (cd work && HOME=$d/home TMPDIR=$d/tmp unshare -n \
	    "$B/mindl-verifier" verify --trust "$d/iaca.pem" \
	    --request "$d/req" --response "$d/resp" >/dev/null); then
		ok "verify succeeds in a namespace without network"
	else
		nok "verify succeeds in a namespace without network"
	fi
else
	nok "unshare -n is not permitted here (run the suite as root)"
fi

# 2. No socket, 3. no file opened for writing.
if command -v strace >/dev/null 2>&1; then
	# LeakSanitizer cannot run under ptrace: leaks are checked elsewhere.
	(cd work && HOME=$d/home TMPDIR=$d/tmp \
	    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -qq \
	    -e trace=socket,connect,open,openat,creat,rename,renameat,unlink,unlinkat,mkdir \
	    -o "$d/trace" "$B/mindl-verifier" verify --trust "$d/iaca.pem" \
	    --request "$d/req" --response "$d/resp" >/dev/null)
	rc=$?
	[ "$rc" -eq 0 ] && ok "verify under strace" || nok "verify under strace (exit $rc)"
	if grep -Eq '(^|[ ])(socket|connect)\(' "$d/trace"; then
		nok "verify makes no socket call: $(grep -E 'socket|connect' "$d/trace" | head -n 3)"
	else
		ok "verify makes no socket call"
	fi
	if grep -E 'open(at)?\(|creat\(|rename|unlink|mkdir' "$d/trace" |
	    grep -Eq 'O_WRONLY|O_RDWR|O_CREAT|creat\(|rename|unlink|mkdir'; then
		nok "verify writes no file: $(grep -E 'O_WRONLY|O_RDWR|O_CREAT|creat\(|rename|unlink|mkdir' "$d/trace" | head -n 3)"
	else
		ok "verify opens no file for writing"
	fi
	# The trace must have seen the response being read, or it proves nothing.
	if grep -q "$d/resp" "$d/trace"; then
		ok "the trace saw verify read the response"
	else
		nok "the trace did not see the response being read"
	fi
else
	nok "strace is not installed (scripts/deps.sh installs it)"
fi

before=$(cd "$d" && find work home tmp | sort)
(cd work && HOME=$d/home TMPDIR=$d/tmp verify >/dev/null)
after=$(cd "$d" && find work home tmp | sort)
[ "$before" = "$after" ] && ok "no file appears in cwd, HOME or TMPDIR" ||
    nok "files appeared: $after"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
