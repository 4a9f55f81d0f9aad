/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: a document-signer certificate as received in x5chain
 * (mindl_trust_verify_ds) against the Annex D IACA and the negative
 * corpus's IACA, at each one's pinned time; the same DER as a trust
 * anchor (mindl_trust_add_der) and through the certificate helpers.
 */
#include "fuzz.h"

static struct mindl_trust *trust;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int r;

	(void)argc;
	(void)argv;
	trust = fuzz_trust(fuzz_annexd_path("annexD_iaca_root.pem"));
	if ((r = mindl_trust_add_pem_file(trust, fuzz_neg_path("iaca.pem"))) !=
	    MINDL_OK)
		fuzz_fatal("tests/neg/cases/iaca.pem", mindl_errname(r));
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_trust *t = NULL;
	struct mindl_key *k = NULL;
	char kid[17];

	if (trust == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (mindl_trust_verify_ds(trust, data, size, FUZZ_ANNEXD_AT, &k) ==
	    MINDL_OK)
		mindl_key_free(&k);
	if (mindl_trust_verify_ds(trust, data, size, FUZZ_NEG_AT, &k) ==
	    MINDL_OK)
		mindl_key_free(&k);
	(void)mindl_trust_is_root(trust, data, size);
	if (mindl_x509_pubkey(data, size, &k) == MINDL_OK)
		mindl_key_free(&k);
	(void)mindl_x509_key_id(data, size, kid);
	if (mindl_trust_new(&t) == MINDL_OK) {
		(void)mindl_trust_add_der(t, data, size);
		mindl_trust_free(&t);
	}
	return 0;
}
