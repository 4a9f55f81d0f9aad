/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: request files: {"v": 1, "eReaderKey": bstr, "deviceRequest":
 * DeviceRequest} with one DocRequest whose ItemsRequest names a verifier
 * profile in requestInfo {"mindl.profile": id}; and bare DeviceRequests
 * of other readers, for inspection.
 */
#include <stdlib.h>
#include <string.h>

#include "mindl/cose.h"
#include "mindl/err.h"
#include "mindl/mdoc.h"
#include "internal.h"

#define MAX_DOC_REQUESTS	16

struct req_el {
	char	*ns;
	char	*id;
	int	 retain;
	size_t	 doc;
};

struct req_doc {
	struct mindl_cbor		*items;	/* decoded ItemsRequest */
	char				*doctype;
	char				*profile;
	const struct mindl_cbor_item	*reader_auth;
	/* ItemsRequestBytes, #6.24(bstr), as received: readerAuth signs it */
	const struct mindl_cbor_item	*items_bytes;
	size_t				 ages;	/* age_over_NN asked */
};

struct mindl_request {
	uint8_t			*buf;
	size_t			 len;
	struct mindl_cbor	*doc;
	const uint8_t		*erk;
	size_t			 erklen;
	struct req_doc		 docs[MAX_DOC_REQUESTS];
	size_t			 ndocs;
	size_t			 n;
	struct req_el		*el;
};

/*
 * The request file around ItemsRequestBytes (already tagged and wrapped)
 * and, when ra is given, a readerAuth COSE_Sign1 (encoded).
 */
static int
wrap(const uint8_t *erk, size_t erklen, const uint8_t *ib, size_t iblen,
    const uint8_t *ra, size_t ralen, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;

	mindl_enc_init(&e, 65536);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "v");
	mindl_enc_uint(&e, 1);
	mindl_enc_tstr(&e, "eReaderKey");
	mindl_enc_bstr(&e, erk, erklen);
	mindl_enc_tstr(&e, "deviceRequest");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_tstr(&e, "docRequests");
	mindl_enc_array(&e, 1);
	mindl_enc_map(&e, ra != NULL ? 2 : 1);
	mindl_enc_tstr(&e, "itemsRequest");
	mindl_enc_raw(&e, ib, iblen);
	if (ra != NULL) {
		mindl_enc_tstr(&e, "readerAuth");
		mindl_enc_raw(&e, ra, ralen);
	}
	return mindl_enc_finish(&e, out, outlen);
}

int
mindl_request_wrap(const uint8_t *erk, size_t erklen, const uint8_t *items,
    size_t itemslen, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;

	mindl_enc_init(&e, 65536);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "v");
	mindl_enc_uint(&e, 1);
	mindl_enc_tstr(&e, "eReaderKey");
	mindl_enc_bstr(&e, erk, erklen);
	mindl_enc_tstr(&e, "deviceRequest");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_tstr(&e, "docRequests");
	mindl_enc_array(&e, 1);
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "itemsRequest");
	mindl_enc_embedded(&e, items, itemslen);
	return mindl_enc_finish(&e, out, outlen);
}

int
mindl_request_create(const struct mindl_profile *p,
    const struct mindl_key *ereader, uint8_t **out, size_t *outlen)
{
	return mindl_request_create_retain(p, ereader, 0, out, outlen);
}

int
mindl_request_create_retain(const struct mindl_profile *p,
    const struct mindl_key *ereader, int retain, uint8_t **out,
    size_t *outlen)
{
	return mindl_request_create_signed(p, ereader, retain, NULL, 0, NULL,
	    NULL, 0, out, outlen);
}

int
mindl_request_create_signed(const struct mindl_profile *p,
    const struct mindl_key *ereader, int retain, const uint8_t *de,
    size_t delen, const struct mindl_signer *reader, const uint8_t *cert,
    size_t certlen, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	uint8_t *erk = NULL, *items = NULL, *ib = NULL, *st = NULL;
	uint8_t *rab = NULL, *ra = NULL;
	size_t erklen = 0, itemslen = 0, i, j, n, nns, iblen = 0, stlen = 0;
	size_t rablen = 0, ralen = 0;
	const char *ns, *id;
	const char *nslist[8];
	int r;

	*out = NULL;
	*outlen = 0;
	if (reader != NULL && (de == NULL || cert == NULL))
		return MINDL_ERR_INVALID_ARG;
	n = mindl_profile_count(p);
	/* Distinct namespaces, in profile order. */
	for (i = 0, nns = 0; i < n; i++) {
		mindl_profile_element(p, i, &ns, &id);
		for (j = 0; j < nns && strcmp(nslist[j], ns) != 0; j++)
			;
		if (j == nns) {
			if (nns == sizeof(nslist) / sizeof(nslist[0]))
				return MINDL_ERR_PROFILE;
			nslist[nns++] = ns;
		}
	}
	mindl_enc_init(&e, 4096);
	if ((r = mindl_cose_key_write(&e, ereader)) != MINDL_OK ||
	    (r = mindl_enc_finish(&e, &erk, &erklen)) != MINDL_OK)
		goto fail;

	mindl_enc_init(&e, 65536);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_map(&e, nns);
	for (j = 0; j < nns; j++) {
		mindl_enc_tstr(&e, nslist[j]);
		for (i = 0, n = 0; i < mindl_profile_count(p); i++) {
			mindl_profile_element(p, i, &ns, &id);
			n += strcmp(ns, nslist[j]) == 0;
		}
		mindl_enc_map(&e, n);
		for (i = 0; i < mindl_profile_count(p); i++) {
			mindl_profile_element(p, i, &ns, &id);
			if (strcmp(ns, nslist[j]) != 0)
				continue;
			mindl_enc_tstr(&e, id);
			/*
			 * intent_to_retain: nothing unless asked for, and then
			 * only what the profile lets this kind of verifier keep.
			 */
			mindl_enc_bool(&e, retain &&
			    mindl_profile_may_retain(p, ns, id));
		}
	}
	mindl_enc_tstr(&e, "requestInfo");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "mindl.profile");
	mindl_enc_tstr(&e, mindl_profile_id(p));
	if ((r = mindl_enc_finish(&e, &items, &itemslen)) != MINDL_OK)
		goto fail;
	mindl_enc_init(&e, 65536);
	mindl_enc_embedded(&e, items, itemslen);
	if ((r = mindl_enc_finish(&e, &ib, &iblen)) != MINDL_OK)
		goto fail;
	/*
	 * readerAuth: COSE_Sign1 over ReaderAuthenticationBytes, detached,
	 * with the reader certificate in x5chain, over the holder's
	 * DeviceEngagement and this request's own bytes.
	 */
	if (reader != NULL) {
		if ((r = mindl_transcript_bytes(de, delen, erk, erklen, &st,
		    &stlen)) != MINDL_OK ||
		    (r = mindl_reader_auth_bytes(st, stlen, ib, iblen, &rab,
		    &rablen)) != MINDL_OK)
			goto fail;
		mindl_enc_init(&e, 65536);
		if ((r = mindl_cose_sign1_write(&e, reader, rab, rablen, 1,
		    cert, certlen)) != MINDL_OK ||
		    (r = mindl_enc_finish(&e, &ra, &ralen)) != MINDL_OK)
			goto fail;
	}
	r = wrap(erk, erklen, ib, iblen, ra, ralen, out, outlen);
 fail:
	mindl_enc_clear(&e);
	free(erk);
	free(items);
	free(ib);
	free(st);
	free(rab);
	free(ra);
	return r;
}

int
mindl_request_reader_key_is(const struct mindl_request *rq,
    const struct mindl_key *key)
{
	struct mindl_key *erk = NULL;
	int r;

	if (rq == NULL || key == NULL || rq->erk == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_cose_key_decode(rq->erk, rq->erklen, &erk)) !=
	    MINDL_OK)
		return r;
	r = mindl_key_same_public(erk, key) ? MINDL_OK :
	    MINDL_ERR_KEY_MISMATCH;
	mindl_key_free(&erk);
	return r;
}

/* A text that becomes a C string: a tstr without NUL. */
static int
rd_strdup(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *it,
    const char *what, char **out)
{
	int r;

	if (rd->err != MINDL_OK || it == NULL)
		return rd->err;
	if ((r = mindl_cbor_strdup(it, out)) != MINDL_OK)
		mindl_cbor_rd_fail(rd, r, what);
	return rd->err;
}

/*
 * ItemsRequest = {docType: tstr, nameSpaces: {+ NameSpace =>
 * {+ DataElementIdentifier => IntentToRetain}}, ? requestInfo}.
 */
static void
parse_items(struct mindl_cbor_rd *rd, struct mindl_request *rq, size_t d,
    const struct mindl_cbor_item *root, size_t *total)
{
	struct req_doc *doc = &rq->docs[d];
	struct mindl_cbor_iter nsi, ei;
	const struct mindl_cbor_item *nss, *info, *k, *v, *ek, *ev;
	struct req_el *el;

	(void)mindl_cbor_rd_type(rd, root, MINDL_CBOR_MAP, "ItemsRequest");
	(void)rd_strdup(rd, mindl_cbor_rd_get(rd, root, "docType",
	    MINDL_CBOR_TSTR), "docType", &doc->doctype);
	nss = mindl_cbor_rd_get(rd, root, "nameSpaces", MINDL_CBOR_MAP);
	info = mindl_cbor_rd_opt(rd, root, "requestInfo", MINDL_CBOR_MAP);
	(void)rd_strdup(rd, mindl_cbor_rd_opt(rd, info, "mindl.profile",
	    MINDL_CBOR_TSTR), "mindl.profile", &doc->profile);
	if (rd->err != MINDL_OK)
		return;
	(void)mindl_cbor_iter_init(&nsi, nss, MINDL_CBOR_MAP);
	while (rd->err == MINDL_OK && mindl_cbor_iter_pair(&nsi, &k, &v)) {
		if (mindl_cbor_iter_init(&ei, v, MINDL_CBOR_MAP) != MINDL_OK) {
			mindl_cbor_rd_fail(rd, MINDL_ERR_CBOR_TYPE,
			    "nameSpaces");
			return;
		}
		if (*total + (size_t)v->u > MINDL_MAX_ELEMENTS) {
			mindl_cbor_rd_fail(rd, MINDL_ERR_CBOR_LIMIT,
			    "nameSpaces");
			return;
		}
		while (rd->err == MINDL_OK &&
		    mindl_cbor_iter_pair(&ei, &ek, &ev)) {
			if (ev->type != MINDL_CBOR_TRUE &&
			    ev->type != MINDL_CBOR_FALSE) {
				mindl_cbor_rd_fail(rd, MINDL_ERR_CBOR_TYPE,
				    "IntentToRetain");
				return;
			}
			/*
			 * ISO 18013-5 7.2.5: at most two age_over_NN in a
			 * request, so that no reader maps a holder's age by
			 * asking for many thresholds at once.
			 */
			if (ek->type == MINDL_CBOR_TSTR && ek->len == 11 &&
			    memcmp(ek->ptr, "age_over_", 9) == 0 &&
			    ek->ptr[9] >= '0' && ek->ptr[9] <= '9' &&
			    ek->ptr[10] >= '0' && ek->ptr[10] <= '9' &&
			    ++doc->ages > 2) {
				mindl_cbor_rd_fail(rd, MINDL_ERR_AGE_REQUESTS,
				    "nameSpaces");
				return;
			}
			el = &rq->el[rq->n++];
			(*total)++;
			el->doc = d;
			el->retain = ev->type == MINDL_CBOR_TRUE;
			(void)rd_strdup(rd, k, "nameSpaces", &el->ns);
			(void)rd_strdup(rd, ek, "DataElementIdentifier",
			    &el->id);
		}
	}
}

/* DeviceRequest = {version: "1.0", docRequests: [+ DocRequest]} */
static int
parse_device_request(struct mindl_request *rq,
    const struct mindl_cbor_item *dr, int only_one)
{
	struct mindl_cbor_rd rd;
	struct mindl_cbor_iter di;
	const struct mindl_cbor_item *docs, *d;
	size_t total = 0;

	mindl_cbor_rd_init(&rd);
	(void)mindl_cbor_rd_type(&rd, dr, MINDL_CBOR_MAP, "DeviceRequest");
	mindl_cbor_rd_text_is(&rd, dr, "version", "1.0", MINDL_ERR_VERSION);
	docs = mindl_cbor_rd_get(&rd, dr, "docRequests", MINDL_CBOR_ARRAY);
	if (rd.err != MINDL_OK)
		return rd.err;
	if (docs->u == 0 || (only_one && docs->u != 1))
		return MINDL_ERR_MISSING;
	if (docs->u > MAX_DOC_REQUESTS)
		return MINDL_ERR_CBOR_LIMIT;
	if ((rq->el = mindl_calloc(MINDL_MAX_ELEMENTS, sizeof(*rq->el))) ==
	    NULL)
		return MINDL_ERR_NOMEM;
	(void)mindl_cbor_iter_init(&di, docs, MINDL_CBOR_ARRAY);
	while (rd.err == MINDL_OK && (d = mindl_cbor_iter_next(&di)) != NULL) {
		struct req_doc *doc = &rq->docs[rq->ndocs++];
		const struct mindl_cbor_item *root;

		(void)mindl_cbor_rd_type(&rd, d, MINDL_CBOR_MAP, "DocRequest");
		doc->items_bytes = mindl_cbor_rd_get(&rd, d, "itemsRequest",
		    MINDL_CBOR_ANY);
		root = mindl_cbor_rd_embedded(&rd, doc->items_bytes,
		    &doc->items, "ItemsRequestBytes");
		doc->reader_auth = mindl_cbor_rd_opt(&rd, d, "readerAuth",
		    MINDL_CBOR_ANY);
		parse_items(&rd, rq, rq->ndocs - 1, root, &total);
	}
	return rd.err;
}

/* mindl's request file {"v": 1, "eReaderKey", "deviceRequest"}. */
static int
parse_envelope(struct mindl_request *rq, const struct mindl_cbor_item *root)
{
	struct mindl_cbor_rd rd;
	const struct mindl_cbor_item *v, *erk, *dr;

	mindl_cbor_rd_init(&rd);
	(void)mindl_cbor_rd_type(&rd, root, MINDL_CBOR_MAP, "request");
	v = mindl_cbor_rd_opt(&rd, root, "v", MINDL_CBOR_ANY);
	if (rd.err == MINDL_OK && (v == NULL || v->type != MINDL_CBOR_UINT ||
	    v->u != 1))
		mindl_cbor_rd_fail(&rd, MINDL_ERR_VERSION, "v");
	erk = mindl_cbor_rd_get(&rd, root, "eReaderKey", MINDL_CBOR_BSTR);
	dr = mindl_cbor_rd_get(&rd, root, "deviceRequest", MINDL_CBOR_ANY);
	if (rd.err != MINDL_OK)
		return rd.err;
	rq->erk = erk->ptr;
	rq->erklen = erk->len;
	return parse_device_request(rq, dr, 1);
}

/* A copy of the bytes, decoded and parsed, as a file or a bare request. */
static int
request_parse(const uint8_t *buf, size_t len, int envelope,
    struct mindl_request **out)
{
	struct mindl_request *rq = NULL;
	int r;

	*out = NULL;
	if ((rq = mindl_calloc(1, sizeof(*rq))) == NULL ||
	    (rq->buf = mindl_malloc(len)) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	memcpy(rq->buf, buf, len);
	rq->len = len;
	if ((r = mindl_cbor_decode(rq->buf, len, &rq->doc)) != MINDL_OK)
		goto fail;
	if (envelope)
		r = parse_envelope(rq, mindl_cbor_root(rq->doc));
	else
		r = parse_device_request(rq, mindl_cbor_root(rq->doc), 0);
	if (r != MINDL_OK)
		goto fail;
	*out = rq;
	rq = NULL;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_request_free(&rq);
	return r;
}

int
mindl_request_parse(const uint8_t *buf, size_t len, struct mindl_request **out)
{
	return request_parse(buf, len, 1, out);
}

int
mindl_device_request_parse(const uint8_t *buf, size_t len,
    struct mindl_request **out)
{
	return request_parse(buf, len, 0, out);
}

void
mindl_request_free(struct mindl_request **rp)
{
	struct mindl_request *rq;
	size_t i;

	if (rp == NULL || (rq = *rp) == NULL)
		return;
	for (i = 0; i < rq->n; i++) {
		free(rq->el[i].ns);
		free(rq->el[i].id);
	}
	for (i = 0; i < rq->ndocs; i++) {
		free(rq->docs[i].doctype);
		free(rq->docs[i].profile);
		mindl_cbor_free(&rq->docs[i].items);
	}
	free(rq->el);
	mindl_cbor_free(&rq->doc);
	free(rq->buf);
	free(rq);
	*rp = NULL;
}

const char *
mindl_request_profile(const struct mindl_request *r)
{
	return r->docs[0].profile;
}

const char *
mindl_request_doctype(const struct mindl_request *r)
{
	return r->docs[0].doctype;
}

size_t
mindl_request_count(const struct mindl_request *r)
{
	return r->n;
}

void
mindl_request_element(const struct mindl_request *r, size_t i,
    const char **ns, const char **id, int *retain)
{
	*ns = r->el[i].ns;
	*id = r->el[i].id;
	if (retain != NULL)
		*retain = r->el[i].retain;
}

size_t
mindl_request_docs(const struct mindl_request *r)
{
	return r->ndocs;
}

size_t
mindl_request_element_doc(const struct mindl_request *r, size_t i)
{
	return i < r->n ? r->el[i].doc : 0;
}

const char *
mindl_request_doc_doctype(const struct mindl_request *r, size_t d)
{
	return d < r->ndocs ? r->docs[d].doctype : NULL;
}

const struct mindl_cbor_item *
mindl_request_reader_auth(const struct mindl_request *r, size_t d)
{
	return d < r->ndocs ? r->docs[d].reader_auth : NULL;
}

void
mindl_request_erk(const struct mindl_request *r, const uint8_t **p,
    size_t *len)
{
	*p = r->erk;
	*len = r->erklen;
}

const struct mindl_cbor_item *
mindl_request_items_bytes(const struct mindl_request *r, size_t d)
{
	return d < r->ndocs ? r->docs[d].items_bytes : NULL;
}
