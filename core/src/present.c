/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the holder's side: answer a request with a DeviceResponse that
 * holds only the requested elements the request's profile allows, bound
 * to the session by deviceMac (default, deniable) or deviceSignature.
 *
 * Issuer-signed items are copied byte for byte from the credential: a
 * re-encoding would change their digests.
 */
#include <stdlib.h>
#include <string.h>

#include "mindl/cose.h"
#include "mindl/devauth.h"
#include "mindl/err.h"
#include "mindl/mdoc.h"
#include "mindl/mso.h"
#include "internal.h"

/* The holder's credential: the entry presented, parsed. */
struct cred {
	struct mindl_cbor		*doc;
	struct mindl_document		*d;
	const struct mindl_issuer_signed *is;
	size_t				 n;
	unsigned char			 selected[MINDL_MAX_ELEMENTS];
};

static void
cred_clear(struct cred *c)
{
	mindl_document_free(&c->d);
	mindl_cbor_free(&c->doc);
}

static int
cred_load(const uint8_t *buf, size_t len, size_t entry, struct cred *c)
{
	const struct mindl_cbor_item *root, *e;
	struct mindl_cbor_iter it;
	size_t i;
	int r;

	if ((r = mindl_cbor_decode(buf, len, &c->doc)) != MINDL_OK)
		return r;
	root = mindl_cbor_root(c->doc);
	if (mindl_file_kind(root) != MINDL_FILE_CREDENTIAL)
		return MINDL_ERR_CBOR_TYPE;
	/* Entry `entry' of a batch: each a single-use MSO of its own. */
	if ((r = mindl_cbor_iter_init(&it, root, MINDL_CBOR_ARRAY)) !=
	    MINDL_OK)
		return r;
	for (i = 0; (e = mindl_cbor_iter_next(&it)) != NULL && i < entry; i++)
		;
	if (e == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_document_parse(e, 0, &c->d)) != MINDL_OK)
		return r;
	c->is = mindl_document_issuer_signed(c->d);
	c->n = mindl_issuer_signed_count(c->is);
	return MINDL_OK;
}

static const struct mindl_issuer_item *
item(const struct cred *c, size_t i)
{
	return mindl_issuer_signed_item(c->is, i);
}

static size_t
find(const struct cred *c, const char *ns, const char *id)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(item(c, i)->ns_str, ns) == 0 &&
		    strcmp(item(c, i)->element_str, id) == 0)
			return i;
	return SIZE_MAX;
}

/* NN of "age_over_NN", or -1. */
static int
age_nn(const char *id)
{
	if (strncmp(id, "age_over_", 9) != 0 || id[9] < '0' || id[9] > '9' ||
	    id[10] < '0' || id[10] > '9' || id[11] != '\0')
		return -1;
	return (id[9] - '0') * 10 + (id[10] - '0');
}

/*
 * ISO 18013-5 7.2.5: if age_over_NN is absent, answer with the nearest
 * age_over_MM = true with MM > NN, else the nearest age_over_MM = false
 * with MM < NN.
 */
static size_t
nearest_age(const struct cred *c, const char *ns, int nn)
{
	const struct mindl_issuer_item *ii;
	size_t best_t = SIZE_MAX, best_f = SIZE_MAX, i;
	int mm, bt = 100, bf = -1;

	for (i = 0; i < c->n; i++) {
		ii = item(c, i);
		if (strcmp(ii->ns_str, ns) != 0 ||
		    (mm = age_nn(ii->element_str)) < 0)
			continue;
		if (ii->value->type == MINDL_CBOR_TRUE && mm >= nn && mm < bt) {
			bt = mm;
			best_t = i;
		}
		if (ii->value->type == MINDL_CBOR_FALSE && mm <= nn &&
		    mm > bf) {
			bf = mm;
			best_f = i;
		}
	}
	return best_t != SIZE_MAX ? best_t : best_f;
}

static void
select_items(struct cred *c, const struct mindl_request *req,
    const struct mindl_profile *prof, struct mindl_present_report *rep)
{
	const char *ns, *id;
	size_t i, k;
	int nn;

	for (i = 0; i < mindl_request_count(req); i++) {
		mindl_request_element(req, i, &ns, &id, NULL);
		if (!mindl_profile_allows(prof, ns, id)) {
			rep->withheld_profile++;
			rep->decision[i] = MINDL_WITHHELD_PROFILE;
			continue;
		}
		k = find(c, ns, id);
		if (k == SIZE_MAX && (nn = age_nn(id)) >= 0) {
			k = nearest_age(c, ns, nn);
			/*
			 * The nearest attestation says more than was asked
			 * (age_over_25 for a 21 request); a mindl verifier
			 * shows only its profile's elements and would drop
			 * it, so it goes out only if the profile has it.
			 */
			if (k != SIZE_MAX && !mindl_profile_allows(prof, ns,
			    item(c, k)->element_str)) {
				rep->withheld_profile++;
				rep->decision[i] = MINDL_WITHHELD_PROFILE;
				continue;
			}
		}
		if (k == SIZE_MAX) {
			rep->missing++;
			rep->decision[i] = MINDL_MISSING;
			continue;
		}
		rep->decision[i] = MINDL_RELEASED;
		if (!c->selected[k])
			rep->released++;
		c->selected[k] = 1;
	}
}

/* DeviceEngagement {0: "1.0", 1: [1, #6.24(bstr .cbor EDeviceKey)]}. */
static int
engagement(const struct mindl_key *edev, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	uint8_t *k = NULL;
	size_t klen = 0;
	int r;

	mindl_enc_init(&e, 4096);
	if ((r = mindl_cose_key_write(&e, edev)) != MINDL_OK ||
	    (r = mindl_enc_finish(&e, &k, &klen)) != MINDL_OK) {
		mindl_enc_clear(&e);
		return r;
	}
	mindl_enc_init(&e, 4096);
	mindl_enc_map(&e, 2);
	mindl_enc_uint(&e, 0);
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_uint(&e, 1);
	mindl_enc_array(&e, 2);
	mindl_enc_uint(&e, 1);	/* cipher suite 1 */
	mindl_enc_embedded(&e, k, klen);
	free(k);
	return mindl_enc_finish(&e, out, outlen);
}

/*
 * The session's DeviceEngagement: the holder's own, made before a signed
 * request (mindl_engagement_create), or a fresh one.
 */
static int
engagement_for(const struct mindl_present_params *p, struct mindl_key **edev,
    uint8_t **de, size_t *delen)
{
	int r;

	if (p->engagement != NULL) {
		if ((r = mindl_engagement_check(p->engagement, p->englen)) !=
		    MINDL_OK)
			return r;
		if ((*de = mindl_malloc(p->englen)) == NULL)
			return MINDL_ERR_NOMEM;
		memcpy(*de, p->engagement, p->englen);
		*delen = p->englen;
		return MINDL_OK;
	}
	if ((r = mindl_key_generate(edev)) != MINDL_OK)
		return r;
	return engagement(*edev, de, delen);
}

/* Namespaces with at least one released item, in credential order. */
static int
first_of_ns(const struct cred *c, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (c->selected[j] && item(c, j)->nsidx == item(c, i)->nsidx)
			return 0;
	return 1;
}

static void
write_issuer_signed(struct mindl_enc *e, const struct cred *c)
{
	const struct mindl_cbor_item *ia;
	size_t i, j, nns, cnt;

	for (i = 0, nns = 0; i < c->n; i++)
		nns += c->selected[i] && first_of_ns(c, i);
	mindl_enc_map(e, nns > 0 ? 2 : 1);
	if (nns > 0) {
		mindl_enc_tstr(e, "nameSpaces");
		mindl_enc_map(e, nns);
		for (i = 0; i < c->n; i++) {
			if (!c->selected[i] || !first_of_ns(c, i))
				continue;
			for (j = i, cnt = 0; j < c->n; j++)
				cnt += c->selected[j] &&
				    item(c, j)->nsidx == item(c, i)->nsidx;
			mindl_enc_tstr(e, item(c, i)->ns_str);
			mindl_enc_array(e, cnt);
			/* Byte for byte: a re-encoding would change digests. */
			for (j = i; j < c->n; j++)
				if (c->selected[j] &&
				    item(c, j)->nsidx == item(c, i)->nsidx)
					mindl_enc_raw(e, item(c, j)->bytes->enc,
					    item(c, j)->bytes->enclen);
		}
	}
	ia = mindl_mso_issuer_auth(mindl_issuer_signed_mso(c->is));
	mindl_enc_tstr(e, "issuerAuth");
	mindl_enc_raw(e, ia->enc, ia->enclen);
}

int
mindl_present(const struct mindl_present_params *p, struct mindl_buf *out,
    struct mindl_present_report *report)
{
	struct cred *c = NULL;
	struct mindl_present_report rep;
	const struct mindl_profile *prof;
	struct mindl_devauth_params dp;
	struct mindl_signer ksigner;
	struct mindl_fido_signer fs;
	struct mindl_key *edev = NULL, *erk = NULL;
	struct mindl_enc e;
	const uint8_t *erkb;
	uint8_t *de = NULL, *st = NULL, rkd[MINDL_SHA256_LEN];
	size_t delen = 0, stlen = 0, erklen;
	int r = MINDL_ERR_INTERNAL;

	mindl_buf_clear(out);
	memset(&rep, 0, sizeof(rep));
	memset(&dp, 0, sizeof(dp));
	memset(&fs, 0, sizeof(fs));
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	if (p == NULL || p->cred == NULL || p->req == NULL ||
	    p->schema == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if (mindl_request_profile(p->req) == NULL ||
	    (prof = mindl_schema_profile(p->schema,
	    mindl_request_profile(p->req))) == NULL) {
		mindl_log_debug("%s: request names no known profile", __func__);
		r = MINDL_ERR_PROFILE;
		goto fail;
	}
	if (strcmp(mindl_request_doctype(p->req), MINDL_DOCTYPE_MDL) != 0) {
		r = MINDL_ERR_DOCTYPE;
		goto fail;
	}
	/* How the device authenticates, before any work is done. */
	dp.auth = p->auth;
	dp.device_key = p->device_key;
	dp.signer = p->signer;
	if (p->auth == MINDL_DEVAUTH_SIGNATURE && dp.signer == NULL) {
		if ((r = mindl_signer_key(&ksigner, p->device_key)) !=
		    MINDL_OK)
			goto fail;
		dp.signer = &ksigner;
	} else if (p->auth == MINDL_DEVAUTH_MAC && (p->device_key == NULL ||
	    !mindl_key_is_private(p->device_key))) {
		r = MINDL_ERR_KEY;
		goto fail;
	} else if (p->auth == MINDL_DEVAUTH_FIDO2 && (p->fido == NULL ||
	    p->fido->dev == NULL || p->fido->rpid == NULL)) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	} else if (p->auth != MINDL_DEVAUTH_MAC &&
	    p->auth != MINDL_DEVAUTH_SIGNATURE &&
	    p->auth != MINDL_DEVAUTH_FIDO2) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((c = mindl_calloc(1, sizeof(*c))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if ((r = cred_load(p->cred, p->credlen, p->entry, c)) != MINDL_OK)
		goto fail;
	if (strcmp(mindl_document_doctype_str(c->d), MINDL_DOCTYPE_MDL) != 0) {
		r = MINDL_ERR_DOCTYPE;
		goto fail;
	}
	/*
	 * The key must be the one the credential was issued to: otherwise
	 * the holder learns it only from a verifier's refusal.
	 */
	if (p->device_key != NULL && (r = mindl_mso_device_key_is(
	    mindl_issuer_signed_mso(c->is), p->device_key)) != MINDL_OK)
		goto fail;
	/* A security key signs for the credential id the desk made. */
	if (p->auth == MINDL_DEVAUTH_FIDO2) {
		fs = *p->fido;
		mindl_document_fido_id(c->d, &fs.cred_id, &fs.cred_idlen);
		if (fs.cred_id == NULL) {
			mindl_log_debug("%s: entry not bound to a security key",
			    __func__);
			r = MINDL_ERR_KEY;
			goto fail;
		}
	}
	select_items(c, p->req, prof, &rep);

	mindl_request_erk(p->req, &erkb, &erklen);
	if ((r = mindl_cose_key_decode(erkb, erklen, &erk)) != MINDL_OK ||
	    (r = engagement_for(p, &edev, &de, &delen)) != MINDL_OK ||
	    (r = mindl_transcript_bytes(de, delen, erkb, erklen, &st,
	    &stlen)) != MINDL_OK ||
	    (r = mindl_sha256(erkb, erklen, rkd)) != MINDL_OK)
		goto fail;
	dp.ereader = erk;

	/*
	 * The encoder sorts map keys (RFC 8949 4.2.1): "v", "deviceResponse",
	 * "readerKeyDigest", "deviceEngagement" on the wire.
	 * readerKeyDigest names the request answered, over its eReaderKey
	 * bytes as received, so that a verifier holding another request can
	 * say "present again" rather than "forged" (DESIGN.md 3.2).
	 */
	mindl_enc_map(&e, 4);
	mindl_enc_tstr(&e, "v");
	mindl_enc_uint(&e, 1);
	mindl_enc_tstr(&e, "deviceEngagement");
	mindl_enc_bstr(&e, de, delen);
	mindl_enc_tstr(&e, "readerKeyDigest");
	mindl_enc_bstr(&e, rkd, sizeof(rkd));
	mindl_enc_tstr(&e, "deviceResponse");
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_tstr(&e, "status");
	mindl_enc_uint(&e, 0);
	mindl_enc_tstr(&e, "documents");
	mindl_enc_array(&e, 1);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	mindl_enc_tstr(&e, "issuerSigned");
	write_issuer_signed(&e, c);
	mindl_enc_tstr(&e, "deviceSigned");
	if (p->auth == MINDL_DEVAUTH_FIDO2)
		r = mindl_device_signed_write_fido2(&e, &fs, MINDL_DOCTYPE_MDL,
		    st, stlen);
	else
		r = mindl_device_signed_write(&e, &dp, MINDL_DOCTYPE_MDL, st,
		    stlen);
	if (r != MINDL_OK)
		goto fail;
	if ((r = mindl_enc_finish_buf(&e, out)) != MINDL_OK)
		goto fail;
	if (report != NULL)
		*report = rep;
 fail:
	if (r != MINDL_OK) {
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
		mindl_buf_clear(out);
	}
	mindl_enc_clear(&e);
	if (c != NULL) {
		cred_clear(c);
		free(c);
	}
	mindl_key_free(&edev);
	mindl_key_free(&erk);
	free(de);
	free(st);
	return r;
}
