/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: what a holder reads for reader authentication.  The
 * first byte picks the parser, the rest is its input:
 *   0  a request file: mindl_request_parse, then its readerAuth verified
 *      (mindl_request_reader_auth_verify) and authorised
 *   1  a bare DeviceRequest (mindl_device_request_parse), the same
 *   2  an engagement file (mindl_engagement_check)
 *   3  a certificate: mindl_x509_reader_profiles, mindl_trust_verify_reader
 * The readerAuth is checked over the Annex D session transcript against
 * the Annex D reader root at 2021-01-01, so the Annex D request (seed
 * "annexD-request") reaches the signature and passes it.
 */
#include "fuzz.h"

static struct mindl_trust *trust;
static uint8_t *st;
static size_t stlen;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	trust = fuzz_trust(fuzz_annexd_path("annexD_reader_root.pem"));
	fuzz_read_hex(fuzz_annexd_path(
	    "annexD_D.5.1_session_transcript_bytes.hex"), &st, &stlen);
	return 0;
}

static void
request(const uint8_t *p, size_t n, int bare)
{
	struct mindl_request *q = NULL;
	struct mindl_reader_info ri;
	const struct mindl_profile *prof;
	size_t i;
	int r;

	if ((bare ? mindl_device_request_parse(p, n, &q) :
	    mindl_request_parse(p, n, &q)) != MINDL_OK)
		return;
	for (i = 0; i < mindl_request_docs(q); i++) {
		r = mindl_request_reader_auth_verify(q, i, trust, st, stlen,
		    FUZZ_ANNEXD_AT, &ri);
		if (r == MINDL_OK && !ri.verified)
			fuzz_fatal("readerauth", "accepted but not verified");
		if (r != MINDL_OK && ri.verified)
			fuzz_fatal("readerauth", "refused but verified");
		if (r == MINDL_OK && ri.nprofiles > 16)
			fuzz_fatal("readerauth", "too many profiles");
	}
	if (mindl_request_profile(q) != NULL && (prof = mindl_schema_profile(
	    fuzz_schema(), mindl_request_profile(q))) != NULL)
		(void)mindl_reader_authorise(NULL, q, prof, 0);
	mindl_request_free(&q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char ids[MINDL_READER_MAX_PROFILES][MINDL_READER_PROFILE_LEN];
	struct mindl_key *k = NULL;
	size_t n = 0, i;

	if (size < 1)
		return 0;
	switch (data[0]) {
	case 0:
	case 1:
		request(data + 1, size - 1, data[0] == 1);
		break;
	case 2:
		(void)mindl_engagement_check(data + 1, size - 1);
		break;
	case 3:
		if (mindl_x509_reader_profiles(data + 1, size - 1, ids,
		    &n) == MINDL_OK)
			for (i = 0; i < n; i++)
				if (strlen(ids[i]) == 0)
					fuzz_fatal("profiles", "empty id");
		if (mindl_trust_verify_reader(trust, data + 1, size - 1,
		    FUZZ_ANNEXD_AT, &k) == MINDL_OK && k == NULL)
			fuzz_fatal("reader", "accepted without a key");
		mindl_key_free(&k);
		break;
	default:
		break;
	}
	return 0;
}
