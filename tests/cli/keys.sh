#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# mindl-keys: the key ceremony end to end.  Exit codes, file modes, the
# Annex B profile as OpenSSL sees it, refusal to overwrite, the 457-day DS
# limit and passphrases from file descriptors.
# Run from the repository root; binaries in ${MINDL_BIN:-bin}.
# expect() takes expressions in single quotes on purpose, for eval:
# shellcheck disable=SC2016
set -u

bin=${MINDL_BIN:-bin}
keys=$bin/mindl-keys
pass=0
fail=0

ok() {
	pass=$((pass + 1))
	echo "ok - $1"
}

notok() {
	fail=$((fail + 1))
	echo "not ok - $1"
}

# check DESCRIPTION COMMAND...: passes when COMMAND exits 0.
check() {
	d=$1
	shift
	if "$@"; then ok "$d"; else notok "$d"; fi
}

# expect DESCRIPTION EXPR: passes when the shell expression EXPR holds
# (for compound conditions; paths under $tmp need no quoting care).
expect() {
	if eval "$2"; then ok "$1"; else notok "$1"; fi
}

# status CMD...: runs CMD, output to $tmp/out and $tmp/err; sets $rc.
status() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

mode_of() {
	stat -c %a "$1" 2>/dev/null || stat -f %Lp "$1"
}

if [ ! -x "$keys" ]; then
	echo "not ok - $keys not built"
	echo "0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mindl-keys.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT INT TERM
umask 022

# --- usage ---
status "$keys"
check "no verb exits 2" [ "$rc" -eq 2 ]
status "$keys" frobnicate
check "unknown verb exits 2" [ "$rc" -eq 2 ]
status "$keys" iaca --no-passphrase --country US --state IL --out-key "$tmp/x.key" \
    --out-cert "$tmp/x.pem"
check "iaca without --name exits 2" [ "$rc" -eq 2 ]
check "usage goes to stderr" grep -q "usage:" "$tmp/err"
check "nothing written on usage error" [ ! -e "$tmp/x.key" ]
status "$keys" -h
check "-h exits 0" [ "$rc" -eq 0 ]

# --- IACA ---
status "$keys" iaca --no-passphrase --country US --state IL --name "Illinois Test IACA" \
    --out-key "$tmp/iaca.key" --out-cert "$tmp/iaca.pem" \
    --issuer-alt https://dmv.example.invalid/iaca
check "iaca exits 0" [ "$rc" -eq 0 ]
check "iaca key is mode 600" [ "$(mode_of "$tmp/iaca.key")" = 600 ]
check "iaca cert is mode 644" [ "$(mode_of "$tmp/iaca.pem")" = 644 ]
check "iaca prints its key id" grep -q "^key_id [0-9a-f]\{16\}$" "$tmp/out"
openssl x509 -in "$tmp/iaca.pem" -noout -text >"$tmp/iaca.txt" 2>&1
check "IACA is CA with pathlen 0" grep -q "CA:TRUE, pathlen:0" "$tmp/iaca.txt"
check "IACA basicConstraints critical" \
    grep -q "Basic Constraints: critical" "$tmp/iaca.txt"
check "IACA keyUsage keyCertSign, cRLSign critical" sh -c \
    "grep -A1 'Key Usage: critical' '$tmp/iaca.txt' | \
    grep -q 'Certificate Sign, CRL Sign'"
check "IACA subject has ST=US-IL" grep -q "ST = US-IL" "$tmp/iaca.txt"
check "IACA issuerAltName" grep -q "URI:https://dmv.example.invalid/iaca" \
    "$tmp/iaca.txt"
check "IACA signed ecdsa-with-SHA256" \
    grep -q "Signature Algorithm: ecdsa-with-SHA256" "$tmp/iaca.txt"

# --- DS ---
status "$keys" ds --no-passphrase --iaca-no-passphrase --iaca-key "$tmp/iaca.key" --iaca-cert "$tmp/iaca.pem" \
    --out-key "$tmp/ds.key" --out-cert "$tmp/ds.pem" --json
check "ds exits 0" [ "$rc" -eq 0 ]
check "ds key is mode 600" [ "$(mode_of "$tmp/ds.key")" = 600 ]
check "ds --json prints one object" \
    grep -q '^{"ok":true,"key_id":"[0-9a-f]\{16\}","cert":".*","key":".*","not_before":"[0-9T:Z-]*","not_after":"[0-9T:Z-]*"}$' \
    "$tmp/out"
status openssl verify -CAfile "$tmp/iaca.pem" "$tmp/ds.pem"
check "openssl verify says OK" grep -q ": OK$" "$tmp/out"
status openssl verify -x509_strict -CAfile "$tmp/iaca.pem" "$tmp/ds.pem"
check "openssl verify -x509_strict says OK" grep -q ": OK$" "$tmp/out"
openssl x509 -in "$tmp/ds.pem" -noout -text >"$tmp/ds.txt" 2>&1
check "DS has EKU 1.0.18013.5.1.2" grep -q "1\.0\.18013\.5\.1\.2" \
    "$tmp/ds.txt"
check "DS EKU is critical" \
    grep -q "Extended Key Usage: critical" "$tmp/ds.txt"
check "DS keyUsage digitalSignature critical" sh -c \
    "grep -A1 'Key Usage: critical' '$tmp/ds.txt' | \
    grep -q 'Digital Signature'"
check "DS is not a CA" sh -c "! grep -q 'CA:TRUE' '$tmp/ds.txt'"
check "DS carries ST=US-IL and C=US" \
    grep -q "Subject: C = US, ST = US-IL, CN = Illinois Test IACA DS" \
    "$tmp/ds.txt"
check "DS AKI present" grep -q "Authority Key Identifier" "$tmp/ds.txt"

status "$keys" show "$tmp/ds.pem"
check "show ds exits 0" [ "$rc" -eq 0 ]
check "show says role ds" grep -q "^role ds$" "$tmp/out"
status "$keys" show --json "$tmp/iaca.pem"
check "show --json says role iaca" grep -q '"role":"iaca"' "$tmp/out"
status "$keys" show "$tmp/iaca.key"
check "show of a key file fails with 1" [ "$rc" -eq 1 ]

# --- no overwrite ---
cp "$tmp/iaca.key" "$tmp/iaca.key.orig"
cp "$tmp/iaca.pem" "$tmp/iaca.pem.orig"
status "$keys" iaca --no-passphrase --country US --state IL --name "Again" \
    --out-key "$tmp/iaca.key" --out-cert "$tmp/iaca.pem"
check "second iaca run exits non-zero" [ "$rc" -ne 0 ]
check "iaca key left intact" cmp -s "$tmp/iaca.key" "$tmp/iaca.key.orig"
check "iaca cert left intact" cmp -s "$tmp/iaca.pem" "$tmp/iaca.pem.orig"
cp "$tmp/ds.key" "$tmp/ds.key.orig"
status "$keys" ds --no-passphrase --iaca-no-passphrase --iaca-key "$tmp/iaca.key" --iaca-cert "$tmp/iaca.pem" \
    --out-key "$tmp/ds.key" --out-cert "$tmp/ds2.pem"
check "ds over an existing key exits non-zero" [ "$rc" -ne 0 ]
check "ds key left intact" cmp -s "$tmp/ds.key" "$tmp/ds.key.orig"
check "no certificate written beside it" [ ! -e "$tmp/ds2.pem" ]
status "$keys" ds --no-passphrase --iaca-no-passphrase --iaca-key "$tmp/iaca.key" --iaca-cert "$tmp/iaca.pem" \
    --out-key "$tmp/ds2.key" --out-cert "$tmp/ds.pem"
check "ds over an existing cert exits non-zero" [ "$rc" -ne 0 ]
check "no key written beside it" [ ! -e "$tmp/ds2.key" ]

# A certificate that cannot be written takes its new key with it.
status "$keys" ds --no-passphrase --iaca-no-passphrase --iaca-key "$tmp/iaca.key" --iaca-cert "$tmp/iaca.pem" \
    --out-key "$tmp/orphan.key" --out-cert "$tmp/no-such-dir/orphan.pem"
check "ds with an unwritable cert exits 3" [ "$rc" -eq 3 ]
check "and removes the key it wrote" [ ! -e "$tmp/orphan.key" ]

# --- Annex B: at most 457 days ---
status "$keys" ds --no-passphrase --iaca-no-passphrase --iaca-key "$tmp/iaca.key" --iaca-cert "$tmp/iaca.pem" \
    --out-key "$tmp/long.key" --out-cert "$tmp/long.pem" --days 458
expect "ds --days 458 exits 1 or 2" '[ "$rc" -eq 1 ] || [ "$rc" -eq 2 ]'
expect "ds --days 458 writes nothing" \
    '[ ! -e "$tmp/long.key" ] && [ ! -e "$tmp/long.pem" ]'
status "$keys" ds --no-passphrase --iaca-no-passphrase --iaca-key "$tmp/iaca.key" --iaca-cert "$tmp/iaca.pem" \
    --out-key "$tmp/max.key" --out-cert "$tmp/max.pem" --days 457
check "ds --days 457 exits 0" [ "$rc" -eq 0 ]
status "$keys" ds --no-passphrase --iaca-no-passphrase --iaca-key "$tmp/iaca.key" --iaca-cert "$tmp/iaca.pem" \
    --out-key "$tmp/zero.key" --out-cert "$tmp/zero.pem" --days 0
expect "ds --days 0 refused" '[ "$rc" -eq 1 ] || [ "$rc" -eq 2 ]'

# --- passphrases from file descriptors ---
printf 'correct horse battery staple\n' >"$tmp/pass"
printf 'wrong passphrase\n' >"$tmp/wrong"
status "$keys" iaca --country US --state WI --name "Wisconsin Test IACA" \
    --out-key "$tmp/enc.key" --out-cert "$tmp/enc.pem" --pass-fd 3 \
    3<"$tmp/pass"
check "iaca with --pass-fd exits 0" [ "$rc" -eq 0 ]
check "encrypted key is PKCS#8 encrypted" \
    grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$tmp/enc.key"
check "encrypted key is mode 600" [ "$(mode_of "$tmp/enc.key")" = 600 ]
check "passphrase not in the key file" \
    sh -c "! grep -q 'correct horse' '$tmp/enc.key'"
status "$keys" ds --no-passphrase --iaca-key "$tmp/enc.key" --iaca-cert "$tmp/enc.pem" \
    --out-key "$tmp/enc-ds.key" --out-cert "$tmp/enc-ds.pem" \
    --iaca-pass-fd 3 3<"$tmp/pass"
check "ds with the right --iaca-pass-fd exits 0" [ "$rc" -eq 0 ]
status openssl verify -CAfile "$tmp/enc.pem" "$tmp/enc-ds.pem"
check "its DS verifies" grep -q ": OK$" "$tmp/out"
status "$keys" ds --no-passphrase --iaca-key "$tmp/enc.key" --iaca-cert "$tmp/enc.pem" \
    --out-key "$tmp/bad-ds.key" --out-cert "$tmp/bad-ds.pem" \
    --iaca-pass-fd 3 3<"$tmp/wrong"
check "ds with the wrong --iaca-pass-fd fails" [ "$rc" -ne 0 ]
expect "and writes nothing" \
    '[ ! -e "$tmp/bad-ds.key" ] && [ ! -e "$tmp/bad-ds.pem" ]'
status "$keys" ds --no-passphrase --iaca-no-passphrase --iaca-key "$tmp/enc.key" --iaca-cert "$tmp/enc.pem" \
    --out-key "$tmp/bad-ds.key" --out-cert "$tmp/bad-ds.pem"
check "ds without a passphrase for an encrypted IACA key: exit 2" \
    [ "$rc" -eq 2 ]
check "and says how to give it" \
    grep -q 'this key is encrypted: give --iaca-pass-fd N' "$tmp/err"
status "$keys" ds --iaca-key "$tmp/enc.key" --iaca-cert "$tmp/enc.pem" \
    --out-key "$tmp/both.key" --out-cert "$tmp/both.pem" \
    --iaca-pass-fd 3 --pass-fd 4 3<"$tmp/pass" 4<"$tmp/wrong"
check "ds with both passphrases exits 0" [ "$rc" -eq 0 ]
check "new DS key is encrypted" \
    grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$tmp/both.key"
status "$keys" ds --no-passphrase --iaca-key "$tmp/both.key" --iaca-cert "$tmp/both.pem" \
    --out-key "$tmp/x.key" --out-cert "$tmp/x.pem" \
    --iaca-pass-fd 3 3<"$tmp/wrong"
expect "a DS cannot sign a DS" '[ "$rc" -ne 0 ] && [ ! -e "$tmp/x.key" ]'
: >"$tmp/empty"
status "$keys" iaca --country US --state WI --name "Empty" \
    --out-key "$tmp/e.key" --out-cert "$tmp/e.pem" --pass-fd 3 \
    3<"$tmp/empty"
expect "empty passphrase refused" \
    '[ "$rc" -ne 0 ] && [ ! -e "$tmp/e.key" ]'
status "$keys" iaca --country US --state WI --name "Bad fd" \
    --out-key "$tmp/e.key" --out-cert "$tmp/e.pem" --pass-fd 9
expect "closed --pass-fd refused" \
    '[ "$rc" -eq 2 ] && [ ! -e "$tmp/e.key" ]'

# --- mismatched IACA key and certificate ---
status "$keys" ds --no-passphrase --iaca-no-passphrase --iaca-key "$tmp/iaca.key" --iaca-cert "$tmp/enc.pem" \
    --out-key "$tmp/mm.key" --out-cert "$tmp/mm.pem"
expect "IACA key of another certificate refused" \
    '[ "$rc" -eq 1 ] && [ ! -e "$tmp/mm.key" ] && [ ! -e "$tmp/mm.pem" ]'

# --- refused input ---
status "$keys" iaca --no-passphrase --country usa --state IL --name "Bad" \
    --out-key "$tmp/b.key" --out-cert "$tmp/b.pem"
expect "bad country refused, nothing written" \
    '[ "$rc" -ne 0 ] && [ ! -e "$tmp/b.key" ] && [ ! -e "$tmp/b.pem" ]'
status "$keys" --json 2>/dev/null
check "--json before the verb is a usage error" [ "$rc" -eq 2 ]
status "$keys" iaca --json --country US --state IL --name "Dup" \
    --out-key "$tmp/iaca.key" --out-cert "$tmp/new.pem"
check "--json failure: the one shape {ok,error,message,context}" \
    grep -q '^{"ok":false,"error":"MINDL_ERR_EXISTS","message":"[^"]*","context":"[^"]*iaca.key"}$' "$tmp/out"
status "$keys" iaca --country US --state IL --name "Usage" --json --bogus
check "--json usage error: exit 2" [ "$rc" -eq 2 ]
check "--json usage error: the same shape" \
    grep -q '^{"ok":false,"error":"MINDL_ERR_INVALID_ARG","message":"unknown option --bogus","context":"iaca"}$' "$tmp/out"

# --- private keys are encrypted unless told otherwise ---
status "$keys" iaca --country US --state WI --name "No pass" \
    --out-key "$tmp/np.key" --out-cert "$tmp/np.pem" </dev/null
expect "no passphrase and no terminal: exit 2, nothing written" \
    '[ "$rc" -eq 2 ] && [ ! -e "$tmp/np.key" ] && [ ! -e "$tmp/np.pem" ]'
check "and the message names both ways" \
    grep -q 'no passphrase: give --pass-fd N, type it on a terminal, or give --no-passphrase' "$tmp/err"
status "$keys" iaca --country US --state WI --name "Both" --no-passphrase \
    --out-key "$tmp/np.key" --out-cert "$tmp/np.pem" --pass-fd 3 3<"$tmp/pass"
expect "--pass-fd with --no-passphrase: exit 2, nothing written" \
    '[ "$rc" -eq 2 ] && [ ! -e "$tmp/np.key" ]'
status "$keys" ds --no-passphrase --iaca-key "$tmp/iaca.key" \
    --iaca-cert "$tmp/iaca.pem" --out-key "$tmp/np.key" --out-cert "$tmp/np.pem"
expect "an unencrypted IACA key without --iaca-no-passphrase: exit 2" \
    '[ "$rc" -eq 2 ] && [ ! -e "$tmp/np.key" ]'
check "and names the option that helps" grep -q 'this private key is not encrypted: give --iaca-no-passphrase' "$tmp/err"
# A terminal: script(1) gives the tool one; the passphrase is typed twice.
# (Typed ahead, before the prompt turns echo off, the terminal echoes it:
# so echo is not checked here; OpenSSL's UI turns it off.)
if command -v script >/dev/null 2>&1; then
	printf 'typed on a terminal\ntyped on a terminal\n' |
	    script -qec "'$keys' iaca --country US --state WI --name Typed \
	    --out-key '$tmp/tty.key' --out-cert '$tmp/tty.pem'" /dev/null \
	    >"$tmp/out" 2>&1
	check "a passphrase typed on a terminal encrypts the key" \
	    grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$tmp/tty.key"
	check "the prompt names the key" grep -q "Passphrase for .*tty.key" "$tmp/out"
	printf 'typed on a terminal\n' >"$tmp/typed"
	status "$keys" ds --no-passphrase --iaca-key "$tmp/tty.key" \
	    --iaca-cert "$tmp/tty.pem" --out-key "$tmp/tty-ds.key" \
	    --out-cert "$tmp/tty-ds.pem" --iaca-pass-fd 3 3<"$tmp/typed"
	check "and decrypts with it" [ "$rc" -eq 0 ]
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
