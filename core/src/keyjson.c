/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: private keys published as JSON (test vectors, JWK).  Readers of
 * other implementations' sessions, such as the ISO 18013-5 Annex D
 * vector, hand over the ephemeral reader key in this form.
 */
#include <string.h>

#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "mindl/buf.h"
#include "mindl/err.h"
#include "mindl/file.h"
#include "mindl/key.h"
#include "internal.h"

#define COORD	32	/* P-256 */

/* Exactly n bytes of hex, through the library's one hex decoder. */
static int
unhex(const char *s, uint8_t *out, size_t n)
{
	struct mindl_buf b;
	int r = -1;

	if (s == NULL)
		return -1;
	mindl_buf_init(&b, n);
	if (mindl_buf_add_hex(&b, s, strlen(s), 0) == MINDL_OK &&
	    mindl_buf_len(&b) == n) {
		memcpy(out, mindl_buf_ptr(&b), n);
		r = 0;
	}
	mindl_buf_clear(&b);
	return r;
}

/* RFC 4648 section 5 base64url without padding, exactly n bytes. */
static int
unb64url(const char *s, uint8_t *out, size_t n)
{
	uint32_t acc = 0;
	size_t i, len, o = 0;
	int bits = 0, v;

	if (s == NULL || (len = strlen(s)) != (4 * n + 2) / 3)
		return -1;
	for (i = 0; i < len; i++) {
		char c = s[i];

		v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ?
		    c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52 :
		    c == '-' ? 62 : c == '_' ? 63 : -1;
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == n)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	return o == n ? 0 : -1;
}

static int
field(json_t *o, const char *name, int b64, uint8_t *out)
{
	const char *s = json_string_value(json_object_get(o, name));

	return b64 ? unb64url(s, out, COORD) : unhex(s, out, COORD);
}

int
mindl_key_read_json(const char *path, struct mindl_key **out)
{
	uint8_t *buf = NULL, pub[1 + 2 * COORD], d[COORD];
	size_t len = 0;
	json_t *o = NULL;
	json_error_t jerr;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk = NULL;
	BIGNUM *bn = NULL;
	const char *kty, *crv;
	int r = MINDL_ERR_INTERNAL, b64;

	*out = NULL;
	if ((r = mindl_file_read(path, 65536, &buf, &len)) != MINDL_OK)
		return r;
	if ((o = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL || !json_is_object(o)) {
		r = MINDL_ERR_JSON;
		goto fail;
	}
	kty = json_string_value(json_object_get(o, "kty"));
	crv = json_string_value(json_object_get(o, "crv"));
	b64 = kty != NULL;
	if ((kty != NULL && strcmp(kty, "EC") != 0) ||
	    (crv != NULL && strcmp(crv, "P-256") != 0)) {
		r = MINDL_ERR_KEY;
		goto fail;
	}
	pub[0] = 0x04;
	if (field(o, "x", b64, pub + 1) != 0 ||
	    field(o, "y", b64, pub + 1 + COORD) != 0 ||
	    field(o, "d", b64, d) != 0) {
		r = MINDL_ERR_KEY;
		goto fail;
	}
	r = MINDL_ERR_CRYPTO;
	if ((bn = BN_bin2bn(d, COORD, NULL)) == NULL ||
	    (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    "prime256v1", 0) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, bn) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub,
	    sizeof(pub)) != 1 ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_KEYPAIR, params) != 1)
		goto fail;
	EVP_PKEY_CTX_free(ctx);
	/* The published public point must be d times the generator. */
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL)) == NULL ||
	    EVP_PKEY_pairwise_check(ctx) != 1) {
		r = MINDL_ERR_KEY;
		goto fail;
	}
	if ((r = mindl_key_wrap_evp(pk, out)) == MINDL_OK)
		pk = NULL;
 fail:
	if (r != MINDL_OK) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: %s: %s", __func__, path, mindl_errname(r));
	}
	mindl_wipe(d, sizeof(d));
	BN_clear_free(bn);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	json_decref(o);
	if (buf != NULL)
		mindl_freezero(buf, len);
	return r;
}
