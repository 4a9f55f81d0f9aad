/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: COSE_Sign1 / COSE_Mac0 parsing with the strict header
 * rules, verification against fixed keys (the algorithm / key binding
 * and the raw r||s length checks), and COSE_Key parsing.
 */
#include "fuzz.h"

static struct mindl_key *p256;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (mindl_key_generate(&p256) != MINDL_OK)
		fuzz_fatal("mindl_key_generate", "failed");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mackey[32] = { 1 };
	static const uint8_t detached[] = "detached payload";
	struct mindl_cbor *doc = NULL;
	struct mindl_cose_msg m;
	struct mindl_key *k = NULL;

	if (p256 == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (mindl_cbor_decode(data, size, &doc) != MINDL_OK)
		return 0;
	if (mindl_cose_parse(mindl_cbor_root(doc), &m) == MINDL_OK) {
		const uint8_t *d = m.payload == NULL ? detached : NULL;
		size_t dl = m.payload == NULL ? sizeof(detached) : 0;

		(void)mindl_cose_sign1_verify(&m, p256, d, dl);
		(void)mindl_cose_mac0_verify(&m, mackey, sizeof(mackey), d,
		    dl);
		/* A key from the message's own x5chain, as a verifier gets. */
		if (m.nx5 > 0 && mindl_x509_pubkey(m.x5[0], m.x5len[0],
		    &k) == MINDL_OK) {
			(void)mindl_cose_sign1_verify(&m, k, d, dl);
			mindl_key_free(&k);
		}
		mindl_cose_clear(&m);
	}
	if (mindl_cose_key_parse(mindl_cbor_root(doc), &k) == MINDL_OK) {
		uint8_t x[MINDL_MAX_COORD], y[MINDL_MAX_COORD];
		size_t n = 0;

		(void)mindl_key_xy(k, x, y, &n);
		(void)mindl_key_alg(k);
		mindl_key_free(&k);
	}
	mindl_cbor_free(&doc);
	/* The same bytes as an encoded COSE_Key (EReaderKey, EDeviceKey). */
	if (mindl_cose_key_decode(data, size, &k) == MINDL_OK)
		mindl_key_free(&k);
	return 0;
}
