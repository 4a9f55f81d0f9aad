/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: a bare DeviceResponse (mindl_verify_device_response) with
 * the ISO 18013-5 Annex D SessionTranscriptBytes, IACA and ephemeral
 * reader key, at 2021-01-01: the Annex D DeviceResponse verifies fully, so
 * mutations of it reach every check, deviceMac included.
 */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "fuzz.h"
#include "internal.h"

static struct mindl_trust *trust;
static struct mindl_key *reader;
static uint8_t *st;
static size_t stlen;

/* "x", "y", "d" of annexD_ephemeral_reader_key.json. */
static void
json_hex(const char *js, const char *key, uint8_t out[32])
{
	char pat[16];
	const char *s;
	unsigned v;
	size_t i;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	if ((s = strstr(js, pat)) == NULL ||
	    (s = strchr(s + strlen(pat), '"')) == NULL)
		fuzz_fatal("annexD_ephemeral_reader_key.json", key);
	for (i = 0, s++; i < 32; i++, s += 2) {
		if (sscanf(s, "%2x", &v) != 1)
			fuzz_fatal("annexD_ephemeral_reader_key.json", key);
		out[i] = (uint8_t)v;
	}
}

static struct mindl_key *
reader_key(void)
{
	uint8_t *js = NULL, pub[65], d[32];
	size_t jl = 0;
	char *txt;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk = NULL;
	BIGNUM *bn = NULL;
	struct mindl_key *k = NULL;

	fuzz_read(fuzz_annexd_path("annexD_ephemeral_reader_key.json"), &js,
	    &jl);
	if ((txt = calloc(1, jl + 1)) == NULL)
		fuzz_fatal("reader key", "out of memory");
	memcpy(txt, js, jl);
	pub[0] = 0x04;
	json_hex(txt, "x", pub + 1);
	json_hex(txt, "y", pub + 33);
	json_hex(txt, "d", d);
	if ((bn = BN_bin2bn(d, 32, NULL)) == NULL ||
	    (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    "prime256v1", 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    pub, sizeof(pub)) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, bn) != 1 ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_KEYPAIR, params) != 1 ||
	    mindl_key_wrap_evp(pk, &k) != MINDL_OK)
		fuzz_fatal("reader key", "OpenSSL");
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(bn);
	free(txt);
	free(js);
	return k;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	trust = fuzz_trust(fuzz_annexd_path("annexD_iaca_root.pem"));
	fuzz_read_hex(fuzz_annexd_path(
	    "annexD_D.5.1_session_transcript_bytes.hex"), &st, &stlen);
	reader = reader_key();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_verified *v = NULL;

	if (trust == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (mindl_verify_device_response(trust, fuzz_schema(), FUZZ_ANNEXD_AT,
	    st, stlen, reader, data, size, &v) == MINDL_OK) {
		fuzz_touch_verified(v);
		mindl_verified_free(&v);
	}
	return 0;
}
