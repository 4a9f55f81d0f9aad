#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Every curve and digest mindl issues with, through the tools: mindl-keys
# --curve for the IACA and the DS, the policy's digest_algorithm,
# mindl-holder keygen --curve, present and verify; and privacy rule 2
# under such a policy (one algorithm and one shape for every holder).
# Run from the repository root.
set -u
top=$(pwd)
B=$top/${MINDL_BIN:-bin}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-algs.XXXXXX")
trap 'rm -rf "$d"' EXIT INT TERM
cd "$d" || exit 1
rec=$top/schemas/samples/sample-record.json
port=$top/schemas/samples/portrait.jpg

# site policy: the sample DMV with a digest algorithm
policy() {
	printf '{"issuing_country": "US", "issuing_authority": "Sample State DMV",
	    "issuing_jurisdiction": "US-SS", "un_distinguishing_sign": "USA",
	    "digest_algorithm": "%s"}\n' "$1"
}
for c in P-256 P-384 P-521; do
	"$B/mindl-keys" iaca --no-passphrase --country US --state SS \
	    --name "IACA $c" --issuer-alt mailto:iaca@ss.dmv.invalid \
	    --curve $c --out-key iaca$c.key --out-cert iaca$c.pem >/dev/null 2>&1 &&
	"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --curve $c \
	    --iaca-key iaca$c.key --iaca-cert iaca$c.pem \
	    --out-key ds$c.key --out-cert ds$c.pem >/dev/null 2>&1 ||
	    { nok "set-up $c"; echo "$pass passed, $fail failed"; exit 1; }
	h=$(echo $c | sed 's/P-//')
	openssl x509 -in ds$c.pem -noout -text 2>/dev/null |
	    grep -q "Signature Algorithm: ecdsa-with-SHA$( [ $h = 521 ] && echo 512 || echo $h)" &&
	    ok "mindl-keys --curve $c: DS signed with the matching hash" ||
	    nok "mindl-keys --curve $c: DS signature hash"
done
if "$B/mindl-keys" iaca --no-passphrase --country US --state SS --name X \
    --curve P-192 --out-key bad.key --out-cert bad.pem >/dev/null 2>err; then
	nok "mindl-keys --curve P-192 refused"
else
	[ ! -e bad.key ] && grep -q 'P-256, P-384 or P-521' err &&
	    ok "mindl-keys --curve P-192 refused, nothing written" ||
	    nok "mindl-keys --curve P-192: $(cat err)"
fi
for v in P-256 P-384 P-521 Ed25519; do
	"$B/mindl-holder" keygen --no-passphrase --count 1 --curve $v \
	    --out-key dev$v.key --out-pub dev$v.pub >/dev/null 2>&1 ||
	    nok "keygen --curve $v"
done
"$B/mindl-holder" keygen --no-passphrase --curve brainpoolP256r1 \
    --out-key bp.key --out-pub bp.pub >/dev/null 2>&1 &&
    nok "keygen --curve brainpoolP256r1 refused" ||
    ok "keygen --curve brainpoolP256r1 refused"
"$B/mindl-verifier" request --profile age-21 -o t.req >/dev/null 2>&1 ||
    nok "request"

# issuer curve x digest, each with another device key, presented with a
# signature and verified; the MSO carries the policy's algorithm.
n=0
for c in P-256 P-384 P-521; do
	for g in SHA-256 SHA-384 SHA-512; do
		n=$((n + 1))
		case $n in
		1|5|9) v=P-256 ;; 2|6) v=P-384 ;; 3|7) v=P-521 ;; *) v=Ed25519 ;;
		esac
		t="$c/$g/device $v"
		policy $g >p$n.json
		if ! "$B/mindl-issuer" issue --no-passphrase --policy p$n.json \
		    --record "$rec" --portrait "$port" --ds-key ds$c.key \
		    --ds-cert ds$c.pem --device-pub dev$v.pub -o c$n.mdl \
		    >/dev/null 2>err; then
			nok "$t: issue: $(head -c 300 err)"
			continue
		fi
		a=$("$B/mindl-verifier" inspect --json c$n.mdl 2>/dev/null |
		    jq -r '.documents[0].mso.digestAlgorithm // empty')
		[ "$a" = "$g" ] && ok "$t: the MSO says $g" ||
		    nok "$t: the MSO says '$a', want $g"
		"$B/mindl-holder" present -q --yes --no-passphrase --auth signature \
		    --credential c$n.mdl --device-key dev$v.key --request t.req \
		    -o r$n.resp 2>err || nok "$t: present: $(head -c 300 err)"
		if "$B/mindl-verifier" verify --json --trust iaca$c.pem \
		    --request t.req --response r$n.resp >out 2>err &&
		    grep -q '"device_auth":"signature"' out; then
			ok "$t: verified"
		else
			nok "$t: verify: $(head -c 300 out) $(head -c 300 err)"
		fi
		# another IACA of the same curve does not vouch for it
		o=$( [ $c = P-256 ] && echo P-384 || echo P-256)
		"$B/mindl-verifier" verify --json --trust iaca$o.pem \
		    --request t.req --response r$n.resp >out 2>&1 &&
		    nok "$t: verified under another IACA" ||
		    ok "$t: refused under another IACA"
	done
done

# deviceMac on P-384: the reader's key must be on the device key's
# curve; mindl-verifier request makes P-256 keys, so it is refused.
"$B/mindl-holder" present -q --yes --no-passphrase --auth mac --credential c2.mdl \
    --device-key devP-384.key --request t.req -o mac.resp >/dev/null 2>err &&
    nok "deviceMac across curves refused" ||
    { [ ! -e mac.resp ] && ok "deviceMac across curves refused, nothing written" ||
      nok "deviceMac across curves: a file was written"; }

# Privacy rule 2 under one policy (SHA-384): two holders, one with
# fewer optional elements, get the same algorithm and the same shape.
policy SHA-384 >one.json
jq 'del(.sex, .height, .eye_colour)' "$rec" >min.json
for r in min full; do
	f=$rec
	[ $r = min ] && f=min.json
	"$B/mindl-holder" keygen --no-passphrase --count 2 --curve P-384 \
	    --out-key h$r.key --out-pub h$r.pub >/dev/null 2>&1
	"$B/mindl-issuer" issue --no-passphrase --policy one.json --record "$f" \
	    --portrait "$port" --ds-key dsP-384.key --ds-cert dsP-384.pem \
	    --device-pub h$r.pub -o h$r.mdl >/dev/null 2>&1
	"$B/mindl-verifier" inspect --json h$r.mdl 2>/dev/null |
	    jq -c '[.documents[] | [.mso.digestAlgorithm, .mso.digests]]' >h$r.shape
	# purpose credentials: the same size for everyone (rules.sh)
	"$B/mindl-issuer" issue --no-passphrase --policy one.json --record "$f" \
	    --portrait "$port" --ds-key dsP-384.key --ds-cert dsP-384.pem \
	    --device-pub h$r.pub --purpose age-21,traffic-stop -o hp$r.mdl \
	    --json 2>/dev/null | jq -c '[.purposes[] | [.profile, .bytes]]' >h$r.sizes
done
if [ -s hmin.shape ] && cmp -s hmin.shape hfull.shape &&
    grep -q SHA-384 hmin.shape && [ -s hmin.sizes ] &&
    cmp -s hmin.sizes hfull.sizes; then
	ok "rule 2: one policy, one algorithm and one shape for two holders"
else
	nok "rule 2 under SHA-384: $(cat hmin.shape hmin.sizes) vs $(cat hfull.shape hfull.sizes)"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
