/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: the verifier's side of FIDO2 device authentication
 * (mindl/fido.h, mindl/devauth.h), whose authData and signature come
 * from the holder.
 *
 * The input is read two ways.  As CBOR: a DeviceSigned for
 * mindl_device_signed_parse_fido2, then mindl_device_signed_verify_fido2
 * over a fixed session.  As bytes: input[0] holds the options (bit 0:
 * UV required), input[1] the signature's length, then the signature, then
 * authData, for mindl_fido_verify.  Either way the authData is then
 * signed by the harness's own key (made at start-up), so that inputs the
 * authData checks accept go on to the signature: with that signature the
 * only refusals allowed are the authData checks' own, and an accepted
 * authData must satisfy them (abort otherwise).
 */
#include "fuzz.h"

#define RPID	"mdl.dmv.example"

static struct mindl_key *key;
static struct mindl_cbor *doctype_doc;
static uint8_t *st, *da, *dtbuf;
static size_t stlen, dalen, dtlen;
static uint8_t rphash[MINDL_SHA256_LEN];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const uint8_t de[] = { 0xa1, 0x00, 0x63, '1', '.', '0' };
	static const uint8_t dns[] = { 0xd8, 0x18, 0x41, 0xa0 };
	struct mindl_enc e;
	uint8_t *erk = NULL;
	size_t erklen = 0;

	(void)argc;
	(void)argv;
	if (mindl_key_generate(&key) != MINDL_OK)
		fuzz_fatal("mindl_key_generate", "failed");
	mindl_enc_init(&e, 1024);
	if (mindl_cose_key_write(&e, key) != MINDL_OK ||
	    mindl_enc_finish(&e, &erk, &erklen) != MINDL_OK ||
	    mindl_transcript_bytes(de, sizeof(de), erk, erklen, &st, &stlen) !=
	    MINDL_OK ||
	    mindl_devauth_bytes(st, stlen, MINDL_DOCTYPE_MDL,
	    strlen(MINDL_DOCTYPE_MDL), dns, sizeof(dns), &da, &dalen) !=
	    MINDL_OK)
		fuzz_fatal("session", "failed");
	free(erk);
	mindl_enc_init(&e, 256);
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	if (mindl_enc_finish(&e, &dtbuf, &dtlen) != MINDL_OK ||
	    mindl_cbor_decode(dtbuf, dtlen, &doctype_doc) != MINDL_OK ||
	    mindl_sha256((const uint8_t *)RPID, strlen(RPID), rphash) !=
	    MINDL_OK)
		fuzz_fatal("doctype", "failed");
	return 0;
}

/*
 * authData signed here, verified: refused only by the authData checks,
 * and accepted only when they hold.
 */
static void
resigned(const uint8_t *ad, size_t alen, int uv)
{
	uint8_t msg[MINDL_FIDO_MAX_AUTHDATA + MINDL_SHA256_LEN];
	uint8_t sig[MINDL_MAX_SIG];
	size_t siglen = sizeof(sig);
	int r;

	if (alen > MINDL_FIDO_MAX_AUTHDATA)
		return;
	memcpy(msg, ad, alen);
	if (mindl_sha256(da, dalen, msg + alen) != MINDL_OK ||
	    mindl_ecdsa_sign(key, msg, alen + MINDL_SHA256_LEN, sig,
	    &siglen) != MINDL_OK)
		fuzz_fatal("mindl_ecdsa_sign", "failed");
	r = mindl_fido_verify(ad, alen, sig, siglen, RPID, da, dalen, key, uv);
	if (r == MINDL_OK) {
		if (alen < MINDL_FIDO_AUTHDATA_LEN ||
		    memcmp(ad, rphash, sizeof(rphash)) != 0 ||
		    (ad[32] & MINDL_FIDO_UP) == 0 ||
		    (uv && (ad[32] & MINDL_FIDO_UV) == 0) ||
		    (ad[32] & (MINDL_FIDO_AT | MINDL_FIDO_BE | MINDL_FIDO_BS)) ||
		    ((ad[32] & MINDL_FIDO_ED) == 0 &&
		    alen != MINDL_FIDO_AUTHDATA_LEN))
			abort();
	} else if (r != MINDL_ERR_FIDO_AUTHDATA && r != MINDL_ERR_FIDO_RPID &&
	    r != MINDL_ERR_FIDO_PRESENCE)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_cbor *doc = NULL;
	struct mindl_device_signed *ds = NULL;
	const uint8_t *ad, *sig;
	size_t alen, slen;
	int uv;

	if (key == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (mindl_cbor_decode(data, size, &doc) == MINDL_OK) {
		if (mindl_device_signed_parse_fido2(mindl_cbor_root(doc),
		    &ds) == MINDL_OK) {
			if (mindl_device_signed_fido2(ds, &ad, &alen, &sig,
			    &slen) != MINDL_OK)
				abort();
			(void)mindl_device_signed_verify_fido2(ds, key,
			    mindl_cbor_root(doctype_doc), st, stlen, RPID, 0);
			/* The standard verification never accepts it. */
			if (mindl_device_signed_verify(ds, key,
			    mindl_cbor_root(doctype_doc), st, stlen, NULL) ==
			    MINDL_OK)
				abort();
			resigned(ad, alen, 0);
			mindl_device_signed_free(&ds);
		}
		mindl_cbor_free(&doc);
	}
	if (size < 2)
		return 0;
	uv = data[0] & 1;
	slen = data[1];
	if (slen > size - 2)
		slen = size - 2;
	sig = data + 2;
	ad = data + 2 + slen;
	alen = size - 2 - slen;
	(void)mindl_fido_verify(ad, alen, sig, slen, RPID, da, dalen, key, uv);
	resigned(ad, alen, uv);
	return 0;
}
