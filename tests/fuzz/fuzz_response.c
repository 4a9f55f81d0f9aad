/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: response files verified against the negative corpus's
 * fixed request, trust anchor and reader key (tests/neg/cases/), at the
 * corpus's pinned time: the whole verifier (mindl_verify_response).
 */
#include "fuzz.h"

static struct mindl_trust *trust;
static struct mindl_request *req;
static struct mindl_key *reader;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	trust = fuzz_trust(fuzz_neg_path("iaca.pem"));
	req = fuzz_request(fuzz_neg_path("request.cbor"));
	reader = fuzz_key(fuzz_neg_path("test-reader-key.pem"));
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_verified *v = NULL;
	uint8_t *st = NULL;
	size_t stlen = 0;

	if (trust == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (mindl_verify_response(trust, fuzz_schema(), FUZZ_NEG_AT, req,
	    reader, data, size, &v) == MINDL_OK) {
		fuzz_touch_verified(v);
		mindl_verified_free(&v);
	}
	if (mindl_transcript_from_files(req, data, size, &st, &stlen) ==
	    MINDL_OK)
		free(st);
	return 0;
}
