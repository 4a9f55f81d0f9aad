/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A software CTAP2 authenticator for the tests (see softauth.h).
 *
 * References: CTAP 2.1 (8.1 CTAPHID framing and commands, 6.1
 * makeCredential, 6.2 getAssertion, 6.4 getInfo, 8 status codes),
 * WebAuthn 6.1 (authenticator data), 8.2 (packed self attestation).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <fido.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include "softauth.h"

#define REPORT		64
#define INIT_DATA	(REPORT - 7)	/* payload in an init packet */
#define CONT_DATA	(REPORT - 5)	/* payload in a continuation */
#define MAX_MSG		2048
#define MAX_CREDS	64
#define CRED_ID_LEN	32
/* A wrapped credential id: nonce, sealed private || public key, tag. */
#define WRAP_NONCE	12
#define WRAP_TAG	16
#define WRAP_PLAIN	(32 + 65)
#define WRAP_ID_LEN	(WRAP_NONCE + WRAP_PLAIN + WRAP_TAG)
#define SA_CID		0x5a5a0001u

/* CTAPHID commands (CTAP 2.1 11.2.9) without the init-packet bit. */
#define HID_PING	0x01
#define HID_INIT	0x06
#define HID_CBOR	0x10
#define HID_CANCEL	0x11
#define HID_ERROR	0x3f
#define HID_FRAME	0x80

/* CTAP2 commands and status codes. */
#define CTAP_MAKE_CRED	0x01
#define CTAP_GET_ASSERT	0x02
#define CTAP_GET_INFO	0x04
#define ST_OK		0x00
#define ST_INVALID_CMD	0x01
#define ST_INVALID_CBOR	0x12
#define ST_MISSING	0x14
#define ST_UNSUPP_ALG	0x26
#define ST_DENIED	0x27
#define ST_UNSUPP_OPT	0x2b
#define ST_NO_CREDS	0x2e
#define ST_OTHER	0x7f

#define F_UP	0x01
#define F_UV	0x04
#define F_BE	0x08
#define F_BS	0x10
#define F_AT	0x40
#define F_ED	0x80

static const uint8_t aaguid[16] = {
	0x6d, 0x69, 0x6e, 0x64, 0x6c, 0x2d, 0x73, 0x6f,
	0x66, 0x74, 0x61, 0x75, 0x74, 0x68, 0x00, 0x01,
};

struct cred {
	uint8_t		 id[WRAP_ID_LEN];
	size_t		 idlen;
	uint8_t		 rphash[32];
	EVP_PKEY	*key;
};

struct softauth {
	enum softauth_mode	 mode;
	enum softauth_fault	 fault;
	struct cred		 creds[MAX_CREDS];
	size_t			 ncreds;
	uint8_t			 master[32];	/* wraps credential ids */
	int			 wrap;
	struct cred		 unwrapped;	/* the one getAssertion uses */
	EVP_PKEY		*other;
	uint32_t		 counter;
	unsigned long		 asserts, reports;
	/* the request being reassembled */
	uint8_t			 req[MAX_MSG];
	size_t			 reqlen, reqwant;
	uint8_t			 reqcmd, seq;
	uint32_t		 reqcid;
	/* the answer: a whole message, and as reports */
	uint8_t			 resp[MAX_MSG];
	size_t			 resplen;
	uint8_t			 respcmd;
	int			 pending;
	uint8_t			 out[MAX_MSG / CONT_DATA + 2][REPORT];
	size_t			 nout, outpos;
};

/* The instance fido_dev_open's io.open hands out (tests are serial). */
static struct softauth *opening;

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static int
sha256(const void *p, size_t n, uint8_t out[32])
{
	return EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL) == 1 ? 0 : -1;
}

/* DER ECDSA with SHA-256 over a || b. */
static int
sign2(EVP_PKEY *k, const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen, uint8_t *sig, size_t *siglen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t msg[MAX_MSG];
	int ok;

	if (ctx == NULL || alen + blen > sizeof(msg)) {
		EVP_MD_CTX_free(ctx);
		return -1;
	}
	memcpy(msg, a, alen);
	memcpy(msg + alen, b, blen);
	ok = EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k) == 1 &&
	    EVP_DigestSign(ctx, sig, siglen, msg, alen + blen) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

int
softauth_new(enum softauth_mode mode, struct softauth **out)
{
	struct softauth *sa;

	*out = NULL;
	if ((sa = calloc(1, sizeof(*sa))) == NULL)
		return -1;
	sa->mode = mode;
	if ((sa->other = EVP_EC_gen("P-256")) == NULL) {
		free(sa);
		return -1;
	}
	*out = sa;
	return 0;
}

void
softauth_free(struct softauth **sap)
{
	struct softauth *sa;
	size_t i;

	if (sap == NULL || (sa = *sap) == NULL)
		return;
	for (i = 0; i < sa->ncreds; i++)
		EVP_PKEY_free(sa->creds[i].key);
	EVP_PKEY_free(sa->unwrapped.key);
	EVP_PKEY_free(sa->other);
	OPENSSL_cleanse(sa->master, sizeof(sa->master));
	free(sa);
	*sap = NULL;
}

void
softauth_set_fault(struct softauth *sa, enum softauth_fault f)
{
	sa->fault = f;
}

void
softauth_set_master(struct softauth *sa, const uint8_t key[32])
{
	memcpy(sa->master, key, sizeof(sa->master));
	sa->wrap = 1;
}

/*
 * AES-256-GCM under the master key, the rpIdHash as associated data: a
 * credential id is good only for the rpId it was made for, and only on
 * an authenticator with the same master key.  enc: in (n bytes) to out,
 * the tag to tag; else out from in, checked against tag.
 */
static int
gcm(const uint8_t key[32], int enc, const uint8_t nonce[WRAP_NONCE],
    const uint8_t aad[32], const uint8_t *in, size_t n, uint8_t *out,
    uint8_t tag[WRAP_TAG])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int len, ok;

	ok = ctx != NULL &&
	    EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce,
	    enc) == 1 &&
	    EVP_CipherUpdate(ctx, NULL, &len, aad, 32) == 1 &&
	    EVP_CipherUpdate(ctx, out, &len, in, (int)n) == 1 &&
	    (enc || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, WRAP_TAG,
	    tag) == 1) &&
	    EVP_CipherFinal_ex(ctx, out + len, &len) == 1 &&
	    (!enc || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, WRAP_TAG,
	    tag) == 1);
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* c->id: c->key's private scalar and public point, sealed. */
static int
wrap_cred(struct softauth *sa, struct cred *c)
{
	uint8_t plain[WRAP_PLAIN];
	BIGNUM *d = NULL;
	size_t n = 0;
	int ok;

	ok = EVP_PKEY_get_bn_param(c->key, OSSL_PKEY_PARAM_PRIV_KEY, &d) ==
	    1 && BN_bn2binpad(d, plain, 32) == 32 &&
	    EVP_PKEY_get_octet_string_param(c->key, OSSL_PKEY_PARAM_PUB_KEY,
	    plain + 32, 65, &n) == 1 && n == 65 &&
	    RAND_bytes(c->id, WRAP_NONCE) == 1 &&
	    gcm(sa->master, 1, c->id, c->rphash, plain, sizeof(plain),
	    c->id + WRAP_NONCE, c->id + WRAP_NONCE + WRAP_PLAIN) == 0;
	BN_clear_free(d);
	OPENSSL_cleanse(plain, sizeof(plain));
	c->idlen = WRAP_ID_LEN;
	return ok ? 0 : -1;
}

/* The credential sealed in id for rpIdHash h, into sa->unwrapped. */
static struct cred *
unwrap_cred(struct softauth *sa, const uint8_t *id, size_t n,
    const uint8_t *h)
{
	struct cred *c = &sa->unwrapped;
	uint8_t plain[WRAP_PLAIN], tag[WRAP_TAG];
	OSSL_PARAM_BLD *b = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	BIGNUM *d = NULL;
	int ok;

	if (n != WRAP_ID_LEN)
		return NULL;
	EVP_PKEY_free(c->key);
	memset(c, 0, sizeof(*c));
	memcpy(tag, id + WRAP_NONCE + WRAP_PLAIN, WRAP_TAG);
	if (gcm(sa->master, 0, id, h, id + WRAP_NONCE, WRAP_PLAIN, plain,
	    tag) != 0)
		return NULL;
	ok = (d = BN_bin2bn(plain, 32, NULL)) != NULL &&
	    (b = OSSL_PARAM_BLD_new()) != NULL &&
	    OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME,
	    "prime256v1", 0) == 1 &&
	    OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, d) == 1 &&
	    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY,
	    plain + 32, 65) == 1 &&
	    (params = OSSL_PARAM_BLD_to_param(b)) != NULL &&
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) != NULL &&
	    EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, &c->key, EVP_PKEY_KEYPAIR, params) == 1;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	BN_clear_free(d);
	OPENSSL_cleanse(plain, sizeof(plain));
	if (!ok)
		return NULL;
	memcpy(c->id, id, n);
	c->idlen = n;
	memcpy(c->rphash, h, 32);
	return c;
}

unsigned long
softauth_asserts(const struct softauth *sa)
{
	return sa->asserts;
}

unsigned long
softauth_reports(const struct softauth *sa)
{
	return sa->reports;
}

/* CBOR helpers over libcbor. */

static const cbor_item_t *
map_get(const cbor_item_t *map, uint64_t ukey, const char *skey)
{
	struct cbor_pair *p;
	size_t i, n;

	if (map == NULL || !cbor_isa_map(map))
		return NULL;
	p = cbor_map_handle(map);
	n = cbor_map_size(map);
	for (i = 0; i < n; i++) {
		if (skey == NULL && cbor_isa_uint(p[i].key) &&
		    cbor_get_int(p[i].key) == ukey)
			return p[i].value;
		if (skey != NULL && cbor_isa_string(p[i].key) &&
		    cbor_string_length(p[i].key) == strlen(skey) &&
		    memcmp(cbor_string_handle(p[i].key), skey,
		    strlen(skey)) == 0)
			return p[i].value;
	}
	return NULL;
}

static const cbor_item_t *
bstr(const cbor_item_t *it, size_t want)
{
	if (it == NULL || !cbor_isa_bytestring(it) ||
	    !cbor_bytestring_is_definite(it) ||
	    (want != 0 && cbor_bytestring_length(it) != want))
		return NULL;
	return it;
}

static int
map_put(cbor_item_t *map, cbor_item_t *k, cbor_item_t *v)
{
	bool ok;

	if (k == NULL || v == NULL) {
		if (k != NULL)
			cbor_decref(&k);
		if (v != NULL)
			cbor_decref(&v);
		return -1;
	}
	ok = cbor_map_add(map, (struct cbor_pair){ .key = cbor_move(k),
	    .value = cbor_move(v) });
	return ok ? 0 : -1;
}

/* status byte, then the map (consumed), as the answer. */
static uint8_t
reply_map(struct softauth *sa, cbor_item_t *map)
{
	unsigned char *buf = NULL;
	size_t n, cap = 0;

	n = cbor_serialize_alloc(map, &buf, &cap);
	cbor_decref(&map);
	if (n == 0 || n + 1 > sizeof(sa->resp)) {
		free(buf);
		return ST_OTHER;
	}
	sa->resp[0] = ST_OK;
	memcpy(sa->resp + 1, buf, n);
	sa->resplen = n + 1;
	free(buf);
	return ST_OK;
}

static uint8_t
get_info(struct softauth *sa)
{
	cbor_item_t *m = cbor_new_definite_map(2);
	cbor_item_t *v = cbor_new_definite_array(1);

	if (m == NULL || v == NULL ||
	    !cbor_array_push(v, cbor_move(cbor_build_string("FIDO_2_0"))) ||
	    map_put(m, cbor_build_uint8(1), v) < 0 ||
	    map_put(m, cbor_build_uint8(3), cbor_build_bytestring(aaguid,
	    sizeof(aaguid))) < 0) {
		if (m != NULL)
			cbor_decref(&m);
		return ST_OTHER;
	}
	return reply_map(sa, m);
}

/* COSE_Key {1: 2, 3: -7, -1: 1, -2: x, -3: y}, encoded into out. */
static size_t
cose_key(EVP_PKEY *k, uint8_t *out, size_t cap)
{
	uint8_t pt[65];
	size_t ptlen = 0, n = 0, bcap = 0;
	unsigned char *buf = NULL;
	cbor_item_t *m;

	if (EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pt,
	    sizeof(pt), &ptlen) != 1 || ptlen != 65 ||
	    (m = cbor_new_definite_map(5)) == NULL)
		return 0;
	if (map_put(m, cbor_build_uint8(1), cbor_build_uint8(2)) == 0 &&
	    map_put(m, cbor_build_uint8(3), cbor_build_negint8(6)) == 0 &&
	    map_put(m, cbor_build_negint8(0), cbor_build_uint8(1)) == 0 &&
	    map_put(m, cbor_build_negint8(1), cbor_build_bytestring(pt + 1,
	    32)) == 0 &&
	    map_put(m, cbor_build_negint8(2), cbor_build_bytestring(pt + 33,
	    32)) == 0)
		n = cbor_serialize_alloc(m, &buf, &bcap);
	cbor_decref(&m);
	if (n == 0 || n > cap) {
		free(buf);
		return 0;
	}
	memcpy(out, buf, n);
	free(buf);
	return n;
}

static uint8_t
make_cred(struct softauth *sa, const cbor_item_t *req)
{
	const cbor_item_t *cdh, *rp, *rpid, *user, *params, *alg, *p;
	cbor_item_t *m = NULL, *att = NULL;
	struct cred *c;
	uint8_t ad[512], sig[80];
	size_t adlen, n, siglen = sizeof(sig), i;
	int es256 = 0;

	cdh = bstr(map_get(req, 1, NULL), 32);
	rp = map_get(req, 2, NULL);
	rpid = map_get(rp, 0, "id");
	user = map_get(req, 3, NULL);
	params = map_get(req, 4, NULL);
	if (cdh == NULL || rpid == NULL || !cbor_isa_string(rpid) ||
	    bstr(map_get(user, 0, "id"), 0) == NULL || params == NULL ||
	    !cbor_isa_array(params))
		return ST_MISSING;
	for (i = 0; i < cbor_array_size(params); i++) {
		p = cbor_array_handle(params)[i];
		alg = map_get(p, 0, "alg");
		if (alg != NULL && cbor_isa_negint(alg) &&
		    cbor_get_int(alg) == 6)
			es256 = 1;
	}
	if (!es256)
		return ST_UNSUPP_ALG;
	if (sa->fault == SOFTAUTH_DENY)
		return ST_DENIED;
	/* Wrapped credentials are kept nowhere: the id carries them. */
	if (sa->wrap) {
		EVP_PKEY_free(sa->unwrapped.key);
		memset(&sa->unwrapped, 0, sizeof(sa->unwrapped));
		c = &sa->unwrapped;
	} else if (sa->ncreds == MAX_CREDS)
		return ST_OTHER;
	else
		c = &sa->creds[sa->ncreds];
	c->idlen = CRED_ID_LEN;
	if ((c->key = EVP_EC_gen("P-256")) == NULL ||
	    sha256(cbor_string_handle(rpid), cbor_string_length(rpid),
	    c->rphash) < 0 ||
	    (sa->wrap ? wrap_cred(sa, c) :
	    RAND_bytes(c->id, CRED_ID_LEN) != 1 ? -1 : 0) != 0) {
		EVP_PKEY_free(c->key);
		c->key = NULL;
		return ST_OTHER;
	}
	if (!sa->wrap)
		sa->ncreds++;
	/* authData: rpIdHash flags signCount aaguid L credId COSE_Key */
	memcpy(ad, c->rphash, 32);
	ad[32] = F_UP | F_AT;
	if (sa->fault == SOFTAUTH_MAKE_BACKUP)
		ad[32] |= F_BE | F_BS;
	put_be32(ad + 33, ++sa->counter);
	memcpy(ad + 37, aaguid, 16);
	ad[53] = (uint8_t)(c->idlen >> 8);
	ad[54] = (uint8_t)c->idlen;
	memcpy(ad + 55, c->id, c->idlen);
	adlen = 55 + c->idlen;
	if ((n = cose_key(c->key, ad + adlen, sizeof(ad) - adlen)) == 0)
		return ST_OTHER;
	adlen += n;
	/* packed self attestation: the credential's key signs. */
	if (sign2(c->key, ad, adlen, cbor_bytestring_handle(cdh), 32, sig,
	    &siglen) < 0)
		return ST_OTHER;
	if ((m = cbor_new_definite_map(3)) == NULL ||
	    (att = cbor_new_definite_map(2)) == NULL ||
	    map_put(att, cbor_build_string("alg"), cbor_build_negint8(6)) <
	    0 ||
	    map_put(att, cbor_build_string("sig"), cbor_build_bytestring(sig,
	    siglen)) < 0 ||
	    map_put(m, cbor_build_uint8(1), cbor_build_string("packed")) < 0 ||
	    map_put(m, cbor_build_uint8(2), cbor_build_bytestring(ad,
	    adlen)) < 0) {
		if (att != NULL)
			cbor_decref(&att);
		if (m != NULL)
			cbor_decref(&m);
		return ST_OTHER;
	}
	if (map_put(m, cbor_build_uint8(3), att) < 0) {
		cbor_decref(&m);
		return ST_OTHER;
	}
	return reply_map(sa, m);
}

/* The credential of the allowList made for rpIdHash h, or NULL. */
static struct cred *
find_cred(struct softauth *sa, const cbor_item_t *allow, const uint8_t *h)
{
	const cbor_item_t *id;
	size_t i, j;

	if (allow == NULL || !cbor_isa_array(allow))
		return NULL;
	for (i = 0; i < cbor_array_size(allow); i++) {
		id = bstr(map_get(cbor_array_handle(allow)[i], 0, "id"),
		    sa->wrap ? 0 : CRED_ID_LEN);
		if (id != NULL && sa->wrap)
			return unwrap_cred(sa, cbor_bytestring_handle(id),
			    cbor_bytestring_length(id), h);
		for (j = 0; id != NULL && j < sa->ncreds; j++)
			if (memcmp(sa->creds[j].id, cbor_bytestring_handle(id),
			    CRED_ID_LEN) == 0 &&
			    memcmp(sa->creds[j].rphash, h, 32) == 0)
				return &sa->creds[j];
	}
	return NULL;
}

static uint8_t
get_assert(struct softauth *sa, const cbor_item_t *req)
{
	static const uint8_t garbage[] = { 0xff, 0x00, 0x13 };
	static const uint8_t extmap[] = { 0xa1, 0x63, 'a', 'b', 'c', 0xf5 };
	static const uint8_t tail[] = { 0, 0, 0, 0 };
	const cbor_item_t *rpid, *cdh, *opt, *up, *uv;
	cbor_item_t *m = NULL, *cd = NULL;
	struct cred *c;
	uint8_t h[32], ad[64], sig[80];
	size_t adlen = 37, siglen = sizeof(sig);

	sa->asserts++;
	rpid = map_get(req, 1, NULL);
	cdh = bstr(map_get(req, 2, NULL), 32);
	opt = map_get(req, 5, NULL);
	if (rpid == NULL || !cbor_isa_string(rpid) || cdh == NULL)
		return ST_MISSING;
	up = map_get(opt, 0, "up");
	uv = map_get(opt, 0, "uv");
	if (uv != NULL && cbor_is_bool(uv) && cbor_get_bool(uv))
		return ST_UNSUPP_OPT;	/* no built-in user verification */
	if (sha256(cbor_string_handle(rpid), cbor_string_length(rpid), h) <
	    0)
		return ST_OTHER;
	if ((c = find_cred(sa, map_get(req, 3, NULL), h)) == NULL)
		return ST_NO_CREDS;
	if (sa->fault == SOFTAUTH_DENY)
		return ST_DENIED;
	if (sa->fault == SOFTAUTH_WRONG_RPID &&
	    sha256(SOFTAUTH_OTHER_RPID, strlen(SOFTAUTH_OTHER_RPID), h) < 0)
		return ST_OTHER;
	memcpy(ad, h, 32);
	ad[32] = (up == NULL || !cbor_is_bool(up) || cbor_get_bool(up)) ?
	    F_UP : 0;
	switch (sa->fault) {
	case SOFTAUTH_NO_UP:
		ad[32] = 0;
		break;
	case SOFTAUTH_BACKUP:
		ad[32] |= F_BE | F_BS;
		break;
	case SOFTAUTH_UV:
		ad[32] |= F_UV;
		break;
	case SOFTAUTH_TAIL:
		memcpy(ad + adlen, tail, sizeof(tail));
		adlen += sizeof(tail);
		break;
	case SOFTAUTH_ED_GARBAGE:
		ad[32] |= F_ED;
		memcpy(ad + adlen, garbage, sizeof(garbage));
		adlen += sizeof(garbage);
		break;
	case SOFTAUTH_ED_MAP:
		ad[32] |= F_ED;
		memcpy(ad + adlen, extmap, sizeof(extmap));
		adlen += sizeof(extmap);
		break;
	default:
		break;
	}
	put_be32(ad + 33, ++sa->counter);
	if (sign2(sa->fault == SOFTAUTH_OTHER_KEY ? sa->other : c->key, ad,
	    adlen, cbor_bytestring_handle(cdh), 32, sig, &siglen) < 0)
		return ST_OTHER;
	if ((m = cbor_new_definite_map(3)) == NULL ||
	    (cd = cbor_new_definite_map(2)) == NULL ||
	    map_put(cd, cbor_build_string("id"), cbor_build_bytestring(c->id,
	    c->idlen)) < 0 ||
	    map_put(cd, cbor_build_string("type"),
	    cbor_build_string("public-key")) < 0) {
		if (cd != NULL)
			cbor_decref(&cd);
		if (m != NULL)
			cbor_decref(&m);
		return ST_OTHER;
	}
	/*
	 * libcbor writes pairs as added, and libfido2 wants CTAP2's
	 * canonical order (ctap_check_cbor): keys 1, 2, 3.
	 */
	if (map_put(m, cbor_build_uint8(1), cd) < 0 ||
	    map_put(m, cbor_build_uint8(2), cbor_build_bytestring(ad,
	    adlen)) < 0 ||
	    map_put(m, cbor_build_uint8(3), cbor_build_bytestring(sig,
	    siglen)) < 0) {
		cbor_decref(&m);
		return ST_OTHER;
	}
	return reply_map(sa, m);
}

/* One CTAP2 command (CTAPHID_CBOR payload) into sa->resp. */
static void
ctap2(struct softauth *sa, const uint8_t *p, size_t n)
{
	struct cbor_load_result res;
	cbor_item_t *req = NULL;
	uint8_t st;

	sa->resplen = 0;
	if (n == 0) {
		st = ST_INVALID_CMD;
		goto out;
	}
	if (n > 1 && ((req = cbor_load(p + 1, n - 1, &res)) == NULL ||
	    res.read != n - 1 || !cbor_isa_map(req))) {
		st = ST_INVALID_CBOR;
		goto out;
	}
	switch (p[0]) {
	case CTAP_GET_INFO:
		st = get_info(sa);
		break;
	case CTAP_MAKE_CRED:
		st = req == NULL ? ST_MISSING : make_cred(sa, req);
		break;
	case CTAP_GET_ASSERT:
		st = req == NULL ? ST_MISSING : get_assert(sa, req);
		break;
	default:
		st = ST_INVALID_CMD;
		break;
	}
 out:
	if (req != NULL)
		cbor_decref(&req);
	if (st != ST_OK) {
		sa->resp[0] = st;
		sa->resplen = 1;
	}
}

/* One whole CTAPHID message; the answer in sa->resp, sa->respcmd. */
static void
message(struct softauth *sa, uint8_t cmd, const uint8_t *p, size_t n)
{
	sa->pending = 1;
	sa->respcmd = cmd;
	switch (cmd) {
	case HID_INIT:
		if (n != 8) {
			sa->respcmd = HID_ERROR;
			sa->resp[0] = 0x03;	/* ERR_INVALID_LEN */
			sa->resplen = 1;
			break;
		}
		memcpy(sa->resp, p, 8);		/* the nonce */
		put_be32(sa->resp + 8, SA_CID);
		sa->resp[12] = 2;		/* CTAPHID protocol */
		sa->resp[13] = 1;		/* device version 1.0.0 */
		sa->resp[14] = 0;
		sa->resp[15] = 0;
		sa->resp[16] = 0x04 | 0x08;	/* CAPABILITY_CBOR, NMSG */
		sa->resplen = 17;
		break;
	case HID_PING:
		memcpy(sa->resp, p, n);
		sa->resplen = n;
		break;
	case HID_CBOR:
		ctap2(sa, p, n);
		break;
	case HID_CANCEL:
		sa->pending = 0;		/* no answer */
		break;
	default:
		sa->respcmd = HID_ERROR;
		sa->resp[0] = 0x01;		/* ERR_INVALID_CMD */
		sa->resplen = 1;
		break;
	}
}

/* The answer cut into reports for the channel cid. */
static void
frame(struct softauth *sa, uint32_t cid)
{
	size_t off = 0, k;
	uint8_t *r;

	sa->nout = sa->outpos = 0;
	if (!sa->pending)
		return;
	sa->pending = 0;
	r = sa->out[sa->nout++];
	memset(r, 0, REPORT);
	put_be32(r, cid);
	r[4] = HID_FRAME | sa->respcmd;
	r[5] = (uint8_t)(sa->resplen >> 8);
	r[6] = (uint8_t)sa->resplen;
	k = sa->resplen < INIT_DATA ? sa->resplen : INIT_DATA;
	memcpy(r + 7, sa->resp, k);
	off = k;
	while (off < sa->resplen) {
		r = sa->out[sa->nout];
		memset(r, 0, REPORT);
		put_be32(r, cid);
		r[4] = (uint8_t)(sa->nout - 1);
		sa->nout++;
		k = sa->resplen - off < CONT_DATA ? sa->resplen - off :
		    CONT_DATA;
		memcpy(r + 5, sa->resp + off, k);
		off += k;
	}
}

/* libfido2's io hooks: reports of 64 bytes (written with a report id). */

static void *
io_open(const char *path)
{
	(void)path;
	return opening;
}

static void
io_close(void *h)
{
	(void)h;
}

static int
io_write(void *h, const unsigned char *buf, size_t len)
{
	struct softauth *sa = h;
	const uint8_t *r = buf + 1;
	size_t k;

	if (len != REPORT + 1)
		return -1;
	sa->reports++;
	if (r[4] & HID_FRAME) {
		sa->reqcid = get_be32(r);
		sa->reqcmd = r[4] & 0x7f;
		sa->reqwant = (size_t)r[5] << 8 | r[6];
		if (sa->reqwant > sizeof(sa->req))
			return -1;
		k = sa->reqwant < INIT_DATA ? sa->reqwant : INIT_DATA;
		memcpy(sa->req, r + 7, k);
		sa->reqlen = k;
		sa->seq = 0;
	} else {
		if (get_be32(r) != sa->reqcid || r[4] != sa->seq++)
			return -1;
		k = sa->reqwant - sa->reqlen < CONT_DATA ?
		    sa->reqwant - sa->reqlen : CONT_DATA;
		memcpy(sa->req + sa->reqlen, r + 5, k);
		sa->reqlen += k;
	}
	if (sa->reqlen == sa->reqwant) {
		message(sa, sa->reqcmd, sa->req, sa->reqlen);
		frame(sa, sa->reqcid);
	}
	return (int)len;
}

static int
io_read(void *h, unsigned char *buf, size_t len, int ms)
{
	struct softauth *sa = h;

	(void)ms;
	if (len < REPORT || sa->outpos == sa->nout)
		return -1;	/* nothing pending: a timeout */
	sa->reports++;
	memcpy(buf, sa->out[sa->outpos++], REPORT);
	return REPORT;
}

/* libfido2's transport hooks: whole messages, no framing. */

static int
tr_tx(fido_dev_t *d, uint8_t cmd, const unsigned char *buf, size_t n)
{
	struct softauth *sa = fido_dev_io_handle(d);

	if (sa == NULL || n > sizeof(sa->req))
		return -1;
	message(sa, cmd & 0x7f, buf, n);
	return 0;
}

static int
tr_rx(fido_dev_t *d, uint8_t cmd, unsigned char *buf, size_t n, int ms)
{
	struct softauth *sa = fido_dev_io_handle(d);

	(void)ms;
	if (sa == NULL || !sa->pending || sa->resplen > n ||
	    sa->respcmd != (cmd & 0x7f))
		return -1;
	sa->pending = 0;
	memcpy(buf, sa->resp, sa->resplen);
	return (int)sa->resplen;
}

int
softauth_open(void *arg, struct fido_dev **out)
{
	static const fido_dev_io_t io = { io_open, io_close, io_read,
	    io_write };
	static const fido_dev_transport_t tr = { tr_rx, tr_tx };
	struct softauth *sa = arg;
	fido_dev_t *d;
	int fr;

	*out = NULL;
	if ((d = fido_dev_new()) == NULL)
		return -1;
	if ((fr = fido_dev_set_io_functions(d, &io)) != FIDO_OK ||
	    (sa->mode == SOFTAUTH_TRANSPORT &&
	    (fr = fido_dev_set_transport_functions(d, &tr)) != FIDO_OK)) {
		fprintf(stderr, "softauth: hooks: %s\n", fido_strerr(fr));
		fido_dev_free(&d);
		return -1;
	}
	opening = sa;
	fr = fido_dev_open(d, "softauth");
	opening = NULL;
	if (fr != FIDO_OK) {
		fprintf(stderr, "softauth: fido_dev_open: %s\n",
		    fido_strerr(fr));
		fido_dev_free(&d);
		return -1;
	}
	*out = d;
	return 0;
}
