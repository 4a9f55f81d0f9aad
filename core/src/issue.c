/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: issuance of an ISO 18013-5 mDL: IssuerSignedItems, the Mobile
 * Security Object and its COSE_Sign1 (issuerAuth).
 *
 * Privacy rule 2 (one shape for everyone) is enforced here: digest count
 * per namespace is the policy constant (decoys fill the gap), digestIDs
 * are random and encode to one size, salts are 32 bytes, the signing time
 * is the start of the day and validity comes from policy alone.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "mindl/cose.h"
#include "mindl/date.h"
#include "mindl/err.h"
#include "mindl/jpeg.h"
#include "mindl/mdoc.h"
#include "mindl/x509.h"
#include "internal.h"

#define DIGESTID_MIN	0x10000u	/* 2^16: every ID encodes as 1a xxxxxxxx */
#define DIGESTID_SPAN	0x7fff0000u	/* up to 2^31 - 1 (isomdl's bound) */

struct slot {
	uint32_t	 id;
	uint8_t		 digest[MINDL_MAX_DIGEST];
	uint8_t		*item;		/* IssuerSignedItemBytes, NULL for decoys */
	size_t		 itemlen;
};

/*
 * The issuance's randomness, drawn with one call to the DRBG: every
 * RAND_bytes call costs a DRBG request (a lock, a reseed check, an AES
 * key schedule), which for 64 IDs and 64 salts or decoy preimages was
 * three times the cost of the signature.  POOL_SLOT bytes per digest: a
 * digestID candidate and 32 bytes for the salt or the decoy.
 */
#define POOL_ID		4
#define POOL_SLOT	(POOL_ID + MINDL_SALT_LEN)

struct pool {
	uint8_t		*p;
	size_t		 len;
	size_t		 off;
};

static const uint8_t *
pool_take(struct pool *pl, size_t n)
{
	const uint8_t *p;

	if (NEVER(pl->len - pl->off < n))
		return NULL;
	p = pl->p + pl->off;
	pl->off += n;
	return p;
}

/*
 * Draws the n digestIDs of a namespace, all distinct.  order[] receives
 * the slot indices sorted by ID: each new ID is placed by binary search,
 * which finds a repeat at the same time, and the MSO is written in this
 * order (all IDs encode as 1a xxxxxxxx, so it is their encodings' order).
 */
static int
random_ids(struct slot *s, size_t *order, size_t n, struct pool *pl)
{
	const uint8_t *b;
	uint32_t v;
	size_t i, lo, hi, mid;
	int r;

	for (i = 0; i < n; i++) {
		if ((b = pool_take(pl, POOL_ID)) == NULL)
			return MINDL_ERR_INTERNAL;
		memcpy(&v, b, sizeof(v));
		for (;;) {
			v = DIGESTID_MIN + v % DIGESTID_SPAN;
			for (lo = 0, hi = i; lo < hi; ) {
				mid = lo + (hi - lo) / 2;
				if (s[order[mid]].id < v)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo == i || s[order[lo]].id != v)
				break;
			/* About once in 10^6 issuances: draw again. */
			if ((r = mindl_random((uint8_t *)&v, sizeof(v))) !=
			    MINDL_OK)
				return r;
		}
		s[i].id = v;
		memmove(&order[lo + 1], &order[lo], (i - lo) * sizeof(*order));
		order[lo] = i;
	}
	return MINDL_OK;
}

/* #6.24(bstr .cbor {digestID, random, elementIdentifier, elementValue}) */
static int
make_item(const struct mindl_element *el, struct slot *s, const uint8_t *salt,
    int alg)
{
	struct mindl_enc e;
	uint8_t *inner = NULL;
	size_t innerlen = 0;
	int r;

	/* Keys in RFC 8949 4.2.1 order, so the encoder moves nothing. */
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, 4);
	mindl_enc_tstr(&e, "random");
	mindl_enc_bstr(&e, salt, MINDL_SALT_LEN);
	mindl_enc_tstr(&e, "digestID");
	mindl_enc_uint(&e, s->id);
	mindl_enc_tstr(&e, "elementValue");
	mindl_enc_raw(&e, el->value, el->valuelen);
	mindl_enc_tstr(&e, "elementIdentifier");
	mindl_enc_tstr(&e, el->id);
	if ((r = mindl_enc_finish(&e, &inner, &innerlen)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_embedded(&e, inner, innerlen);
	mindl_freezero(inner, innerlen);
	if ((r = mindl_enc_finish(&e, &s->item, &s->itemlen)) != MINDL_OK)
		return r;
	/* The digest covers the whole tag-24 encoding (D8 18, head, map). */
	return mindl_digest(alg, s->item, s->itemlen, s->digest);
}

static int
make_decoy(struct slot *s, const uint8_t *junk, int alg)
{
	/* Indistinguishable from a real digest without the item itself. */
	return mindl_digest(alg, junk, MINDL_SALT_LEN, s->digest);
}

static void
tdate(struct mindl_enc *e, int64_t t)
{
	char buf[MINDL_TDATE_LEN + 1];

	if (mindl_tdate_format(t, buf) != MINDL_OK) {
		e->err = MINDL_ERR_DATE;
		return;
	}
	mindl_enc_tag(e, 0);
	mindl_enc_tstr(e, buf);
}

/* The policy's MSO digest algorithm; 0 (a zeroed policy) is SHA-256. */
static int
policy_digest(const struct mindl_policy *pol)
{
	return pol->digest_alg == 0 ? MINDL_DIGEST_SHA256 : pol->digest_alg;
}

struct nsplan {
	const char	*ns;
	struct slot	*slots;
	size_t		*order;		/* slot indices by digestID */
	size_t		 n;		/* digests: items + decoys */
	size_t		 nitems;
	int		 alg;		/* MINDL_DIGEST_* */
};

static void
free_plans(struct nsplan *plans, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		free(plans[i].order);
		if (plans[i].slots == NULL)
			continue;
		for (j = 0; j < plans[i].n; j++)
			mindl_freezero(plans[i].slots[j].item,
			    plans[i].slots[j].itemlen);
		free(plans[i].slots);
	}
}

/*
 * The slots of namespace ns: n digests, for the elements of els[0..nels)
 * in ns (in their order) and decoys for the rest.
 */
static int
plan_namespace(const char *ns, size_t n, const struct mindl_element *els,
    size_t nels, struct nsplan *pl, struct pool *pool)
{
	const uint8_t *b;
	size_t i, nitems = 0;
	int r;

	pl->ns = ns;
	pl->n = n;
	for (i = 0; i < nels; i++)
		if (strcmp(els[i].ns, pl->ns) == 0)
			nitems++;
	if (nitems > pl->n) {
		mindl_log_debug("%s: %zu items for %zu digests in %s",
		    __func__, nitems, pl->n, pl->ns);
		return MINDL_ERR_POLICY;
	}
	if (pl->n == 0)
		return MINDL_OK;
	if ((pl->slots = mindl_calloc(pl->n, sizeof(*pl->slots))) == NULL ||
	    (pl->order = mindl_calloc(pl->n, sizeof(*pl->order))) == NULL)
		return MINDL_ERR_NOMEM;
	if ((r = random_ids(pl->slots, pl->order, pl->n, pool)) != MINDL_OK)
		return r;
	for (i = 0; i < nels; i++) {
		if (strcmp(els[i].ns, pl->ns) != 0)
			continue;
		if ((b = pool_take(pool, MINDL_SALT_LEN)) == NULL)
			return MINDL_ERR_INTERNAL;
		if ((r = make_item(&els[i], &pl->slots[pl->nitems++], b,
		    pl->alg)) != MINDL_OK)
			return r;
	}
	for (i = pl->nitems; i < pl->n; i++) {
		if ((b = pool_take(pool, MINDL_SALT_LEN)) == NULL)
			return MINDL_ERR_INTERNAL;
		if ((r = make_decoy(&pl->slots[i], b, pl->alg)) != MINDL_OK)
			return r;
	}
	return MINDL_OK;
}

static int
encode_mso(const struct mindl_issue_params *p, struct nsplan *plans,
    size_t nplans, int licence_term, struct mindl_issue_result *res,
    uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	const struct slot *sl;
	int64_t day, signed_at, until, expiry_end;
	size_t i, j, nns;
	int r;

	/* Coarse time: the start of the issuance day, for everyone. */
	day = p->now >= 0 ? p->now / MINDL_DAY : (p->now - MINDL_DAY + 1) /
	    MINDL_DAY;
	signed_at = day * MINDL_DAY;
	until = signed_at + (int64_t)p->policy->mso_days * MINDL_DAY;
	expiry_end = (mindl_record_expiry_day(p->record) + 1) * MINDL_DAY;
	/* An age purpose credential: until the licence's last day. */
	if (until > expiry_end || licence_term)
		until = expiry_end;
	res->signed_at = res->valid_from = signed_at;
	res->valid_until = until;

	/*
	 * Keys in RFC 8949 4.2.1 order (shorter first, then bytewise), so
	 * that the encoder, which would sort them, finds nothing to move.
	 */
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, p->status != NULL ? 7 : 6);
	if (p->status != NULL) {
		/* Token status list for mdoc: {status_list: {idx, uri}}. */
		mindl_enc_tstr(&e, "status");
		mindl_enc_map(&e, 1);
		mindl_enc_tstr(&e, "status_list");
		mindl_enc_map(&e, 2);
		mindl_enc_tstr(&e, "idx");
		mindl_enc_uint(&e, p->status->idx);
		mindl_enc_tstr(&e, "uri");
		mindl_enc_tstr(&e, p->status->uri);
	}
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_tstr(&e, "validityInfo");
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "signed");
	tdate(&e, signed_at);
	mindl_enc_tstr(&e, "validFrom");
	tdate(&e, signed_at);
	mindl_enc_tstr(&e, "validUntil");
	tdate(&e, until);
	mindl_enc_tstr(&e, "valueDigests");
	for (i = 0, nns = 0; i < nplans; i++)
		nns += plans[i].n > 0;
	mindl_enc_map(&e, nns);
	for (i = 0; i < nplans; i++) {
		/* A purpose credential's namespaces without an element. */
		if (plans[i].n == 0)
			continue;
		/* In digestID order: see random_ids(). */
		mindl_enc_tstr(&e, plans[i].ns);
		mindl_enc_map(&e, plans[i].n);
		for (j = 0; j < plans[i].n; j++) {
			sl = &plans[i].slots[plans[i].order[j]];
			mindl_enc_uint(&e, sl->id);
			mindl_enc_bstr(&e, sl->digest,
			    mindl_digest_len(plans[i].alg));
		}
	}
	mindl_enc_tstr(&e, "deviceKeyInfo");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "deviceKey");
	if ((r = mindl_cose_key_write(&e, p->device_pub)) != MINDL_OK) {
		mindl_enc_clear(&e);
		return r;
	}
	mindl_enc_tstr(&e, "digestAlgorithm");
	mindl_enc_tstr(&e, mindl_digest_name(policy_digest(p->policy)));
	return mindl_enc_finish(&e, out, outlen);
}

/*
 * The DS certificate's key id, for the result.  Finding it is a full DER
 * parse, about as costly as the signature, and a desk signs with one
 * certificate all day: the id is kept per thread beside a copy of the
 * certificate it belongs to (a compare of some 600 bytes is far cheaper
 * than even a hash of them).
 */
/*
 * What issuance needs of the DS certificate, its key id and its place:
 * parsed once per certificate and thread, since a desk signs with one
 * DS for months and parsing costs more than the rest of an issuance.
 */
static int
ds_info(const uint8_t *der, size_t len, char id_out[MINDL_KEY_ID_LEN + 1],
    struct mindl_x509_names *nm_out)
{
	static _Thread_local uint8_t cert[MINDL_MAX_CERT_LEN];
	static _Thread_local size_t certlen;
	static _Thread_local char id[MINDL_KEY_ID_LEN + 1];
	static _Thread_local struct mindl_x509_names nm;
	int r;

	if (certlen == 0 || len != certlen || memcmp(der, cert, len) != 0) {
		certlen = 0;
		if ((r = mindl_x509_key_id(der, len, id)) != MINDL_OK ||
		    (r = mindl_x509_names(der, len, &nm)) != MINDL_OK)
			return r;
		/* Longer ones are valid only for mindl_x509_key_id to refuse. */
		if (len <= sizeof(cert)) {
			memcpy(cert, der, len);
			certlen = len;
		}
	}
	memcpy(id_out, id, sizeof(id));
	*nm_out = nm;
	return MINDL_OK;
}

/*
 * One credential (a one-entry credential file) of the elements els[0..nels)
 * with digests[k] digests in the policy's namespace k; licence_term: valid
 * until the end of the licence's expiry day, not the policy's MSO days.
 */
static int
issue_one(const struct mindl_issue_params *p, const struct mindl_element *els,
    size_t nels, const unsigned *digests, int licence_term,
    struct mindl_buf *out, struct mindl_issue_result *resp)
{
	struct mindl_x509_names dsn;
	struct nsplan plans[4];
	struct mindl_issue_result res;
	struct pool pool;
	struct mindl_enc e;
	const uint8_t *b;
	uint8_t *mso = NULL, *msob = NULL;
	size_t nplans, msolen = 0, msoblen = 0, i, j;
	int r = MINDL_ERR_INTERNAL;

	mindl_buf_clear(out);
	memset(plans, 0, sizeof(plans));
	memset(&pool, 0, sizeof(pool));
	memset(&res, 0, sizeof(res));
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	/* Any EC curve of ISO 18013-5 table 22 (mindl_key_alg knows it). */
	if (mindl_key_alg(p->device_pub) == 0) {
		r = MINDL_ERR_KEY;
		goto fail;
	}
	/* The policy's DMV must be the one the DS certificate names. */
	if ((r = ds_info(p->ds_cert, p->ds_certlen, res.signer, &dsn)) !=
	    MINDL_OK || (r = mindl_x509_names_place_is(&dsn,
	    p->policy->issuing_country, p->policy->jurisdiction)) != MINDL_OK)
		goto fail;
	nplans = p->policy->n_ns;
	for (i = 0, j = 0; i < nplans; i++)
		j += digests[i];
	pool.len = j * POOL_SLOT + MINDL_CRED_ID_LEN;
	if ((pool.p = mindl_malloc(pool.len)) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if ((r = mindl_random(pool.p, pool.len)) != MINDL_OK)
		goto fail;
	if ((b = pool_take(&pool, MINDL_CRED_ID_LEN)) == NULL) {
		r = MINDL_ERR_INTERNAL;
		goto fail;
	}
	memcpy(res.credential_id, b, MINDL_CRED_ID_LEN);
	for (i = 0; i < nplans; i++) {
		plans[i].alg = policy_digest(p->policy);
		if ((r = plan_namespace(p->policy->ns[i], digests[i], els,
		    nels, &plans[i], &pool)) != MINDL_OK)
			goto fail;
	}
	/* Every element must have landed in a policy namespace. */
	for (i = 0, j = 0; i < nplans; i++)
		j += plans[i].nitems;
	if (j != nels) {
		r = MINDL_ERR_POLICY;
		goto fail;
	}
	if ((r = encode_mso(p, plans, nplans, licence_term, &res, &mso,
	    &msolen)) != MINDL_OK)
		goto fail;
	/* Payload: MobileSecurityObjectBytes = #6.24(bstr .cbor MSO). */
	mindl_enc_embedded(&e, mso, msolen);
	if ((r = mindl_enc_finish(&e, &msob, &msoblen)) != MINDL_OK)
		goto fail;

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_array(&e, 1);
	mindl_enc_map(&e, p->fido != NULL ? 3 : 2);
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	mindl_enc_tstr(&e, "issuerSigned");
	/* issuerAuth sorts before nameSpaces (RFC 8949 4.2.1). */
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "issuerAuth");
	if ((r = mindl_cose_sign1_write(&e, p->ds, msob, msoblen, 0,
	    p->ds_cert, p->ds_certlen)) != MINDL_OK)
		goto fail;
	mindl_enc_tstr(&e, "nameSpaces");
	for (i = 0, j = 0; i < nplans; i++)
		j += plans[i].nitems > 0;
	mindl_enc_map(&e, j);
	for (i = 0; i < nplans; i++) {
		if (plans[i].nitems == 0)
			continue;
		mindl_enc_tstr(&e, plans[i].ns);
		mindl_enc_array(&e, plans[i].nitems);
		for (j = 0; j < plans[i].nitems; j++)
			mindl_enc_raw(&e, plans[i].slots[j].item,
			    plans[i].slots[j].itemlen);
	}
	/* Beside issuerSigned, unsigned: where the holder's key finds it. */
	if (p->fido != NULL) {
		mindl_enc_tstr(&e, MINDL_FIDO_ID_KEY);
		mindl_enc_bstr(&e, p->fido->id, p->fido->len);
	}
	if ((r = mindl_enc_finish_buf(&e, out)) != MINDL_OK)
		goto fail;
	if (p->status != NULL) {
		res.has_status = 1;
		res.status_idx = p->status->idx;
	}
	res.bytes = mindl_buf_len(out) - 1;	/* less the 0x81 head */
	if (resp != NULL)
		*resp = res;
 fail:
	if (r != MINDL_OK) {
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
		mindl_buf_clear(out);
	}
	mindl_enc_clear(&e);
	free_plans(plans, sizeof(plans) / sizeof(plans[0]));
	mindl_freezero(pool.p, pool.len);
	mindl_freezero(mso, msolen);
	mindl_freezero(msob, msoblen);
	mindl_wipe(&res, sizeof(res));
	return r;
}

static int
params_ok(const struct mindl_issue_params *p)
{
	return p != NULL && p->record != NULL && p->policy != NULL &&
	    p->ds != NULL && p->ds_cert != NULL && p->device_pub != NULL &&
	    p->policy->n_ns > 0 && p->policy->n_ns <= 4 &&
	    (p->status == NULL || p->status->uri != NULL) &&
	    (p->fido == NULL || (p->fido->id != NULL && p->fido->len > 0 &&
	    p->fido->len <= MINDL_FIDO_MAX_CRED_ID));
}

int
mindl_mdoc_issue(const struct mindl_issue_params *p, struct mindl_buf *out,
    struct mindl_issue_result *resp)
{
	struct mindl_element *els = NULL;
	size_t n, i;
	int r;

	mindl_buf_clear(out);
	if (!params_ok(p)) {
		mindl_log_debug("%s: %s", __func__,
		    mindl_errname(MINDL_ERR_INVALID_ARG));
		return MINDL_ERR_INVALID_ARG;
	}
	/* Every element of the record; the policy's digest counts. */
	n = mindl_record_count(p->record);
	if ((els = mindl_calloc(n > 0 ? n : 1, sizeof(*els))) == NULL)
		return MINDL_ERR_NOMEM;
	for (i = 0; i < n; i++)
		els[i] = *mindl_record_element(p->record, i);
	r = issue_one(p, els, n, p->policy->digests, 0, out, resp);
	/* Shallow copies: the values stay the record's. */
	mindl_freezero(els, (n > 0 ? n : 1) * sizeof(*els));
	return r;
}

/* The thumbnail of a portrait value (a CBOR bstr), as a CBOR bstr. */
static int
thumbnail_value(const struct mindl_element *portrait, uint8_t **out,
    size_t *outlen)
{
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *it;
	struct mindl_buf t;
	struct mindl_enc e;
	int r;

	*out = NULL;
	*outlen = 0;
	mindl_buf_init(&t, MINDL_JPEG_THUMB_MAX);
	mindl_enc_init(&e, MINDL_JPEG_THUMB_MAX + 16);
	if ((r = mindl_cbor_decode(portrait->value, portrait->valuelen,
	    &doc)) != MINDL_OK)
		goto out;
	it = mindl_cbor_root(doc);
	if (it->type != MINDL_CBOR_BSTR) {
		r = MINDL_ERR_PORTRAIT;
		goto out;
	}
	if ((r = mindl_jpeg_thumbnail(it->ptr, it->len, &t)) != MINDL_OK)
		goto out;
	mindl_enc_bstr(&e, mindl_buf_ptr(&t), mindl_buf_len(&t));
	r = mindl_enc_finish(&e, out, outlen);
 out:
	mindl_enc_clear(&e);
	mindl_buf_clear(&t);
	mindl_cbor_free(&doc);
	return r;
}

/*
 * The size of a one-entry file's Document deflated (zlib, level 9), as
 * a printed code would carry it; 0 if zlib fails.
 */
static size_t
deflated_size(const struct mindl_buf *cred)
{
	const uint8_t *d = mindl_buf_ptr(cred) + 1;
	uLong n = (uLong)(mindl_buf_len(cred) - 1);
	uLongf zl = compressBound(n);
	uint8_t *z;
	size_t r = 0;

	if ((z = mindl_malloc(zl)) == NULL)
		return 0;
	if (compress2(z, &zl, d, n, 9) == Z_OK)
		r = (size_t)zl;
	mindl_freezero(z, compressBound(n));
	return r;
}

/* A multiple of MINDL_PURPOSE_DIGEST_STEP, at least n. */
static unsigned
purpose_digests(size_t n)
{
	return (unsigned)((n + MINDL_PURPOSE_DIGEST_STEP - 1) /
	    MINDL_PURPOSE_DIGEST_STEP * MINDL_PURPOSE_DIGEST_STEP);
}

int
mindl_mdoc_issue_purpose(const struct mindl_issue_params *p,
    const struct mindl_profile *prof, struct mindl_buf *out,
    struct mindl_issue_result *resp)
{
	const struct mindl_element *el;
	struct mindl_element *els = NULL;
	unsigned digests[4];
	uint8_t *thumb = NULL;
	size_t thumblen = 0, n, i, k, nels = 0, cnt;
	const char *ns;
	int r = MINDL_ERR_INTERNAL;

	mindl_buf_clear(out);
	if (!params_ok(p) || prof == NULL || prof->n == 0 ||
	    prof->n > MINDL_MAX_ELEMENTS) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	/* An age stays true when a licence is suspended: no status. */
	if (prof->age_only && p->status != NULL) {
		mindl_log_debug("%s: a status reference for %s", __func__,
		    prof->id);
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((els = mindl_calloc(prof->n, sizeof(*els))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	/*
	 * The record's elements the profile lists, in the record's order
	 * (namespace, then identifier, as every credential's), the
	 * portrait replaced by its thumbnail.
	 */
	n = mindl_record_count(p->record);
	for (i = 0; i < n; i++) {
		el = mindl_record_element(p->record, i);
		if (!mindl_profile_allows(prof, el->ns, el->id))
			continue;
		if (NEVER(nels == prof->n)) {
			r = MINDL_ERR_INTERNAL;
			goto fail;
		}
		els[nels] = *el;
		if (prof->portrait_id != NULL &&
		    strcmp(el->ns, prof->portrait_ns) == 0 &&
		    strcmp(el->id, prof->portrait_id) == 0) {
			if ((r = thumbnail_value(el, &thumb, &thumblen)) !=
			    MINDL_OK)
				goto fail;
			els[nels].value = thumb;
			els[nels].valuelen = thumblen;
		}
		nels++;
	}
	/* Profiles list only elements every record holds. */
	if (nels != prof->n) {
		mindl_log_debug("%s: %zu of %s's %zu elements", __func__,
		    nels, prof->id, prof->n);
		r = MINDL_ERR_MISSING;
		goto fail;
	}
	/* One digest count per namespace and profile, for everyone. */
	for (k = 0; k < p->policy->n_ns; k++) {
		for (i = 0, cnt = 0; i < prof->n; i++) {
			mindl_profile_element(prof, i, &ns, NULL);
			cnt += strcmp(ns, p->policy->ns[k]) == 0;
		}
		digests[k] = purpose_digests(cnt);
	}
	r = issue_one(p, els, nels, digests, prof->age_only, out, resp);
	if (r == MINDL_OK && resp != NULL)
		resp->deflated = deflated_size(out);
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_freezero(els, (prof != NULL ? prof->n : 0) * sizeof(*els));
	mindl_freezero(thumb, thumblen);
	return r;
}

/* The head of an array of n entries (n <= 255). */
static int
array_head(struct mindl_buf *out, size_t n)
{
	int r;

	if (n < 24)
		return mindl_buf_addc(out, (uint8_t)(0x80 | n));
	if ((r = mindl_buf_addc(out, 0x98)) != MINDL_OK)
		return r;
	return mindl_buf_addc(out, (uint8_t)n);
}

/* A one-entry credential file's entry, appended without its 0x81. */
static int
append_entry(struct mindl_buf *out, const struct mindl_buf *entry)
{
	if (mindl_buf_len(entry) < 2 || mindl_buf_ptr(entry)[0] != 0x81)
		return MINDL_ERR_INTERNAL;
	return mindl_buf_add(out, mindl_buf_ptr(entry) + 1,
	    mindl_buf_len(entry) - 1);
}

int
mindl_mdoc_issue_batch(const struct mindl_issue_params *p,
    const struct mindl_key *const *devs, size_t n, struct mindl_buf *out,
    struct mindl_issue_result *res)
{
	struct mindl_issue_params one;
	struct mindl_issue_result r1;
	struct mindl_buf entry;
	size_t i;
	int r;

	mindl_buf_clear(out);
	if (p == NULL || devs == NULL || n == 0 || n > MINDL_MAX_BATCH)
		return MINDL_ERR_INVALID_ARG;
	/*
	 * [+ entry]: the array head for n, then each one-entry file's entry
	 * as it was encoded and signed (its own 0x81 head left off).  Each
	 * MSO is issued on its own: its own salts, digestIDs and decoys, so
	 * that two copies share no structure a verifier could link.
	 */
	r = array_head(out, n);
	mindl_buf_init(&entry, MINDL_MAX_INPUT);
	for (i = 0; r == MINDL_OK && i < n; i++) {
		one = *p;
		one.device_pub = devs[i];
		one.fido = p->fido != NULL ? &p->fido[i] : NULL;
		/* Each copy its own status entry: indices never shared. */
		one.status = p->status != NULL ? &p->status[i] : NULL;
		if ((r = mindl_mdoc_issue(&one, &entry, &r1)) != MINDL_OK)
			break;
		r = append_entry(out, &entry);
		/* The batch's result is its first MSO's: one validity, one signer. */
		if (i == 0 && res != NULL)
			*res = r1;
		mindl_buf_clear(&entry);
	}
	mindl_buf_clear(&entry);
	if (r == MINDL_OK)
		r = mindl_buf_err(out);
	if (r != MINDL_OK)
		mindl_buf_clear(out);
	return r;
}

int
mindl_mdoc_issue_purposes(const struct mindl_issue_params *p,
    const struct mindl_profile *const *profs,
    const struct mindl_key *const *devs, size_t n, struct mindl_buf *out,
    struct mindl_issue_result *res)
{
	struct mindl_issue_params one;
	struct mindl_buf entry;
	size_t i, j = 0;
	int r;

	mindl_buf_clear(out);
	if (p == NULL || profs == NULL || devs == NULL || n == 0 ||
	    n > MINDL_MAX_BATCH)
		return MINDL_ERR_INVALID_ARG;
	r = array_head(out, n);
	mindl_buf_init(&entry, MINDL_MAX_INPUT);
	for (i = 0; r == MINDL_OK && i < n; i++) {
		one = *p;
		one.device_pub = devs[i];
		one.fido = p->fido != NULL ? &p->fido[i] : NULL;
		/* Status references only for what a suspension changes. */
		one.status = NULL;
		if (!mindl_profile_age_only(profs[i]) && p->status != NULL)
			one.status = &p->status[j++];
		if ((r = mindl_mdoc_issue_purpose(&one, profs[i], &entry,
		    res != NULL ? &res[i] : NULL)) != MINDL_OK)
			break;
		r = append_entry(out, &entry);
		mindl_buf_clear(&entry);
	}
	mindl_buf_clear(&entry);
	if (r == MINDL_OK)
		r = mindl_buf_err(out);
	if (r != MINDL_OK) {
		mindl_buf_clear(out);
		if (res != NULL)
			mindl_wipe(res, n * sizeof(*res));
	}
	return r;
}
