/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: credential files on the holder's side (mindl_present with
 * the negative corpus's request and test device key); an answer that the
 * holder produces is then verified as a verifier would, and must disclose
 * nothing outside the request's profile.
 */
#include "fuzz.h"
#include "../common/testlib.h"

static struct mindl_trust *trust;
static struct mindl_request *req;
static struct mindl_key *reader, *device;
static struct mindl_schema *schema;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int r;

	(void)argc;
	(void)argv;
	trust = fuzz_trust(fuzz_neg_path("iaca.pem"));
	req = fuzz_request(fuzz_neg_path("request.cbor"));
	reader = fuzz_key(fuzz_neg_path("test-reader-key.pem"));
	device = fuzz_key(fuzz_neg_path("test-device-key.pem"));
	if ((r = mindl_schema_builtin(&schema)) != MINDL_OK)
		fuzz_fatal("mindl_schema_builtin", mindl_errname(r));
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct mindl_profile *prof;
	const struct mindl_disclosed *d;
	struct mindl_present_report rep;
	struct mindl_verified *v = NULL;
	uint8_t *resp = NULL;
	size_t resplen = 0, i;

	if (trust == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (test_present(data, size, device, req, schema,
	    (size & 1) ? MINDL_DEVAUTH_SIGNATURE : MINDL_DEVAUTH_MAC, &resp,
	    &resplen, &rep) != MINDL_OK)
		return 0;
	prof = mindl_schema_profile(schema, mindl_request_profile(req));
	if (mindl_verify_response(trust, schema, FUZZ_NEG_AT, req, reader, resp,
	    resplen, &v) == MINDL_OK) {
		for (i = 0; i < mindl_verified_count(v); i++) {
			d = mindl_verified_at(v, i);
			if (!mindl_profile_allows(prof, d->ns, d->id))
				fuzz_fatal("disclosed outside the profile",
				    d->id);
		}
		fuzz_touch_verified(v);
		mindl_verified_free(&v);
	}
	free(resp);
	return 0;
}
