#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Privacy rule 3 (DESIGN.md section 4): the issuer's registry holds no
# personal data, and a status index seen at a bar leads to a licence only
# by guessing its document number, one scrypt per guess.
#
# (a) $MINDL_REG_N (default 1000) credentials issued with mindl-issuer
#     issue --records through one registry, from popgen records of both
#     population groups; no value of any record (every text value of 8
#     characters or more: names, dates, addresses, document numbers) and
#     no 64-byte run of any portrait appears in the database, its WAL, its
#     shared-memory file or the secret's file.  Control: the same search
#     finds them in the credentials.  A run killed with SIGKILL leaves the
#     WAL and shared-memory files behind for the search, and the registry
#     consistent.
# (b) Collusion: with the database, its secret and the status index of
#     one MSO, tests/privacy/collude.c finds the licence when it tries the
#     right document number, and tries every other number at one scrypt
#     each.  The cost of one guess at the default cost is printed.
# (c) The status reference has one shape for every holder: the
#     population audit of the two groups, issued as batches of 4 copies
#     with status references, reports 0 distinguishing features.
#
# Run from the repository root.  Tools from ${MINDL_BIN:-bin}; popgen and
# collude from the build beside them (or build/tests).
# ok/nok always succeed, so "test && ok || nok" is an if-then-else here.
# shellcheck disable=SC2015
set -u
top=$(pwd)
B=${MINDL_BIN:-bin}
case $B in
/*) ;;
*) B=$top/$B ;;
esac
N=${MINDL_REG_N:-1000}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
count() { set -- "$1"/*; [ -e "$1" ] && echo $# || echo 0; }

d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-registry.XXXXXX") || exit 3
trap 'rm -rf "$d"' EXIT
trap 'exit 130' INT TERM

tool() {	# tool NAME: the test program beside the tools' build
	case $B in
	*/bin) for c in "${B%/bin}/tests/$1" "$top/build/tests/$1"; do
		[ -x "$c" ] && { echo "$c"; return; }; done ;;
	esac
	[ -x "$top/build/tests/$1" ] && echo "$top/build/tests/$1"
}
P=$(tool popgen)
C=$(tool collude)
[ -n "$P" ] && [ -n "$C" ] || { nok "popgen or collude not built"; finish; }
command -v jq >/dev/null 2>&1 || { nok "jq is needed (make deps)"; finish; }

cd "$d" || exit 3
"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "Registry IACA" \
    --out-key iaca.key --out-cert iaca.pem >/dev/null 2>&1 &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key --iaca-cert iaca.pem \
    --out-key ds.key --out-cert ds.pem >/dev/null 2>&1 ||
    { nok "key set-up"; finish; }
half=$((N / 2))
mkdir ra rb A B K bk
"$P" records --group A --count "$half" --out ra --seed 21 &&
"$P" records --group B --count "$((N - half))" --out rb --seed 22 ||
    { nok "popgen records"; finish; }
# One line per record: the record, and the names of its files.
jsonl() {	# jsonl DIR > FILE
	jq -c '{record: ., portrait: (input_filename | split("/")[-1] |
	    sub("json$"; "jpg")), device_pub: (input_filename | split("/")[-1]
	    | sub("json$"; "pub")), credential: (input_filename |
	    split("/")[-1] | sub("json$"; "mdl"))}' "$1"/*.json
}
# Batches: eight holders' key files of 4 keys each, every record issued to
# one of them (the population audit reads every copy of every file).
i=0
while [ $i -lt 8 ]; do
	"$B/mindl-holder" keygen --no-passphrase --count 4 --out-key "bk/b$i.key" \
	    --out-pub "ra/b$i.pub" >/dev/null 2>&1 || { nok "keygen"; finish; }
	cp "ra/b$i.pub" "rb/b$i.pub"
	i=$((i + 1))
done
batch() { awk '{ sub(/"device_pub":"[0-9]+\.pub"/, "\"device_pub\":\"b" NR % 8 ".pub\""); print }'; }
jsonl ra | batch >a.jsonl && jsonl rb | batch >b.jsonl &&
    grep -q '"device_pub":"b1.pub"' a.jsonl || { nok "records as JSON lines"; finish; }

"$B/mindl-issuer" init --registry reg.db --status-uri https://dmv.example/status/1 \
    --kdf-cost 10 --operator test >/dev/null || { nok "init"; finish; }
t0=$(date +%s)
"$B/mindl-issuer" issue --records a.jsonl --portraits ra -o A --registry reg.db \
    --no-passphrase --sample-policy --ds-key ds.key --ds-cert ds.pem >a.out 2>a.err &&
"$B/mindl-issuer" issue --records b.jsonl --portraits rb -o B --registry reg.db \
    --no-passphrase --sample-policy --ds-key ds.key --ds-cert ds.pem >b.out 2>b.err
rc=$?
t1=$(date +%s)
[ "$rc" -eq 0 ] && [ "$(count A)" -eq "$half" ] &&
    [ "$(count B)" -eq "$((N - half))" ] &&
    grep -qx "$half issued, 0 refused" a.out &&
    ok "(a) $N credentials issued from records through the registry in $((t1 - t0)) s" ||
    nok "(a) issue --records: exit $rc: $(head -c 300 a.err b.err)"

# A run killed mid-batch: the WAL and shared-memory files stay behind.
mkdir rk
"$P" records --group B --count 200 --out rk --seed 23 >/dev/null
jsonl rk >k.jsonl
"$B/mindl-issuer" issue --records k.jsonl --portraits rk -o K --registry reg.db \
    --no-passphrase --sample-policy --ds-key ds.key --ds-cert ds.pem >/dev/null 2>&1 &
pid=$!
i=0
while [ "$(count K)" -lt 20 ] && [ $i -lt 300 ] && kill -0 $pid 2>/dev/null; do
	sleep 0.05
	i=$((i + 1))
done
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
[ -s reg.db-wal ] && [ -s reg.db-shm ] &&
    ok "(a) SIGKILL mid-run leaves the WAL and shared-memory files" ||
    nok "(a) no WAL/shm left to search (the run ended before the kill?)"

# Every text value of 8 characters or more of every record, and a 64-byte
# run of every portrait, as hex (the files are searched as hex too).
cat ra/*.json rb/*.json rk/*.json | jq -r '.. | strings | select(length >= 8)' |
    sort -u >values.txt
nv=$(wc -l <values.txt)
for j in ra/*.jpg rb/*.jpg; do
	xxd -p -s 400 -l 64 "$j" | tr -d '\n'
	echo
done | sort -u >portraits.hex
hexof() { xxd -p "$1" | tr -d '\n'; echo; }
leaks=0
for f in reg.db reg.db-wal reg.db-shm reg.db.secret; do
	[ -e "$f" ] || continue
	n=$(grep -F -a -c -f values.txt "$f")
	p=$(hexof "$f" | grep -F -c -f portraits.hex)
	if [ "$n" -ne 0 ] || [ "$p" -ne 0 ]; then
		leaks=1
		nok "(a) $f holds record values or portrait bytes: $(grep -F -a -o -f values.txt "$f" | head -n 3 | tr '\n' ' ')"
	fi
done
[ "$leaks" -eq 0 ] && [ "$nv" -gt "$N" ] &&
    ok "(a) none of $nv record values nor any of $(wc -l <portraits.hex) portraits is in the database, WAL, shm or secret" ||
    [ "$leaks" -ne 0 ] || nok "(a) too few values to search ($nv)"
# The control: the same search finds them where they are.
hits=$(cat A/* B/* | grep -F -a -c -f values.txt)
ph=$(hexof A/00001.mdl | grep -F -c -f portraits.hex)
[ "$hits" -gt 0 ] && [ "$ph" -gt 0 ] &&
    ok "(a) control: the search finds the values and portraits in the credentials" ||
    nok "(a) control: the search finds nothing even in the credentials ($hits, $ph)"
"$B/mindl-issuer" check --registry reg.db --json >check.json
[ "$(jq -r '.ok and .credentials >= '"$N"' and .indices_used >= 4 * '"$N"'' check.json)" = true ] &&
    ok "(a) after SIGKILL the registry is consistent: every batch whole ($(jq -c '{credentials, indices_used}' check.json))" ||
    nok "(a) registry check after SIGKILL: $(cat check.json)"
# After the kill, issuance goes on and draws no index already handed out.
mkdir rk2 K2
"$P" records --group A --count 30 --out rk2 --seed 24 >/dev/null
jsonl rk2 >k2.jsonl
"$B/mindl-issuer" issue --records k2.jsonl --portraits rk2 -o K2 --registry reg.db \
    --no-passphrase --sample-policy --ds-key ds.key --ds-cert ds.pem >/dev/null 2>&1 ||
    nok "(a) issuance after the kill"
for f in K/* K2/*; do
	"$B/mindl-verifier" inspect --json "$f" | grep -o '"idx":[0-9]*'
done | sort >killidx
[ "$(wc -l <killidx)" -ge 40 ] && [ -z "$(uniq -d killidx)" ] &&
    ok "(a) after the kill: $(wc -l <killidx) indices of the killed and the next run, none reused" ||
    nok "(a) indices after the kill: $(uniq -d killidx | head -n 3)"

# (b) Collusion.  The index of one MSO a verifier saw, and the right number.
idx=$("$B/mindl-verifier" inspect --json A/00007.mdl |
    grep -o '"idx":[0-9]*' | head -n 1 | cut -d: -f2)
num=$(jq -r .document_number ra/00007.json)
jq -r .document_number ra/*.json rb/*.json | grep -vx "$num" | head -n 300 >wrong.txt
{ cat wrong.txt; echo "$num"; } >cands.txt
if [ -n "$idx" ]; then
	"$C" reg.db reg.db.secret "$idx" cands.txt >c1.json
	rc=$?
	[ "$rc" -eq 0 ] && [ "$(jq -r '.found' c1.json)" = "$num" ] &&
	    [ "$(jq -r '.tried == 301 and .kdf_runs == 301' c1.json)" = true ] &&
	    ok "(b) with the right number the index leads to its licence, after 300 wrong guesses at one scrypt each" ||
	    nok "(b) collusion with the right number: exit $rc $(cat c1.json)"
	"$C" reg.db reg.db.secret "$idx" wrong.txt >c2.json
	rc=$?
	[ "$rc" -eq 1 ] && [ "$(jq -r '.found == null and .kdf_runs == 300' c2.json)" = true ] &&
	    ok "(b) without it: 300 numbers, 300 scrypt runs, nothing found" ||
	    nok "(b) collusion without the number: exit $rc $(cat c2.json)"
else
	nok "(b) no status index in A/00007.mdl"
fi
# One guess at the default cost (scrypt N = 2^16, 64 MiB), for the record.
"$B/mindl-issuer" init --registry cost.db --status-uri https://dmv.example/s \
    --operator test >/dev/null
head -n 3 wrong.txt >w3.txt
s=$("$C" cost.db cost.db.secret 1 w3.txt | jq -r .seconds_per_kdf)
echo "# one guess at the default cost: $s s; 10^9 document numbers: $(echo "$s" |
    awk '{ printf "%.1f", $1 * 1e9 / 3.15576e7 }') CPU-years"

# (c) One shape for everyone, status references included.
"$B/mindl-audit" population --group A=A --group B=B >pop.txt 2>pop.err
[ "$(tail -n 1 pop.txt)" = "0 distinguishing features" ] &&
    grep -q "status list" pop.txt &&
    grep -q "^groups: A $((4 * half)), B $((4 * (N - half)))\$" pop.txt &&
    ok "(c) batches with status references, every copy audited, A and B: 0 distinguishing features" ||
    nok "(c) population audit: $(grep -A2 'distinguishing' pop.txt | head -n 6) $(head -c 200 pop.err)"
finish
