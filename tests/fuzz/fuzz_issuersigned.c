/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: IssuerSigned ({nameSpaces, issuerAuth}) inside an
 * otherwise fixed DeviceResponse, verified against the negative corpus's
 * IACA at its pinned time.  With the corpus credential's IssuerSigned as
 * the seed, mutations of the items keep a valid issuer signature and so
 * reach the item checks (tag 24, digestIDs, duplicates, digests).
 */
#include "fuzz.h"
#include "../common/testlib.h"

static struct mindl_trust *trust;
static struct mindl_key *reader;
static uint8_t *st;
static size_t stlen;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const uint8_t de[] = { 0xa0 };
	static const uint8_t erk[] = { 0xa0 };
	int r;

	(void)argc;
	(void)argv;
	trust = fuzz_trust(fuzz_neg_path("iaca.pem"));
	reader = fuzz_key(fuzz_neg_path("test-reader-key.pem"));
	if ((r = mindl_transcript_bytes(de, sizeof(de), erk, sizeof(erk), &st,
	    &stlen)) != MINDL_OK)
		fuzz_fatal("transcript", mindl_errname(r));
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t sig[] = { 0x84, 0x43, 0xa1, 0x01, 0x26, 0xa0,
	    0xf6, 0x58, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0 };
	static const uint8_t dns[] = { 0xd8, 0x18, 0x41, 0xa0 };
	struct mindl_verified *v = NULL;
	struct mindl_enc e;
	uint8_t *dr = NULL;
	size_t drlen = 0;

	if (trust == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (size == 0)
		return 0;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	test_device_response_open(&e);
	mindl_enc_raw(&e, data, size);
	mindl_enc_tstr(&e, "deviceSigned");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_raw(&e, dns, sizeof(dns));
	mindl_enc_tstr(&e, "deviceAuth");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "deviceSignature");
	mindl_enc_raw(&e, sig, sizeof(sig));
	if (mindl_enc_finish(&e, &dr, &drlen) == MINDL_OK &&
	    mindl_verify_device_response(trust, fuzz_schema(), FUZZ_NEG_AT, st,
	    stlen, reader, dr, drlen, &v) == MINDL_OK) {
		fuzz_touch_verified(v);
		mindl_verified_free(&v);
	}
	free(dr);
	return 0;
}
