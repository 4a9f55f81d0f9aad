/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: trust stores (see mindl/trust.h): IACA roots, and the DS
 * certificates verified against them.
 *
 * Annex B chains are exactly DS -> IACA (the IACA has pathlen 0 and the
 * x5chain carries no intermediates), so OpenSSL builds the chain from the
 * trusted roots alone under X509_V_FLAG_X509_STRICT, and the Annex B
 * profile checks that OpenSSL does not know about follow (x509.c).
 * Errors are ranked: no trusted issuer (MINDL_ERR_UNTRUSTED) whatever else
 * is wrong, then profile, then time.  OpenSSL makes its strict RFC 5280
 * checks before it checks signatures, so a certificate with both a profile
 * fault and a bad signature is reported as a profile error; either way it
 * is refused.  Time comes last so that an expired certificate with another
 * fault is reported for that fault.
 *
 * A verified DS certificate is cached in its trust store, keyed by the
 * SHA-256 of its DER, together with its public key and the intersection
 * of its validity with its root's; a hit costs one hash and a compare and
 * re-checks only the time.  A trust store is not thread-safe (the cache
 * mutates on verify): use one per thread.
 *
 * The root list, OpenSSL's store, chain building and the cache know
 * nothing of Annex B; what is particular to IACAs and DS certificates is
 * in leaf_chain_check() (with the profiles in x509.c): a DS and a
 * status-list signer share the rest, each with its own profile, and the
 * cache keeps which role a certificate was accepted in.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mindl/err.h"
#include "mindl/file.h"
#include "mindl/key.h"
#include "mindl/trust.h"
#include "mindl/x509.h"
#include "internal.h"

#define CACHE_MAX		64
#define ROOTS_FIRST		16	/* a list's first allocation */

struct root {
	X509		*x;
	uint8_t		*der;
	size_t		 len;
	uint8_t		 hash[MINDL_SHA256_LEN];	/* of der */
	unsigned	 allow;		/* MINDL_DEV_* tolerated for it */
};

/*
 * A list of roots, grown on demand up to MINDL_MAX_TRUST: most stores hold
 * one or two IACAs, a national trust list (AAMVA's VICAL) dozens.
 */
struct roots {
	struct root	*v;
	size_t		 n;
	size_t		 cap;
};

/* What a cached certificate was accepted as: one profile per entry. */
enum role {
	ROLE_DS = 1,
	ROLE_STATUS_SIGNER,
	ROLE_READER,
};

struct cache_ent {
	uint8_t		 hash[MINDL_SHA256_LEN];
	uint8_t		 root[MINDL_SHA256_LEN];	/* its IACA's DER */
	enum role	 role;
	int64_t		 not_before;	/* max of leaf and root */
	int64_t		 not_after;	/* min of leaf and root */
	unsigned	 dev;		/* the root's (allowed) deviations */
	struct mindl_key *pub;		/* NULL: empty slot */
};

struct mindl_trust {
	X509_STORE	*store;		/* the same roots, for OpenSSL chains */
	struct roots	 roots;
	struct cache_ent cache[CACHE_MAX];
	size_t		 cache_next;	/* ring: next slot, the oldest */
};

/*
 * Room for more roots in rl; MINDL_ERR_TOO_LARGE past MINDL_MAX_TRUST.
 * Reserving before adding lets a caller add several roots without a
 * failure between them.
 */
static int
roots_reserve(struct roots *rl, size_t more)
{
	struct root *v;
	size_t cap;

	if (more > MINDL_MAX_TRUST - rl->n) {
		mindl_log_debug("%s: over %d roots", __func__, MINDL_MAX_TRUST);
		return MINDL_ERR_TOO_LARGE;
	}
	if (rl->n + more <= rl->cap)
		return MINDL_OK;
	cap = rl->cap == 0 ? ROOTS_FIRST : rl->cap;
	while (cap < rl->n + more)
		cap *= 2;
	if (cap > MINDL_MAX_TRUST)
		cap = MINDL_MAX_TRUST;
	if ((v = mindl_realloc(rl->v, cap * sizeof(*v))) == NULL) {
		mindl_log_debug("%s: realloc", __func__);
		return MINDL_ERR_NOMEM;
	}
	rl->v = v;
	rl->cap = cap;
	return MINDL_OK;
}

/*
 * Appends to a list with room (roots_reserve); takes x and der.  Only an
 * allocation failure inside the hash can fail it, and then nothing is
 * taken.
 */
static int
roots_push(struct roots *rl, X509 *x, uint8_t *der, size_t len,
    unsigned allow)
{
	int r;

	if ((r = mindl_sha256(der, len, rl->v[rl->n].hash)) != MINDL_OK)
		return r;
	rl->v[rl->n].x = x;
	rl->v[rl->n].der = der;
	rl->v[rl->n].len = len;
	rl->v[rl->n].allow = allow;
	rl->n++;
	return MINDL_OK;
}

/* The root whose DER hashes to hash; NULL if none. */
static const struct root *
roots_find(const struct roots *rl, const uint8_t hash[MINDL_SHA256_LEN])
{
	size_t i;

	for (i = 0; i < rl->n; i++)
		if (memcmp(rl->v[i].hash, hash, MINDL_SHA256_LEN) == 0)
			return &rl->v[i];
	return NULL;
}

/* 1 if der is byte-identical to a root of rl, else 0. */
static int
roots_has(const struct roots *rl, const uint8_t *der, size_t len)
{
	size_t i;

	for (i = 0; i < rl->n; i++)
		if (rl->v[i].len == len && memcmp(rl->v[i].der, der, len) == 0)
			return 1;
	return 0;
}

static void
roots_clear(struct roots *rl)
{
	size_t i;

	for (i = 0; i < rl->n; i++) {
		X509_free(rl->v[i].x);
		free(rl->v[i].der);
	}
	free(rl->v);
	rl->v = NULL;
	rl->n = rl->cap = 0;
}

int
mindl_trust_new(struct mindl_trust **out)
{
	struct mindl_trust *t = NULL;
	int r = MINDL_ERR_INTERNAL;

	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	if ((t = mindl_calloc(1, sizeof(*t))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if ((t->store = X509_STORE_new()) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	*out = t;
	t = NULL;
	r = MINDL_OK;
fail:
	mindl_trust_free(&t);
	return r;
}

void
mindl_trust_free(struct mindl_trust **tp)
{
	struct mindl_trust *t;
	size_t i;

	if (tp == NULL || (t = *tp) == NULL)
		return;
	*tp = NULL;
	roots_clear(&t->roots);
	for (i = 0; i < CACHE_MAX; i++)
		mindl_key_free(&t->cache[i].pub);
	X509_STORE_free(t->store);
	free(t);
}

size_t
mindl_trust_count(const struct mindl_trust *t)
{
	return t == NULL ? 0 : t->roots.n;
}

int
mindl_trust_is_root(const struct mindl_trust *t, const uint8_t *der,
    size_t len)
{
	if (t == NULL || der == NULL)
		return 0;
	return roots_has(&t->roots, der, len);
}

/*
 * A candidate root: parses strictly, self-signed with a good signature,
 * a CA in OpenSSL's sense (basicConstraints CA:TRUE and, if keyUsage is
 * present, keyCertSign), times readable.
 */
static int
root_check(const uint8_t *der, size_t len, X509 **out)
{
	X509 *x = NULL;
	int64_t nb, na;
	int r = MINDL_ERR_INTERNAL;

	*out = NULL;
	if ((r = mindl_x509_parse_der(der, len, &x)) != MINDL_OK ||
	    (r = mindl_x509_times(x, &nb, &na)) != MINDL_OK)
		goto fail;
	if (X509_self_signed(x, 1) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: not self-signed", __func__);
		r = MINDL_ERR_CERT_PROFILE;
		goto fail;
	}
	if ((X509_get_extension_flags(x) & EXFLAG_CA) == 0 ||
	    X509_check_ca(x) != 1) {
		mindl_log_debug("%s: not a CA", __func__);
		r = MINDL_ERR_CERT_PROFILE;
		goto fail;
	}
	*out = x;
	x = NULL;
	r = MINDL_OK;
fail:
	X509_free(x);
	return r;
}

/*
 * Adds a checked root to the list and to OpenSSL's store; takes ownership
 * of x and der on success.
 */
static int
root_add(struct mindl_trust *t, X509 *x, uint8_t *der, size_t len,
    unsigned allow)
{
	int r;

	if ((r = roots_reserve(&t->roots, 1)) != MINDL_OK)
		return r;
	/* Hashed first: the list and OpenSSL's store never disagree. */
	if ((r = roots_push(&t->roots, x, der, len, allow)) != MINDL_OK)
		return r;
	if (X509_STORE_add_cert(t->store, x) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: X509_STORE_add_cert", __func__);
		t->roots.n--;	/* not taken: the caller still owns x, der */
		return MINDL_ERR_CRYPTO;
	}
	return MINDL_OK;
}

int
mindl_trust_add_der(struct mindl_trust *t, const uint8_t *der, size_t len)
{
	return mindl_trust_add_der_allow(t, der, len, 0);
}

int
mindl_trust_add_der_allow(struct mindl_trust *t, const uint8_t *der,
    size_t len, unsigned allow)
{
	X509 *x = NULL;
	uint8_t *copy = NULL;
	int r = MINDL_ERR_INTERNAL;

	if (t == NULL || der == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((r = root_check(der, len, &x)) != MINDL_OK)
		goto fail;
	if (mindl_trust_is_root(t, der, len)) {
		r = MINDL_OK;	/* already trusted */
		goto fail;
	}
	if ((copy = mindl_malloc(len)) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	memcpy(copy, der, len);
	if ((allow & ~MINDL_DEV_ALL) != 0) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((r = root_add(t, x, copy, len, allow)) != MINDL_OK)
		goto fail;
	x = NULL;
	copy = NULL;
	r = MINDL_OK;
fail:
	free(copy);
	X509_free(x);
	return r;
}

/*
 * All or nothing: every certificate of the file is checked, and room made
 * for the new ones, before any is added, so a bad bundle or one too many
 * leaves the store as it was.
 */
int
mindl_trust_add_pem_file(struct mindl_trust *t, const char *path)
{
	struct roots add = { NULL, 0, 0 };
	uint8_t *file = NULL, *d = NULL;
	size_t filelen = 0, dlen = 0, n = 0, i;
	BIO *bio = NULL;
	X509 *x = NULL;
	int r = MINDL_ERR_INTERNAL;

	if (t == NULL || path == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((r = mindl_file_read(path, MINDL_X509_PEM_MAX, &file,
	    &filelen)) != MINDL_OK)
		goto fail;
	if ((bio = BIO_new_mem_buf(file, (int)filelen)) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	for (;;) {
		if ((r = mindl_x509_pem_next(bio, 0, &d, &dlen)) != MINDL_OK)
			goto fail;
		if (d == NULL)
			break;
		n++;
		if ((r = root_check(d, dlen, &x)) != MINDL_OK) {
			mindl_log_debug("%s: %s: certificate %zu", __func__,
			    path, n);
			goto fail;
		}
		/* Already trusted, or twice in the file: nothing to add. */
		if (roots_has(&t->roots, d, dlen) || roots_has(&add, d, dlen)) {
			X509_free(x);
			free(d);
			x = NULL;
			d = NULL;
			continue;
		}
		if ((r = roots_reserve(&add, 1)) != MINDL_OK ||
		    (r = roots_push(&add, x, d, dlen, 0)) != MINDL_OK) {
			mindl_log_debug("%s: %s: certificate %zu", __func__,
			    path, n);
			goto fail;
		}
		x = NULL;
		d = NULL;
	}
	if (n == 0) {
		mindl_log_debug("%s: %s: no certificate", __func__, path);
		r = MINDL_ERR_X509;
		goto fail;
	}
	if ((r = roots_reserve(&t->roots, add.n)) != MINDL_OK)
		goto fail;
	/*
	 * With room made, only an allocation failure inside OpenSSL can stop
	 * this loop part way; the roots added until then stay, in the list
	 * and in the store alike, so that the two never disagree.
	 */
	for (i = 0; i < add.n; i++) {
		if ((r = root_add(t, add.v[i].x, add.v[i].der,
		    add.v[i].len, 0)) != MINDL_OK)
			goto fail;
		add.v[i].x = NULL;
		add.v[i].der = NULL;
	}
	r = MINDL_OK;
fail:
	roots_clear(&add);
	X509_free(x);
	free(d);
	BIO_free(bio);
	free(file);
	return r;
}

/*
 * Time is judged after the chain and profile checks, from the same
 * intervals the cache keeps; the callback lets OpenSSL finish the rest of
 * the verification and records that it saw a time error.
 */
static int
verify_cb(int ok, X509_STORE_CTX *ctx)
{
	int *time_bad;

	if (ok)
		return ok;
	switch (X509_STORE_CTX_get_error(ctx)) {
	case X509_V_ERR_CERT_NOT_YET_VALID:
	case X509_V_ERR_CERT_HAS_EXPIRED:
		if ((time_bad = X509_STORE_CTX_get_app_data(ctx)) != NULL)
			*time_bad = 1;
		return 1;
	default:
		return 0;
	}
}

static int
map_verify_error(int err)
{
	switch (err) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
	case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_CERT_UNTRUSTED:
	case X509_V_ERR_CERT_REJECTED:
	case X509_V_ERR_SUBJECT_ISSUER_MISMATCH:
	case X509_V_ERR_AKID_SKID_MISMATCH:
	case X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH:
	case X509_V_ERR_CERT_CHAIN_TOO_LONG:
		return MINDL_ERR_UNTRUSTED;
	case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
	case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
		return MINDL_ERR_X509;
	case X509_V_ERR_OUT_OF_MEM:
		return MINDL_ERR_NOMEM;
	default:
		/* Strict RFC 5280 checks, bad CA, critical extensions. */
		return MINDL_ERR_CERT_PROFILE;
	}
}

/*
 * The entry for a certificate accepted in this role: a certificate
 * accepted as a DS is not thereby a status signer, nor the reverse.
 */
static struct cache_ent *
cache_find(struct mindl_trust *t, const uint8_t hash[MINDL_SHA256_LEN],
    enum role role)
{
	size_t i;

	/* Not secret: the DER is public, so memcmp is fine. */
	for (i = 0; i < CACHE_MAX; i++)
		if (t->cache[i].pub != NULL && t->cache[i].role == role &&
		    memcmp(t->cache[i].hash, hash, MINDL_SHA256_LEN) == 0)
			return &t->cache[i];
	return NULL;
}

/*
 * Inserts into the ring, evicting the oldest entry, or refreshes the entry
 * already held for this certificate.
 */
static void
cache_put(struct mindl_trust *t, const uint8_t hash[MINDL_SHA256_LEN],
    enum role role, const uint8_t root[MINDL_SHA256_LEN], int64_t nb,
    int64_t na, unsigned dev, struct mindl_key *pub)
{
	struct cache_ent *e;

	if ((e = cache_find(t, hash, role)) == NULL) {
		e = &t->cache[t->cache_next];
		t->cache_next = (t->cache_next + 1) % CACHE_MAX;
	}

	mindl_key_free(&e->pub);
	memcpy(e->hash, hash, MINDL_SHA256_LEN);
	memcpy(e->root, root, MINDL_SHA256_LEN);
	e->role = role;
	e->not_before = nb;
	e->not_after = na;
	e->dev = dev;
	e->pub = mindl_key_ref(pub);
}

/* The cached validity of a leaf accepted in role. */
static int
leaf_validity(struct mindl_trust *t, enum role role, const uint8_t *der,
    size_t len, int64_t *not_before, int64_t *not_after)
{
	uint8_t hash[MINDL_SHA256_LEN];
	struct cache_ent *e;
	int r;

	if (t == NULL || der == NULL || len == 0)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_sha256(der, len, hash)) != MINDL_OK)
		return r;
	if ((e = cache_find(t, hash, role)) == NULL)
		return MINDL_ERR_UNTRUSTED;
	*not_before = e->not_before;
	*not_after = e->not_after;
	return MINDL_OK;
}

int
mindl_trust_ds_validity(struct mindl_trust *t, const uint8_t *der,
    size_t len, int64_t *not_before, int64_t *not_after)
{
	return leaf_validity(t, ROLE_DS, der, len, not_before, not_after);
}

int
mindl_trust_ds_deviations(struct mindl_trust *t, const uint8_t *der,
    size_t len, unsigned *dev)
{
	uint8_t hash[MINDL_SHA256_LEN];
	struct cache_ent *e;
	int r;

	if (t == NULL || der == NULL || len == 0 || dev == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_sha256(der, len, hash)) != MINDL_OK)
		return r;
	if ((e = cache_find(t, hash, ROLE_DS)) == NULL)
		return MINDL_ERR_UNTRUSTED;
	*dev = e->dev;
	return MINDL_OK;
}

int
mindl_trust_root_der(const struct mindl_trust *t,
    const uint8_t hash[MINDL_SHA256_LEN], const uint8_t **der, size_t *len)
{
	const struct root *rt;

	if (t == NULL || hash == NULL || der == NULL || len == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((rt = roots_find(&t->roots, hash)) == NULL)
		return MINDL_ERR_UNTRUSTED;
	*der = rt->der;
	*len = rt->len;
	return MINDL_OK;
}

int
mindl_trust_ds_root(struct mindl_trust *t, const uint8_t *der, size_t len,
    uint8_t root[MINDL_SHA256_LEN])
{
	uint8_t hash[MINDL_SHA256_LEN];
	struct cache_ent *e;
	int r;

	if (t == NULL || der == NULL || len == 0 || root == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_sha256(der, len, hash)) != MINDL_OK)
		return r;
	if ((e = cache_find(t, hash, ROLE_DS)) == NULL)
		return MINDL_ERR_UNTRUSTED;
	memcpy(root, e->root, MINDL_SHA256_LEN);
	return MINDL_OK;
}

/*
 * Builds x's chain to a root of t at time at and checks it under
 * X509_V_FLAG_X509_STRICT.  Time faults do not fail it: they set
 * *time_bad (see verify_cb).  On success *out holds the chain, for the
 * caller's profile checks (free with X509_STORE_CTX_free).
 */
static int
chain_build(struct mindl_trust *t, X509 *x, int64_t at, int *time_bad,
    X509_STORE_CTX **out)
{
	X509_STORE_CTX *ctx = NULL;
	X509_VERIFY_PARAM *param;
	int ret, r = MINDL_ERR_INTERNAL;

	*out = NULL;
	if ((int64_t)(time_t)at != at) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, t->store, x, NULL) != 1) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	/*
	 * No purpose is set: OpenSSL's purposes know nothing of the mDL
	 * EKUs and would reject them; the profile checks (for a DS,
	 * mindl_x509_ds_profile()) check the EKU instead.
	 */
	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
	X509_VERIFY_PARAM_set_time(param, (time_t)at);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	X509_STORE_CTX_set_app_data(ctx, time_bad);
	if ((ret = X509_verify_cert(ctx)) != 1) {
		mindl_log_ossl(__func__);
		if (ret < 0) {
			mindl_log_debug("%s: X509_verify_cert", __func__);
			r = MINDL_ERR_CRYPTO;
			goto fail;
		}
		mindl_log_debug("%s: %s", __func__,
		    X509_verify_cert_error_string(
		    X509_STORE_CTX_get_error(ctx)));
		r = map_verify_error(X509_STORE_CTX_get_error(ctx));
		goto fail;
	}
	*out = ctx;
	ctx = NULL;
	r = MINDL_OK;
fail:
	X509_STORE_CTX_free(ctx);
	return r;
}

/*
 * The Annex B checks on a chain that chain_build() accepted: the leaf
 * then its IACA, nothing else, the IACA profile, and the leaf's profile
 * for its role (x509.c).  nb and na are the leaf's validity; *rnb and
 * *rna get the IACA's, root the SHA-256 of the IACA's DER (which root
 * the leaf chained to, so that a caller can require two certificates to
 * chain to the same one).
 */
static int
leaf_chain_check(const struct mindl_trust *t, X509_STORE_CTX *ctx, X509 *x,
    enum role role, int64_t nb, int64_t na, int64_t *rnb, int64_t *rna,
    uint8_t root_hash[MINDL_SHA256_LEN], unsigned *dev)
{
	STACK_OF(X509) *chain;
	const struct root *rt;
	X509 *root;
	unsigned int mdlen = 0;
	int64_t b, a;
	int r;

	chain = X509_STORE_CTX_get0_chain(ctx);
	if (chain == NULL || sk_X509_num(chain) != 2) {
		mindl_log_debug("%s: chain of %d", __func__,
		    chain == NULL ? 0 : sk_X509_num(chain));
		return chain != NULL && sk_X509_num(chain) == 1 ?
		    MINDL_ERR_IACA_IN_CHAIN : MINDL_ERR_UNTRUSTED;
	}
	root = sk_X509_value(chain, 1);
	/* SHA-256 over the root's DER, as its file holds it. */
	if (X509_digest(root, EVP_sha256(), root_hash, &mdlen) != 1 ||
	    mdlen != MINDL_SHA256_LEN) {
		mindl_log_ossl(__func__);
		return MINDL_ERR_CRYPTO;
	}
	if ((rt = roots_find(&t->roots, root_hash)) == NULL) {
		mindl_log_debug("%s: chain ends at no root of ours", __func__);
		return MINDL_ERR_UNTRUSTED;
	}
	if ((r = mindl_x509_times(root, &b, &a)) != MINDL_OK)
		return r;
	if (role == ROLE_READER) {
		/*
		 * A reader CA is no IACA: ISO 18013-5 gives it no place or
		 * name rules (Annex D's reader root has no C).  It must be a
		 * CA that may sign certificates, and nothing more is asked.
		 */
		*dev = 0;
		if (X509_check_ca(root) != 1 ||
		    (X509_get_extension_flags(root) & EXFLAG_KUSAGE) == 0 ||
		    (X509_get_key_usage(root) & KU_KEY_CERT_SIGN) == 0) {
			mindl_log_debug("%s: reader root not a CA with "
			    "keyCertSign", __func__);
			return MINDL_ERR_CERT_PROFILE;
		}
	} else if ((r = mindl_x509_iaca_deviations(root, dev)) != MINDL_OK)
		return r;
	/* A deviation is used only where it was allowed for this root. */
	if ((*dev & ~rt->allow) != 0) {
		mindl_log_debug("%s: root deviations %#x, allowed %#x",
		    __func__, *dev, rt->allow);
		return MINDL_ERR_DEVIATION;
	}
	r = role == ROLE_DS ? mindl_x509_ds_profile(x, root, nb, na) :
	    role == ROLE_READER ? mindl_x509_reader_profile(x) :
	    mindl_x509_status_signer_profile(x, root, nb, na);
	if (r != MINDL_OK)
		return r;
	*rnb = b;
	*rna = a;
	return MINDL_OK;
}

/*
 * A leaf certificate (DS or status signer) against the store at `at`:
 * cached, or the chain built and checked, then cached.
 */
static int
verify_leaf(struct mindl_trust *t, enum role role, const uint8_t *der,
    size_t len, int64_t at, struct mindl_key **pub,
    uint8_t root[MINDL_SHA256_LEN])
{
	uint8_t hash[MINDL_SHA256_LEN], rh[MINDL_SHA256_LEN];
	X509 *x = NULL;
	X509_STORE_CTX *ctx = NULL;
	struct cache_ent *e;
	struct mindl_key *k = NULL;
	int64_t nb, na, rnb, rna;
	unsigned dev = 0;
	int time_bad = 0, r = MINDL_ERR_INTERNAL;

	if (pub != NULL)
		*pub = NULL;
	if (t == NULL || der == NULL || pub == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if (len == 0 || len > MINDL_MAX_CERT_LEN) {
		mindl_log_debug("%s: length %zu", __func__, len);
		r = MINDL_ERR_X509;
		goto fail;
	}
	if ((r = mindl_sha256(der, len, hash)) != MINDL_OK)
		goto fail;
	/*
	 * A hit inside its interval is done; outside it, the full path runs
	 * again, since another root with the same name and key but other
	 * dates (a re-issued IACA) may cover `at'.
	 */
	if ((e = cache_find(t, hash, role)) != NULL && at >= e->not_before &&
	    at <= e->not_after) {
		if (root != NULL)
			memcpy(root, e->root, MINDL_SHA256_LEN);
		*pub = mindl_key_ref(e->pub);
		r = MINDL_OK;
		goto fail;
	}
	if (mindl_trust_is_root(t, der, len)) {
		mindl_log_debug("%s: IACA certificate in x5chain", __func__);
		r = MINDL_ERR_IACA_IN_CHAIN;
		goto fail;
	}
	if ((r = mindl_x509_parse_der(der, len, &x)) != MINDL_OK ||
	    (r = mindl_x509_times(x, &nb, &na)) != MINDL_OK ||
	    (r = chain_build(t, x, at, &time_bad, &ctx)) != MINDL_OK ||
	    (r = leaf_chain_check(t, ctx, x, role, nb, na, &rnb, &rna,
	    rh, &dev)) != MINDL_OK)
		goto fail;
	if (rnb > nb)
		nb = rnb;
	if (rna < na)
		na = rna;
	if (time_bad || at < nb || at > na) {
		mindl_log_debug("%s: outside validity", __func__);
		r = MINDL_ERR_CERT_EXPIRED;
		goto fail;
	}
	if ((r = mindl_x509_cert_pubkey(x, &k)) != MINDL_OK)
		goto fail;
	cache_put(t, hash, role, rh, nb, na, dev, k);
	if (root != NULL)
		memcpy(root, rh, MINDL_SHA256_LEN);
	*pub = k;
	k = NULL;
	r = MINDL_OK;
fail:
	mindl_key_free(&k);
	X509_STORE_CTX_free(ctx);
	X509_free(x);
	return r;
}

int
mindl_trust_verify_ds(struct mindl_trust *t, const uint8_t *der,
    size_t len, int64_t at, struct mindl_key **pub)
{
	return verify_leaf(t, ROLE_DS, der, len, at, pub, NULL);
}

int
mindl_trust_verify_status_signer(struct mindl_trust *t, const uint8_t *der,
    size_t len, int64_t at, struct mindl_key **pub,
    uint8_t root[MINDL_SHA256_LEN])
{
	return verify_leaf(t, ROLE_STATUS_SIGNER, der, len, at, pub, root);
}

int
mindl_trust_status_signer_validity(struct mindl_trust *t, const uint8_t *der,
    size_t len, int64_t *not_before, int64_t *not_after)
{
	return leaf_validity(t, ROLE_STATUS_SIGNER, der, len, not_before,
	    not_after);
}

int
mindl_trust_verify_reader(struct mindl_trust *t, const uint8_t *der,
    size_t len, int64_t at, struct mindl_key **pub)
{
	return verify_leaf(t, ROLE_READER, der, len, at, pub, NULL);
}
