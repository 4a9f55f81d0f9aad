#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# mindl-issuer's registry verbs: init, issue --registry, issue --records,
# revoke, purge, check, the short-lived mode, four issuers at once.
# Run from the repository root.
# ok/nok always succeed, so "test && ok || nok" is an if-then-else here.
# shellcheck disable=SC2015
set -u
top=$(pwd)
B=${MINDL_BIN:-bin}
case $B in
/*) ;;
*) B=$top/$B ;;
esac
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
# expect WANT DESC CMD...: CMD's exit status must be WANT.
expect() {
	_w=$1
	_d=$2
	shift 2
	"$@" >out 2>err
	_r=$?
	if [ "$_r" -eq "$_w" ]; then ok "$_d"; else
		nok "$_d (exit $_r, want $_w): $(head -c 300 err)"; fi
}
mode() { stat -c %a "$1"; }
count() { set -- "$1"/*; [ -e "$1" ] && echo $# || echo 0; }
d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-reg.XXXXXX")
trap 'rm -rf "$d"' EXIT INT TERM
P=
for c in "${B%/bin}/tests/popgen" "$top/build/tests/popgen"; do
	[ -x "$c" ] && { P=$c; break; }
done
[ -n "$P" ] || { nok "popgen not built"; finish; }
cd "$d" || exit 1
rec=$top/schemas/samples/sample-record.json
port=$top/schemas/samples/portrait.jpg
"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "Reg IACA" \
    --out-key iaca.key --out-cert iaca.pem >/dev/null 2>&1 &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key --iaca-cert iaca.pem \
    --out-key ds.key --out-cert ds.pem >/dev/null 2>&1 &&
"$B/mindl-holder" keygen --no-passphrase --count 4 --out-key dev.key --out-pub dev.pub \
    >/dev/null 2>&1 || { nok "set-up"; finish; }
ds="--no-passphrase --sample-policy --ds-key ds.key --ds-cert ds.pem"
uri=https://dmv.example/status/1

# init
expect 0 "init" "$B/mindl-issuer" init --registry reg.db --status-uri $uri --kdf-cost 10 \
    --operator desk-1
[ "$(mode reg.db)" = 600 ] && [ "$(mode reg.db.secret)" = 600 ] &&
    ok "database and secret are 0600" ||
    nok "modes: $(mode reg.db) $(mode reg.db.secret)"
grep -q "keep the secret apart from the database" out &&
    ok "init says where the secret is and what it is for" || nok "init output: $(cat out)"
cp reg.db.secret secret.orig
expect 2 "init refuses an existing registry" "$B/mindl-issuer" init --registry reg.db \
    --status-uri $uri --kdf-cost 10
cmp -s reg.db.secret secret.orig && grep -q MINDL_ERR_EXISTS err &&
    ok "the existing secret is intact" || nok "existing secret replaced: $(cat err)"
expect 2 "init with neither --status-uri nor --short-lived" "$B/mindl-issuer" init \
    --registry x.db
expect 2 "init with both" "$B/mindl-issuer" init --registry x.db --status-uri $uri \
    --short-lived
expect 2 "init with a uri that is no uri" "$B/mindl-issuer" init --registry x.db \
    --status-uri "not a uri"
expect 2 "init with a KDF cost below 2^10" "$B/mindl-issuer" init --registry x.db \
    --status-uri $uri --kdf-cost 9
expect 2 "init with a list under 2^20 entries" "$B/mindl-issuer" init --registry x.db \
    --status-uri $uri --list-size 19
expect 2 "an operator id that would not be one" "$B/mindl-issuer" init --registry x.db \
    --status-uri $uri --operator "a b"
[ ! -e x.db ] && [ ! -e x.db.secret ] && ok "refused inits leave nothing" ||
    nok "a refused init left files"
expect 0 "init --json" "$B/mindl-issuer" init --registry j.db --status-uri $uri \
    --kdf-cost 10 --list-size 21 --json
[ "$(jq -r '.ok and .list_entries == 2097152 and .revocation == "status-list"' out)" = true ] &&
    ok "init --json: one object" || nok "init --json: $(cat out)"

# opening: the secret is checked
expect 2 "another registry's secret is refused" "$B/mindl-issuer" check --registry reg.db \
    --registry-secret j.db.secret
grep -q "is not this registry's secret (MINDL_ERR_REGISTRY)" err &&
    ok "... and said so" || nok "wrong secret message: $(cat err)"
cp reg.db.secret open.secret && chmod 644 open.secret
expect 2 "a secret others can read is refused" "$B/mindl-issuer" check --registry reg.db \
    --registry-secret open.secret
expect 2 "a file that is no registry" "$B/mindl-issuer" check --registry "$rec" \
    --registry-secret reg.db.secret
grep -q MINDL_ERR_REGISTRY err && ok "... named MINDL_ERR_REGISTRY" || nok "not a registry: $(cat err)"
expect 2 "no registry at the path" "$B/mindl-issuer" check --registry none.db \
    --registry-secret reg.db.secret
grep -q "create it with mindl-issuer init" err && ok "... says how to make one" ||
    nok "missing registry message: $(cat err)"

# issue --registry
# shellcheck disable=SC2086
expect 0 "issue --registry" "$B/mindl-issuer" issue $ds --record "$rec" --portrait "$port" \
    --device-pub dev.pub -o c1.mdl --registry reg.db --operator desk-1
grep -q "recorded, one status entry per copy" out && ok "the summary says it was recorded" ||
    nok "summary: $(cat out)"
"$B/mindl-verifier" inspect --json c1.mdl >c1.json
n=$(grep -o '"idx":[0-9]*' c1.json | sort -u | wc -l)
u=$(grep -o '"uri":"[^"]*"' c1.json | sort -u)
[ "$n" -eq 4 ] && [ "$u" = "\"uri\":\"$uri\"" ] &&
    ok "four copies, four status indices, one uri" || nok "status references: $n, $u"
grep -o '"idx":[0-9]*' c1.json | cut -d: -f2 | while read -r i; do
	[ "$i" -ge 65536 ] && [ "$i" -lt 1048576 ] || echo "$i"; done >badidx
[ ! -s badidx ] && ok "every index in [2^16, 2^20): one CBOR width for all" ||
    nok "indices out of range: $(cat badidx)"
"$B/mindl-issuer" check --registry reg.db --json >chk.json
[ "$(jq -r '.ok and .licences == 1 and .credentials == 1 and .indices_used == 4' chk.json)" = true ] &&
    ok "check: one licence, one credential, four indices" || nok "check: $(cat chk.json)"
# shellcheck disable=SC2086
expect 0 "issue --registry --json" "$B/mindl-issuer" issue $ds --record "$rec" \
    --portrait "$port" --device-pub dev.pub -o c2.mdl --registry reg.db --json
[ "$(jq -r '.ok and .copies == 4 and .revocation == "status-list"' out)" = true ] &&
    ok "issue --json says revocation by status list" || nok "issue --json: $(cat out)"

# revoke
expect 0 "revoke by document number" "$B/mindl-issuer" revoke --registry reg.db \
    --document-number SS7Q4M2K9X
grep -q "^revoked: 8 status entries marked INVALID" out &&
    ok "both credentials of the licence: 8 entries" || nok "revoke: $(cat out)"
echo " ss7q4m2k9x " >num
expect 0 "revoke reads the number from standard input (case and spaces as typed)" \
    sh -c "'$B/mindl-issuer' revoke --registry reg.db --document-number - --json <num"
[ "$(jq -r '.ok and .revoked_entries == 0' out)" = true ] &&
    ok "revoking again marks nothing new" || nok "revoke again: $(cat out)"
expect 1 "revoke of a number never issued" "$B/mindl-issuer" revoke --registry reg.db \
    --document-number NOSUCH1
grep -q "MINDL_ERR_UNKNOWN_LICENCE" err && grep -q "nothing was revoked" err &&
    ok "... MINDL_ERR_UNKNOWN_LICENCE, nothing revoked" || nok "unknown licence: $(cat err)"
# shellcheck disable=SC2086
expect 1 "a revoked licence is not issued again" "$B/mindl-issuer" issue $ds \
    --record "$rec" --portrait "$port" --device-pub dev.pub -o c3.mdl --registry reg.db
[ ! -e c3.mdl ] && grep -q MINDL_ERR_REVOKED err &&
    ok "... MINDL_ERR_REVOKED, nothing written" || nok "revoked issue: $(cat err)"

# purge
expect 0 "purge before anything expired" "$B/mindl-issuer" purge --registry reg.db --json
[ "$(jq -r '.credentials == 0' out)" = true ] && ok "nothing purged yet" ||
    nok "purge: $(cat out)"
expect 0 "purge after every MSO expired" "$B/mindl-issuer" purge --registry reg.db \
    --at 2099-01-01
"$B/mindl-issuer" check --registry reg.db --json >chk.json
[ "$(jq -r '.ok and .credentials == 0 and .licences == 1 and .revoked_licences == 1 and .indices_used == 8' chk.json)" = true ] &&
    ok "credentials gone, the revoked licence kept (renewal stays refused), indices never freed" ||
    nok "after purge: $(cat chk.json)"
# shellcheck disable=SC2086
expect 1 "still refused after purge" "$B/mindl-issuer" issue $ds --record "$rec" \
    --portrait "$port" --device-pub dev.pub -o c4.mdl --registry reg.db

# --records: bad lines named and skipped
mkdir r outd out2
"$P" records --group A --count 6 --out r --seed 5 >/dev/null
i=0
for f in r/*.json; do
	b=$(basename "$f" .json)
	jq -c --arg b "$b" '{record: ., portrait: ($b + ".jpg"), device_pub: ($b + ".pub"), credential: ($b + ".mdl")}' "$f"
	i=$((i + 1))
done >good.jsonl
{
	sed -n 1p good.jsonl
	echo '{"record": {"family_name": "X"}, "portrait": "00001.jpg", "device_pub": "00001.pub", "credential": "bad1.mdl"}'
	echo 'not json'
	sed -n 2p good.jsonl | jq -c '.portrait = "../00002.jpg"'
	echo
	sed -n 3p good.jsonl | jq -c '.extra = 1'
	sed -n 4p good.jsonl | jq -c '.record.immigration_status = "x"'
	sed -n 5p good.jsonl
} >mixed.jsonl
# shellcheck disable=SC2086
expect 1 "issue --records with bad lines" "$B/mindl-issuer" issue --records mixed.jsonl \
    --portraits r -o outd $ds --registry reg.db
grep -qx "2 issued, 5 refused" out && [ "$(count outd)" -eq 2 ] &&
    ok "2 issued, 5 refused, two files" || nok "records: $(cat out) $(ls outd)"
grep -q "mixed.jsonl:2: record: .*MINDL_ERR_MISSING" err &&
    grep -q "mixed.jsonl:3: .*MINDL_ERR_JSON" err &&
    grep -q "mixed.jsonl:4: portrait: not a plain file name" err &&
    grep -q "mixed.jsonl:6: line: unknown key" err &&
    grep -q "mixed.jsonl:7: record: .*MINDL_ERR_FORBIDDEN_ELEMENT" err &&
    ok "each refusal names its line and field" || nok "refusals: $(cat err)"
# shellcheck disable=SC2086
expect 1 "issue --records --json" "$B/mindl-issuer" issue --records mixed.jsonl \
    --portraits r -o out2 $ds --json
[ "$(jq -r '(.ok | not) and .issued == 2 and .refused == 5 and (.refusals | length) == 5 and .refusals[0].line == 2' out)" = true ] &&
    ok "--records --json: one object with the refusals" || nok "records --json: $(head -c 400 out)"
expect 2 "--records into a directory that is not there" "$B/mindl-issuer" issue \
    --records good.jsonl --portraits r -o nodir --ds-key ds.key --ds-cert ds.pem \
    --no-passphrase --sample-policy
grep -q "nodir: not a directory" err && ok "... said before anything is issued" ||
    nok "missing -o directory: $(cat err)"
expect 2 "--records with --record" "$B/mindl-issuer" issue --records good.jsonl \
    --record "$rec" --portraits r -o out3 --ds-key ds.key --ds-cert ds.pem
expect 2 "--records without --portraits" "$B/mindl-issuer" issue --records good.jsonl \
    -o out3 --ds-key ds.key --ds-cert ds.pem

# Four issuers at once into one registry.
mkdir p
"$P" records --group B --count 100 --out p --seed 7 >/dev/null
for f in p/*.json; do
	b=$(basename "$f" .json)
	jq -c --arg b "$b" '{record: ., portrait: ($b + ".jpg"), device_pub: ($b + ".pub"), credential: ($b + ".mdl")}' "$f"
done >all.jsonl
split -n l/4 all.jsonl part.
"$B/mindl-issuer" init --registry con.db --status-uri $uri --kdf-cost 10 >/dev/null
mkdir o
for s in part.aa part.ab part.ac part.ad; do
	# shellcheck disable=SC2086
	"$B/mindl-issuer" issue --records $s --portraits p -o o $ds --registry con.db \
	    >$s.out 2>$s.err &
done
wait
n=$(count o)
"$B/mindl-issuer" check --registry con.db --json >con.json
[ "$n" -eq 100 ] && [ "$(jq -r '.ok and .credentials == 100 and .indices_used == 100' con.json)" = true ] &&
    ok "four issuers at once: 100 credentials, 100 rows, no row lost" ||
    nok "concurrent issuers: $n files, $(cat con.json) $(cat part.a?.err | head -n 3)"
# (inspection is not under test here: the release build when there is one)
V=$B/mindl-verifier
[ -x "$top/bin/mindl-verifier" ] && V=$top/bin/mindl-verifier
for f in o/*; do "$V" inspect --json "$f" | grep -o '"idx":[0-9]*'; done |
    sort | uniq -d >dups
[ ! -s dups ] && ok "every status index unique across the four" || nok "shared indices: $(cat dups)"

# The short-lived mode: no status reference, MSOs of at most 7 days.
expect 0 "init --short-lived" "$B/mindl-issuer" init --registry sl.db --short-lived --kdf-cost 10
# shellcheck disable=SC2086
expect 0 "issue into a short-lived registry" "$B/mindl-issuer" issue $ds --record "$rec" \
    --portrait "$port" --device-pub dev.pub -o sl.mdl --registry sl.db --json
[ "$(jq -r '.revocation == "short-lived" and (.valid_until - .valid_from) == 7 * 86400' out)" = true ] &&
    ok "short-lived: MSOs of 7 days (the policy says 30)" || nok "short-lived issue: $(cat out)"
"$B/mindl-verifier" inspect --json sl.mdl | grep -q '"idx"' &&
    nok "a short-lived MSO carries a status reference" ||
    ok "a short-lived MSO carries no status reference"
expect 0 "revoke in the short-lived mode" "$B/mindl-issuer" revoke --registry sl.db \
    --document-number SS7Q4M2K9X
# shellcheck disable=SC2086
expect 1 "... and the licence is refused afterwards" "$B/mindl-issuer" issue $ds \
    --record "$rec" --portrait "$port" --device-pub dev.pub -o sl2.mdl --registry sl.db
expect 2 "no status list to publish in the short-lived mode" "$B/mindl-issuer" status \
    publish --registry sl.db --signer-key ds.key --signer-cert ds.pem --no-passphrase -o x.cwt

# Renewal without the record.
"$B/mindl-issuer" init --registry rn.db --status-uri $uri --kdf-cost 10 >/dev/null
# shellcheck disable=SC2086
"$B/mindl-issuer" issue $ds --record "$rec" --portrait "$port" --device-pub dev.pub \
    -o old.mdl --registry rn.db >/dev/null 2>&1 || nok "issue for renewal"
"$B/mindl-holder" keygen --no-passphrase --count 3 --out-key new.key --out-pub new.pub \
    >/dev/null 2>&1
renew() {	# renew OUT [extra]: the desk's command
	_o=$1
	shift
	# shellcheck disable=SC2086
	"$B/mindl-issuer" renew --registry rn.db --credential old.mdl --proof p.proof \
	    --device-pub new.pub --iaca iaca.pem $ds -o "$_o" "$@"
}
expect 0 "renew-challenge" "$B/mindl-issuer" renew-challenge --registry rn.db -o ch.cbor
grep -q "good once, until" out && ok "... says it is good once, and until when" ||
    nok "renew-challenge: $(cat out)"
"$B/mindl-holder" renew-proof --credential old.mdl --device-key dev.key --no-passphrase \
    --challenge ch.cbor --new-pub new.pub -o p.proof >/dev/null 2>&1 ||
    nok "renew-proof"
expect 0 "renew" renew new.mdl --json
[ "$(jq -r '.ok and .copies == 3 and .revocation == "status-list"' out)" = true ] &&
    ok "renewed: three copies to the three new keys, with status references" ||
    nok "renew --json: $(cat out)"
"$B/mindl-verifier" inspect --json old.mdl | grep -o '"idx":[0-9]*' | sort >old.idx
"$B/mindl-verifier" inspect --json new.mdl | grep -o '"idx":[0-9]*' | sort >new.idx
[ "$(wc -l <new.idx)" -eq 3 ] && [ -z "$(comm -12 old.idx new.idx)" ] &&
    ok "the renewed batch shares no status index with the old one" ||
    nok "status indices: $(cat old.idx new.idx | tr '\n' ' ')"
"$B/mindl-verifier" inspect old.mdl | grep 'issuer-signed' | sed 's/(digestID [0-9]*)//' |
    sort -u >old.vals
"$B/mindl-verifier" inspect new.mdl | grep 'issuer-signed' | sed 's/(digestID [0-9]*)//' |
    sort -u >new.vals
cmp -s old.vals new.vals && [ -s new.vals ] &&
    ok "the renewed batch holds the same values" ||
    nok "values differ: $(diff old.vals new.vals | head -n 5)"
expect 1 "the same proof again: the challenge is spent" renew again.mdl
[ ! -e again.mdl ] && grep -q MINDL_ERR_CHALLENGE err &&
    ok "... MINDL_ERR_CHALLENGE, nothing written" || nok "replayed proof: $(cat err)"
# An altered value: one byte of the family name in every copy.
sed 's/Rivera Quispe/Rivera Quispa/g' old.mdl >alt.mdl
"$B/mindl-issuer" renew-challenge --registry rn.db -o ch2.cbor >/dev/null
"$B/mindl-holder" renew-proof --credential alt.mdl --device-key dev.key --no-passphrase \
    --challenge ch2.cbor --new-pub new.pub -o p2.proof >/dev/null 2>&1
# shellcheck disable=SC2086
expect 1 "renewal of a credential whose values were altered" "$B/mindl-issuer" renew \
    --registry rn.db --credential alt.mdl --proof p2.proof --device-pub new.pub \
    --iaca iaca.pem $ds -o alt-new.mdl
[ ! -e alt-new.mdl ] && grep -q MINDL_ERR_NOT_ISSUED_HERE err &&
    ok "... MINDL_ERR_NOT_ISSUED_HERE, nothing written" || nok "altered: $(cat err)"
# A proof by a key that is not the credential's: made for another credential.
# shellcheck disable=SC2086
"$B/mindl-issuer" issue $ds --record "$rec" --portrait "$port" --device-pub new.pub \
    -o other.mdl >/dev/null 2>&1
"$B/mindl-holder" keygen --no-passphrase --count 2 --out-key n2.key --out-pub n2.pub \
    >/dev/null 2>&1
"$B/mindl-issuer" renew-challenge --registry rn.db -o ch3.cbor >/dev/null
"$B/mindl-holder" renew-proof --credential other.mdl --device-key new.key --no-passphrase \
    --challenge ch3.cbor --new-pub n2.pub -o p3.proof >/dev/null 2>&1
# shellcheck disable=SC2086
expect 1 "renewal without proof of one of the old credential's device keys" \
    "$B/mindl-issuer" renew --registry rn.db --credential old.mdl --proof p3.proof \
    --device-pub n2.pub --iaca iaca.pem $ds -o stolen.mdl
[ ! -e stolen.mdl ] && grep -q MINDL_ERR_RENEWAL_PROOF err &&
    ok "... MINDL_ERR_RENEWAL_PROOF, nothing written" || nok "stolen: $(cat err)"
# A licence past its expiry_date: a one-year licence, renewed after a year
# with a DS that is still valid then.
cat >short.json <<EOF
{"issuing_country": "US", "issuing_authority": "Sample State DMV",
 "issuing_jurisdiction": "US-SS", "un_distinguishing_sign": "USA",
 "licence_years": 1, "mso_days": 30}
EOF
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key iaca.key \
    --iaca-cert iaca.pem --out-key ds457.key --out-cert ds457.pem --days 457 >/dev/null 2>&1
late=$(date -u -d '+400 days' +%Y-%m-%d)
"$B/mindl-issuer" issue --no-passphrase --policy short.json --ds-key ds457.key \
    --ds-cert ds457.pem --record "$rec" --portrait "$port" --device-pub dev.pub \
    -o one.mdl --registry rn.db >/dev/null 2>&1 || nok "issue a one-year licence"
"$B/mindl-issuer" renew-challenge --registry rn.db -o ch4.cbor --at "$late" >/dev/null
"$B/mindl-holder" renew-proof --credential one.mdl --device-key dev.key --no-passphrase \
    --challenge ch4.cbor --new-pub n2.pub -o p4.proof >/dev/null 2>&1 ||
    nok "renew-proof for an expired licence"
expect 1 "renewal of a licence past its expiry date" "$B/mindl-issuer" renew \
    --registry rn.db --credential one.mdl --proof p4.proof --device-pub n2.pub \
    --iaca iaca.pem --no-passphrase --policy short.json --ds-key ds457.key \
    --ds-cert ds457.pem -o late.mdl --at "$late"
[ ! -e late.mdl ] && grep -q MINDL_ERR_LICENCE_EXPIRED err &&
    ok "... MINDL_ERR_LICENCE_EXPIRED, nothing written" || nok "late: $(cat err)"
# The revoked licence: renewal refused.
"$B/mindl-issuer" revoke --registry rn.db --document-number SS7Q4M2K9X >/dev/null
"$B/mindl-issuer" renew-challenge --registry rn.db -o ch5.cbor >/dev/null
"$B/mindl-holder" renew-proof --credential old.mdl --device-key dev.key --no-passphrase \
    --challenge ch5.cbor --new-pub n2.pub -o p5.proof >/dev/null 2>&1
# shellcheck disable=SC2086
expect 1 "renewal of a revoked licence" "$B/mindl-issuer" renew --registry rn.db \
    --credential old.mdl --proof p5.proof --device-pub n2.pub --iaca iaca.pem $ds \
    -o rev.mdl
[ ! -e rev.mdl ] && grep -q MINDL_ERR_REVOKED err &&
    ok "... MINDL_ERR_REVOKED, nothing written" || nok "revoked renewal: $(cat err)"

# Revoke, publish, import, verify: every copy of the revoked licence is
# reported revoked, every copy of another licence valid.
"$B/mindl-keys" status-signer --no-passphrase --iaca-no-passphrase --iaca-key iaca.key \
    --iaca-cert iaca.pem --out-key sl.key --out-cert sl.pem >/dev/null 2>&1 ||
    nok "status-signer"
"$B/mindl-issuer" init --registry e2e.db --status-uri $uri --kdf-cost 10 >/dev/null
jq '.document_number = "SS0OTHER1"' "$rec" >rec-b.json
"$B/mindl-holder" keygen --no-passphrase --count 3 --out-key ka.key --out-pub ka.pub \
    >/dev/null 2>&1
"$B/mindl-holder" keygen --no-passphrase --count 3 --out-key kb.key --out-pub kb.pub \
    >/dev/null 2>&1
# shellcheck disable=SC2086
{ "$B/mindl-issuer" issue $ds --record "$rec" --portrait "$port" --device-pub ka.pub \
    -o lic-a.mdl --registry e2e.db >/dev/null 2>&1 &&
    "$B/mindl-issuer" issue $ds --record rec-b.json --portrait "$port" \
    --device-pub kb.pub -o lic-b.mdl --registry e2e.db >/dev/null 2>&1; } ||
    nok "issue two licences"
publish() {	# publish OUT [extra]
	_o=$1
	shift
	"$B/mindl-issuer" status publish --registry e2e.db --signer-key sl.key \
	    --signer-cert sl.pem --no-passphrase -o "$_o" "$@"
}
expect 0 "status publish before any revocation" publish l0.cwt
grep -q "1048576 entries (0 INVALID)" out && ok "... 2^20 entries, none INVALID" ||
    nok "publish: $(cat out)"
expect 0 "revoke licence A" "$B/mindl-issuer" revoke --registry e2e.db \
    --document-number SS7Q4M2K9X
expect 2 "status publish will not replace the old list without -f" publish l0.cwt
expect 0 "status publish --json" publish l1.cwt --json --at "$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)"
[ "$(jq -r '.ok and .entries == 1048576' out)" = true ] && ok "publish --json" ||
    nok "publish --json: $(cat out)"
sdb=$d/sdb.db
expect 0 "the verifier imports the first list" "$B/mindl-verifier" status import l0.cwt \
    --trust iaca.pem --status-db "$sdb"
expect 0 "... and then the newer one" "$B/mindl-verifier" status import l1.cwt \
    --trust iaca.pem --status-db "$sdb" --at "$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:%SZ)"
expect 1 "the older list again is refused (rollback)" "$B/mindl-verifier" status import \
    l0.cwt --trust iaca.pem --status-db "$sdb"
at=$(date -u -d '+3 minutes' +%Y-%m-%dT%H:%M:%SZ)
show() {	# show LICENCE KEYS N: present copy N and verify it with the cache
	"$B/mindl-verifier" request --profile age-21 -o "q$3" >/dev/null 2>&1
	"$B/mindl-holder" present --yes -q --no-passphrase --credential "$1" --device-key "$2" \
	    --request "q$3" -o "r$3" >/dev/null 2>&1
	"$B/mindl-verifier" verify --trust iaca.pem --request "q$3" --response "r$3" \
	    --status-db "$sdb" --no-portrait --at "$at" >"v$3" 2>&1
}
bad=0
for i in 1 2 3; do
	show lic-a.mdl ka.key "a$i"
	rc=$?
	{ [ "$rc" -eq 1 ] && head -n 1 "va$i" | grep -q "REVOKED"; } || bad=1
done
[ "$bad" -eq 0 ] && ok "all three copies of the revoked licence: REVOKED first, exit 1" ||
    nok "revoked copies: $(head -n 2 va1 va2 va3)"
bad=0
for i in 1 2 3; do
	show lic-b.mdl kb.key "b$i"
	rc=$?
	{ [ "$rc" -eq 0 ] && grep -q "status: valid" "vb$i"; } || bad=1
done
[ "$bad" -eq 0 ] && ok "all three copies of the other licence: status valid" ||
    nok "valid copies: $(cat vb1 | head -n 5)"
"$B/mindl-verifier" request --profile age-21 -o qj >/dev/null 2>&1
"$B/mindl-holder" present --yes -q --no-passphrase --credential lic-b.mdl --device-key kb.key \
    --request qj -o rj --reuse >/dev/null 2>&1
expect 0 "verify --json carries the status" "$B/mindl-verifier" verify --trust iaca.pem \
    --request qj --response rj --status-db "$sdb" --at "$at" --json
[ "$(jq -r '.status.state == "valid" and (.status | has("idx") | not)' out)" = true ] &&
    ok "... valid, and no index in the output" || nok "verify --json status: $(jq -c .status out)"
"$B/mindl-verifier" request --profile age-21 -o qu >/dev/null 2>&1
"$B/mindl-holder" present --yes -q --no-passphrase --credential lic-b.mdl --device-key kb.key \
    --request qu -o ru --reuse >/dev/null 2>&1
mkdir empty
expect 0 "no list for the credential: status unknown, still valid" env \
    XDG_DATA_HOME="$d/empty" "$B/mindl-verifier" verify --trust iaca.pem --request qu \
    --response ru --at "$at"
grep -q "status: unknown" out && ok "... and says status unknown" || nok "unknown: $(cat out)"
expect 1 "--require-status makes unknown fail" env XDG_DATA_HOME="$d/empty" \
    "$B/mindl-verifier" verify --trust iaca.pem --request qu --response ru --at "$at" \
    --require-status
grep -q MINDL_ERR_STATUS_UNKNOWN out err && ok "... MINDL_ERR_STATUS_UNKNOWN" ||
    nok "require-status: $(cat out err | head -n 3)"
# A published list, damaged: tampered, truncated, expired, another signer.
sz=$(wc -c <l1.cwt)
head -c $((sz - 10)) l1.cwt >trunc.cwt
expect 1 "a truncated list is refused" "$B/mindl-verifier" status import trunc.cwt \
    --trust iaca.pem --status-db "$d/x.db"
cp l1.cwt tamp.cwt
printf '\377' | dd of=tamp.cwt bs=1 seek=$((sz - 5)) conv=notrunc 2>/dev/null
expect 1 "a tampered list is refused" "$B/mindl-verifier" status import tamp.cwt \
    --trust iaca.pem --status-db "$d/x.db"
grep -q MINDL_ERR_SIGNATURE err && ok "... MINDL_ERR_SIGNATURE" || nok "tampered: $(cat err)"
expect 1 "an expired list is refused" "$B/mindl-verifier" status import l1.cwt \
    --trust iaca.pem --status-db "$d/x.db" --at "$(date -u -d '+9 days' +%Y-%m-%d)"
grep -q MINDL_ERR_STATUS_EXPIRED err && ok "... MINDL_ERR_STATUS_EXPIRED" || nok "expired: $(cat err)"
# shellcheck disable=SC2086
expect 0 "a list signed with the DS key" "$B/mindl-issuer" status publish --registry e2e.db \
    --signer-key ds.key --signer-cert ds.pem --no-passphrase -o ds.cwt
expect 1 "... is refused by the verifier" "$B/mindl-verifier" status import ds.cwt \
    --trust iaca.pem --status-db "$d/x.db"
grep -q MINDL_ERR_CERT_PROFILE err && ok "... MINDL_ERR_CERT_PROFILE" || nok "DS-signed: $(cat err)"
"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "Other IACA" \
    --out-key o.key --out-cert o.pem >/dev/null 2>&1
expect 1 "a list from another IACA is refused" "$B/mindl-verifier" status import l1.cwt \
    --trust o.pem --status-db "$d/x.db"
[ ! -e "$d/x.db" ] || [ "$("$B/mindl-verifier" status list --status-db "$d/x.db" --json |
    jq -r '.lists | length')" = 0 ] && ok "refused lists leave nothing cached" ||
    nok "a refused list was cached"

# A registry of schema 1 (tests/data/registry-v1) is migrated forward on
# open and keeps what it holds.
cp "$top/tests/data/registry-v1/fx.db" "$top/tests/data/registry-v1/fx.db.secret" .
chmod 600 fx.db fx.db.secret
expect 0 "a schema-1 registry opens" "$B/mindl-issuer" check --registry fx.db --json
[ "$(jq -r '.ok and .schema_version == 2 and .licences == 2 and .revoked_licences == 1 and .credentials == 2 and .indices_used == 8 and .indices_revoked == 4 and .officers == 0' out)" = true ] &&
    ok "... migrated to schema 2, every row kept" || nok "migration: $(cat out)"
jq '.document_number = "SS0FIXTURE2"' "$rec" >rec-fx.json
# shellcheck disable=SC2086
expect 1 "... its revoked licence is still refused" "$B/mindl-issuer" issue $ds \
    --record rec-fx.json --portrait "$port" --device-pub dev.pub -o fx3.mdl \
    --registry fx.db
grep -q MINDL_ERR_REVOKED err && ok "... MINDL_ERR_REVOKED" || nok "fixture revoked: $(cat err)"
# A registry of a newer schema than this build's is refused, untouched:
# user_version is the 4 big-endian bytes at offset 60 of the header.
cp "$top/tests/data/registry-v1/fx.db" new.db
cp "$top/tests/data/registry-v1/fx.db.secret" new.db.secret
chmod 600 new.db new.db.secret
printf '\000\000\000\143' | dd of=new.db bs=1 seek=60 conv=notrunc 2>/dev/null
cp new.db new.orig
expect 2 "a registry of schema 99 is refused" "$B/mindl-issuer" check \
    --registry new.db --json
[ "$(jq -r .error out)" = MINDL_ERR_REGISTRY ] &&
    jq -r .message out | grep -q "schema 99 is newer than this build's" &&
    ok "... MINDL_ERR_REGISTRY: newer than this build's" || nok "newer: $(cat out err)"
cmp -s new.db new.orig && ok "... and left as it was" || nok "the newer registry was changed"
expect 0 "... and its valid one is revoked by number" "$B/mindl-issuer" revoke \
    --registry fx.db --document-number SS7Q4M2K9X --json
[ "$(jq -r '.revoked_entries' out)" = 4 ] && ok "... its four entries" ||
    nok "fixture revoke: $(cat out)"

finish
