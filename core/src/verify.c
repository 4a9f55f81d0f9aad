/*
 * mindl: offline verification of a DeviceResponse.
 *
 * Order (nothing is returned before all of it passes): DS certificate
 * chains to a trusted IACA at the given time; MSO signature; docType;
 * validity window; each disclosed IssuerSignedItem's digest, computed over
 * the bytes received, matches valueDigests[ns][digestID]; device
 * authentication (MAC or signature) over the session transcript.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/cose.h"
#include "mindl/date.h"
#include "mindl/err.h"
#include "mindl/mdoc.h"
#include "internal.h"
#include "mdoc_int.h"

struct mindl_verified {
	uint8_t			*buf;
	size_t			 len;
	struct mindl_cbor	*doc;
	struct mindl_cbor	*msob;
	struct mindl_cbor	*mso;
	struct mindl_cbor	*items[MINDL_MAX_DISCLOSED];
	size_t			 n;
	struct mindl_disclosed	 d[MINDL_MAX_DISCLOSED];
	int64_t			 ids[MINDL_MAX_DISCLOSED];	/* digestIDs */
	char			*doctype;
	enum mindl_devauth	 auth;
	int64_t			 signed_at;
	int64_t			 valid_from;
	int64_t			 valid_until;
	const uint8_t		*ds;	/* DS certificate, in buf */
	size_t			 dslen;
	atomic_int		 signer_state;	/* 0 none, 1 busy, 2 done */
	char			 signer[17];
};

void
mindl_verified_free(struct mindl_verified **vp)
{
	struct mindl_verified *v;
	size_t i;

	if (vp == NULL || (v = *vp) == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		free((char *)(uintptr_t)v->d[i].ns);
		free((char *)(uintptr_t)v->d[i].id);
		mindl_cbor_free(&v->items[i]);
	}
	mindl_cbor_free(&v->mso);
	mindl_cbor_free(&v->msob);
	mindl_cbor_free(&v->doc);
	free(v->doctype);
	free(v->buf);
	free(v);
	*vp = NULL;
}

static int
get_tdate(const struct mindl_cbor_item *map, const char *key, int64_t *t)
{
	const struct mindl_cbor_item *s;

	s = mindl_cbor_untag(mindl_cbor_map_get(map, key), 0);
	if (s == NULL || s->type != MINDL_CBOR_TSTR)
		return MINDL_ERR_DATE;
	return mindl_tdate_parse((const char *)s->ptr, s->len, t);
}

/* Issuer signature, MSO, validity; leaves the device key in *dkey. */
static int
check_issuer(struct mindl_verified *v, struct mindl_trust *trust, int64_t at,
    const struct mindl_cbor_item *issuer_auth, const char *doctype,
    struct mindl_key **dkey, const struct mindl_cbor_item **digests)
{
	struct mindl_cose_msg m;
	struct mindl_key *ds = NULL;
	const struct mindl_cbor_item *root, *inner, *vi, *dki;
	int64_t dsnb, dsna;
	size_t i;
	int r = MINDL_ERR_INTERNAL;

	if ((r = mindl_cose_parse(issuer_auth, &m)) != MINDL_OK)
		return r;
	if (m.nx5 == 0 || m.payload == NULL) {
		r = m.nx5 == 0 ? MINDL_ERR_X5CHAIN : MINDL_ERR_MISSING;
		goto out;
	}
	for (i = 0; i < m.nx5; i++)
		if (mindl_trust_is_root(trust, m.x5[i], m.x5len[i])) {
			r = MINDL_ERR_IACA_IN_CHAIN;
			goto out;
		}
	if ((r = mindl_trust_verify_ds(trust, m.x5[0], m.x5len[0], at,
	    &ds)) != MINDL_OK)
		goto out;
	v->ds = m.x5[0];
	v->dslen = m.x5len[0];
	if ((r = mindl_cose_sign1_verify(&m, ds, NULL, 0)) != MINDL_OK)
		goto out;

	/* Payload: MobileSecurityObjectBytes = #6.24(bstr .cbor MSO). */
	if ((r = mindl_cbor_decode(m.payload, m.payloadlen, &v->msob)) !=
	    MINDL_OK)
		goto out;
	if ((inner = mindl_cbor_untag(mindl_cbor_root(v->msob), 24)) == NULL) {
		r = MINDL_ERR_CBOR_TAG;
		goto out;
	}
	if ((r = mindl_cbor_decode(inner->ptr, inner->len, &v->mso)) !=
	    MINDL_OK)
		goto out;
	root = mindl_cbor_root(v->mso);
	if (root->type != MINDL_CBOR_MAP ||
	    !mindl_cbor_is_str(mindl_cbor_map_get(root, "version"), "1.0")) {
		r = MINDL_ERR_VERSION;
		goto out;
	}
	if (!mindl_cbor_is_str(mindl_cbor_map_get(root, "digestAlgorithm"),
	    "SHA-256")) {
		r = MINDL_ERR_UNSUPPORTED;
		goto out;
	}
	if (!mindl_cbor_is_str(mindl_cbor_map_get(root, "docType"), doctype)) {
		r = MINDL_ERR_DOCTYPE;
		goto out;
	}
	vi = mindl_cbor_map_get(root, "validityInfo");
	if ((r = get_tdate(vi, "signed", &v->signed_at)) != MINDL_OK ||
	    (r = get_tdate(vi, "validFrom", &v->valid_from)) != MINDL_OK ||
	    (r = get_tdate(vi, "validUntil", &v->valid_until)) != MINDL_OK)
		goto out;
	/*
	 * ISO 18013-5 9.3.1: the MSO was signed while its DS certificate was
	 * valid.  Otherwise a leaked, expired DS key could still sign MSOs
	 * that look current.
	 */
	if ((r = mindl_trust_ds_validity(trust, m.x5[0], m.x5len[0], &dsnb,
	    &dsna)) != MINDL_OK)
		goto out;
	if (v->signed_at < dsnb || v->signed_at > dsna) {
		r = MINDL_ERR_SIGNED_OUTSIDE_DS;
		goto out;
	}
	if (at < v->valid_from) {
		r = MINDL_ERR_NOT_YET_VALID;
		goto out;
	}
	if (at > v->valid_until) {
		r = MINDL_ERR_EXPIRED;
		goto out;
	}
	dki = mindl_cbor_map_get(root, "deviceKeyInfo");
	if ((r = mindl_cose_key_parse(mindl_cbor_map_get(dki, "deviceKey"),
	    dkey)) != MINDL_OK)
		goto out;
	*digests = mindl_cbor_map_get(root, "valueDigests");
	if (*digests == NULL || (*digests)->type != MINDL_CBOR_MAP) {
		mindl_key_free(dkey);
		r = MINDL_ERR_MISSING;
		goto out;
	}
	r = MINDL_OK;
 out:
	mindl_key_free(&ds);
	mindl_cose_clear(&m);
	return r;
}

/* One disclosed item against the MSO. */
static int
check_item(struct mindl_verified *v, const struct mindl_cbor_item *nsk,
    const struct mindl_cbor_item *nsdigests, const struct mindl_cbor_item *it)
{
	const struct mindl_cbor_item *b, *root, *want, *rnd;
	struct mindl_disclosed *d;
	uint8_t h[MINDL_SHA256_LEN];
	int64_t id;
	size_t i;
	int r;

	if (v->n == MINDL_MAX_DISCLOSED)
		return MINDL_ERR_CBOR_LIMIT;
	if ((b = mindl_cbor_untag(it, 24)) == NULL)
		return MINDL_ERR_CBOR_TAG;
	if ((r = mindl_cbor_decode(b->ptr, b->len, &v->items[v->n])) !=
	    MINDL_OK)
		return r;
	d = &v->d[v->n];
	root = mindl_cbor_root(v->items[v->n]);
	v->n++;
	if (root->type != MINDL_CBOR_MAP ||
	    mindl_cbor_int(mindl_cbor_map_get(root, "digestID"), &id) !=
	    MINDL_OK || id < 0 ||
	    (rnd = mindl_cbor_map_get(root, "random")) == NULL ||
	    rnd->type != MINDL_CBOR_BSTR ||
	    (d->value = mindl_cbor_map_get(root, "elementValue")) == NULL ||
	    (d->id = mindl_strndup_item(mindl_cbor_map_get(root,
	    "elementIdentifier"))) == NULL)
		return MINDL_ERR_MISSING;
	if ((d->ns = mindl_strndup_item(nsk)) == NULL)
		return MINDL_ERR_NOMEM;
	v->ids[v->n - 1] = id;
	/*
	 * digestIDs are unique within a namespace of one MSO, and so are
	 * elementIdentifiers within a namespace of a response: the claims
	 * are a map ns -> element, and two values for one element (each
	 * signed by an issuer that should not have) would leave the reader
	 * to pick one, as a duplicate map key would.  The same item twice is
	 * reported as a repeated digestID.
	 */
	for (i = 0; i + 1 < v->n; i++)
		if (v->ids[i] == id && strcmp(v->d[i].ns, d->ns) == 0)
			return MINDL_ERR_DIGEST_ID_DUP;
	for (i = 0; i + 1 < v->n; i++)
		if (strcmp(v->d[i].id, d->id) == 0 &&
		    strcmp(v->d[i].ns, d->ns) == 0) {
			mindl_log_debug("%s: %s disclosed twice", __func__,
			    d->id);
			return MINDL_ERR_CBOR_DUPKEY;
		}
	want = mindl_cbor_map_get_int(nsdigests, id);
	if (want == NULL) {
		mindl_log_debug("%s: digestID %lld not in MSO", __func__,
		    (long long)id);
		return MINDL_ERR_DIGEST_ID;
	}
	if (want->type != MINDL_CBOR_BSTR || want->len != sizeof(h))
		return MINDL_ERR_DIGEST;
	/* Over the received tag-24 encoding, never a re-encoding. */
	if ((r = mindl_sha256(it->enc, it->enclen, h)) != MINDL_OK)
		return r;
	if (!mindl_ct_eq(h, want->ptr, sizeof(h))) {
		mindl_log_debug("%s: digest mismatch for %s", __func__, d->id);
		return MINDL_ERR_DIGEST;
	}
	return MINDL_OK;
}

static int
check_items(struct mindl_verified *v, const struct mindl_cbor_item *is,
    const struct mindl_cbor_item *digests)
{
	const struct mindl_cbor_item *nss, *k, *arr, *it, *nsd;
	uint64_t i, j;
	int r;

	if ((nss = mindl_cbor_map_get(is, "nameSpaces")) == NULL)
		return MINDL_OK;
	if (nss->type != MINDL_CBOR_MAP)
		return MINDL_ERR_CBOR_TYPE;
	for (i = 0, k = mindl_cbor_child(nss); i < nss->u; i++) {
		arr = mindl_cbor_next(k);
		/* Namespaces become C strings: no NUL inside. */
		if (k->type != MINDL_CBOR_TSTR || arr->type != MINDL_CBOR_ARRAY ||
		    memchr(k->ptr, '\0', k->len) != NULL)
			return MINDL_ERR_CBOR_TYPE;
		nsd = mindl_cbor_map_get_key(digests, k);
		if (nsd == NULL || nsd->type != MINDL_CBOR_MAP)
			return MINDL_ERR_DIGEST_ID;
		for (j = 0, it = mindl_cbor_child(arr); j < arr->u; j++) {
			if ((r = check_item(v, k, nsd, it)) != MINDL_OK)
				return r;
			it = mindl_cbor_next(it);
		}
		k = mindl_cbor_next(arr);
	}
	return MINDL_OK;
}

static int
check_device(struct mindl_verified *v, const struct mindl_cbor_item *ds,
    const struct mindl_key *dkey, const uint8_t *st, size_t stlen,
    const struct mindl_key *reader_key, const struct mindl_cbor_item *dt)
{
	const struct mindl_cbor_item *dns, *da, *sig, *mac;
	struct mindl_cose_msg m;
	uint8_t *dab = NULL, mackey[32];
	size_t dablen = 0;
	int r;

	memset(&m, 0, sizeof(m));
	if (ds == NULL || ds->type != MINDL_CBOR_MAP ||
	    (dns = mindl_cbor_map_get(ds, "nameSpaces")) == NULL ||
	    mindl_cbor_untag(dns, 24) == NULL ||
	    (da = mindl_cbor_map_get(ds, "deviceAuth")) == NULL ||
	    da->type != MINDL_CBOR_MAP || da->u != 1)
		return MINDL_ERR_MISSING;
	sig = mindl_cbor_map_get(da, "deviceSignature");
	mac = mindl_cbor_map_get(da, "deviceMac");
	if ((sig == NULL) == (mac == NULL))
		return MINDL_ERR_MISSING;
	if ((r = mindl_devauth_bytes(st, stlen, (const char *)dt->ptr, dt->len,
	    dns->enc, dns->enclen, &dab, &dablen)) != MINDL_OK)
		return r;
	if ((r = mindl_cose_parse(sig != NULL ? sig : mac, &m)) != MINDL_OK)
		goto out;
	if (m.payload != NULL) {
		/* ISO 18013-5 9.1.3: the payload is detached (null). */
		r = MINDL_ERR_COSE_HEADER;
		goto out;
	}
	if (sig != NULL) {
		v->auth = MINDL_DEVAUTH_SIGNATURE;
		r = mindl_cose_sign1_verify(&m, dkey, dab, dablen);
		if (r == MINDL_ERR_SIGNATURE)
			r = MINDL_ERR_DEVICE_AUTH;
	} else {
		v->auth = MINDL_DEVAUTH_MAC;
		if (reader_key == NULL || !mindl_key_is_private(reader_key)) {
			mindl_log_debug("%s: deviceMac needs the reader key",
			    __func__);
			r = MINDL_ERR_DEVICE_AUTH;
			goto out;
		}
		if ((r = mindl_emac_key(reader_key, dkey, st, stlen,
		    mackey)) == MINDL_OK)
			r = mindl_cose_mac0_verify(&m, mackey, sizeof(mackey),
			    dab, dablen);
		mindl_wipe(mackey, sizeof(mackey));
	}
 out:
	mindl_cose_clear(&m);
	free(dab);
	return r;
}

static int
verify_dr(struct mindl_verified *v, struct mindl_trust *trust, int64_t at,
    const struct mindl_cbor_item *dr, const uint8_t *st, size_t stlen,
    const struct mindl_key *reader_key, const char *want_doctype)
{
	const struct mindl_cbor_item *docs, *doc, *dt, *is, *digests = NULL;
	struct mindl_key *dkey = NULL;
	int64_t status;
	int r;

	if (dr == NULL || dr->type != MINDL_CBOR_MAP)
		return MINDL_ERR_CBOR_TYPE;
	if (!mindl_cbor_is_str(mindl_cbor_map_get(dr, "version"), "1.0"))
		return MINDL_ERR_VERSION;
	if (mindl_cbor_int(mindl_cbor_map_get(dr, "status"), &status) !=
	    MINDL_OK)
		return MINDL_ERR_MISSING;
	if (status != 0)
		return MINDL_ERR_RESPONSE_STATUS;
	docs = mindl_cbor_map_get(dr, "documents");
	if (docs == NULL || docs->type != MINDL_CBOR_ARRAY || docs->u == 0)
		return MINDL_ERR_NO_DOCUMENT;
	if (docs->u != 1)
		return MINDL_ERR_UNSUPPORTED;
	doc = mindl_cbor_child(docs);
	dt = mindl_cbor_map_get(doc, "docType");
	if (dt == NULL || dt->type != MINDL_CBOR_TSTR)
		return MINDL_ERR_MISSING;
	if ((v->doctype = mindl_strndup_item(dt)) == NULL)
		return MINDL_ERR_CBOR_TYPE;
	if (strcmp(v->doctype, want_doctype) != 0)
		return MINDL_ERR_DOCTYPE;
	is = mindl_cbor_map_get(doc, "issuerSigned");
	if (is == NULL || is->type != MINDL_CBOR_MAP)
		return MINDL_ERR_MISSING;
	if ((r = check_issuer(v, trust, at, mindl_cbor_map_get(is,
	    "issuerAuth"), v->doctype, &dkey, &digests)) != MINDL_OK)
		return r;
	if ((r = check_items(v, is, digests)) == MINDL_OK)
		r = check_device(v, mindl_cbor_map_get(doc, "deviceSigned"),
		    dkey, st, stlen, reader_key, dt);
	mindl_key_free(&dkey);
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
mindl_verify_device_response(struct mindl_trust *trust, int64_t at,
    const uint8_t *st_bytes, size_t stlen, const struct mindl_key *reader_key,
    const uint8_t *dr, size_t drlen, struct mindl_verified **out)
{
	struct mindl_verified *v = NULL;
	int r;

	*out = NULL;
	if ((r = new_verified(dr, drlen, &v)) != MINDL_OK)
		goto fail;
	if ((r = verify_dr(v, trust, at, mindl_cbor_root(v->doc), st_bytes,
	    stlen, reader_key, MINDL_DOCTYPE_MDL)) != MINDL_OK)
		goto fail;
	*out = v;
	v = NULL;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_verified_free(&v);
	return r;
}

static int
response_parts(const struct mindl_cbor_item *root,
    const struct mindl_cbor_item **de, const struct mindl_cbor_item **dr)
{
	int64_t ver;

	if (root->type != MINDL_CBOR_MAP)
		return MINDL_ERR_CBOR_TYPE;
	if (mindl_cbor_int(mindl_cbor_map_get(root, "v"), &ver) != MINDL_OK ||
	    ver != 1)
		return MINDL_ERR_VERSION;
	*de = mindl_cbor_map_get(root, "deviceEngagement");
	*dr = mindl_cbor_map_get(root, "deviceResponse");
	if (*de == NULL || (*de)->type != MINDL_CBOR_BSTR || *dr == NULL)
		return MINDL_ERR_MISSING;
	return MINDL_OK;
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
	if ((r = response_parts(mindl_cbor_root(doc), &de, &dr)) == MINDL_OK) {
		mindl_request_erk(req, &erk, &erklen);
		r = mindl_transcript_bytes(de->ptr, de->len, erk, erklen, out,
		    outlen);
	}
	mindl_cbor_free(&doc);
	return r;
}

int
mindl_verify_response(struct mindl_trust *trust, int64_t at,
    const struct mindl_request *req, const struct mindl_key *reader_key,
    const uint8_t *resp, size_t resplen, struct mindl_verified **out)
{
	struct mindl_verified *v = NULL;
	const struct mindl_cbor_item *de, *dr;
	const uint8_t *erk;
	uint8_t *st = NULL;
	size_t erklen, stlen = 0;
	int r;

	*out = NULL;
	if ((r = new_verified(resp, resplen, &v)) != MINDL_OK)
		goto fail;
	if ((r = response_parts(mindl_cbor_root(v->doc), &de, &dr)) !=
	    MINDL_OK)
		goto fail;
	mindl_request_erk(req, &erk, &erklen);
	if ((r = mindl_transcript_bytes(de->ptr, de->len, erk, erklen, &st,
	    &stlen)) != MINDL_OK)
		goto fail;
	if ((r = verify_dr(v, trust, at, dr, st, stlen, reader_key,
	    mindl_request_doctype(req))) != MINDL_OK)
		goto fail;
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
	return i < v->n ? &v->d[i] : NULL;
}

const char *
mindl_verified_doctype(const struct mindl_verified *v)
{
	return v->doctype;
}

enum mindl_devauth
mindl_verified_devauth(const struct mindl_verified *v)
{
	return v->auth;
}

void
mindl_verified_validity(const struct mindl_verified *v, int64_t *signed_at,
    int64_t *valid_from, int64_t *valid_until)
{
	*signed_at = v->signed_at;
	*valid_from = v->valid_from;
	*valid_until = v->valid_until;
}

/*
 * The signer's key id is an audit label, not part of verification, and
 * finding it means a full DER parse of the certificate, public key
 * included: about as much work as both ECDSA verifications.  It is made
 * on first use, from the certificate bytes as received, once even when
 * several threads ask at the same time.
 */
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
