#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Interoperability with @auth0/mdl, both directions, through the tools:
#  1. @auth0/mdl verifies DeviceResponses that mindl issued (through a
#     registry, so that every MSO carries a token-status-list reference)
#     and presented (age-21 and traffic-stop; deviceMac and
#     deviceSignature);
#  2. mindl-verifier accepts DeviceResponses that @auth0/mdl issued (with
#     a DS key from mindl-keys) and presented to a mindl request;
#  3. @auth0/mdl verifies mindl credentials on P-384 and P-521 IACAs and
#     DSs, SHA-384/512 digests, and P-384, P-521 and Ed25519 device keys.
# Run from the repository root; tools in $MINDL_BIN (default bin).
set -u
top=$(pwd)
B=$top/${MINDL_BIN:-bin}
here=$top/tests/interop
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }

sh "$here/setup.sh" || {
	echo "not ok - npm ci in tests/interop failed"
	echo "0 passed, 1 failed"
	exit 1
}
d=$(mktemp -d "${TMPDIR:-/tmp}/mindl-interop.XXXXXX")
trap 'rm -rf "$d"' EXIT INT TERM

"$B/mindl-keys" iaca --no-passphrase --country US --state SS --name "Interop IACA" \
    --out-key "$d/iaca.key" --out-cert "$d/iaca.pem" >/dev/null &&
"$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --iaca-key "$d/iaca.key" --iaca-cert "$d/iaca.pem" \
    --out-key "$d/ds.key" --out-cert "$d/ds.pem" >/dev/null &&
"$B/mindl-holder" keygen --no-passphrase --out-key "$d/dev.key" --out-pub "$d/dev.pub" &&
"$B/mindl-issuer" init --registry "$d/reg.db" --status-uri https://dmv.example/status/1 \
    --kdf-cost 10 >/dev/null &&
"$B/mindl-issuer" issue --no-passphrase --sample-policy --record "$top/schemas/samples/sample-record.json" \
    --portrait "$top/schemas/samples/portrait.jpg" --ds-key "$d/ds.key" \
    --ds-cert "$d/ds.pem" --device-pub "$d/dev.pub" -o "$d/cred" \
    --registry "$d/reg.db" ||
    { echo "not ok - set-up with mindl tools"; echo "0 passed, 1 failed"; exit 1; }

# Element names of a profile, sorted, one per line.
profile_elements() {
	"$B/mindl-verifier" profiles --json | node -e '
	    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
	    const j = JSON.parse(s); const ps = j.profiles || j;
	    const p = ps.find(x => x.id === process.argv[1]);
	    const els = [].concat(...Object.values(p.elements));
	    console.log(els.sort().join("\n")); });' "$1"
}
# Disclosed element names in a verify JSON object, sorted.
disclosed() {
	node -e '
	    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
	    const j = JSON.parse(s); if (!j.valid) { process.exit(1); }
	    const out = []; for (const ns in j.disclosed)
	        for (const e in j.disclosed[ns]) out.push(e);
	    console.log(out.sort().join("\n")); });'
}

. "$top/tests/common/reader.sh"
reader_setup "$B" "$d" || nok "reader CA and reader certificate"
for profile in age-21 traffic-stop; do
	want=$(profile_elements "$profile")
	for auth in mac signature; do
		req=$d/$profile-$auth.req
		# Signed by a certified reader: a holder answers an unsigned
		# request only for age-18 and age-21.
		signed_request "$B" "$d" "$profile" "$req" >/dev/null &&
		"$B/mindl-holder" present --yes -q --no-passphrase --credential "$d/cred" \
		    --device-key "$d/dev.key" --request "$req" --auth "$auth" \
		    --reader-trust "$d/rca.pem" --engagement "$req.de" \
		    -o "$d/$profile-$auth.resp" ||
		    { nok "mindl presents $profile/$auth"; continue; }
		got=$(node "$here/verify.mjs" --trust "$d/iaca.pem" \
		    --request "$req" --response "$d/$profile-$auth.resp" \
		    --reader-key "$req.key" | disclosed)
		if [ $? -eq 0 ] && [ "$got" = "$want" ]; then
			ok "@auth0/mdl verifies mindl's $profile response ($auth)"
		else
			nok "@auth0/mdl verifies mindl's $profile response ($auth): got [$got] want [$want]"
		fi
		# The other way: @auth0/mdl issues and presents, mindl verifies.
		req2=$d/$profile-$auth-2.req
		"$B/mindl-verifier" request --profile "$profile" -o "$req2" &&
		node "$here/issue_present.mjs" --ds-key "$d/ds.key" \
		    --ds-cert "$d/ds.pem" --request "$req2" --auth "$auth" \
		    --out "$d/$profile-$auth-auth0.resp" >/dev/null 2>&1 ||
		    { nok "@auth0/mdl issues and presents $profile/$auth"; continue; }
		got=$("$B/mindl-verifier" verify --trust "$d/iaca.pem" \
		    --request "$req2" --response "$d/$profile-$auth-auth0.resp" \
		    --json | disclosed)
		if [ $? -eq 0 ] && [ "$got" = "$want" ]; then
			ok "mindl verifies @auth0/mdl's $profile response ($auth)"
		else
			nok "mindl verifies @auth0/mdl's $profile response ($auth): got [$got] want [$want]"
		fi
	done
done
# Other curves and digests (DESIGN.md 3.1): mindl issues with an IACA and
# DS on CRV, the policy's digest algorithm and a device key on DEV, and
# presents with a signature; @auth0/mdl verifies.
for combo in P-384:SHA-384:P-256 P-521:SHA-512:P-256 P-384:SHA-512:P-384 \
    P-521:SHA-256:P-521 P-384:SHA-384:Ed25519; do
	c=${combo%%:*}; v=${combo##*:}; g=${combo#*:}; g=${g%%:*}
	a=$d/alg-$c-$g-$v
	printf '{"issuing_country": "US", "issuing_authority": "Sample State DMV",
	    "issuing_jurisdiction": "US-SS", "un_distinguishing_sign": "USA",
	    "digest_algorithm": "%s"}\n' "$g" >"$a.policy"
	if "$B/mindl-keys" iaca --no-passphrase --country US --state SS \
	    --name "Interop IACA $c" --curve "$c" --out-key "$a.iaca.key" \
	    --out-cert "$a.iaca.pem" >/dev/null 2>&1 &&
	    "$B/mindl-keys" ds --no-passphrase --iaca-no-passphrase --curve "$c" \
	    --iaca-key "$a.iaca.key" --iaca-cert "$a.iaca.pem" \
	    --out-key "$a.ds.key" --out-cert "$a.ds.pem" >/dev/null 2>&1 &&
	    "$B/mindl-holder" keygen --no-passphrase --count 1 --curve "$v" \
	    --out-key "$a.dev.key" --out-pub "$a.dev.pub" &&
	    "$B/mindl-issuer" issue --no-passphrase --policy "$a.policy" \
	    --record "$top/schemas/samples/sample-record.json" \
	    --portrait "$top/schemas/samples/portrait.jpg" --ds-key "$a.ds.key" \
	    --ds-cert "$a.ds.pem" --device-pub "$a.dev.pub" -o "$a.cred" \
	    >/dev/null &&
	    "$B/mindl-verifier" request --profile age-21 -o "$a.req" >/dev/null &&
	    "$B/mindl-holder" present -q --yes --no-passphrase --credential "$a.cred" \
	    --device-key "$a.dev.key" --request "$a.req" --auth signature \
	    -o "$a.resp"; then
		got=$(node "$here/verify.mjs" --trust "$a.iaca.pem" \
		    --request "$a.req" --response "$a.resp" \
		    --reader-key "$a.req.key" | disclosed)
		if [ $? -eq 0 ] && [ "$got" = "$(profile_elements age-21)" ]; then
			ok "@auth0/mdl verifies mindl's $c/$g/device $v response"
		else
			nok "@auth0/mdl verifies mindl's $c/$g/device $v response: got [$got]"
		fi
	else
		nok "mindl issues and presents on $c/$g/device $v"
	fi
done
# A tampered mindl response is refused by @auth0/mdl too.
r=$d/traffic-stop-mac.resp
if [ -f "$r" ]; then
	off=$(grep -boa 'Rivera' "$r" | head -n 1 | cut -d: -f1)
	if [ -n "$off" ]; then
		cp "$r" "$d/t.resp"
		printf 'X' | dd of="$d/t.resp" bs=1 seek="$off" conv=notrunc \
		    2>/dev/null
		if node "$here/verify.mjs" --trust "$d/iaca.pem" \
		    --request "$d/traffic-stop-mac.req" --response "$d/t.resp" \
		    --reader-key "$d/traffic-stop-mac.req.key" >/dev/null; then
			nok "@auth0/mdl refuses a tampered mindl response"
		else
			ok "@auth0/mdl refuses a tampered mindl response"
		fi
	else
		nok "tamper: family name not found in response"
	fi
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
