/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: a Token Status List as a verifier imports it
 * (mindl_status_token_parse), then every accessor, entries at the edges
 * and in between (mindl_status_token_get), and verification against the
 * negative corpus's IACA (signer chain, signature, times), at the
 * corpus's pinned time.  An accepted token must hold at least one byte
 * of list and no more than the cap, and an index past its entries must
 * be MINDL_ERR_STATUS_UNKNOWN.
 */
#include "fuzz.h"

static struct mindl_trust *trust;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	trust = fuzz_trust(fuzz_neg_path("iaca.pem"));
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_status_token *t = NULL;
	const uint8_t *p;
	size_t n;
	uint64_t entries, ttl, i;
	uint8_t root[MINDL_STATUS_ROOT_LEN];
	int64_t exp;
	int st;

	if (trust == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (mindl_status_token_parse(data, size, &t) != MINDL_OK) {
		if (t != NULL)
			fuzz_fatal("parse", "failure with a token");
		return 0;
	}
	entries = mindl_status_token_entries(t);
	mindl_status_token_bitmap(t, &p, &n);
	if (n == 0 || n > MINDL_STATUS_MAX_BYTES || entries != (uint64_t)n * 8)
		fuzz_fatal("parse", "list size");
	if (strlen(mindl_status_token_uri(t)) == 0)
		fuzz_fatal("parse", "empty uri");
	(void)mindl_status_token_iat(t);
	(void)mindl_status_token_exp(t, &exp);
	(void)mindl_status_token_ttl(t, &ttl);
	mindl_status_token_signer_cert(t, &p, &n);
	for (i = 0; i < entries; i += 1 + entries / 7)
		if (mindl_status_token_get(t, i, &st) != MINDL_OK ||
		    (st != MINDL_STATUS_VALID && st != MINDL_STATUS_INVALID))
			fuzz_fatal("get", "an entry inside the list");
	if (mindl_status_token_get(t, entries - 1, &st) != MINDL_OK ||
	    mindl_status_token_get(t, entries, &st) !=
	    MINDL_ERR_STATUS_UNKNOWN)
		fuzz_fatal("get", "the list's end");
	(void)mindl_status_token_verify(t, trust, FUZZ_NEG_AT, root);
	mindl_status_token_free(&t);
	return 0;
}
