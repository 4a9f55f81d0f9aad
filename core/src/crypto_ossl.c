/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: OpenSSL 3 adapter for keys and primitive cryptography
 * (see mindl/key.h); PEM key files are read and written in keyfile_ossl.c.
 *
 * With keyfile_ossl.c, this is the only place where keys and primitives
 * turn OpenSSL's conventions (1 for success, an error queue) into enum
 * mindl_err, and the one place where COSE raw r||s signatures are
 * converted to and from DER (RFC 9053 section 2.1).  Only EVP-level
 * interfaces are used; nothing deprecated in OpenSSL 3.0.
 */
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "mindl/err.h"
#include "mindl/key.h"
#include "internal.h"

/* DER ECDSA-Sig-Value for P-521 is at most 139 bytes. */
#define MAX_DER_SIG	160
/* 0x04 || x || y */
#define MAX_POINT	(1 + 2 * MINDL_MAX_COORD)
/* A P-521 SubjectPublicKeyInfo is 158 bytes, RSA-4096 about 550. */
#define MAX_SPKI	2048
#define NCURVES		7

/* OpenSSL wants a non-NULL pointer even for an empty input. */
static const uint8_t empty[1];

struct mindl_key {
	EVP_PKEY	*pkey;
	int		 crv;		/* MINDL_CRV_* */
	int		 priv;		/* holds a private half */
	atomic_int	 refs;
	/*
	 * The public point's x || y, kept when the key is made from them
	 * or generated (xylen = coordinate length, else 0): exporting it
	 * again takes a field inversion, and the device key goes into
	 * every MSO.  Set once before the key is shared; read-only after.
	 */
	size_t		 xylen;
	uint8_t		 xy[2 * MINDL_MAX_COORD];
};

/*
 * Objects made once per process (CRYPTO_THREAD_run_once) and only read
 * afterwards, so they are shared between threads without locks.
 *
 * Digests: an EVP_MD from EVP_MD_fetch() is used directly by
 * EVP_DigestInit, whereas EVP_sha256() costs a method-store lookup on
 * every call, and SHA-256 is on the per-element digest path.
 *
 * Curve templates: an EVP_PKEY holding only the domain parameters of each
 * curve.  mindl_key_from_xy() runs once per verification for the device
 * key; building a curve group from its name (Montgomery set-up, modular
 * inverses) is about 70% of importing a point, and duplicating a template
 * avoids it (17 us -> 5 us per P-256 key here).
 *
 * MACs and KDFs: HMAC-SHA256 and HKDF are on the deviceMac path of every
 * verification.  The HKDF method is fetched once; for HMAC, a context
 * with its digest already set is duplicated per use (EVP_MAC_CTX_dup
 * only reads it), so neither the MAC nor the digest is looked up by name
 * each time.
 */
/*
 * The curves ISO 18013-5 (9.1.3.6, table 22) allows for ECDSA and ECDH,
 * with the OpenSSL group name, the coordinate size, the hash (index in
 * md_fetched) and the COSE alg each signs with.  ISO 18013-5 uses ES256,
 * ES384 and ES512 for the brainpool curves as for the NIST ones, by
 * size: ES256 for brainpoolP256r1, ES384 for brainpoolP320r1 and
 * brainpoolP384r1, ES512 for brainpoolP512r1.  Every curve here has
 * cofactor 1, which mindl_key_from_xy() and mindl_ecdh() rely on.
 */
static const struct curve {
	int		 crv;
	const char	*group;
	const char	*alias;		/* the NIST name, or NULL */
	size_t		 clen;
	int		 md;		/* 0 SHA-256, 1 SHA-384, 2 SHA-512 */
	int		 alg;
} curves[NCURVES] = {
	{ MINDL_CRV_P256, "prime256v1", "P-256", 32, 0, MINDL_ALG_ES256 },
	{ MINDL_CRV_P384, "secp384r1", "P-384", 48, 1, MINDL_ALG_ES384 },
	{ MINDL_CRV_P521, "secp521r1", "P-521", 66, 2, MINDL_ALG_ES512 },
	{ MINDL_CRV_BP256, "brainpoolP256r1", NULL, 32, 0, MINDL_ALG_ES256 },
	{ MINDL_CRV_BP320, "brainpoolP320r1", NULL, 40, 1, MINDL_ALG_ES384 },
	{ MINDL_CRV_BP384, "brainpoolP384r1", NULL, 48, 1, MINDL_ALG_ES384 },
	{ MINDL_CRV_BP512, "brainpoolP512r1", NULL, 64, 2, MINDL_ALG_ES512 },
};

static CRYPTO_ONCE once = CRYPTO_ONCE_STATIC_INIT;
static EVP_MD *md_fetched[3];	/* SHA256, SHA384, SHA512 */
static EVP_PKEY *crv_tmpl[NCURVES];	/* as curves[] */
static EVP_MAC_CTX *hmac256_tmpl;	/* HMAC with digest SHA256, no key */
static EVP_KDF *hkdf_fetched;

/*
 * SHA-256 runs some 70 times per issuance on short inputs, where a fresh
 * EVP_MD_CTX (two allocations, a free and a wipe) costs a third of the
 * hash, and once per ECDSA signature or verification.  Each thread keeps
 * one digest context, made on first use and freed when the thread ends
 * (or, for the thread that exits the process, at OpenSSL's atexit).
 * What it holds between uses is the last digest, which is output anyway:
 * the final block is wiped when the digest is finalised.
 */
static CRYPTO_THREAD_LOCAL sha_local;
static int sha_local_ok;

static void
sha_local_free(void *ctx)
{
	EVP_MD_CTX_free(ctx);
}

/* MINDL_CRV_* to an index in curves[] and crv_tmpl[], or -1. */
static int
crv_index(int crv)
{
	size_t i;

	for (i = 0; i < NCURVES; i++)
		if (curves[i].crv == crv)
			return (int)i;
	return -1;
}

static void
once_cleanup(void)
{
	size_t i;

	for (i = 0; i < 3; i++) {
		EVP_MD_free(md_fetched[i]);
		md_fetched[i] = NULL;
	}
	for (i = 0; i < NCURVES; i++) {
		EVP_PKEY_free(crv_tmpl[i]);
		crv_tmpl[i] = NULL;
	}
	EVP_MAC_CTX_free(hmac256_tmpl);
	hmac256_tmpl = NULL;
	EVP_KDF_free(hkdf_fetched);
	hkdf_fetched = NULL;
	if (sha_local_ok) {
		sha_local_free(CRYPTO_THREAD_get_local(&sha_local));
		(void)CRYPTO_THREAD_set_local(&sha_local, NULL);
		(void)CRYPTO_THREAD_cleanup_local(&sha_local);
		sha_local_ok = 0;
	}
}

static EVP_MAC_CTX *
make_hmac256(void)
{
	OSSL_PARAM params[2];
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *ctx = NULL;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)(uintptr_t)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL ||
	    (ctx = EVP_MAC_CTX_new(mac)) == NULL ||
	    EVP_MAC_CTX_set_params(ctx, params) != 1) {
		mindl_log_ossl(__func__);
		EVP_MAC_CTX_free(ctx);
		ctx = NULL;
	}
	EVP_MAC_free(mac);	/* the context holds its own reference */
	return ctx;
}

static EVP_PKEY *
make_template(const char *group)
{
	OSSL_PARAM params[2];
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, (char *)(uintptr_t)group, 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEY_PARAMETERS,
	    params) != 1) {
		mindl_log_ossl(__func__);
		pkey = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/*
 * A failure here is not fatal: the users fall back to EVP_sha256(), to
 * importing the point with the curve name, and to fetching by name.
 */
static void
once_init(void)
{
	size_t i;

	md_fetched[0] = EVP_MD_fetch(NULL, "SHA256", NULL);
	md_fetched[1] = EVP_MD_fetch(NULL, "SHA384", NULL);
	md_fetched[2] = EVP_MD_fetch(NULL, "SHA512", NULL);
	for (i = 0; i < NCURVES; i++)
		crv_tmpl[i] = make_template(curves[i].group);
	hmac256_tmpl = make_hmac256();
	hkdf_fetched = EVP_KDF_fetch(NULL, "HKDF", NULL);
	sha_local_ok = CRYPTO_THREAD_init_local(&sha_local,
	    sha_local_free) == 1;
	/* Freed before OpenSSL tears down its library context. */
	if (OPENSSL_atexit(once_cleanup) != 1)
		mindl_log_debug("%s: OPENSSL_atexit", __func__);
	mindl_log_ossl(__func__);	/* leave no error for the caller */
}

static int
run_once(void)
{
	if (CRYPTO_THREAD_run_once(&once, once_init) != 1) {
		mindl_log_ossl(__func__);
		return 0;
	}
	return 1;
}

/* SHA-256, SHA-384, SHA-512 for 0, 1, 2. */
static const EVP_MD *
md_at(int i)
{
	if (run_once() && md_fetched[i] != NULL)
		return md_fetched[i];
	/* Fetch failed: the legacy handles fetch implicitly on use. */
	return i == 0 ? EVP_sha256() : i == 1 ? EVP_sha384() : EVP_sha512();
}

/* The hash that goes with a curve (RFC 9053 section 2.1), or NULL. */
static const EVP_MD *
md_for_crv(int crv)
{
	int i;

	if ((i = crv_index(crv)) < 0)
		return NULL;
	return md_at(curves[i].md);
}

/* The parameters-only key of a curve (borrowed, read-only), or NULL. */
static EVP_PKEY *
crv_template(int crv)
{
	int i;

	if ((i = crv_index(crv)) < 0 || !run_once())
		return NULL;
	return crv_tmpl[i];
}

/* This thread's digest context (see sha_local), or NULL. */
static EVP_MD_CTX *
md_ctx_local(void)
{
	EVP_MD_CTX *ctx;

	if (!run_once() || !sha_local_ok)
		return NULL;
	if ((ctx = CRYPTO_THREAD_get_local(&sha_local)) != NULL)
		return ctx;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return NULL;
	if (CRYPTO_THREAD_set_local(&sha_local, ctx) != 1) {
		EVP_MD_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/*
 * EVP_Digest on this thread's context (EVP_Digest itself makes and frees
 * one per call); 1 on success, as OpenSSL.  msg may be NULL when len is 0.
 */
static int
digest(const EVP_MD *md, const uint8_t *msg, size_t len, uint8_t *out,
    unsigned int *outlen)
{
	EVP_MD_CTX *ctx;

	if (msg == NULL)
		msg = empty;
	if (md == NULL)
		return 0;
	if ((ctx = md_ctx_local()) == NULL)
		return EVP_Digest(msg, len, out, outlen, md, NULL);
	return EVP_DigestInit_ex2(ctx, md, NULL) == 1 &&
	    EVP_DigestUpdate(ctx, msg, len) == 1 &&
	    EVP_DigestFinal_ex(ctx, out, outlen) == 1;
}

static const char *
crv_group_name(int crv)
{
	int i;

	return (i = crv_index(crv)) < 0 ? NULL : curves[i].group;
}

const char *
mindl_crv_name(int crv)
{
	int i;

	if (crv == MINDL_CRV_ED25519)
		return "Ed25519";
	if ((i = crv_index(crv)) < 0)
		return NULL;
	return curves[i].alias != NULL ? curves[i].alias : curves[i].group;
}

int
mindl_crv_from_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (strcmp(name, "Ed25519") == 0)
		return MINDL_CRV_ED25519;
	for (i = 0; i < NCURVES; i++)
		if (strcmp(name, mindl_crv_name(curves[i].crv)) == 0)
			return curves[i].crv;
	return MINDL_ERR_UNSUPPORTED;
}

size_t
mindl_crv_coord_len(int crv)
{
	int i;

	return (i = crv_index(crv)) < 0 ? 0 : curves[i].clen;
}

/*
 * MINDL_CRV_* of an EVP_PKEY, or MINDL_ERR_KEY for anything but a
 * named-curve EC key on a curve of curves[].  Keys decoded from explicit
 * curve parameters are refused even when the parameters match a named
 * curve: RFC 5480 requires namedCurve.
 */
static int
pkey_curve(const EVP_PKEY *pkey)
{
	char name[64];
	size_t namelen = 0, i;
	int explicit = 0;

	/* Ed25519 (RFC 8032), for device keys: no curve parameters. */
	if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519)
		return MINDL_CRV_ED25519;
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC ||
	    !EVP_PKEY_is_a(pkey, "EC")) {
		mindl_log_debug("%s: not an EC key", __func__);
		return MINDL_ERR_KEY;
	}
	if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
	    name, sizeof(name), &namelen) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: no named curve", __func__);
		return MINDL_ERR_KEY;
	}
	if (EVP_PKEY_get_int_param(pkey,
	    OSSL_PKEY_PARAM_EC_DECODED_FROM_EXPLICIT_PARAMS, &explicit) != 1)
		ERR_clear_error();	/* absent: not decoded from DER */
	if (explicit != 0) {
		mindl_log_debug("%s: explicit curve parameters", __func__);
		return MINDL_ERR_KEY;
	}
	for (i = 0; i < NCURVES; i++)
		if (strcmp(name, curves[i].group) == 0 ||
		    (curves[i].alias != NULL &&
		    strcmp(name, curves[i].alias) == 0))
			return curves[i].crv;
	mindl_log_debug("%s: unsupported curve %s", __func__, name);
	return MINDL_ERR_KEY;
}

/* 1 if pkey holds a private scalar; the copy is cleared at once. */
static int
pkey_has_private(const EVP_PKEY *pkey)
{
	BIGNUM *d = NULL;
	size_t n = 0;

	/* Ed25519's private key is an octet string: ask only its length. */
	if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519) {
		if (EVP_PKEY_get_raw_private_key(pkey, NULL, &n) != 1) {
			ERR_clear_error();
			return 0;
		}
		return n > 0;
	}
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1) {
		ERR_clear_error();	/* public key: not an error */
		return 0;
	}
	BN_clear_free(d);
	return 1;
}

/*
 * Wraps pkey, whose curve and private half are known when crv and priv
 * are >= 0 and looked up otherwise.  Takes ownership of pkey only on
 * success.
 */
static int
wrap(EVP_PKEY *pkey, int crv, int priv, struct mindl_key **out)
{
	struct mindl_key *key = NULL;
	int r = MINDL_ERR_INTERNAL;

	*out = NULL;
	if (crv < 0 && (crv = pkey_curve(pkey)) < 0) {
		r = crv;
		goto fail;
	}
	if (priv < 0)
		priv = pkey_has_private(pkey);
	if ((key = mindl_calloc(1, sizeof(*key))) == NULL) {
		mindl_log_debug("%s: calloc", __func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	key->pkey = pkey;
	key->crv = crv;
	key->priv = priv;
	atomic_init(&key->refs, 1);
	*out = key;
	key = NULL;
	r = MINDL_OK;
fail:
	free(key);
	return r;
}

int
mindl_key_wrap_evp(void *evp_pkey, struct mindl_key **out)
{
	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	if (evp_pkey == NULL)
		return MINDL_ERR_INVALID_ARG;
	return wrap(evp_pkey, -1, -1, out);
}

void *
mindl_key_evp(const struct mindl_key *key)
{
	return key == NULL ? NULL : key->pkey;
}

/*
 * x || y of an uncompressed public point from one export of the encoded
 * point (one conversion out of Montgomery form; two EVP_PKEY_get_bn_param
 * calls would convert the whole point twice).  MINDL_ERR_KEY for a key
 * that keeps a compressed form.
 */
static int
export_xy(EVP_PKEY *pkey, size_t clen, uint8_t *x, uint8_t *y)
{
	uint8_t point[MAX_POINT];
	size_t plen = 0;

	if (EVP_PKEY_get_octet_string_param(pkey,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof(point),
	    &plen) != 1 || plen != 1 + 2 * clen ||
	    point[0] != POINT_CONVERSION_UNCOMPRESSED) {
		ERR_clear_error();
		return MINDL_ERR_KEY;
	}
	memcpy(x, point + 1, clen);
	memcpy(y, point + 1 + clen, clen);
	return MINDL_OK;
}

int
mindl_key_generate(struct mindl_key **out)
{
	return mindl_key_generate_curve(MINDL_CRV_P256, out);
}

int
mindl_key_generate_curve(int crv, struct mindl_key **out)
{
	EVP_PKEY *pkey = NULL;
	const char *group;
	size_t clen;
	int r = MINDL_ERR_INTERNAL;

	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	if (crv == MINDL_CRV_ED25519) {
		if ((pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")) ==
		    NULL) {
			mindl_log_ossl(__func__);
			return MINDL_ERR_CRYPTO;
		}
		if ((r = wrap(pkey, crv, 1, out)) != MINDL_OK)
			EVP_PKEY_free(pkey);
		return r;
	}
	if ((group = crv_group_name(crv)) == NULL) {
		mindl_log_debug("%s: unsupported curve %d", __func__, crv);
		return MINDL_ERR_UNSUPPORTED;
	}
	if ((pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", group)) == NULL) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_PKEY_Q_keygen", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((r = wrap(pkey, crv, 1, out)) != MINDL_OK) {
		mindl_log_debug("%s: wrap", __func__);
		goto fail;
	}
	pkey = NULL;
	clen = mindl_crv_coord_len(crv);
	if (export_xy((*out)->pkey, clen, (*out)->xy, (*out)->xy + clen) ==
	    MINDL_OK)
		(*out)->xylen = clen;
	r = MINDL_OK;
fail:
	EVP_PKEY_free(pkey);
	return r;
}

void
mindl_key_free(struct mindl_key **keyp)
{
	struct mindl_key *key;

	if (keyp == NULL || (key = *keyp) == NULL)
		return;
	*keyp = NULL;
	if (atomic_fetch_sub(&key->refs, 1) != 1)
		return;
	EVP_PKEY_free(key->pkey);	/* clears the private scalar */
	free(key);
}

struct mindl_key *
mindl_key_ref(struct mindl_key *key)
{
	if (key == NULL)
		return NULL;
	atomic_fetch_add(&key->refs, 1);
	return key;
}

int
mindl_key_is_private(const struct mindl_key *key)
{
	return key != NULL && key->priv;
}

int
mindl_key_same_public(const struct mindl_key *a, const struct mindl_key *b)
{
	/* The public halves: a private key equals its own public key. */
	return a != NULL && b != NULL && a->crv == b->crv &&
	    EVP_PKEY_eq(a->pkey, b->pkey) == 1;
}

int
mindl_key_curve(const struct mindl_key *key)
{
	if (key == NULL)
		return MINDL_ERR_INVALID_ARG;
	return key->crv;
}

/* COSE algorithms are negative, so a NULL key gives 0 (reserved). */
int
mindl_key_alg(const struct mindl_key *key)
{
	int i;

	if (key != NULL && key->crv == MINDL_CRV_ED25519)
		return MINDL_ALG_EDDSA;
	if (key == NULL || (i = crv_index(key->crv)) < 0)
		return 0;
	return curves[i].alg;
}

/* EC public key from an uncompressed point, the slow way: by curve name. */
static EVP_PKEY *
pkey_from_point(const char *group, const uint8_t *point, size_t len)
{
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, (char *)(uintptr_t)group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(
	    OSSL_PKEY_PARAM_PUB_KEY, (void *)(uintptr_t)point, len);
	params[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/*
 * OpenSSL decodes the point with EC_POINT_oct2point, which refuses
 * coordinates >= p and points not on the curve; every curve of curves[]
 * has cofactor 1, so that is the whole public-key check (SP 800-56A
 * 5.6.2.3.4).
 */
int
mindl_key_from_xy(int crv, const uint8_t *x, size_t xlen, const uint8_t *y,
    size_t ylen, struct mindl_key **out)
{
	EVP_PKEY *tmpl, *pkey = NULL;
	uint8_t point[MAX_POINT];
	const char *group;
	size_t clen;
	int r = MINDL_ERR_INTERNAL;

	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	if (x == NULL || y == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((clen = mindl_crv_coord_len(crv)) == 0 ||
	    (group = crv_group_name(crv)) == NULL) {
		mindl_log_debug("%s: unsupported curve %d", __func__, crv);
		return MINDL_ERR_KEY;
	}
	/* RFC 9053 section 7.1.1: leading zero octets must be kept. */
	if (xlen != clen || ylen != clen) {
		mindl_log_debug("%s: coordinate length %zu/%zu, want %zu",
		    __func__, xlen, ylen, clen);
		return MINDL_ERR_KEY;
	}
	point[0] = POINT_CONVERSION_UNCOMPRESSED;
	memcpy(point + 1, x, clen);
	memcpy(point + 1 + clen, y, clen);

	if ((tmpl = crv_template(crv)) != NULL) {
		if ((pkey = EVP_PKEY_dup(tmpl)) == NULL) {
			mindl_log_ossl(__func__);
			mindl_log_debug("%s: EVP_PKEY_dup", __func__);
			r = MINDL_ERR_CRYPTO;
			goto fail;
		}
		if (EVP_PKEY_set1_encoded_public_key(pkey, point,
		    1 + 2 * clen) != 1) {
			mindl_log_ossl(__func__);
			mindl_log_debug("%s: point not on the curve", __func__);
			r = MINDL_ERR_KEY;
			goto fail;
		}
	} else if ((pkey = pkey_from_point(group, point,
	    1 + 2 * clen)) == NULL) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: point not on the curve", __func__);
		r = MINDL_ERR_KEY;
		goto fail;
	}
	if ((r = wrap(pkey, crv, 0, out)) != MINDL_OK) {
		mindl_log_debug("%s: wrap", __func__);
		goto fail;
	}
	pkey = NULL;
	memcpy((*out)->xy, x, clen);
	memcpy((*out)->xy + clen, y, clen);
	(*out)->xylen = clen;
	r = MINDL_OK;
fail:
	EVP_PKEY_free(pkey);
	return r;
}

int
mindl_key_from_okp(int crv, const uint8_t *x, size_t xlen,
    struct mindl_key **out)
{
	EVP_PKEY *pkey;
	int r;

	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	if (x == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (crv != MINDL_CRV_ED25519 || xlen != MINDL_ED25519_LEN) {
		mindl_log_debug("%s: curve %d, %zu bytes", __func__, crv, xlen);
		return MINDL_ERR_KEY;
	}
	/*
	 * RFC 8032 5.1.3 decoding (y < p, x recoverable) happens when a
	 * signature is checked: a key that does not decode verifies none.
	 */
	if ((pkey = EVP_PKEY_new_raw_public_key_ex(NULL, "ED25519", NULL, x,
	    xlen)) == NULL) {
		mindl_log_ossl(__func__);
		return MINDL_ERR_KEY;
	}
	if ((r = wrap(pkey, crv, 0, out)) != MINDL_OK)
		EVP_PKEY_free(pkey);
	return r;
}

int
mindl_key_okp_x(const struct mindl_key *key, uint8_t x[MINDL_ED25519_LEN])
{
	size_t n = MINDL_ED25519_LEN;

	if (key == NULL || x == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (key->crv != MINDL_CRV_ED25519)
		return MINDL_ERR_KEY;
	if (EVP_PKEY_get_raw_public_key(key->pkey, x, &n) != 1 ||
	    n != MINDL_ED25519_LEN) {
		mindl_log_ossl(__func__);
		return MINDL_ERR_CRYPTO;
	}
	return MINDL_OK;
}

/*
 * Ed25519 (RFC 8032, pure: the message itself, no prehash) for COSE alg
 * EdDSA: a one-shot EVP_DigestSign/Verify with no digest.
 */
static int
eddsa_sign(const struct mindl_key *key, const uint8_t *msg, size_t msglen,
    uint8_t *sig, size_t *siglen)
{
	EVP_MD_CTX *ctx;
	size_t n = *siglen;
	int r = MINDL_ERR_CRYPTO;

	if (n < 2 * MINDL_ED25519_LEN)
		return MINDL_ERR_INVALID_ARG;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return MINDL_ERR_NOMEM;
	if (EVP_DigestSignInit_ex(ctx, NULL, NULL, NULL, NULL, key->pkey,
	    NULL) == 1 && EVP_DigestSign(ctx, sig, &n, msg != NULL ? msg :
	    empty, msglen) == 1 && n == 2 * MINDL_ED25519_LEN) {
		*siglen = n;
		r = MINDL_OK;
	} else
		mindl_log_ossl(__func__);
	EVP_MD_CTX_free(ctx);
	return r;
}

static int
eddsa_verify(const struct mindl_key *key, const uint8_t *msg, size_t msglen,
    const uint8_t *sig, size_t siglen)
{
	EVP_MD_CTX *ctx;
	int ok, r;

	if (siglen != 2 * MINDL_ED25519_LEN) {
		mindl_log_debug("%s: signature length %zu", __func__, siglen);
		return MINDL_ERR_SIGNATURE;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return MINDL_ERR_NOMEM;
	if (EVP_DigestVerifyInit_ex(ctx, NULL, NULL, NULL, NULL, key->pkey,
	    NULL) != 1) {
		mindl_log_ossl(__func__);
		EVP_MD_CTX_free(ctx);
		return MINDL_ERR_CRYPTO;
	}
	ok = EVP_DigestVerify(ctx, sig, siglen, msg != NULL ? msg : empty,
	    msglen);
	if (ok != 1)
		mindl_log_ossl(__func__);
	/* A key that does not decode is a signature that does not verify. */
	r = ok == 1 ? MINDL_OK : MINDL_ERR_SIGNATURE;
	EVP_MD_CTX_free(ctx);
	return r;
}

int
mindl_key_xy(const struct mindl_key *key, uint8_t *x, uint8_t *y,
    size_t *coord_len)
{
	BIGNUM *bx = NULL, *by = NULL;
	uint8_t tx[MINDL_MAX_COORD], ty[MINDL_MAX_COORD];
	size_t clen;
	int r = MINDL_ERR_INTERNAL;

	if (key == NULL || x == NULL || y == NULL || coord_len == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((clen = mindl_crv_coord_len(key->crv)) == 0)
		return MINDL_ERR_KEY;
	if (key->xylen == clen) {
		memcpy(x, key->xy, clen);
		memcpy(y, key->xy + clen, clen);
		*coord_len = clen;
		return MINDL_OK;
	}
	if (export_xy(key->pkey, clen, x, y) == MINDL_OK) {
		*coord_len = clen;
		return MINDL_OK;
	}
	/* A key that keeps a compressed form: through BIGNUMs. */
	if (EVP_PKEY_get_bn_param(key->pkey, OSSL_PKEY_PARAM_EC_PUB_X,
	    &bx) != 1 ||
	    EVP_PKEY_get_bn_param(key->pkey, OSSL_PKEY_PARAM_EC_PUB_Y,
	    &by) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_PKEY_get_bn_param", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if (BN_bn2binpad(bx, tx, (int)clen) != (int)clen ||
	    BN_bn2binpad(by, ty, (int)clen) != (int)clen) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: BN_bn2binpad", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	memcpy(x, tx, clen);
	memcpy(y, ty, clen);
	*coord_len = clen;
	r = MINDL_OK;
fail:
	BN_free(bx);
	BN_free(by);
	return r;
}

int
mindl_key_from_spki(const uint8_t *der, size_t len, struct mindl_key **out)
{
	const unsigned char *p = der;
	EVP_PKEY *pkey = NULL;
	int r = MINDL_ERR_INTERNAL;

	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	if (der == NULL || len == 0)
		return MINDL_ERR_INVALID_ARG;
	if (len > MAX_SPKI) {
		mindl_log_debug("%s: %zu bytes", __func__, len);
		return MINDL_ERR_TOO_LARGE;
	}
	if ((pkey = d2i_PUBKEY(NULL, &p, (long)len)) == NULL) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: d2i_PUBKEY", __func__);
		r = MINDL_ERR_KEY;
		goto fail;
	}
	if ((size_t)(p - der) != len) {
		mindl_log_debug("%s: trailing bytes", __func__);
		r = MINDL_ERR_KEY;
		goto fail;
	}
	/*
	 * SubjectPublicKeyInfo comes from certificates, whose IACA and DS
	 * keys are EC (ISO 18013-5 Annex B as mindl profiles it): Ed25519
	 * is for device keys, which arrive as COSE_Keys or key files.
	 */
	if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519) {
		mindl_log_debug("%s: Ed25519 in a certificate", __func__);
		r = MINDL_ERR_KEY;
		goto fail;
	}
	if ((r = wrap(pkey, -1, 0, out)) != MINDL_OK) {
		mindl_log_debug("%s: wrap", __func__);
		goto fail;
	}
	pkey = NULL;
	r = MINDL_OK;
fail:
	EVP_PKEY_free(pkey);
	return r;
}

/*
 * ECDSA.  COSE carries r||s, each coord_len bytes (RFC 9053 section 2.1);
 * OpenSSL speaks DER ECDSA-Sig-Value.  These two functions are the only
 * conversion between the forms.
 */

/*
 * One DER INTEGER (X.690 8.3) for the unsigned big-endian n bytes at v:
 * leading zero octets dropped (one kept for zero), a 0x00 put in front
 * when the top bit is set.  n <= MINDL_MAX_COORD, so the length (at
 * most 67) has the short form.  Returns the bytes written.
 */
static size_t
der_uint(const uint8_t *v, size_t n, uint8_t *out)
{
	size_t i = 0, o = 0;

	while (i + 1 < n && v[i] == 0)
		i++;
	out[o++] = 0x02;
	out[o++] = (uint8_t)(n - i + (v[i] >> 7));
	if (v[i] & 0x80)
		out[o++] = 0x00;
	memcpy(out + o, v + i, n - i);
	return o + n - i;
}

/*
 * raw r||s (exactly 2 * clen bytes) -> DER ECDSA-Sig-Value in
 * der[MAX_DER_SIG], the canonical encoding that OpenSSL's ECDSA_verify
 * insists on (it re-encodes what it parsed and compares).  Written here
 * rather than with ECDSA_SIG and two BIGNUMs: the conversion runs on
 * every verification and is two integer headers and a sequence header.
 */
static int
sig_raw_to_der(const uint8_t *sig, size_t clen, uint8_t *der,
    size_t *derlen)
{
	uint8_t body[2 * (3 + MINDL_MAX_COORD)];
	size_t n, o = 0;

	if (clen == 0 || clen > MINDL_MAX_COORD)
		return MINDL_ERR_INTERNAL;
	n = der_uint(sig, clen, body);
	n += der_uint(sig + clen, clen, body + n);
	der[o++] = 0x30;
	if (n > 0x7f)
		der[o++] = 0x81;	/* P-521: up to 140 content bytes */
	der[o++] = (uint8_t)n;
	if (o + n > MAX_DER_SIG)
		return MINDL_ERR_INTERNAL;
	memcpy(der + o, body, n);
	*derlen = o + n;
	return MINDL_OK;
}

/*
 * DER (exact length) -> raw r||s in sig[2 * clen]; also for signatures
 * that arrive as DER (a FIDO2 authenticator's, fido.c).
 */
int
mindl_ecdsa_der_to_raw(const uint8_t *der, size_t derlen, size_t clen,
    uint8_t *sig)
{
	ECDSA_SIG *es = NULL;
	const BIGNUM *br, *bs;
	const unsigned char *p = der;
	int r = MINDL_ERR_INTERNAL;

	if ((es = d2i_ECDSA_SIG(NULL, &p, (long)derlen)) == NULL ||
	    (size_t)(p - der) != derlen) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	ECDSA_SIG_get0(es, &br, &bs);
	if (BN_bn2binpad(br, sig, (int)clen) != (int)clen ||
	    BN_bn2binpad(bs, sig + clen, (int)clen) != (int)clen) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	r = MINDL_OK;
fail:
	ECDSA_SIG_free(es);
	return r;
}

int
mindl_ecdsa_sign(const struct mindl_key *key, const uint8_t *msg,
    size_t msglen, uint8_t *sig, size_t *siglen)
{
	EVP_PKEY_CTX *ctx = NULL;
	const EVP_MD *type;
	uint8_t der[MAX_DER_SIG], raw[MINDL_MAX_SIG], h[EVP_MAX_MD_SIZE];
	unsigned int hlen = 0;
	size_t clen, derlen = sizeof(der);
	int r = MINDL_ERR_INTERNAL;

	if (key == NULL || (msg == NULL && msglen != 0) || sig == NULL ||
	    siglen == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (!key->priv) {
		mindl_log_debug("%s: not a private key", __func__);
		return MINDL_ERR_KEY;
	}
	if (key->crv == MINDL_CRV_ED25519 && key->priv)
		return eddsa_sign(key, msg, msglen, sig, siglen);
	if ((clen = mindl_crv_coord_len(key->crv)) == 0 ||
	    (type = md_for_crv(key->crv)) == NULL)
		return MINDL_ERR_KEY;
	if (*siglen < 2 * clen) {
		mindl_log_debug("%s: buffer %zu, need %zu", __func__, *siglen,
		    2 * clen);
		return MINDL_ERR_INVALID_ARG;
	}
	/* As in mindl_ecdsa_verify: hash, then sign the digest. */
	if (digest(type, msg, msglen, h, &hlen) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_Digest", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey,
	    NULL)) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if (EVP_PKEY_sign_init(ctx) != 1 ||
	    EVP_PKEY_sign(ctx, der, &derlen, h, hlen) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_PKEY_sign", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((r = mindl_ecdsa_der_to_raw(der, derlen, clen, raw)) !=
	    MINDL_OK) {
		mindl_log_debug("%s: mindl_ecdsa_der_to_raw", __func__);
		goto fail;
	}
	memcpy(sig, raw, 2 * clen);
	*siglen = 2 * clen;
	r = MINDL_OK;
fail:
	EVP_PKEY_CTX_free(ctx);
	return r;
}

/*
 * The message is hashed first and the digest verified with
 * EVP_PKEY_verify: the same ECDSA check as EVP_DigestVerify, without the
 * EVP_MD_CTX and the signature-with-digest set-up, which fetches the
 * digest again by name on every call.
 */
int
mindl_ecdsa_verify(const struct mindl_key *key, const uint8_t *msg,
    size_t msglen, const uint8_t *sig, size_t siglen)
{
	EVP_PKEY_CTX *ctx = NULL;
	const EVP_MD *type;
	uint8_t der[MAX_DER_SIG], h[EVP_MAX_MD_SIZE];
	unsigned int hlen = 0;
	size_t clen, derlen = 0;
	int ok, r = MINDL_ERR_INTERNAL;

	if (key == NULL || (msg == NULL && msglen != 0) || sig == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (key->crv == MINDL_CRV_ED25519)
		return eddsa_verify(key, msg, msglen, sig, siglen);
	if ((clen = mindl_crv_coord_len(key->crv)) == 0 ||
	    (type = md_for_crv(key->crv)) == NULL)
		return MINDL_ERR_KEY;
	/* RFC 9053 section 2.1: exactly r||s at the curve's size. */
	if (siglen != 2 * clen) {
		mindl_log_debug("%s: signature length %zu, want %zu",
		    __func__, siglen, 2 * clen);
		return MINDL_ERR_SIGNATURE;
	}
	if ((r = sig_raw_to_der(sig, clen, der, &derlen)) != MINDL_OK) {
		mindl_log_debug("%s: sig_raw_to_der", __func__);
		goto fail;
	}
	if (digest(type, msg, msglen, h, &hlen) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_Digest", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey,
	    NULL)) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if (EVP_PKEY_verify_init(ctx) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_PKEY_verify_init", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	ok = EVP_PKEY_verify(ctx, der, derlen, h, hlen);
	if (ok != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_PKEY_verify: %d", __func__, ok);
		/* 0 is a bad signature; < 0 a failure to compute. */
		r = ok == 0 ? MINDL_ERR_SIGNATURE : MINDL_ERR_CRYPTO;
		goto fail;
	}
	r = MINDL_OK;
fail:
	EVP_PKEY_CTX_free(ctx);
	return r;
}

/*
 * ECDH (SEC 1 section 3.3.1): the shared secret is the x coordinate,
 * zero-padded to coord_len.  *outlen in = capacity, out = length.
 */
int
mindl_ecdh(const struct mindl_key *priv, const struct mindl_key *pub,
    uint8_t *out, size_t *outlen)
{
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t z[MINDL_MAX_COORD];
	size_t clen, zlen = 0;
	int r = MINDL_ERR_INTERNAL;

	if (priv == NULL || pub == NULL || out == NULL || outlen == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (!priv->priv || priv->crv != pub->crv ||
	    (clen = mindl_crv_coord_len(priv->crv)) == 0) {
		mindl_log_debug("%s: unusable key pair", __func__);
		return MINDL_ERR_KEY;
	}
	if (*outlen < clen) {
		mindl_log_debug("%s: buffer %zu, need %zu", __func__, *outlen,
		    clen);
		return MINDL_ERR_INVALID_ARG;
	}
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, priv->pkey,
	    NULL)) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if (EVP_PKEY_derive_init(ctx) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_PKEY_derive_init", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	/*
	 * The peer's point was checked to be on its curve when the key was
	 * made (EC_POINT_oct2point refuses any other point: from_xy, SPKI,
	 * PEM), and every curve of curves[] has cofactor 1, so it lies in
	 * the prime-order group: that is the whole of the SP 800-56A
	 * 5.6.2.3.3 check.  OpenSSL's own check (validate_peer = 1) would
	 * add n * Q = O, a second scalar multiplication that doubles the
	 * cost of the ECDH and can only confirm what is known.
	 */
	if (EVP_PKEY_derive_set_peer_ex(ctx, pub->pkey, 0) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_PKEY_derive_set_peer_ex", __func__);
		r = MINDL_ERR_KEY;
		goto fail;
	}
	zlen = sizeof(z);
	if (EVP_PKEY_derive(ctx, z, &zlen) != 1 || zlen != clen) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_PKEY_derive", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	memcpy(out, z, clen);
	*outlen = clen;
	r = MINDL_OK;
fail:
	mindl_wipe(z, sizeof(z));
	EVP_PKEY_CTX_free(ctx);
	return r;
}

int
mindl_hkdf_sha256(const uint8_t *salt, size_t saltlen, const uint8_t *ikm,
    size_t ikmlen, const uint8_t *info, size_t infolen, uint8_t *out,
    size_t outlen)
{
	OSSL_PARAM params[5], *p = params;
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *kctx = NULL;
	int r = MINDL_ERR_INTERNAL;

	if ((salt == NULL && saltlen != 0) || (ikm == NULL && ikmlen != 0) ||
	    (info == NULL && infolen != 0) || out == NULL || outlen == 0 ||
	    outlen > 255 * MINDL_SHA256_LEN)
		return MINDL_ERR_INVALID_ARG;

	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
	    (char *)(uintptr_t)"SHA256", 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    (void *)(uintptr_t)(ikmlen != 0 ? ikm : empty), ikmlen);
	/* No salt: RFC 5869 2.2 uses HashLen zeros, as OpenSSL does. */
	if (saltlen != 0)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
		    (void *)(uintptr_t)salt, saltlen);
	if (infolen != 0)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
		    (void *)(uintptr_t)info, infolen);
	*p = OSSL_PARAM_construct_end();

	if (run_once() && hkdf_fetched != NULL && EVP_KDF_up_ref(hkdf_fetched))
		kdf = hkdf_fetched;
	else
		kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (kdf == NULL || (kctx = EVP_KDF_CTX_new(kdf)) == NULL) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_KDF_fetch", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if (EVP_KDF_derive(kctx, out, outlen, params) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_KDF_derive", __func__);
		mindl_wipe(out, outlen);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	r = MINDL_OK;
fail:
	EVP_KDF_CTX_free(kctx);	/* clears the copied key material */
	EVP_KDF_free(kdf);
	return r;
}

int
mindl_hmac_sha256(const uint8_t *key, size_t keylen, const uint8_t *msg,
    size_t msglen, uint8_t out[MINDL_SHA256_LEN])
{
	EVP_MAC_CTX *ctx = NULL;
	uint8_t mac[MINDL_SHA256_LEN];
	size_t maclen = 0;
	int r = MINDL_ERR_INTERNAL;

	if ((key == NULL && keylen != 0) || (msg == NULL && msglen != 0) ||
	    out == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (run_once() && hmac256_tmpl != NULL) {
		if ((ctx = EVP_MAC_CTX_dup(hmac256_tmpl)) == NULL ||
		    EVP_MAC_init(ctx, keylen != 0 ? key : empty, keylen,
		    NULL) != 1 ||
		    EVP_MAC_update(ctx, msglen != 0 ? msg : empty,
		    msglen) != 1 ||
		    EVP_MAC_final(ctx, mac, &maclen, sizeof(mac)) != 1 ||
		    maclen != sizeof(mac)) {
			mindl_log_ossl(__func__);
			mindl_log_debug("%s: EVP_MAC", __func__);
			r = MINDL_ERR_CRYPTO;
			goto fail;
		}
	} else if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL,
	    keylen != 0 ? key : empty, keylen, msglen != 0 ? msg : empty,
	    msglen, mac, sizeof(mac), &maclen) == NULL ||
	    maclen != sizeof(mac)) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_Q_mac", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	memcpy(out, mac, sizeof(mac));
	r = MINDL_OK;
fail:
	EVP_MAC_CTX_free(ctx);	/* clears the key schedule */
	mindl_wipe(mac, sizeof(mac));
	return r;
}

int
mindl_sha256(const uint8_t *msg, size_t len, uint8_t out[MINDL_SHA256_LEN])
{
	unsigned int n = 0;

	if ((msg == NULL && len != 0) || out == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (digest(md_for_crv(MINDL_CRV_P256), msg, len, out, &n) != 1 ||
	    n != MINDL_SHA256_LEN) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_Digest", __func__);
		return MINDL_ERR_CRYPTO;
	}
	return MINDL_OK;
}

size_t
mindl_digest_len(int alg)
{
	switch (alg) {
	case MINDL_DIGEST_SHA256:
		return 32;
	case MINDL_DIGEST_SHA384:
		return 48;
	case MINDL_DIGEST_SHA512:
		return 64;
	default:
		return 0;
	}
}

int
mindl_digest(int alg, const uint8_t *msg, size_t len, uint8_t *out)
{
	unsigned int n = 0;
	size_t want;

	if ((msg == NULL && len != 0) || out == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((want = mindl_digest_len(alg)) == 0) {
		mindl_log_debug("%s: digest algorithm %d", __func__, alg);
		return MINDL_ERR_UNSUPPORTED;
	}
	if (digest(md_at(alg - MINDL_DIGEST_SHA256), msg, len, out, &n) != 1 ||
	    (size_t)n != want) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_Digest", __func__);
		return MINDL_ERR_CRYPTO;
	}
	return MINDL_OK;
}

int
mindl_random(uint8_t *out, size_t len)
{
	size_t n;

	if (out == NULL && len != 0)
		return MINDL_ERR_INVALID_ARG;
	while (len > 0) {
		n = len > INT_MAX ? INT_MAX : len;
		if (RAND_bytes(out, (int)n) != 1) {
			mindl_log_ossl(__func__);
			mindl_log_debug("%s: RAND_bytes", __func__);
			return MINDL_ERR_CRYPTO;
		}
		out += n;
		len -= n;
	}
	return MINDL_OK;
}

int
mindl_ct_eq(const void *a, const void *b, size_t len)
{
	if (len == 0)
		return 1;
	return CRYPTO_memcmp(a, b, len) == 0;
}

void
mindl_wipe(void *p, size_t len)
{
	/*
	 * explicit_bzero (OpenBSD, glibc 2.25) is memset the compiler may not
	 * drop: vector stores, where OPENSSL_cleanse stores a byte at a time.
	 * Responses and credentials are wiped whole, kilobytes each time.
	 */
	if (p != NULL && len != 0)
		explicit_bzero(p, len);
}

void
mindl_freezero(void *p, size_t len)
{
	if (p == NULL)
		return;
	mindl_wipe(p, len);
	free(p);
}
