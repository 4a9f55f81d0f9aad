/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: the Mobile Security Object.  A verifier parses the MSO
 * only after the issuer's signature verifies, so the harness signs each
 * input as an MSO with a document signer made at start-up (chaining to an
 * IACA made there too), wraps it in a DeviceResponse that discloses the
 * items of the negative corpus's credential, and verifies: MSO version,
 * digest algorithm, docType, validity (tdate parsing), device key and
 * valueDigests are all reached.
 */
#include "fuzz.h"
#include "../common/testlib.h"

static struct mindl_trust *trust;
static struct mindl_key *ds_key, *reader;
static uint8_t *ds, *nss, *st;
static size_t dslen, nsslen, stlen;
static uint8_t *credbuf;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct mindl_iaca_params ip = { "US", "SS", "Fuzz IACA",
	    "mailto:iaca@example.invalid", FUZZ_NEG_T0 - 86400 * 30, 3650 };
	struct mindl_ds_params dp = { NULL, FUZZ_NEG_T0 - 86400 * 10, 365 };
	struct mindl_key *iaca_key = NULL;
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *is = NULL, *ns = NULL;
	uint8_t *iaca = NULL;
	size_t iacalen = 0, credlen = 0;
	static const uint8_t de[] = { 0xa0 };
	static const uint8_t erk[] = { 0xa0 };
	int r;

	(void)argc;
	(void)argv;
	if ((r = mindl_key_generate(&iaca_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&ds_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&reader)) != MINDL_OK ||
	    (r = mindl_x509_make_iaca(iaca_key, &ip, &iaca, &iacalen)) !=
	    MINDL_OK ||
	    (r = mindl_x509_make_ds(iaca_key, iaca, iacalen, ds_key, &dp, &ds,
	    &dslen)) != MINDL_OK ||
	    (r = mindl_trust_new(&trust)) != MINDL_OK ||
	    (r = mindl_trust_add_der(trust, iaca, iacalen)) != MINDL_OK ||
	    (r = mindl_transcript_bytes(de, sizeof(de), erk, sizeof(erk), &st,
	    &stlen)) != MINDL_OK)
		fuzz_fatal("fixture", mindl_errname(r));
	mindl_key_free(&iaca_key);
	free(iaca);
	/* The disclosed items: the corpus credential's nameSpaces. */
	fuzz_read(fuzz_neg_path("credential.cbor"), &credbuf, &credlen);
	if (mindl_cbor_decode(credbuf, credlen, &doc) != MINDL_OK ||
	    (is = mindl_cbor_map_get(mindl_cbor_child(mindl_cbor_root(doc)),
	    "issuerSigned")) == NULL ||
	    (ns = mindl_cbor_map_get(is, "nameSpaces")) == NULL)
		fuzz_fatal("credential.cbor", "no issuerSigned.nameSpaces");
	nsslen = ns->enclen;
	if ((nss = malloc(nsslen)) == NULL)
		fuzz_fatal("fixture", "out of memory");
	memcpy(nss, ns->enc, nsslen);
	mindl_cbor_free(&doc);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a COSE_Mac0 that cannot verify: only reached, never passed */
	static const uint8_t mac[] = { 0x84, 0x43, 0xa1, 0x01, 0x05, 0xa0,
	    0xf6, 0x58, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t dns[] = { 0xd8, 0x18, 0x41, 0xa0 };
	struct mindl_verified *v = NULL;
	struct mindl_enc e;
	uint8_t *payload = NULL, *dr = NULL;
	size_t plen = 0, drlen = 0;

	if (trust == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (size > MINDL_MAX_STRING)
		return 0;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_embedded(&e, data, size);
	if (mindl_enc_finish(&e, &payload, &plen) != MINDL_OK)
		return 0;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	test_device_response_open(&e);
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_raw(&e, nss, nsslen);
	mindl_enc_tstr(&e, "issuerAuth");
	if (test_sign1_write(&e, ds_key, payload, plen, 0, ds, dslen) !=
	    MINDL_OK) {
		mindl_enc_clear(&e);
		free(payload);
		return 0;
	}
	mindl_enc_tstr(&e, "deviceSigned");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_raw(&e, dns, sizeof(dns));
	mindl_enc_tstr(&e, "deviceAuth");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "deviceMac");
	mindl_enc_raw(&e, mac, sizeof(mac));
	if (mindl_enc_finish(&e, &dr, &drlen) == MINDL_OK &&
	    mindl_verify_device_response(trust, fuzz_schema(), FUZZ_NEG_AT, st,
	    stlen, reader, dr, drlen, &v) == MINDL_OK) {
		fuzz_touch_verified(v);
		mindl_verified_free(&v);
	}
	free(payload);
	free(dr);
	return 0;
}
