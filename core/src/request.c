/*
 * mindl: request files: {"v": 1, "eReaderKey": bstr, "deviceRequest":
 * DeviceRequest} with one DocRequest whose ItemsRequest names a verifier
 * profile in requestInfo {"mindl.profile": id}.
 */
#include <stdlib.h>
#include <string.h>

#include "mindl/cose.h"
#include "mindl/err.h"
#include "mindl/mdoc.h"
#include "internal.h"
#include "mdoc_int.h"

struct req_el {
	char	*ns;
	char	*id;
	int	 retain;
};

struct mindl_request {
	uint8_t			*buf;
	size_t			 len;
	struct mindl_cbor	*doc;
	struct mindl_cbor	*items;
	const uint8_t		*erk;
	size_t			 erklen;
	char			*doctype;
	char			*profile;
	size_t			 n;
	struct req_el		*el;
};

char *
mindl_strndup_item(const struct mindl_cbor_item *it)
{
	char *s;

	if (it == NULL || it->type != MINDL_CBOR_TSTR ||
	    memchr(it->ptr, '\0', it->len) != NULL)
		return NULL;
	if ((s = mindl_malloc(it->len + 1)) == NULL)
		return NULL;
	memcpy(s, it->ptr, it->len);
	s[it->len] = '\0';
	return s;
}

int
mindl_request_create(const struct mindl_profile *p,
    const struct mindl_key *ereader, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	uint8_t *erk = NULL, *items = NULL;
	size_t erklen = 0, itemslen = 0, i, j, n, nns;
	const char *ns, *id;
	const char *nslist[8];
	int r;

	*out = NULL;
	*outlen = 0;
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
			/* intent_to_retain: mindl verifiers keep nothing. */
			mindl_enc_bool(&e, 0);
		}
	}
	mindl_enc_tstr(&e, "requestInfo");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "mindl.profile");
	mindl_enc_tstr(&e, mindl_profile_id(p));
	if ((r = mindl_enc_finish(&e, &items, &itemslen)) != MINDL_OK)
		goto fail;

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
	r = mindl_enc_finish(&e, out, outlen);
 fail:
	mindl_enc_clear(&e);
	free(erk);
	free(items);
	return r;
}

static int
parse_items(struct mindl_request *rq, const struct mindl_cbor_item *bytes)
{
	const struct mindl_cbor_item *root, *nss, *k, *v, *ek, *ev, *info;
	uint64_t i, j, total = 0;
	size_t n = 0;
	int r;

	if ((r = mindl_cbor_decode(bytes->ptr, bytes->len, &rq->items)) !=
	    MINDL_OK)
		return r;
	root = mindl_cbor_root(rq->items);
	if (root->type != MINDL_CBOR_MAP)
		return MINDL_ERR_CBOR_TYPE;
	if ((rq->doctype = mindl_strndup_item(mindl_cbor_map_get(root,
	    "docType"))) == NULL)
		return MINDL_ERR_MISSING;
	nss = mindl_cbor_map_get(root, "nameSpaces");
	if (nss == NULL || nss->type != MINDL_CBOR_MAP)
		return MINDL_ERR_MISSING;
	info = mindl_cbor_map_get(root, "requestInfo");
	if (info != NULL && info->type == MINDL_CBOR_MAP &&
	    mindl_cbor_map_get(info, "mindl.profile") != NULL &&
	    (rq->profile = mindl_strndup_item(mindl_cbor_map_get(info,
	    "mindl.profile"))) == NULL)
		return MINDL_ERR_CBOR_TYPE;
	for (i = 0, k = mindl_cbor_child(nss); i < nss->u; i++) {
		v = mindl_cbor_next(k);
		if (k->type != MINDL_CBOR_TSTR || v->type != MINDL_CBOR_MAP)
			return MINDL_ERR_CBOR_TYPE;
		total += v->u;
		k = mindl_cbor_next(v);
	}
	if (total > MINDL_MAX_ELEMENTS)
		return MINDL_ERR_CBOR_LIMIT;
	if ((rq->el = mindl_calloc((size_t)total, sizeof(*rq->el))) == NULL)
		return MINDL_ERR_NOMEM;
	for (i = 0, k = mindl_cbor_child(nss); i < nss->u; i++) {
		v = mindl_cbor_next(k);
		for (j = 0, ek = mindl_cbor_child(v); j < v->u; j++) {
			ev = mindl_cbor_next(ek);
			if (ev->type != MINDL_CBOR_TRUE &&
			    ev->type != MINDL_CBOR_FALSE)
				return MINDL_ERR_CBOR_TYPE;
			rq->el[n].ns = mindl_strndup_item(k);
			rq->el[n].id = mindl_strndup_item(ek);
			rq->el[n].retain = ev->type == MINDL_CBOR_TRUE;
			if (rq->el[n].ns == NULL || rq->el[n].id == NULL) {
				n++;
				rq->n = n;
				return MINDL_ERR_CBOR_TYPE;
			}
			n++;
			rq->n = n;
			ek = mindl_cbor_next(ev);
		}
		k = mindl_cbor_next(v);
	}
	return MINDL_OK;
}

int
mindl_request_parse(const uint8_t *buf, size_t len, struct mindl_request **out)
{
	struct mindl_request *rq = NULL;
	const struct mindl_cbor_item *root, *dr, *docs, *erk, *items;
	int64_t v;
	int r = MINDL_ERR_INTERNAL;

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
	root = mindl_cbor_root(rq->doc);
	if (root->type != MINDL_CBOR_MAP) {
		r = MINDL_ERR_CBOR_TYPE;
		goto fail;
	}
	if (mindl_cbor_int(mindl_cbor_map_get(root, "v"), &v) != MINDL_OK ||
	    v != 1) {
		r = MINDL_ERR_VERSION;
		goto fail;
	}
	erk = mindl_cbor_map_get(root, "eReaderKey");
	dr = mindl_cbor_map_get(root, "deviceRequest");
	if (erk == NULL || erk->type != MINDL_CBOR_BSTR || dr == NULL ||
	    dr->type != MINDL_CBOR_MAP) {
		r = MINDL_ERR_MISSING;
		goto fail;
	}
	rq->erk = erk->ptr;
	rq->erklen = erk->len;
	if (!mindl_cbor_is_str(mindl_cbor_map_get(dr, "version"), "1.0")) {
		r = MINDL_ERR_VERSION;
		goto fail;
	}
	docs = mindl_cbor_map_get(dr, "docRequests");
	if (docs == NULL || docs->type != MINDL_CBOR_ARRAY || docs->u != 1) {
		r = MINDL_ERR_MISSING;
		goto fail;
	}
	items = mindl_cbor_untag(mindl_cbor_map_get(mindl_cbor_child(docs),
	    "itemsRequest"), 24);
	if (items == NULL) {
		r = MINDL_ERR_CBOR_TAG;
		goto fail;
	}
	if ((r = parse_items(rq, items)) != MINDL_OK)
		goto fail;
	*out = rq;
	rq = NULL;
	r = MINDL_OK;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_request_free(&rq);
	return r;
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
	free(rq->el);
	free(rq->doctype);
	free(rq->profile);
	mindl_cbor_free(&rq->items);
	mindl_cbor_free(&rq->doc);
	free(rq->buf);
	free(rq);
	*rp = NULL;
}

const char *
mindl_request_profile(const struct mindl_request *r)
{
	return r->profile;
}

const char *
mindl_request_doctype(const struct mindl_request *r)
{
	return r->doctype;
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

void
mindl_request_erk(const struct mindl_request *r, const uint8_t **p,
    size_t *len)
{
	*p = r->erk;
	*len = r->erklen;
}
