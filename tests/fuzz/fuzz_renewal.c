/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: renewal's parsers of outside bytes (mindl/renewal.h): the
 * challenge file (the holder reads what a desk handed out) and the proof
 * (the desk reads what a holder brings), the latter read alone and
 * verified against the negative corpus's credential, whose device key
 * signs the seeds, for one new key (the corpus's reader key) and the
 * challenge of 32 bytes 0x42 (as tests/fuzz/mkseeds.c makes them).  An
 * accepted challenge must round-trip; an accepted proof must name copy 0.
 */
#include "fuzz.h"

#include "mindl/renewal.h"

#define RENEWAL_SEED_CH	0x42

static uint8_t *cred;
static size_t credlen;
static struct mindl_key *newkey;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_read(fuzz_neg_path("credential.cbor"), &cred, &credlen);
	newkey = fuzz_key(fuzz_neg_path("test-reader-key.pem"));
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN], want[sizeof(ch)], got[sizeof(ch)];
	const struct mindl_key *keys[1];
	struct mindl_buf b;
	size_t copy = 99;
	int64_t exp, exp2;

	if (cred == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (mindl_renewal_challenge_parse(data, size, ch, &exp) == MINDL_OK) {
		/* What parses writes back to a file that parses the same. */
		mindl_buf_init(&b, MINDL_RENEWAL_MAX_CHALLENGE);
		if (mindl_renewal_challenge_write(ch, exp, &b) != MINDL_OK ||
		    mindl_renewal_challenge_parse(mindl_buf_ptr(&b),
		    mindl_buf_len(&b), got, &exp2) != MINDL_OK ||
		    memcmp(ch, got, sizeof(ch)) != 0 || exp != exp2)
			abort();
		mindl_buf_clear(&b);
	}
	(void)mindl_renewal_proof_challenge(data, size, ch);
	memset(want, RENEWAL_SEED_CH, sizeof(want));
	keys[0] = newkey;
	if (mindl_renewal_proof_verify(data, size, want, cred, credlen, keys, 1,
	    &copy) == MINDL_OK && copy != 0)
		abort();	/* the corpus credential has one copy */
	return 0;
}
