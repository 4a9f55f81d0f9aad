/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: offline verification of a DeviceResponse.
 *
 * Order (nothing is returned before all of it passes): DS certificate
 * chains to a trusted IACA at the given time; MSO signature; docType;
 * MSO signed inside the DS certificate's validity; validity window;
 * signed no later than the verification time plus MINDL_CLOCK_SKEW;
 * each disclosed IssuerSignedItem's digest, computed over
 * the bytes received, matches valueDigests[ns][digestID], and its value
 * has the type the element table gives it; device authentication (MAC or
 * signature) over the session transcript.  Only a failure of the last
 * consults the response file's readerKeyDigest (other_request).
 *
 * A static document (a purpose credential's Document, shown as a printed
 * code) has the same issuer checks and no device authentication: it is
 * marked not holder-bound, and only its profile's elements are kept.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/cose.h"
#include "mindl/date.h"
#include "mindl/devauth.h"
#include "mindl/err.h"
#include "mindl/mdoc.h"
#include "mindl/mso.h"
#include "mindl/schema.h"
#include "mindl/trust.h"
#include "mindl/x509.h"
#include "internal.h"

struct mindl_verified {
	uint8_t			*buf;
	size_t			 len;
	struct mindl_cbor	*doc;
	struct mindl_document	*d;
	size_t			 n;
	struct mindl_disclosed	 disc[MINDL_MAX_DISCLOSED];
	enum mindl_devauth	 auth;
	struct mindl_mso_validity validity;
	const uint8_t		*ds;	/* DS certificate, in buf */
	size_t			 dslen;
	uint8_t			 ds_root[MINDL_SHA256_LEN];	/* its IACA */
	const struct mindl_mso	*mso;	/* in d */
	atomic_int		 signer_state;	/* 0 none, 1 busy, 2 done */
	char			 signer[MINDL_KEY_ID_LEN + 1];
	int			 holder_bound;	/* device auth verified */
	const struct mindl_profile *profile;	/* a static document's */
	size_t			 dropped;	/* items outside it */
};

void
mindl_verified_free(struct mindl_verified **vp)
{
	struct mindl_verified *v;

	if (vp == NULL || (v = *vp) == NULL)
		return;
	mindl_document_free(&v->d);
	mindl_cbor_free(&v->doc);
	if (v->buf != NULL)
		mindl_freezero(v->buf, v->len);
	free(v);
	*vp = NULL;
}

/*
 * The issuer's signature over an MSO (internal.h): DS certificate chain
 * to a trusted IACA at `at`, MSO signature, MSO contents (version, digest
 * algorithm, docType), signing time inside the DS validity.  Verification
 * checks the chain at the verification time; renewal at the MSO's
 * signing time (core/src/renewal.c).
 */
int
mindl_issuer_auth_check(struct mindl_trust *trust, int64_t at,
    const struct mindl_mso *mso, const struct mindl_cbor_item *doctype,
    struct mindl_verify_fault *f)
{
	const struct mindl_cose_msg *m = mindl_mso_sign1(mso);
	struct mindl_mso_validity vi;
	struct mindl_key *ds = NULL;
	int64_t dsnb, dsna;
	size_t i;
	int r = MINDL_ERR_INTERNAL;

	if (m->nx5 == 0)
		return MINDL_ERR_X5CHAIN;
	for (i = 0; i < m->nx5; i++)
		if (mindl_trust_is_root(trust, m->x5[i], m->x5len[i]))
			return MINDL_ERR_IACA_IN_CHAIN;
	if ((r = mindl_trust_verify_ds(trust, m->x5[0], m->x5len[0], at,
	    &ds)) != MINDL_OK) {
		/* Which certificate the time fell outside of, and when. */
		if (r == MINDL_ERR_CERT_EXPIRED && mindl_x509_validity(
		    m->x5[0], m->x5len[0], &dsnb, &dsna) == MINDL_OK) {
			if (at < dsnb || at > dsna) {
				f->cert = "document signer";
				f->has_cert_dates = 1;
				f->not_before = dsnb;
				f->not_after = dsna;
			} else
				f->cert = "IACA";
		}
		goto out;
	}
	if ((r = mindl_cose_sign1_verify(m, ds, NULL, 0)) != MINDL_OK)
		goto out;
	if (!mindl_cbor_is_str(mindl_mso_version(mso), "1.0")) {
		r = MINDL_ERR_VERSION;
		goto out;
	}
	/* SHA-256, SHA-384 or SHA-512: the items are checked with it. */
	if ((r = mindl_mso_digest_algorithm(mso)) < 0)
		goto out;
	if (mindl_mso_doctype(mso)->len != doctype->len ||
	    memcmp(mindl_mso_doctype(mso)->ptr, doctype->ptr,
	    doctype->len) != 0) {
		r = MINDL_ERR_DOCTYPE;
		goto out;
	}
	mindl_mso_validity(mso, &vi);
	f->has_mso = 1;
	f->signed_at = vi.signed_at;
	f->valid_from = vi.valid_from;
	f->valid_until = vi.valid_until;
	/*
	 * ISO 18013-5 9.3.1: the MSO was signed while its DS certificate was
	 * valid.  Otherwise a leaked, expired DS key could still sign MSOs
	 * that look current.
	 */
	if ((r = mindl_trust_ds_validity(trust, m->x5[0], m->x5len[0], &dsnb,
	    &dsna)) != MINDL_OK)
		goto out;
	if (vi.signed_at < dsnb || vi.signed_at > dsna) {
		r = MINDL_ERR_SIGNED_OUTSIDE_DS;
		goto out;
	}
	r = MINDL_OK;
 out:
	mindl_key_free(&ds);
	return r;
}

/*
 * The issuer's part of a presentation: the signature
 * (mindl_issuer_auth_check) at `at`, then the validity window.  Leaves
 * the device key in *dkey.
 */
static int
check_issuer(struct mindl_verified *v, struct mindl_trust *trust, int64_t at,
    const struct mindl_mso *mso, const struct mindl_cbor_item *doctype,
    struct mindl_key **dkey, struct mindl_verify_fault *f)
{
	const struct mindl_cose_msg *m = mindl_mso_sign1(mso);
	int r;

	if ((r = mindl_issuer_auth_check(trust, at, mso, doctype, f)) !=
	    MINDL_OK)
		return r;
	v->ds = m->x5[0];
	v->dslen = m->x5len[0];
	v->mso = mso;
	/* Which IACA: a status list must chain to the same one. */
	if ((r = mindl_trust_ds_root(trust, m->x5[0], m->x5len[0],
	    v->ds_root)) != MINDL_OK)
		return r;
	mindl_mso_validity(mso, &v->validity);
	if (at < v->validity.valid_from)
		return MINDL_ERR_NOT_YET_VALID;
	if (at > v->validity.valid_until)
		return MINDL_ERR_EXPIRED;
	/*
	 * Inside its window, an MSO still cannot have been signed after the
	 * moment it is shown: one that claims so was made with a wrong clock
	 * or to look valid before it existed.  MINDL_CLOCK_SKEW allows for a
	 * reader's clock a few minutes slow.
	 */
	if (v->validity.signed_at > at + MINDL_CLOCK_SKEW)
		return MINDL_ERR_SIGNED_LATER;
	return mindl_mso_device_key(mso, dkey);
}

/*
 * One issuer-signed item against its MSO (internal.h): its digest,
 * computed over the tag-24 bytes as received (never a re-encoding),
 * equals valueDigests[ns][digestID]; then its value against the element
 * table, so that nothing reported has a type a reader would misread.
 */
int
mindl_issuer_item_check(const struct mindl_schema *schema,
    const struct mindl_mso *mso, const struct mindl_issuer_item *ii)
{
	const struct mindl_mso_digest *want;
	uint8_t h[MINDL_MAX_DIGEST];
	int r, alg;

	if ((r = mindl_mso_digest_find(mso, ii->ns, ii->digest_id,
	    &want)) != MINDL_OK) {
		mindl_log_debug("%s: digestID %llu not in MSO", __func__,
		    (unsigned long long)ii->digest_id);
		return r;
	}
	/* The MSO's own algorithm; a digest of another length is wrong. */
	if ((alg = mindl_mso_digest_algorithm(mso)) < 0)
		return alg;
	if (want->len != mindl_digest_len(alg))
		return MINDL_ERR_DIGEST;
	if ((r = mindl_digest(alg, ii->bytes->enc, ii->bytes->enclen, h)) !=
	    MINDL_OK)
		return r;
	if (!mindl_ct_eq(h, want->digest, want->len)) {
		mindl_log_debug("%s: digest mismatch for %s", __func__,
		    ii->element_str);
		return MINDL_ERR_DIGEST;
	}
	return mindl_schema_check_value(schema, ii->ns_str, ii->element_str,
	    ii->value);
}

/* Every disclosed item against the MSO (mindl_issuer_item_check). */
static int
check_items(struct mindl_verified *v, const struct mindl_schema *schema,
    const struct mindl_issuer_signed *is)
{
	const struct mindl_mso *mso = mindl_issuer_signed_mso(is);
	const struct mindl_issuer_item *ii;
	size_t i;
	int r;

	if (mindl_issuer_signed_count(is) > MINDL_MAX_DISCLOSED)
		return MINDL_ERR_CBOR_LIMIT;
	for (i = 0; i < mindl_issuer_signed_count(is); i++) {
		ii = mindl_issuer_signed_item(is, i);
		if ((r = mindl_issuer_item_check(schema, mso, ii)) != MINDL_OK)
			return r;
		v->disc[v->n].ns = ii->ns_str;
		v->disc[v->n].id = ii->element_str;
		v->disc[v->n].value = ii->value;
		v->n++;
	}
	return MINDL_OK;
}

/*
 * ISO 18013-5 asks a reader to check that issuing_country and
 * issuing_jurisdiction, when disclosed, are the countryName and
 * stateOrProvinceName of the certificate that signed the MSO: a root
 * trusted for one state must not vouch for a licence claiming another.
 * A jurisdiction disclosed under a certificate that names no state is
 * refused too: nothing backs it.
 */
static int
check_place(const struct mindl_verified *v)
{
	struct mindl_x509_names nm;
	const struct mindl_disclosed *d;
	char *text = NULL;
	size_t i;
	int r, parsed = 0;

	for (i = 0; i < v->n; i++) {
		d = &v->disc[i];
		if (strcmp(d->ns, MINDL_NS_ISO) != 0 ||
		    (strcmp(d->id, "issuing_country") != 0 &&
		    strcmp(d->id, "issuing_jurisdiction") != 0))
			continue;
		/* The certificate is parsed only when a place is disclosed. */
		if (!parsed && (r = mindl_x509_names(v->ds, v->dslen, &nm)) !=
		    MINDL_OK)
			return r;
		parsed = 1;
		if ((r = mindl_cbor_strdup(d->value, &text)) != MINDL_OK)
			return r;
		if (strcmp(d->id, "issuing_country") == 0)
			r = nm.c_err == MINDL_OK && strcmp(nm.c, text) == 0 ?
			    MINDL_OK : MINDL_ERR_JURISDICTION;
		else if (nm.st_err != MINDL_OK)
			r = MINDL_ERR_JURISDICTION;
		else
			r = mindl_x509_names_place_is(&nm, nm.c, text) ==
			    MINDL_OK ? MINDL_OK : MINDL_ERR_JURISDICTION;
		if (r != MINDL_OK)
			mindl_log_debug("%s: %s is not the signer's place",
			    __func__, d->id);
		free(text);
		text = NULL;
		if (r != MINDL_OK)
			return r;
	}
	return MINDL_OK;
}

/*
 * The licence's expiry_date, when it was disclosed and its digest
 * matches: the issuer signed it (the MSO signature has been checked),
 * only this copy's validity failed, and a person should be told the two
 * dates apart ("the licence is valid until ..., this copy expired on").
 */
static void
signed_expiry(const struct mindl_issuer_signed *is,
    struct mindl_verify_fault *f)
{
	const struct mindl_mso *mso = mindl_issuer_signed_mso(is);
	const struct mindl_issuer_item *ii;
	const struct mindl_mso_digest *want;
	uint8_t h[MINDL_MAX_DIGEST];
	size_t i;
	int alg;

	if ((alg = mindl_mso_digest_algorithm(mso)) < 0)
		return;
	for (i = 0; i < mindl_issuer_signed_count(is); i++) {
		ii = mindl_issuer_signed_item(is, i);
		if (strcmp(ii->ns_str, MINDL_NS_ISO) != 0 ||
		    strcmp(ii->element_str, "expiry_date") != 0)
			continue;
		if (mindl_mso_digest_find(mso, ii->ns, ii->digest_id,
		    &want) != MINDL_OK || want->len != mindl_digest_len(alg) ||
		    mindl_digest(alg, ii->bytes->enc, ii->bytes->enclen, h) !=
		    MINDL_OK || !mindl_ct_eq(h, want->digest, want->len))
			return;
		if (mindl_value_day(ii->value, &f->expiry_day) == 0)
			f->has_expiry = 1;
		return;
	}
}

static int
verify_dr(struct mindl_verified *v, struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    struct mindl_verify_fault *f,
    const struct mindl_cbor_item *dr, const uint8_t *st, size_t stlen,
    const struct mindl_key *reader_key, const char *want_doctype,
    const struct mindl_fido_policy *fp)
{
	const struct mindl_cbor_item *docs;
	const struct mindl_issuer_signed *is;
	const struct mindl_device_signed *ds;
	struct mindl_key *dkey = NULL;
	uint64_t status;
	int r;

	if ((r = mindl_device_response_documents(dr, &docs, &status)) !=
	    MINDL_OK) {
		/* A DeviceResponse that reports an error holds no document. */
		if (r == MINDL_ERR_NO_DOCUMENT && status != 0)
			r = MINDL_ERR_RESPONSE_STATUS;
		return r;
	}
	if (status != 0)
		return MINDL_ERR_RESPONSE_STATUS;
	if (docs->u != 1)
		return MINDL_ERR_UNSUPPORTED;
	if ((r = mindl_document_parse(mindl_cbor_child(docs),
	    MINDL_DOC_DEVICE_SIGNED | (fp != NULL ? MINDL_DOC_FIDO2 : 0),
	    &v->d)) != MINDL_OK)
		return r;
	if (strcmp(mindl_document_doctype_str(v->d), want_doctype) != 0)
		return MINDL_ERR_DOCTYPE;
	is = mindl_document_issuer_signed(v->d);
	if ((r = check_issuer(v, trust, at, mindl_issuer_signed_mso(is),
	    mindl_document_doctype(v->d), &dkey, f)) != MINDL_OK) {
		if (r == MINDL_ERR_EXPIRED || r == MINDL_ERR_NOT_YET_VALID ||
		    r == MINDL_ERR_SIGNED_LATER)
			signed_expiry(is, f);
		return r;
	}
	if ((r = check_items(v, schema, is)) == MINDL_OK &&
	    (r = check_place(v)) == MINDL_OK) {
		ds = mindl_document_device_signed(v->d);
		v->auth = mindl_device_signed_kind(ds);
		if (v->auth == MINDL_DEVAUTH_FIDO2 && fp != NULL)
			r = mindl_device_signed_verify_fido2(ds, dkey,
			    mindl_document_doctype(v->d), st, stlen, fp->rpid,
			    fp->require_uv);
		else
			r = mindl_device_signed_verify(ds, dkey,
			    mindl_document_doctype(v->d), st, stlen,
			    reader_key);
		v->holder_bound = r == MINDL_OK;
	}
	mindl_key_free(&dkey);
	if (r != MINDL_OK)
		v->n = 0;
	return r;
}

static int
new_verified(const uint8_t *buf, size_t len, struct mindl_verified **out)
{
	struct mindl_verified *v;
	int r;

	*out = NULL;
	if ((v = mindl_calloc(1, sizeof(*v))) == NULL ||
	    (v->buf = mindl_malloc(len)) == NULL) {
		mindl_verified_free(&v);
		return MINDL_ERR_NOMEM;
	}
	atomic_init(&v->signer_state, 0);
	memcpy(v->buf, buf, len);
	v->len = len;
	if ((r = mindl_cbor_decode(v->buf, len, &v->doc)) != MINDL_OK) {
		mindl_verified_free(&v);
		return r;
	}
	*out = v;
	return MINDL_OK;
}

int
mindl_verify_device_response(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const uint8_t *st_bytes, size_t stlen, const struct mindl_key *reader_key,
    const uint8_t *dr, size_t drlen, struct mindl_verified **out)
{
	return mindl_verify_device_response_fault(trust, schema, at, st_bytes,
	    stlen, reader_key, dr, drlen, out, NULL);
}

int
mindl_verify_device_response_fault(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const uint8_t *st_bytes, size_t stlen, const struct mindl_key *reader_key,
    const uint8_t *dr, size_t drlen, struct mindl_verified **out,
    struct mindl_verify_fault *fault)
{
	struct mindl_verified *v = NULL;
	struct mindl_verify_fault scratch;
	int r;

	if (fault == NULL)
		fault = &scratch;
	memset(fault, 0, sizeof(*fault));
	fault->at = at;
	*out = NULL;
	if ((r = new_verified(dr, drlen, &v)) != MINDL_OK)
		goto fail;
	if ((r = verify_dr(v, trust, schema, at, fault,
	    mindl_cbor_root(v->doc), st_bytes, stlen, reader_key,
	    MINDL_DOCTYPE_MDL, NULL)) != MINDL_OK)
		goto fail;
	*out = v;
	v = NULL;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_verified_free(&v);
	return r;
}

/* 1 if the disclosed elements are exactly the profile's. */
static int
exactly(const struct mindl_verified *v, const struct mindl_profile *p)
{
	size_t i;

	if (v->n != mindl_profile_count(p))
		return 0;
	/* Each at most once (mindl_issuer_signed_parse), so n covers all. */
	for (i = 0; i < v->n; i++)
		if (!mindl_profile_allows(p, v->disc[i].ns, v->disc[i].id))
			return 0;
	return 1;
}

/*
 * Rule 4 for a static document: the profile's elements are kept, the
 * others dropped unseen and counted; without a profile, the one whose
 * elements the document holds exactly.
 */
static int
static_profile(struct mindl_verified *v, const struct mindl_schema *schema,
    const struct mindl_profile *profile)
{
	size_t i, k;

	if (profile == NULL) {
		for (i = 0; i < mindl_schema_profile_count(schema); i++)
			if (exactly(v, mindl_schema_profile_at(schema, i))) {
				profile = mindl_schema_profile_at(schema, i);
				break;
			}
		if (profile == NULL) {
			mindl_log_debug("%s: no profile holds exactly these "
			    "%zu elements", __func__, v->n);
			return MINDL_ERR_PROFILE;
		}
	}
	for (i = 0, k = 0; i < v->n; i++) {
		if (!mindl_profile_allows(profile, v->disc[i].ns,
		    v->disc[i].id)) {
			v->dropped++;
			continue;
		}
		v->disc[k++] = v->disc[i];
	}
	for (i = k; i < v->n; i++)
		memset(&v->disc[i], 0, sizeof(v->disc[i]));
	v->n = k;
	v->profile = profile;
	return MINDL_OK;
}

/*
 * A static document's holder binding: its security key's assertion over
 * DeviceAuthenticationBytes of the verifier's fresh transcript, checked
 * with the MSO's device key as a response's FIDO2 DeviceSigned is.
 */
static int
static_bound(const struct mindl_document *d, const struct mindl_key *dkey,
    const struct mindl_static_binding *b)
{
	const struct mindl_fido_assertion *a = b->assertion;
	const struct mindl_cbor_item *dt = mindl_document_doctype(d);
	uint8_t *dab = NULL;
	size_t dablen = 0;
	int r;

	if (a == NULL || b->st == NULL || b->policy.rpid == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_static_devauth_bytes(b->st, b->stlen,
	    (const char *)dt->ptr, dt->len, &dab, &dablen)) != MINDL_OK)
		return r;
	r = mindl_fido_verify(a->authdata, a->authdatalen, a->sig, a->siglen,
	    b->policy.rpid, dab, dablen, dkey, b->policy.require_uv);
	free(dab);
	return r;
}

static int
verify_static(struct mindl_verified *v, struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const struct mindl_profile *profile, const struct mindl_static_binding *b,
    struct mindl_verify_fault *f)
{
	const struct mindl_issuer_signed *is;
	struct mindl_key *dkey = NULL;
	int r;

	if ((r = mindl_document_parse(mindl_cbor_root(v->doc), 0, &v->d)) !=
	    MINDL_OK)
		return r;
	/* Presented documents are verified with their session. */
	if (mindl_document_device_signed(v->d) != NULL) {
		mindl_log_debug("%s: deviceSigned in a static document",
		    __func__);
		return MINDL_ERR_UNSUPPORTED;
	}
	if (strcmp(mindl_document_doctype_str(v->d), MINDL_DOCTYPE_MDL) != 0)
		return MINDL_ERR_DOCTYPE;
	is = mindl_document_issuer_signed(v->d);
	r = check_issuer(v, trust, at, mindl_issuer_signed_mso(is),
	    mindl_document_doctype(v->d), &dkey, f);
	if (r != MINDL_OK) {
		mindl_key_free(&dkey);
		if (r == MINDL_ERR_EXPIRED || r == MINDL_ERR_NOT_YET_VALID ||
		    r == MINDL_ERR_SIGNED_LATER)
			signed_expiry(is, f);
		return r;
	}
	if ((r = check_items(v, schema, is)) != MINDL_OK ||
	    (r = check_place(v)) != MINDL_OK ||
	    (r = static_profile(v, schema, profile)) != MINDL_OK) {
		mindl_key_free(&dkey);
		v->n = 0;
		return r;
	}
	/*
	 * Without a security key's answer the device key binds nothing: no
	 * session to sign.  With one, it binds the code to that key.
	 */
	v->holder_bound = 0;
	if (b != NULL) {
		if ((r = static_bound(v->d, dkey, b)) != MINDL_OK)
			v->n = 0;
		else {
			v->holder_bound = 1;
			v->auth = MINDL_DEVAUTH_FIDO2;
		}
	}
	mindl_key_free(&dkey);
	return r;
}

int
mindl_verify_static(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const struct mindl_profile *profile, const uint8_t *doc, size_t len,
    struct mindl_verified **out)
{
	return mindl_verify_static_fault(trust, schema, at, profile, doc, len,
	    out, NULL);
}

int
mindl_verify_static_fault(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const struct mindl_profile *profile, const uint8_t *doc, size_t len,
    struct mindl_verified **out, struct mindl_verify_fault *fault)
{
	return mindl_verify_static_bound(trust, schema, at, profile, NULL, doc,
	    len, out, fault);
}

int
mindl_verify_static_bound(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const struct mindl_profile *profile, const struct mindl_static_binding *b,
    const uint8_t *doc, size_t len, struct mindl_verified **out,
    struct mindl_verify_fault *fault)
{
	struct mindl_verified *v = NULL;
	struct mindl_verify_fault scratch;
	int r;

	if (fault == NULL)
		fault = &scratch;
	memset(fault, 0, sizeof(*fault));
	fault->at = at;
	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	if (trust == NULL || schema == NULL || doc == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((r = new_verified(doc, len, &v)) != MINDL_OK)
		goto fail;
	if ((r = verify_static(v, trust, schema, at, profile, b, fault)) !=
	    MINDL_OK)
		goto fail;
	*out = v;
	v = NULL;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_verified_free(&v);
	return r;
}

int
mindl_transcript_from_files(const struct mindl_request *req,
    const uint8_t *resp, size_t resplen, uint8_t **out, size_t *outlen)
{
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *de, *dr;
	const uint8_t *erk;
	size_t erklen;
	int r;

	*out = NULL;
	*outlen = 0;
	if ((r = mindl_cbor_decode(resp, resplen, &doc)) != MINDL_OK)
		return r;
	if ((r = mindl_response_envelope(mindl_cbor_root(doc), &de, &dr)) ==
	    MINDL_OK) {
		mindl_request_erk(req, &erk, &erklen);
		r = mindl_transcript_bytes(de->ptr, de->len, erk, erklen, out,
		    outlen);
	}
	mindl_cbor_free(&doc);
	return r;
}

int
mindl_verify_response(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const struct mindl_request *req, const struct mindl_key *reader_key,
    const uint8_t *resp, size_t resplen, struct mindl_verified **out)
{
	return mindl_verify_response_fault(trust, schema, at, req, reader_key,
	    resp, resplen, out, NULL);
}

/*
 * After device authentication failed: MINDL_ERR_OTHER_REQUEST if the
 * response file names, by readerKeyDigest, another request than req,
 * else MINDL_ERR_DEVICE_AUTH unchanged.  The transcript binds the
 * response to the request's eReaderKey, so a MAC or signature failure
 * alone cannot tell a response to another session from a forgery; the
 * holder's digest of the eReaderKey it answered can.  That digest is
 * not authenticated and is read only here, once the verdict is already
 * a failure: it changes which failure a person is told, never whether
 * the response verifies (a matching transcript with another digest is
 * valid), and a forger can set it as well as a holder.
 */
static int
other_request(const struct mindl_cbor_item *root,
    const struct mindl_request *req)
{
	const uint8_t *want, *erk;
	uint8_t h[MINDL_SHA256_LEN];
	size_t erklen;

	if (mindl_response_reader_key_digest(root, &want) != MINDL_OK ||
	    want == NULL)
		return MINDL_ERR_DEVICE_AUTH;
	mindl_request_erk(req, &erk, &erklen);
	if (mindl_sha256(erk, erklen, h) != MINDL_OK) {
		mindl_log_debug("%s: no digest of eReaderKey", __func__);
		return MINDL_ERR_DEVICE_AUTH;
	}
	if (mindl_ct_eq(h, want, sizeof(h)))
		return MINDL_ERR_DEVICE_AUTH;
	mindl_log_debug("%s: readerKeyDigest names another request", __func__);
	return MINDL_ERR_OTHER_REQUEST;
}

int
mindl_verify_response_fault(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const struct mindl_request *req, const struct mindl_key *reader_key,
    const uint8_t *resp, size_t resplen, struct mindl_verified **out,
    struct mindl_verify_fault *fault)
{
	return mindl_verify_response_fido2(trust, schema, at, req, reader_key,
	    NULL, resp, resplen, out, fault);
}

int
mindl_verify_response_fido2(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const struct mindl_request *req, const struct mindl_key *reader_key,
    const struct mindl_fido_policy *fp, const uint8_t *resp, size_t resplen,
    struct mindl_verified **out, struct mindl_verify_fault *fault)
{
	struct mindl_verify_fault scratch;
	struct mindl_verified *v = NULL;
	const struct mindl_cbor_item *de, *dr;
	const uint8_t *erk;
	uint8_t *st = NULL;
	size_t erklen, stlen = 0;
	int r;

	if (fault == NULL)
		fault = &scratch;
	memset(fault, 0, sizeof(*fault));
	fault->at = at;
	*out = NULL;
	if ((r = new_verified(resp, resplen, &v)) != MINDL_OK)
		goto fail;
	if ((r = mindl_response_envelope(mindl_cbor_root(v->doc), &de,
	    &dr)) != MINDL_OK)
		goto fail;
	mindl_request_erk(req, &erk, &erklen);
	if ((r = mindl_transcript_bytes(de->ptr, de->len, erk, erklen, &st,
	    &stlen)) != MINDL_OK)
		goto fail;
	if ((r = verify_dr(v, trust, schema, at, fault, dr, st, stlen,
	    reader_key, mindl_request_doctype(req), fp)) != MINDL_OK) {
		if (r == MINDL_ERR_DEVICE_AUTH)
			r = other_request(mindl_cbor_root(v->doc), req);
		goto fail;
	}
	*out = v;
	v = NULL;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	free(st);
	mindl_verified_free(&v);
	return r;
}

size_t
mindl_verified_count(const struct mindl_verified *v)
{
	return v->n;
}

const struct mindl_disclosed *
mindl_verified_at(const struct mindl_verified *v, size_t i)
{
	return i < v->n ? &v->disc[i] : NULL;
}

const char *
mindl_verified_doctype(const struct mindl_verified *v)
{
	return mindl_document_doctype_str(v->d);
}

enum mindl_devauth
mindl_verified_devauth(const struct mindl_verified *v)
{
	return v->auth;
}

int
mindl_verified_holder_bound(const struct mindl_verified *v)
{
	return v != NULL && v->holder_bound;
}

const struct mindl_profile *
mindl_verified_profile(const struct mindl_verified *v)
{
	return v != NULL ? v->profile : NULL;
}

size_t
mindl_verified_dropped(const struct mindl_verified *v)
{
	return v != NULL ? v->dropped : 0;
}

void
mindl_verified_validity(const struct mindl_verified *v, int64_t *signed_at,
    int64_t *valid_from, int64_t *valid_until)
{
	*signed_at = v->validity.signed_at;
	*valid_from = v->validity.valid_from;
	*valid_until = v->validity.valid_until;
}

/*
 * The signer's key id is an audit label, not part of verification, and
 * finding it means a full DER parse of the certificate, public key
 * included: about as much work as both ECDSA verifications.  It is made
 * on first use, from the certificate bytes as received, once even when
 * several threads ask at the same time.
 */
void
mindl_verified_ds_cert(const struct mindl_verified *v, const uint8_t **der,
    size_t *len)
{
	*der = v != NULL ? v->ds : NULL;
	*len = v != NULL ? v->dslen : 0;
}

const char *
mindl_verified_signer(const struct mindl_verified *cv)
{
	struct mindl_verified *v = (struct mindl_verified *)(uintptr_t)cv;
	int idle = 0;

	if (atomic_load(&v->signer_state) == 2)
		return v->signer;
	if (atomic_compare_exchange_strong(&v->signer_state, &idle, 1)) {
		/* On failure the id stays empty, as it always has. */
		(void)mindl_x509_key_id(v->ds, v->dslen, v->signer);
		atomic_store(&v->signer_state, 2);
	}
	while (atomic_load(&v->signer_state) != 2)
		;	/* another thread is writing it: microseconds */
	return v->signer;
}

int
mindl_verified_status_ref(const struct mindl_verified *v, uint64_t *idx,
    const uint8_t **uri, size_t *urilen)
{
	const struct mindl_cbor_item *u;
	int r;

	if (v == NULL || v->mso == NULL || idx == NULL || uri == NULL ||
	    urilen == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_mso_status_list(v->mso, idx, &u)) != MINDL_OK)
		return r;
	*uri = u->ptr;
	*urilen = u->len;
	return MINDL_OK;
}

void
mindl_verified_ds_root(const struct mindl_verified *v,
    uint8_t root[MINDL_SHA256_LEN])
{
	memcpy(root, v->ds_root, MINDL_SHA256_LEN);
}
