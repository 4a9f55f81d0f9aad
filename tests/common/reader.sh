# SPDX-License-Identifier: BSD-2-Clause
# Sourced by test scripts: signed requests for profiles beyond age-18 and
# age-21, which a holder answers only for a certified reader.
#   reader_setup BIN DIR: DIR/rca.pem (reader CA) and DIR/rd.pem, DIR/rd.key
#       (a reader certified for every built-in profile).
#   signed_request BIN DIR PROFILE REQ [REQUEST OPTIONS...]: REQ.de, the
#       holder's engagement, and REQ signed over it.  Present it with
#       --reader-trust DIR/rca.pem --engagement REQ.de.
reader_setup() {
	"$1/mindl-keys" reader-ca --no-passphrase --country US --state SS \
	    --name "Test reader CA" --issuer-alt mailto:readers@ss.dmv.invalid \
	    --out-key "$2/rca.key" --out-cert "$2/rca.pem" >/dev/null &&
	"$1/mindl-keys" reader --no-passphrase --ca-no-passphrase \
	    --ca-key "$2/rca.key" --ca-cert "$2/rca.pem" \
	    --profile age-18,age-21,traffic-stop,employer-driver,car-rental,identity \
	    --name "Test reader" --out-key "$2/rd.key" --out-cert "$2/rd.pem" \
	    >/dev/null
}

signed_request() {
	_b=$1 _d=$2 _p=$3 _r=$4
	shift 4
	"$_b/mindl-holder" engage -f -o "$_r.de" >/dev/null &&
	"$_b/mindl-verifier" request --profile "$_p" -o "$_r" \
	    --reader-key "$_d/rd.key" --reader-cert "$_d/rd.pem" \
	    --engagement "$_r.de" --no-passphrase "$@"
}
