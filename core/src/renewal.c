/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: renewal without the record (mindl/renewal.h, DESIGN.md section
 * 3.2).  The desk keeps no personal data, so the values of a renewed
 * licence come from the holder's old credential: this file checks that
 * the desk signed exactly those values (with the verifier's own checks,
 * verify.c), that the holder holds one of the old device keys (a proof
 * over the desk's fresh challenge, bound to the old file and to the new
 * keys), and turns the values back into the record the DMV system would
 * have given, which record.c then judges by every rule of a record.
 */
#include <stdlib.h>
#include <string.h>

#include "mindl/cbor.h"
#include "mindl/cose.h"
#include "mindl/date.h"
#include "mindl/err.h"
#include "mindl/mdoc.h"
#include "mindl/mso.h"
#include "mindl/renewal.h"
#include "internal.h"

#define CHALLENGE_TYPE	"mindl.RenewalChallenge"
#define PROOF_CONTEXT	"mindl.RenewalProof"
#define RENEWAL_V	1
#define PROOF_FIELDS	6

/* A credential file's entries, decoded (not verified). */
struct credfile {
	struct mindl_cbor		*doc;
	const struct mindl_cbor_item	*e[MINDL_MAX_BATCH];
	size_t				 n;
};

static void
cred_close(struct credfile *cf)
{
	mindl_cbor_free(&cf->doc);
	memset(cf, 0, sizeof(*cf));
}

static int
cred_open(const uint8_t *buf, size_t len, struct credfile *cf)
{
	const struct mindl_cbor_item *root, *e;
	struct mindl_cbor_iter it;
	int r;

	memset(cf, 0, sizeof(*cf));
	if (buf == NULL || len == 0)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_cbor_decode(buf, len, &cf->doc)) != MINDL_OK)
		return r;
	root = mindl_cbor_root(cf->doc);
	if (mindl_file_kind(root) != MINDL_FILE_CREDENTIAL) {
		mindl_log_debug("%s: not a credential file", __func__);
		cred_close(cf);
		return MINDL_ERR_CBOR_TYPE;
	}
	if (root->u > MINDL_MAX_BATCH) {
		cred_close(cf);
		return MINDL_ERR_CBOR_LIMIT;
	}
	(void)mindl_cbor_iter_init(&it, root, MINDL_CBOR_ARRAY);
	while ((e = mindl_cbor_iter_next(&it)) != NULL)
		cf->e[cf->n++] = e;
	return MINDL_OK;
}

/* The device key of a credential entry (its MSO's deviceKeyInfo). */
static int
entry_device_key(const struct mindl_cbor_item *e, struct mindl_key **out)
{
	struct mindl_document *d = NULL;
	int r;

	*out = NULL;
	if ((r = mindl_document_parse(e, 0, &d)) == MINDL_OK)
		r = mindl_mso_device_key(mindl_issuer_signed_mso(
		    mindl_document_issuer_signed(d)), out);
	mindl_document_free(&d);
	return r;
}

/*
 * SHA-256 of [+ COSE_Key] for the new keys, in order: 1 to
 * MINDL_MAX_BATCH distinct P-256 keys (the issuer issues to no other).
 */
static int
keys_digest(const struct mindl_key *const *k, size_t n,
    uint8_t h[MINDL_SHA256_LEN])
{
	struct mindl_enc e;
	uint8_t *enc = NULL;
	size_t enclen = 0, i, j;
	int r;

	if (k == NULL || n == 0 || n > MINDL_MAX_BATCH)
		return MINDL_ERR_INVALID_ARG;
	for (i = 0; i < n; i++) {
		if (k[i] == NULL)
			return MINDL_ERR_INVALID_ARG;
		if (mindl_key_curve(k[i]) != MINDL_CRV_P256) {
			mindl_log_debug("%s: key %zu not P-256", __func__, i);
			return MINDL_ERR_KEY;
		}
		for (j = 0; j < i; j++)
			if (mindl_key_same_public(k[i], k[j])) {
				mindl_log_debug("%s: keys %zu and %zu are one",
				    __func__, j, i);
				return MINDL_ERR_KEY;
			}
	}
	mindl_enc_init(&e, (size_t)n * 128 + 16);
	mindl_enc_array(&e, n);
	for (i = 0; i < n; i++)
		if ((r = mindl_cose_key_write(&e, k[i])) != MINDL_OK) {
			mindl_enc_clear(&e);
			return r;
		}
	if ((r = mindl_enc_finish(&e, &enc, &enclen)) != MINDL_OK)
		return r;
	r = mindl_sha256(enc, enclen, h);
	free(enc);
	return r;
}

/*
 * None of the new keys may be a device key of the old credential: the
 * new copies would share it with the old ones, and a verifier who saw
 * both could link them.
 */
static int
keys_fresh(const struct credfile *cf, const struct mindl_key *const *k,
    size_t n)
{
	struct mindl_key *old = NULL;
	size_t i, j;
	int r = MINDL_OK;

	for (i = 0; i < cf->n && r == MINDL_OK; i++) {
		if ((r = entry_device_key(cf->e[i], &old)) != MINDL_OK)
			break;
		for (j = 0; j < n; j++)
			if (mindl_key_same_public(old, k[j])) {
				mindl_log_debug("%s: new key %zu is the device "
				    "key of copy %zu", __func__, j, i);
				r = MINDL_ERR_KEY;
				break;
			}
		mindl_key_free(&old);
	}
	return r;
}

int
mindl_renewal_challenge_write(const uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN],
    int64_t exp, struct mindl_buf *out)
{
	struct mindl_enc e;
	int r;

	mindl_buf_clear(out);
	if (ch == NULL || exp < 0)
		return MINDL_ERR_INVALID_ARG;
	mindl_enc_init(&e, MINDL_RENEWAL_MAX_CHALLENGE);
	mindl_enc_map(&e, 4);
	mindl_enc_tstr(&e, "v");
	mindl_enc_uint(&e, RENEWAL_V);
	mindl_enc_tstr(&e, "type");
	mindl_enc_tstr(&e, CHALLENGE_TYPE);
	mindl_enc_tstr(&e, "challenge");
	mindl_enc_bstr(&e, ch, MINDL_RENEWAL_CHALLENGE_LEN);
	mindl_enc_tstr(&e, "exp");
	mindl_enc_uint(&e, (uint64_t)exp);
	if ((r = mindl_enc_finish_buf(&e, out)) != MINDL_OK)
		mindl_buf_clear(out);
	return r;
}

int
mindl_renewal_challenge_parse(const uint8_t *buf, size_t len,
    uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN], int64_t *exp)
{
	struct mindl_cbor *doc = NULL;
	struct mindl_cbor_rd rd;
	const struct mindl_cbor_item *root, *v, *c, *x;
	int r;

	if (buf == NULL || ch == NULL || exp == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (len > MINDL_RENEWAL_MAX_CHALLENGE)
		return MINDL_ERR_TOO_LARGE;
	if ((r = mindl_cbor_decode(buf, len, &doc)) != MINDL_OK)
		return r;
	root = mindl_cbor_root(doc);
	mindl_cbor_rd_init(&rd);
	(void)mindl_cbor_rd_type(&rd, root, MINDL_CBOR_MAP, "challenge");
	/* The version first: a later one may differ in everything else. */
	v = mindl_cbor_rd_get(&rd, root, "v", MINDL_CBOR_UINT);
	if (rd.err == MINDL_OK && v->u != RENEWAL_V)
		(void)mindl_cbor_rd_fail(&rd, MINDL_ERR_VERSION, "v");
	mindl_cbor_rd_text_is(&rd, root, "type", CHALLENGE_TYPE,
	    MINDL_ERR_CBOR_TYPE);
	c = mindl_cbor_rd_get(&rd, root, "challenge", MINDL_CBOR_BSTR);
	x = mindl_cbor_rd_get(&rd, root, "exp", MINDL_CBOR_UINT);
	if (rd.err == MINDL_OK && (root->u != 4 ||
	    c->len != MINDL_RENEWAL_CHALLENGE_LEN ||
	    x->u > (uint64_t)INT64_MAX))
		(void)mindl_cbor_rd_fail(&rd, MINDL_ERR_CBOR_TYPE, "challenge");
	if ((r = rd.err) == MINDL_OK) {
		memcpy(ch, c->ptr, MINDL_RENEWAL_CHALLENGE_LEN);
		*exp = (int64_t)x->u;
	} else
		mindl_log_debug("%s: %s: %s", __func__,
		    rd.what != NULL ? rd.what : "?", mindl_errname(r));
	mindl_cbor_free(&doc);
	return r;
}

/* A parsed proof file; borrows from its bytes. */
struct proof {
	struct mindl_cbor	*doc;
	struct mindl_cose_msg	 m;
	int			 has_m;
	struct mindl_cbor	*pdoc;		/* the payload */
	const uint8_t		*ch, *cred_h, *keys_h;
	uint64_t		 copy;
};

static void
proof_clear(struct proof *p)
{
	if (p->has_m)
		mindl_cose_clear(&p->m);
	mindl_cbor_free(&p->pdoc);
	mindl_cbor_free(&p->doc);
	memset(p, 0, sizeof(*p));
}

/* RenewalProof = [context, 1, challenge, credential, copy, newKeys]. */
static int
proof_payload(struct proof *p)
{
	const struct mindl_cbor_item *a, *f[PROOF_FIELDS];
	struct mindl_cbor_iter it;
	size_t i;
	int r;

	if ((r = mindl_cbor_decode(p->m.payload, p->m.payloadlen, &p->pdoc)) !=
	    MINDL_OK)
		return r;
	a = mindl_cbor_root(p->pdoc);
	if (mindl_cbor_iter_init(&it, a, MINDL_CBOR_ARRAY) != MINDL_OK ||
	    a->u == 0)
		return MINDL_ERR_CBOR_TYPE;
	for (i = 0; i < PROOF_FIELDS; i++)
		f[i] = mindl_cbor_iter_next(&it);
	if (f[0]->type != MINDL_CBOR_TSTR)
		return MINDL_ERR_CBOR_TYPE;
	if (!mindl_cbor_is_str(f[0], PROOF_CONTEXT)) {
		mindl_log_debug("%s: another context", __func__);
		return MINDL_ERR_RENEWAL_PROOF;
	}
	if (f[1] == NULL || f[1]->type != MINDL_CBOR_UINT)
		return MINDL_ERR_CBOR_TYPE;
	if (f[1]->u != RENEWAL_V)
		return MINDL_ERR_VERSION;
	if (a->u != PROOF_FIELDS || f[2]->type != MINDL_CBOR_BSTR ||
	    f[2]->len != MINDL_RENEWAL_CHALLENGE_LEN ||
	    f[3]->type != MINDL_CBOR_BSTR || f[3]->len != MINDL_SHA256_LEN ||
	    f[4]->type != MINDL_CBOR_UINT ||
	    f[5]->type != MINDL_CBOR_BSTR || f[5]->len != MINDL_SHA256_LEN)
		return MINDL_ERR_CBOR_TYPE;
	p->ch = f[2]->ptr;
	p->cred_h = f[3]->ptr;
	p->copy = f[4]->u;
	p->keys_h = f[5]->ptr;
	return MINDL_OK;
}

/*
 * A proof file: an untagged COSE_Sign1 with nothing in its headers but
 * the protected alg, and an attached RenewalProof.
 */
static int
proof_parse(const uint8_t *buf, size_t len, struct proof *p)
{
	const struct mindl_cbor_item *root, *unprot;
	int r;

	memset(p, 0, sizeof(*p));
	if (buf == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (len > MINDL_RENEWAL_MAX_PROOF)
		return MINDL_ERR_TOO_LARGE;
	if ((r = mindl_cbor_decode(buf, len, &p->doc)) != MINDL_OK)
		return r;
	root = mindl_cbor_root(p->doc);
	if (root->type == MINDL_CBOR_TAG)
		return MINDL_ERR_CBOR_TAG;
	if ((r = mindl_cose_parse(root, &p->m)) != MINDL_OK)
		return r;
	p->has_m = 1;
	unprot = mindl_cbor_next(mindl_cbor_child(root));
	if (unprot == NULL || unprot->type != MINDL_CBOR_MAP || unprot->u != 0 ||
	    p->m.protdoc == NULL || mindl_cbor_root(p->m.protdoc)->u != 1) {
		mindl_log_debug("%s: headers beyond alg", __func__);
		return MINDL_ERR_COSE_HEADER;
	}
	if (p->m.payload == NULL)
		return MINDL_ERR_MISSING;
	return proof_payload(p);
}

int
mindl_renewal_proof_challenge(const uint8_t *proof, size_t plen,
    uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN])
{
	struct proof p;
	int r;

	if (ch == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = proof_parse(proof, plen, &p)) == MINDL_OK)
		memcpy(ch, p.ch, MINDL_RENEWAL_CHALLENGE_LEN);
	proof_clear(&p);
	return r;
}

int
mindl_renewal_proof_verify(const uint8_t *proof, size_t plen,
    const uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN], const uint8_t *cred,
    size_t credlen, const struct mindl_key *const *newkeys, size_t n,
    size_t *copy)
{
	struct credfile cf;
	struct proof p;
	struct mindl_key *dkey = NULL;
	uint8_t h[MINDL_SHA256_LEN];
	int r = MINDL_ERR_INTERNAL;

	memset(&cf, 0, sizeof(cf));
	if (ch == NULL || copy == NULL) {
		memset(&p, 0, sizeof(p));
		r = MINDL_ERR_INVALID_ARG;
		goto out;
	}
	*copy = 0;
	if ((r = proof_parse(proof, plen, &p)) != MINDL_OK ||
	    (r = cred_open(cred, credlen, &cf)) != MINDL_OK)
		goto out;
	if (p.copy >= cf.n) {
		mindl_log_debug("%s: copy %llu of %zu", __func__,
		    (unsigned long long)p.copy, cf.n);
		r = MINDL_ERR_RENEWAL_PROOF;
		goto out;
	}
	if ((r = entry_device_key(cf.e[p.copy], &dkey)) != MINDL_OK)
		goto out;
	/* The signature first: nothing of the payload counts before it. */
	if ((r = mindl_cose_sign1_verify(&p.m, dkey, NULL, 0)) != MINDL_OK) {
		mindl_log_debug("%s: signature: %s", __func__,
		    mindl_errname(r));
		if (r == MINDL_ERR_SIGNATURE || r == MINDL_ERR_KEY_MISMATCH ||
		    r == MINDL_ERR_COSE_ALG)
			r = MINDL_ERR_RENEWAL_PROOF;
		goto out;
	}
	if (!mindl_ct_eq(p.ch, ch, MINDL_RENEWAL_CHALLENGE_LEN)) {
		mindl_log_debug("%s: another challenge", __func__);
		r = MINDL_ERR_CHALLENGE;
		goto out;
	}
	if ((r = mindl_sha256(cred, credlen, h)) != MINDL_OK)
		goto out;
	if (!mindl_ct_eq(p.cred_h, h, sizeof(h))) {
		mindl_log_debug("%s: another credential", __func__);
		r = MINDL_ERR_RENEWAL_PROOF;
		goto out;
	}
	if ((r = keys_digest(newkeys, n, h)) != MINDL_OK)
		goto out;
	if (!mindl_ct_eq(p.keys_h, h, sizeof(h))) {
		mindl_log_debug("%s: other new keys", __func__);
		r = MINDL_ERR_RENEWAL_PROOF;
		goto out;
	}
	if ((r = keys_fresh(&cf, newkeys, n)) != MINDL_OK)
		goto out;
	*copy = (size_t)p.copy;
	r = MINDL_OK;
 out:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_key_free(&dkey);
	proof_clear(&p);
	cred_close(&cf);
	return r;
}

int
mindl_renewal_proof_write(const struct mindl_signer *dev,
    const uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN], const uint8_t *cred,
    size_t credlen, size_t copy, const struct mindl_key *const *newkeys,
    size_t n, struct mindl_buf *out)
{
	struct credfile cf;
	struct mindl_enc e;
	uint8_t credh[MINDL_SHA256_LEN], keysh[MINDL_SHA256_LEN];
	uint8_t *payload = NULL;
	size_t plen = 0, got;
	int r = MINDL_ERR_INTERNAL;

	mindl_buf_clear(out);
	mindl_enc_init(&e, MINDL_RENEWAL_MAX_PROOF);
	if (dev == NULL || ch == NULL) {
		memset(&cf, 0, sizeof(cf));
		r = MINDL_ERR_INVALID_ARG;
		goto out;
	}
	if ((r = cred_open(cred, credlen, &cf)) != MINDL_OK)
		goto out;
	if (copy >= cf.n) {
		r = MINDL_ERR_INVALID_ARG;
		goto out;
	}
	if ((r = keys_digest(newkeys, n, keysh)) != MINDL_OK ||
	    (r = keys_fresh(&cf, newkeys, n)) != MINDL_OK ||
	    (r = mindl_sha256(cred, credlen, credh)) != MINDL_OK)
		goto out;
	mindl_enc_array(&e, PROOF_FIELDS);
	mindl_enc_tstr(&e, PROOF_CONTEXT);
	mindl_enc_uint(&e, RENEWAL_V);
	mindl_enc_bstr(&e, ch, MINDL_RENEWAL_CHALLENGE_LEN);
	mindl_enc_bstr(&e, credh, sizeof(credh));
	mindl_enc_uint(&e, copy);
	mindl_enc_bstr(&e, keysh, sizeof(keysh));
	if ((r = mindl_enc_finish(&e, &payload, &plen)) != MINDL_OK)
		goto out;
	mindl_enc_init(&e, MINDL_RENEWAL_MAX_PROOF);
	if ((r = mindl_cose_sign1_write(&e, dev, payload, plen, 0, NULL,
	    0)) != MINDL_OK || (r = mindl_enc_finish_buf(&e, out)) != MINDL_OK)
		goto out;
	/*
	 * As the desk will check it: a signer that is not this copy's device
	 * key made a proof no desk accepts, and the holder should hear so
	 * now, not at the counter.
	 */
	r = mindl_renewal_proof_verify(mindl_buf_ptr(out), mindl_buf_len(out),
	    ch, cred, credlen, newkeys, n, &got);
	if (r == MINDL_ERR_RENEWAL_PROOF)
		r = MINDL_ERR_NOT_DEVICE_KEY;
	else if (r == MINDL_OK && got != copy)
		r = MINDL_ERR_INTERNAL;
 out:
	if (r != MINDL_OK) {
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
		mindl_buf_clear(out);
	}
	mindl_enc_clear(&e);
	free(payload);
	cred_close(&cf);
	return r;
}

struct mindl_renewal_cred {
	uint8_t			*buf;
	size_t			 len;
	struct credfile		 cf;
	struct mindl_document	*d[MINDL_MAX_BATCH];
};

void
mindl_renewal_cred_free(struct mindl_renewal_cred **cp)
{
	struct mindl_renewal_cred *c;
	size_t i;

	if (cp == NULL || (c = *cp) == NULL)
		return;
	for (i = 0; i < MINDL_MAX_BATCH; i++)
		mindl_document_free(&c->d[i]);
	cred_close(&c->cf);
	if (c->buf != NULL)
		mindl_freezero(c->buf, c->len);
	free(c);
	*cp = NULL;
}

size_t
mindl_renewal_cred_copies(const struct mindl_renewal_cred *c)
{
	return c == NULL ? 0 : c->cf.n;
}

/* Failures of the machine stay what they are; the rest is "not ours". */
static int
not_here(int r, size_t copy, const char *what, struct mindl_renewal_fault *f)
{
	if (r == MINDL_ERR_NOMEM || r == MINDL_ERR_CRYPTO ||
	    r == MINDL_ERR_INTERNAL || r == MINDL_ERR_IO)
		return r;
	mindl_log_debug("renewal: copy %zu: %s: %s", copy, what,
	    mindl_errname(r));
	f->cause = r;
	f->copy = copy;
	f->what = what;
	return MINDL_ERR_NOT_ISSUED_HERE;
}

/* Whether entries a and b hold the same elements with the same values. */
static int
same_values(const struct mindl_issuer_signed *a,
    const struct mindl_issuer_signed *b)
{
	const struct mindl_issuer_item *x, *y;
	size_t i, j, n = mindl_issuer_signed_count(a);

	if (mindl_issuer_signed_count(b) != n)
		return 0;
	for (i = 0; i < n; i++) {
		x = mindl_issuer_signed_item(a, i);
		for (j = 0; j < n; j++) {
			y = mindl_issuer_signed_item(b, j);
			if (strcmp(x->ns_str, y->ns_str) == 0 &&
			    strcmp(x->element_str, y->element_str) == 0)
				break;
		}
		if (j == n || x->value->enclen != y->value->enclen ||
		    memcmp(x->value->enc, y->value->enc, x->value->enclen) != 0)
			return 0;
	}
	return 1;
}

/* One entry: the verifier's checks of the issuer's part, at signing time. */
static int
verify_entry(struct mindl_renewal_cred *c, struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t now, size_t i,
    struct mindl_renewal_fault *f)
{
	const struct mindl_issuer_signed *is;
	const struct mindl_mso *mso;
	struct mindl_mso_validity vi;
	struct mindl_verify_fault vf;
	size_t k;
	int r;

	/* A file that does not parse is no credential: said as it is. */
	if ((r = mindl_document_parse(c->cf.e[i], 0, &c->d[i])) != MINDL_OK)
		return r;
	if (strcmp(mindl_document_doctype_str(c->d[i]),
	    MINDL_DOCTYPE_MDL) != 0)
		return not_here(MINDL_ERR_DOCTYPE, i, "docType", f);
	is = mindl_document_issuer_signed(c->d[i]);
	mso = mindl_issuer_signed_mso(is);
	mindl_mso_validity(mso, &vi);
	/*
	 * The chain at the MSO's signing time (authenticated by the
	 * signature checked with the very DS key that chain yields): a DS
	 * certificate that has expired since still vouches for what it
	 * signed while valid, and every DS of this DMV chains to its IACA.
	 */
	memset(&vf, 0, sizeof(vf));
	if ((r = mindl_issuer_auth_check(trust, vi.signed_at, mso,
	    mindl_document_doctype(c->d[i]), &vf)) != MINDL_OK)
		return not_here(r, i, "issuer signature or certificate chain",
		    f);
	if (vi.signed_at > now + MINDL_CLOCK_SKEW)
		return not_here(MINDL_ERR_SIGNED_LATER, i, "signing time", f);
	for (k = 0; k < mindl_issuer_signed_count(is); k++)
		if ((r = mindl_issuer_item_check(schema, mso,
		    mindl_issuer_signed_item(is, k))) != MINDL_OK)
			return not_here(r, i, "element digest or value", f);
	if (i > 0 && !same_values(mindl_document_issuer_signed(c->d[0]), is))
		return not_here(MINDL_ERR_NOT_ISSUED_HERE, i,
		    "the copies hold different values", f);
	return MINDL_OK;
}

int
mindl_renewal_cred_verify(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t now, const uint8_t *cred,
    size_t credlen, struct mindl_renewal_cred **out,
    struct mindl_renewal_fault *fault)
{
	struct mindl_renewal_cred *c = NULL;
	struct mindl_renewal_fault scratch;
	size_t i;
	int r = MINDL_ERR_INTERNAL;

	if (fault == NULL)
		fault = &scratch;
	memset(fault, 0, sizeof(*fault));
	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	if (trust == NULL || schema == NULL || cred == NULL || credlen == 0)
		return MINDL_ERR_INVALID_ARG;
	if ((c = mindl_calloc(1, sizeof(*c))) == NULL ||
	    (c->buf = mindl_malloc(credlen)) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	memcpy(c->buf, cred, credlen);
	c->len = credlen;
	if ((r = cred_open(c->buf, c->len, &c->cf)) != MINDL_OK)
		goto fail;
	for (i = 0; i < c->cf.n; i++)
		if ((r = verify_entry(c, trust, schema, now, i, fault)) !=
		    MINDL_OK)
			goto fail;
	*out = c;
	c = NULL;
	r = MINDL_OK;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_renewal_cred_free(&c);
	return r;
}

/* "key": value into the record's JSON. */
static int
json_member(struct mindl_buf *json, const char *key, int *first,
    const struct mindl_cbor_item *v)
{
	if (!*first)
		(void)mindl_buf_addc(json, ',');
	*first = 0;
	(void)mindl_buf_add_json_str(json, (const uint8_t *)key, strlen(key));
	(void)mindl_buf_addc(json, ':');
	if (mindl_buf_err(json) != MINDL_OK)
		return mindl_buf_err(json);
	return mindl_value_json(v, json);
}

/*
 * Whether an item goes into the record: anything the tables do not
 * compute and that is not the portrait, unknown elements included, so
 * that the record check refuses what a record could not hold.
 */
static int
record_item(const struct mindl_schema *s, const struct mindl_issuer_item *ii)
{
	const struct schema_elem *el = schema_find(s, ii->ns_str,
	    ii->element_str);

	return el == NULL || el->source == SRC_RECORD;
}

int
mindl_renewal_record_json(const struct mindl_renewal_cred *c,
    const struct mindl_schema *schema, struct mindl_buf *json,
    struct mindl_buf *portrait, int64_t *issue_day, int64_t *expiry_day)
{
	const struct mindl_issuer_signed *is;
	const struct mindl_issuer_item *ii, *jj;
	const struct schema_elem *el;
	int has_issue = 0, has_expiry = 0, first = 1, nfirst;
	size_t i, j, n;
	int r = MINDL_OK;

	mindl_buf_clear(json);
	mindl_buf_clear(portrait);
	if (c == NULL || schema == NULL || issue_day == NULL ||
	    expiry_day == NULL || c->cf.n == 0 || c->d[0] == NULL)
		return MINDL_ERR_INVALID_ARG;
	/* Every copy holds the same values (mindl_renewal_cred_verify). */
	is = mindl_document_issuer_signed(c->d[0]);
	n = mindl_issuer_signed_count(is);
	(void)mindl_buf_addc(json, '{');
	for (i = 0; i < n && r == MINDL_OK; i++) {
		ii = mindl_issuer_signed_item(is, i);
		el = schema_find(schema, ii->ns_str, ii->element_str);
		if (el != NULL && el->source == SRC_PORTRAIT) {
			if (ii->value->type != MINDL_CBOR_BSTR) {
				r = MINDL_ERR_VALUE_TYPE;
				break;
			}
			r = mindl_buf_add(portrait, ii->value->ptr,
			    ii->value->len);
			continue;
		}
		if (el != NULL && el->source == SRC_DERIVED) {
			/* The licence's own dates are kept; the rest is new. */
			if (el->derived == DRV_ISSUE_DATE && strcmp(ii->ns_str,
			    MINDL_NS_ISO) == 0) {
				if (mindl_value_day(ii->value, issue_day) != 0)
					r = MINDL_ERR_DATE;
				has_issue = 1;
			} else if (el->derived == DRV_EXPIRY_DATE &&
			    strcmp(ii->ns_str, MINDL_NS_ISO) == 0) {
				if (mindl_value_day(ii->value, expiry_day) != 0)
					r = MINDL_ERR_DATE;
				has_expiry = 1;
			}
			continue;
		}
		if (strcmp(ii->ns_str, MINDL_NS_ISO) == 0)
			r = json_member(json, ii->element_str, &first,
			    ii->value);
	}
	/* Other namespaces: one object each, in the order first seen. */
	for (i = 0; i < n && r == MINDL_OK; i++) {
		ii = mindl_issuer_signed_item(is, i);
		if (strcmp(ii->ns_str, MINDL_NS_ISO) == 0 ||
		    !record_item(schema, ii))
			continue;
		for (j = 0; j < i; j++) {
			jj = mindl_issuer_signed_item(is, j);
			if (strcmp(jj->ns_str, ii->ns_str) == 0 &&
			    record_item(schema, jj))
				break;
		}
		if (j < i)
			continue;	/* this namespace was written */
		if (!first)
			(void)mindl_buf_addc(json, ',');
		first = 0;
		(void)mindl_buf_add_json_str(json, (const uint8_t *)ii->ns_str,
		    strlen(ii->ns_str));
		(void)mindl_buf_addstr(json, ":{");
		nfirst = 1;
		for (j = i; j < n && r == MINDL_OK; j++) {
			jj = mindl_issuer_signed_item(is, j);
			if (strcmp(jj->ns_str, ii->ns_str) == 0 &&
			    record_item(schema, jj))
				r = json_member(json, jj->element_str, &nfirst,
				    jj->value);
		}
		(void)mindl_buf_addc(json, '}');
	}
	(void)mindl_buf_addc(json, '}');
	if (r == MINDL_OK && (r = mindl_buf_err(json)) == MINDL_OK &&
	    (r = mindl_buf_err(portrait)) == MINDL_OK &&
	    (!has_issue || !has_expiry)) {
		mindl_log_debug("%s: no issue_date or expiry_date", __func__);
		r = MINDL_ERR_MISSING;
	}
	if (r != MINDL_OK) {
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
		mindl_buf_clear(json);
		mindl_buf_clear(portrait);
	}
	return r;
}

int
mindl_renewal_record(const struct mindl_renewal_cred *c,
    const struct mindl_schema *schema, int64_t now,
    struct mindl_record **out, char *errbuf, size_t errlen)
{
	struct mindl_buf json, portrait;
	struct schema_errbuf eb;
	int64_t issue_day = 0, expiry_day = 0;
	int r;

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	mindl_buf_init(&json, MINDL_MAX_RECORD);
	mindl_buf_init(&portrait, MINDL_MAX_STRING);
	if ((r = mindl_renewal_record_json(c, schema, &json, &portrait,
	    &issue_day, &expiry_day)) != MINDL_OK) {
		memset(&eb, 0, sizeof(eb));
		eb.buf = errbuf;
		eb.len = errlen;
		schema_err(&eb, "the old credential's values: %s",
		    mindl_strerr(r));
		goto out;
	}
	r = mindl_record_parse_renewal(schema, mindl_buf_str(&json),
	    mindl_buf_len(&json), mindl_buf_ptr(&portrait),
	    mindl_buf_len(&portrait), now, issue_day, expiry_day, out, errbuf,
	    errlen);
 out:
	mindl_buf_clear(&json);
	mindl_buf_clear(&portrait);
	return r;
}
