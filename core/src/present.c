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
#include "mindl/err.h"
#include "mindl/mdoc.h"
#include "internal.h"
#include "mdoc_int.h"

/* DeviceNameSpacesBytes for no device-signed elements: #6.24(h'a0'). */
static const uint8_t empty_dns[] = { 0xd8, 0x18, 0x41, 0xa0 };

struct citem {
	char				*ns;
	char				*id;
	const struct mindl_cbor_item	*raw;	/* IssuerSignedItemBytes */
	const struct mindl_cbor_item	*value;
	struct mindl_cbor		*doc;	/* the decoded item */
	int				 selected;
};

struct cred {
	struct mindl_cbor		*doc;
	const struct mindl_cbor_item	*issuer_auth;
	char				*doctype;
	size_t				 n;
	struct citem			 items[MINDL_MAX_ELEMENTS];
};

static void
cred_clear(struct cred *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->items[i].ns);
		free(c->items[i].id);
		mindl_cbor_free(&c->items[i].doc);
	}
	free(c->doctype);
	mindl_cbor_free(&c->doc);
}

static int
cred_load(const uint8_t *buf, size_t len, struct cred *c)
{
	const struct mindl_cbor_item *root, *ent, *is, *nss, *k, *arr, *it, *b;
	struct citem *ci;
	uint64_t i, j;
	int r;

	if ((r = mindl_cbor_decode(buf, len, &c->doc)) != MINDL_OK)
		return r;
	root = mindl_cbor_root(c->doc);
	if (root->type != MINDL_CBOR_ARRAY || root->u == 0)
		return MINDL_ERR_CBOR_TYPE;
	ent = mindl_cbor_child(root);
	if ((c->doctype = mindl_strndup_item(mindl_cbor_map_get(ent,
	    "docType"))) == NULL)
		return MINDL_ERR_MISSING;
	is = mindl_cbor_map_get(ent, "issuerSigned");
	if (is == NULL || is->type != MINDL_CBOR_MAP ||
	    (c->issuer_auth = mindl_cbor_map_get(is, "issuerAuth")) == NULL)
		return MINDL_ERR_MISSING;
	if ((nss = mindl_cbor_map_get(is, "nameSpaces")) == NULL)
		return MINDL_OK;
	if (nss->type != MINDL_CBOR_MAP)
		return MINDL_ERR_CBOR_TYPE;
	for (i = 0, k = mindl_cbor_child(nss); i < nss->u; i++) {
		arr = mindl_cbor_next(k);
		if (k->type != MINDL_CBOR_TSTR || arr->type != MINDL_CBOR_ARRAY)
			return MINDL_ERR_CBOR_TYPE;
		for (j = 0, it = mindl_cbor_child(arr); j < arr->u; j++) {
			if (c->n == MINDL_MAX_ELEMENTS)
				return MINDL_ERR_CBOR_LIMIT;
			if ((b = mindl_cbor_untag(it, 24)) == NULL)
				return MINDL_ERR_CBOR_TAG;
			ci = &c->items[c->n++];
			ci->raw = it;
			if ((r = mindl_cbor_decode(b->ptr, b->len, &ci->doc)) !=
			    MINDL_OK)
				return r;
			ci->ns = mindl_strndup_item(k);
			ci->id = mindl_strndup_item(mindl_cbor_map_get(
			    mindl_cbor_root(ci->doc), "elementIdentifier"));
			ci->value = mindl_cbor_map_get(mindl_cbor_root(ci->doc),
			    "elementValue");
			if (ci->ns == NULL || ci->id == NULL || ci->value == NULL)
				return MINDL_ERR_MISSING;
			it = mindl_cbor_next(it);
		}
		k = mindl_cbor_next(arr);
	}
	return MINDL_OK;
}

static struct citem *
find(struct cred *c, const char *ns, const char *id)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->items[i].ns, ns) == 0 &&
		    strcmp(c->items[i].id, id) == 0)
			return &c->items[i];
	return NULL;
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
static struct citem *
nearest_age(struct cred *c, const char *ns, int nn)
{
	struct citem *best_t = NULL, *best_f = NULL;
	int mm, bt = 100, bf = -1;
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (strcmp(c->items[i].ns, ns) != 0 ||
		    (mm = age_nn(c->items[i].id)) < 0)
			continue;
		if (c->items[i].value->type == MINDL_CBOR_TRUE && mm >= nn &&
		    mm < bt) {
			bt = mm;
			best_t = &c->items[i];
		}
		if (c->items[i].value->type == MINDL_CBOR_FALSE && mm <= nn &&
		    mm > bf) {
			bf = mm;
			best_f = &c->items[i];
		}
	}
	return best_t != NULL ? best_t : best_f;
}

static void
select_items(struct cred *c, const struct mindl_request *req,
    const struct mindl_profile *prof, struct mindl_present_report *rep)
{
	const char *ns, *id;
	struct citem *ci;
	size_t i;
	int nn;

	for (i = 0; i < mindl_request_count(req); i++) {
		mindl_request_element(req, i, &ns, &id, NULL);
		if (!mindl_profile_allows(prof, ns, id)) {
			rep->withheld_profile++;
			rep->decision[i] = MINDL_WITHHELD_PROFILE;
			continue;
		}
		ci = find(c, ns, id);
		if (ci == NULL && (nn = age_nn(id)) >= 0) {
			ci = nearest_age(c, ns, nn);
			/*
			 * The nearest attestation says more than was asked
			 * (age_over_25 for a 21 request); a mindl verifier
			 * shows only its profile's elements and would drop
			 * it, so it goes out only if the profile has it.
			 */
			if (ci != NULL && !mindl_profile_allows(prof, ns,
			    ci->id)) {
				rep->withheld_profile++;
				rep->decision[i] = MINDL_WITHHELD_PROFILE;
				continue;
			}
		}
		if (ci == NULL) {
			rep->missing++;
			rep->decision[i] = MINDL_MISSING;
			continue;
		}
		rep->decision[i] = MINDL_RELEASED;
		if (!ci->selected)
			rep->released++;
		ci->selected = 1;
	}
}

int
mindl_transcript_bytes(const uint8_t *de, size_t delen, const uint8_t *erk,
    size_t erklen, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	uint8_t *st = NULL;
	size_t stlen = 0;
	int r;

	*out = NULL;
	*outlen = 0;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_array(&e, 3);
	mindl_enc_embedded(&e, de, delen);
	mindl_enc_embedded(&e, erk, erklen);
	mindl_enc_null(&e);	/* Handover: null for QR engagement */
	if ((r = mindl_enc_finish(&e, &st, &stlen)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_embedded(&e, st, stlen);
	free(st);
	return mindl_enc_finish(&e, out, outlen);
}

int
mindl_devauth_bytes(const uint8_t *st_bytes, size_t stlen,
    const char *doctype, size_t doctypelen, const uint8_t *dns, size_t dnslen,
    uint8_t **out, size_t *outlen)
{
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *st;
	struct mindl_enc e;
	uint8_t *da = NULL;
	size_t dalen = 0;
	int r;

	*out = NULL;
	*outlen = 0;
	/* SessionTranscriptBytes is #6.24(bstr .cbor SessionTranscript). */
	if ((r = mindl_cbor_decode(st_bytes, stlen, &doc)) != MINDL_OK)
		return r;
	if ((st = mindl_cbor_untag(mindl_cbor_root(doc), 24)) == NULL) {
		mindl_cbor_free(&doc);
		return MINDL_ERR_CBOR_TAG;
	}
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_array(&e, 4);
	mindl_enc_tstr(&e, "DeviceAuthentication");
	mindl_enc_raw(&e, st->ptr, st->len);
	mindl_enc_tstrn(&e, doctype, doctypelen);
	mindl_enc_raw(&e, dns, dnslen);
	mindl_cbor_free(&doc);
	if ((r = mindl_enc_finish(&e, &da, &dalen)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_embedded(&e, da, dalen);
	free(da);
	return mindl_enc_finish(&e, out, outlen);
}

int
mindl_emac_key(const struct mindl_key *priv, const struct mindl_key *pub,
    const uint8_t *st_bytes, size_t stlen, uint8_t out[32])
{
	uint8_t z[MINDL_MAX_COORD], salt[MINDL_SHA256_LEN];
	size_t zlen = sizeof(z);
	int r;

	if (mindl_key_curve(priv) != mindl_key_curve(pub))
		return MINDL_ERR_KEY;
	if ((r = mindl_ecdh(priv, pub, z, &zlen)) != MINDL_OK ||
	    (r = mindl_sha256(st_bytes, stlen, salt)) != MINDL_OK)
		goto out;
	r = mindl_hkdf_sha256(salt, sizeof(salt), z, zlen,
	    (const uint8_t *)"EMacKey", 7, out, 32);
 out:
	mindl_wipe(z, sizeof(z));
	return r;
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

int
mindl_present(const uint8_t *credbuf, size_t credlen,
    const struct mindl_key *device_key, const struct mindl_request *req,
    const struct mindl_schema *schema, enum mindl_devauth auth,
    uint8_t **out, size_t *outlen, struct mindl_present_report *report)
{
	struct cred *c = NULL;
	struct mindl_present_report rep;
	const struct mindl_profile *prof;
	struct mindl_key *edev = NULL, *erk = NULL;
	struct mindl_enc e;
	const uint8_t *erkb;
	uint8_t *de = NULL, *st = NULL, *dab = NULL, mackey[32];
	size_t delen = 0, stlen = 0, dablen = 0, erklen, i, j, nns, cnt;
	int r = MINDL_ERR_INTERNAL;

	*out = NULL;
	*outlen = 0;
	memset(&rep, 0, sizeof(rep));
	memset(&e, 0, sizeof(e));
	if (mindl_request_profile(req) == NULL ||
	    (prof = mindl_schema_profile(schema,
	    mindl_request_profile(req))) == NULL) {
		mindl_log_debug("%s: request names no known profile", __func__);
		r = MINDL_ERR_PROFILE;
		goto fail;
	}
	if (strcmp(mindl_request_doctype(req), MINDL_DOCTYPE_MDL) != 0) {
		r = MINDL_ERR_DOCTYPE;
		goto fail;
	}
	if ((c = mindl_calloc(1, sizeof(*c))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if ((r = cred_load(credbuf, credlen, c)) != MINDL_OK)
		goto fail;
	if (strcmp(c->doctype, MINDL_DOCTYPE_MDL) != 0) {
		r = MINDL_ERR_DOCTYPE;
		goto fail;
	}
	select_items(c, req, prof, &rep);

	mindl_request_erk(req, &erkb, &erklen);
	if ((r = mindl_cose_key_decode(erkb, erklen, &erk)) != MINDL_OK ||
	    (r = mindl_key_generate(&edev)) != MINDL_OK ||
	    (r = engagement(edev, &de, &delen)) != MINDL_OK ||
	    (r = mindl_transcript_bytes(de, delen, erkb, erklen, &st,
	    &stlen)) != MINDL_OK ||
	    (r = mindl_devauth_bytes(st, stlen, MINDL_DOCTYPE_MDL,
	    strlen(MINDL_DOCTYPE_MDL), empty_dns, sizeof(empty_dns), &dab,
	    &dablen)) != MINDL_OK)
		goto fail;

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "v");
	mindl_enc_uint(&e, 1);
	mindl_enc_tstr(&e, "deviceEngagement");
	mindl_enc_bstr(&e, de, delen);
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
	/* Namespaces with at least one released item, credential order. */
	for (i = 0, nns = 0; i < c->n; i++) {
		if (!c->items[i].selected)
			continue;
		for (j = 0; j < i; j++)
			if (c->items[j].selected &&
			    strcmp(c->items[j].ns, c->items[i].ns) == 0)
				break;
		nns += j == i;
	}
	mindl_enc_map(&e, nns > 0 ? 2 : 1);
	if (nns > 0) {
		mindl_enc_tstr(&e, "nameSpaces");
		mindl_enc_map(&e, nns);
		for (i = 0; i < c->n; i++) {
			if (!c->items[i].selected)
				continue;
			for (j = 0; j < i; j++)
				if (c->items[j].selected && strcmp(
				    c->items[j].ns, c->items[i].ns) == 0)
					break;
			if (j != i)
				continue;	/* namespace already written */
			for (j = i, cnt = 0; j < c->n; j++)
				cnt += c->items[j].selected &&
				    strcmp(c->items[j].ns, c->items[i].ns) == 0;
			mindl_enc_tstr(&e, c->items[i].ns);
			mindl_enc_array(&e, cnt);
			for (j = i; j < c->n; j++)
				if (c->items[j].selected && strcmp(
				    c->items[j].ns, c->items[i].ns) == 0)
					mindl_enc_raw(&e, c->items[j].raw->enc,
					    c->items[j].raw->enclen);
		}
	}
	mindl_enc_tstr(&e, "issuerAuth");
	mindl_enc_raw(&e, c->issuer_auth->enc, c->issuer_auth->enclen);
	mindl_enc_tstr(&e, "deviceSigned");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_raw(&e, empty_dns, sizeof(empty_dns));
	mindl_enc_tstr(&e, "deviceAuth");
	mindl_enc_map(&e, 1);
	if (auth == MINDL_DEVAUTH_SIGNATURE) {
		mindl_enc_tstr(&e, "deviceSignature");
		r = mindl_cose_sign1_write(&e, device_key, dab, dablen, 1,
		    NULL, 0);
	} else {
		mindl_enc_tstr(&e, "deviceMac");
		if ((r = mindl_emac_key(device_key, erk, st, stlen,
		    mackey)) == MINDL_OK)
			r = mindl_cose_mac0_write(&e, mackey, sizeof(mackey),
			    dab, dablen);
		mindl_wipe(mackey, sizeof(mackey));
	}
	if (r != MINDL_OK)
		goto fail;
	if ((r = mindl_enc_finish(&e, out, outlen)) != MINDL_OK)
		goto fail;
	if (report != NULL)
		*report = rep;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_enc_clear(&e);
	if (c != NULL) {
		cred_clear(c);
		free(c);
	}
	mindl_key_free(&edev);
	mindl_key_free(&erk);
	free(de);
	free(st);
	free(dab);
	return r;
}
