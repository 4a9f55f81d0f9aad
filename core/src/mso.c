/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: issuerAuth, the Mobile Security Object and IssuerSigned, decoded
 * once for every caller (see mindl/mso.h).
 */
#include <stdlib.h>
#include <string.h>

#include "mindl/cbor.h"
#include "mindl/cose.h"
#include "mindl/date.h"
#include "mindl/err.h"
#include "mindl/mso.h"
#include "mindl/schema.h"
#include "internal.h"

struct ns_digests {
	const struct mindl_cbor_item	*name;
	struct mindl_mso_digest		*d;	/* sorted by id */
	size_t				 n;
};

struct mindl_mso {
	const struct mindl_cbor_item	*ia;
	struct mindl_cose_msg		 sign1;
	struct mindl_cbor		*payload;	/* #6.24(bstr) */
	struct mindl_cbor		*doc;		/* the MSO */
	const struct mindl_cbor_item	*root;
	size_t				 len;
	const struct mindl_cbor_item	*version;
	const struct mindl_cbor_item	*digest_alg;
	const struct mindl_cbor_item	*doctype;
	struct mindl_mso_validity	 validity;
	const struct mindl_cbor_item	*dki;
	const struct mindl_cbor_item	*dkey;
	const struct mindl_cbor_item	*status;
	const struct mindl_cbor_item	*status_uri;
	uint64_t			 status_idx;
	struct ns_digests		*ns;
	size_t				 nns;
	struct mindl_mso_digest		*all;	/* every entry, by namespace */
};

void
mindl_mso_free(struct mindl_mso **mp)
{
	struct mindl_mso *m;

	if (mp == NULL || (m = *mp) == NULL)
		return;
	mindl_cose_clear(&m->sign1);
	mindl_cbor_free(&m->doc);
	mindl_cbor_free(&m->payload);
	free(m->all);	/* and m->ns with it */
	free(m);
	*mp = NULL;
}

/* A tdate (tag 0 over a tstr) at map[key]; absent only if !required. */
static int
rd_tdate(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *map,
    const char *key, int required, int64_t *t)
{
	const struct mindl_cbor_item *v, *s;
	int r;

	v = required ? mindl_cbor_rd_get(rd, map, key, MINDL_CBOR_TAG) :
	    mindl_cbor_rd_opt(rd, map, key, MINDL_CBOR_TAG);
	if (v == NULL)
		return 0;
	/* RFC 8949 3.4.1: tag 0 is a date/time string. */
	if ((s = mindl_cbor_untag(v, 0)) == NULL ||
	    s->type != MINDL_CBOR_TSTR) {
		mindl_cbor_rd_fail(rd, MINDL_ERR_DATE, key);
		return 0;
	}
	if ((r = mindl_tdate_parse((const char *)s->ptr, s->len, t)) !=
	    MINDL_OK) {
		mindl_cbor_rd_fail(rd, r, key);
		return 0;
	}
	return 1;
}

static int
cmp_digest(const void *a, const void *b)
{
	const struct mindl_mso_digest *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * valueDigests = {+ NameSpace => {+ DigestID => Digest}}.  Every entry is
 * type-checked, and each namespace's digests are kept sorted by ID for
 * lookups; issuers that write them in order (mindl does) cost no sort.
 */
static void
parse_digests(struct mindl_cbor_rd *rd, struct mindl_mso *m,
    const struct mindl_cbor_item *vd)
{
	struct mindl_cbor_iter nsi, di;
	const struct mindl_cbor_item *k, *v, *id, *dg;
	struct mindl_mso_digest *d;
	size_t total = 0, i;
	int sorted;

	if (vd == NULL || mindl_cbor_iter_init(&nsi, vd, MINDL_CBOR_MAP) !=
	    MINDL_OK) {
		mindl_cbor_rd_type(rd, vd, MINDL_CBOR_MAP, "valueDigests");
		return;
	}
	while (mindl_cbor_iter_pair(&nsi, &k, &v)) {
		if (mindl_cbor_rd_type(rd, k, MINDL_CBOR_TSTR, "valueDigests") ==
		    NULL || mindl_cbor_rd_type(rd, v, MINDL_CBOR_MAP,
		    "valueDigests") == NULL)
			return;
		total += (size_t)v->u;	/* the decoder caps map sizes */
	}
	m->nns = (size_t)vd->u;
	/* The digests, then the namespaces' table: one allocation. */
	if ((m->all = mindl_calloc(1, total * sizeof(*m->all) +
	    m->nns * sizeof(*m->ns))) == NULL) {
		mindl_cbor_rd_fail(rd, MINDL_ERR_NOMEM, NULL);
		return;
	}
	m->ns = (struct ns_digests *)(void *)(m->all + total);
	d = m->all;
	(void)mindl_cbor_iter_init(&nsi, vd, MINDL_CBOR_MAP);
	for (i = 0; mindl_cbor_iter_pair(&nsi, &k, &v); i++) {
		m->ns[i].name = k;
		m->ns[i].d = d;
		sorted = 1;
		(void)mindl_cbor_iter_init(&di, v, MINDL_CBOR_MAP);
		while (mindl_cbor_iter_pair(&di, &id, &dg)) {
			if (id->type != MINDL_CBOR_UINT ||
			    dg->type != MINDL_CBOR_BSTR) {
				mindl_cbor_rd_fail(rd, MINDL_ERR_CBOR_TYPE,
				    "valueDigests");
				return;
			}
			d->id = id->u;
			d->digest = dg->ptr;
			d->len = dg->len;
			d->id_item = id;
			/* Keys are unique: the decoder refuses duplicates. */
			if (d > m->ns[i].d && d[-1].id > d->id)
				sorted = 0;
			d++;
		}
		m->ns[i].n = (size_t)(d - m->ns[i].d);
		if (!sorted)
			qsort(m->ns[i].d, m->ns[i].n, sizeof(*d), cmp_digest);
	}
}

static void
parse_status(struct mindl_cbor_rd *rd, struct mindl_mso *m)
{
	const struct mindl_cbor_item *sl;

	m->status = mindl_cbor_rd_opt(rd, m->root, "status", MINDL_CBOR_MAP);
	/*
	 * Token status list for mdoc: status {status_list: {idx, uri}}.
	 * Other mechanisms may sit beside it; they are not read.
	 */
	sl = mindl_cbor_rd_opt(rd, m->status, "status_list", MINDL_CBOR_MAP);
	if (sl == NULL)
		return;
	m->status_idx = mindl_cbor_rd_uint(rd, sl, "idx");
	m->status_uri = mindl_cbor_rd_get(rd, sl, "uri", MINDL_CBOR_TSTR);
}

int
mindl_mso_parse(const struct mindl_cbor_item *issuer_auth,
    struct mindl_mso **out)
{
	struct mindl_cbor_rd rd;
	struct mindl_mso *m = NULL;
	const struct mindl_cbor_item *vi;
	int r;

	*out = NULL;
	mindl_cbor_rd_init(&rd);
	if ((m = mindl_calloc(1, sizeof(*m))) == NULL)
		return MINDL_ERR_NOMEM;
	m->ia = issuer_auth;
	if ((r = mindl_cose_parse(issuer_auth, &m->sign1)) != MINDL_OK)
		goto fail;
	if (m->sign1.payload == NULL) {
		r = MINDL_ERR_MISSING;	/* the MSO travels attached */
		goto fail;
	}
	/* MobileSecurityObjectBytes = #6.24(bstr .cbor MobileSecurityObject) */
	if ((r = mindl_cbor_decode(m->sign1.payload, m->sign1.payloadlen,
	    &m->payload)) != MINDL_OK)
		goto fail;
	m->root = mindl_cbor_rd_embedded(&rd, mindl_cbor_root(m->payload),
	    &m->doc, "MobileSecurityObjectBytes");
	if (m->root != NULL) {
		m->len = mindl_cbor_root(m->doc)->enclen;
		(void)mindl_cbor_rd_type(&rd, m->root, MINDL_CBOR_MAP, "MSO");
	}
	m->version = mindl_cbor_rd_get(&rd, m->root, "version",
	    MINDL_CBOR_TSTR);
	m->digest_alg = mindl_cbor_rd_get(&rd, m->root, "digestAlgorithm",
	    MINDL_CBOR_TSTR);
	m->doctype = mindl_cbor_rd_get(&rd, m->root, "docType",
	    MINDL_CBOR_TSTR);
	vi = mindl_cbor_rd_get(&rd, m->root, "validityInfo", MINDL_CBOR_MAP);
	(void)rd_tdate(&rd, vi, "signed", 1, &m->validity.signed_at);
	(void)rd_tdate(&rd, vi, "validFrom", 1, &m->validity.valid_from);
	(void)rd_tdate(&rd, vi, "validUntil", 1, &m->validity.valid_until);
	m->validity.has_expected_update = rd_tdate(&rd, vi, "expectedUpdate",
	    0, &m->validity.expected_update);
	m->dki = mindl_cbor_rd_get(&rd, m->root, "deviceKeyInfo",
	    MINDL_CBOR_MAP);
	m->dkey = mindl_cbor_rd_get(&rd, m->dki, "deviceKey", MINDL_CBOR_MAP);
	if (rd.err == MINDL_OK)
		parse_digests(&rd, m, mindl_cbor_rd_get(&rd, m->root,
		    "valueDigests", MINDL_CBOR_MAP));
	parse_status(&rd, m);
	if ((r = rd.err) != MINDL_OK)
		goto fail;
	*out = m;
	m = NULL;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_mso_free(&m);
	return r;
}

const struct mindl_cbor_item *
mindl_mso_issuer_auth(const struct mindl_mso *m)
{
	return m->ia;
}

const struct mindl_cose_msg *
mindl_mso_sign1(const struct mindl_mso *m)
{
	return &m->sign1;
}

const struct mindl_cbor_item *
mindl_mso_map(const struct mindl_mso *m)
{
	return m->root;
}

size_t
mindl_mso_size(const struct mindl_mso *m)
{
	return m->len;
}

const struct mindl_cbor_item *
mindl_mso_version(const struct mindl_mso *m)
{
	return m->version;
}

const struct mindl_cbor_item *
mindl_mso_digest_alg(const struct mindl_mso *m)
{
	return m->digest_alg;
}

static const char *const digest_names[] = { "SHA-256", "SHA-384", "SHA-512" };

const char *
mindl_digest_name(int alg)
{
	if (alg < MINDL_DIGEST_SHA256 || alg > MINDL_DIGEST_SHA512)
		return NULL;
	return digest_names[alg - MINDL_DIGEST_SHA256];
}

int
mindl_mso_digest_algorithm(const struct mindl_mso *m)
{
	int alg;

	for (alg = MINDL_DIGEST_SHA256; alg <= MINDL_DIGEST_SHA512; alg++)
		if (mindl_cbor_is_str(m->digest_alg, mindl_digest_name(alg)))
			return alg;
	return MINDL_ERR_UNSUPPORTED;
}

const struct mindl_cbor_item *
mindl_mso_doctype(const struct mindl_mso *m)
{
	return m->doctype;
}

void
mindl_mso_validity(const struct mindl_mso *m, struct mindl_mso_validity *v)
{
	*v = m->validity;
}

const struct mindl_cbor_item *
mindl_mso_device_key_info(const struct mindl_mso *m)
{
	return m->dki;
}

const struct mindl_cbor_item *
mindl_mso_device_key_item(const struct mindl_mso *m)
{
	return m->dkey;
}

int
mindl_mso_device_key(const struct mindl_mso *m, struct mindl_key **out)
{
	return mindl_cose_key_parse(m->dkey, out);
}

const struct mindl_cbor_item *
mindl_mso_status_map(const struct mindl_mso *m)
{
	return m->status;
}

int
mindl_mso_status_list(const struct mindl_mso *m, uint64_t *idx,
    const struct mindl_cbor_item **uri)
{
	if (m->status_uri == NULL)
		return MINDL_ERR_MISSING;
	*idx = m->status_idx;
	*uri = m->status_uri;
	return MINDL_OK;
}

size_t
mindl_mso_ns_count(const struct mindl_mso *m)
{
	return m->nns;
}

const struct mindl_cbor_item *
mindl_mso_ns_name(const struct mindl_mso *m, size_t i)
{
	return i < m->nns ? m->ns[i].name : NULL;
}

size_t
mindl_mso_ns_digests(const struct mindl_mso *m, size_t i)
{
	return i < m->nns ? m->ns[i].n : 0;
}

const struct mindl_mso_digest *
mindl_mso_digest_at(const struct mindl_mso *m, size_t i, size_t j)
{
	return i < m->nns && j < m->ns[i].n ? &m->ns[i].d[j] : NULL;
}

static int
same_text(const struct mindl_cbor_item *a, const struct mindl_cbor_item *b)
{
	return a->type == MINDL_CBOR_TSTR && b->type == MINDL_CBOR_TSTR &&
	    a->len == b->len && (a->len == 0 ||
	    memcmp(a->ptr, b->ptr, a->len) == 0);
}

int
mindl_mso_digest_find(const struct mindl_mso *m,
    const struct mindl_cbor_item *ns, uint64_t id,
    const struct mindl_mso_digest **out)
{
	const struct ns_digests *nd = NULL;
	size_t i, lo, hi, mid;

	*out = NULL;
	for (i = 0; i < m->nns && nd == NULL; i++)
		if (same_text(m->ns[i].name, ns))
			nd = &m->ns[i];
	if (nd == NULL)
		return MINDL_ERR_DIGEST_ID;
	for (lo = 0, hi = nd->n; lo < hi; ) {
		mid = lo + (hi - lo) / 2;
		if (nd->d[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == nd->n || nd->d[lo].id != id)
		return MINDL_ERR_DIGEST_ID;
	*out = &nd->d[lo];
	return MINDL_OK;
}

/* IssuerSigned. */

struct mindl_issuer_signed {
	struct mindl_mso		*mso;
	size_t				 nns;
	size_t				 n;
	struct mindl_issuer_item	*items;
	struct mindl_cbor		**docs;	/* each item's decoding */
	char				*strings;	/* ns_str, element_str */
};

void
mindl_issuer_signed_free(struct mindl_issuer_signed **isp)
{
	struct mindl_issuer_signed *is;
	size_t i;

	if (isp == NULL || (is = *isp) == NULL)
		return;
	for (i = 0; is->docs != NULL && i < is->n; i++)
		mindl_cbor_free(&is->docs[i]);
	mindl_mso_free(&is->mso);
	free(is->items);	/* and is->docs with it */
	free(is->strings);
	free(is);
	*isp = NULL;
}

/* A namespace or element identifier: text that can be a C string. */
static const struct mindl_cbor_item *
rd_name(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *it,
    const char *what)
{
	if (mindl_cbor_rd_type(rd, it, MINDL_CBOR_TSTR, what) == NULL)
		return NULL;
	if (it->len > 0 && memchr(it->ptr, '\0', it->len) != NULL) {
		mindl_cbor_rd_fail(rd, MINDL_ERR_CBOR_TYPE, what);
		return NULL;
	}
	return it;
}

/* IssuerSignedItem = {digestID, random, elementIdentifier, elementValue} */
static void
parse_item(struct mindl_cbor_rd *rd, struct mindl_issuer_signed *is,
    const struct mindl_cbor_item *ns, size_t nsidx,
    const struct mindl_cbor_item *bytes)
{
	struct mindl_issuer_item *ii = &is->items[is->n];
	const struct mindl_cbor_item *root;

	root = mindl_cbor_rd_embedded(rd, bytes, &is->docs[is->n],
	    "IssuerSignedItemBytes");
	is->n++;
	(void)mindl_cbor_rd_type(rd, root, MINDL_CBOR_MAP, "IssuerSignedItem");
	ii->ns = ns;
	ii->nsidx = nsidx;
	ii->bytes = bytes;
	ii->digest_id = mindl_cbor_rd_uint(rd, root, "digestID");
	ii->random = mindl_cbor_rd_get(rd, root, "random", MINDL_CBOR_BSTR);
	ii->element = rd_name(rd, mindl_cbor_rd_get(rd, root,
	    "elementIdentifier", MINDL_CBOR_ANY), "elementIdentifier");
	ii->value = mindl_cbor_rd_get(rd, root, "elementValue",
	    MINDL_CBOR_ANY);
}

/*
 * One namespace of one document: a digestID once, an elementIdentifier
 * once.  Two values for one element, each with a valid digest, would
 * leave the reader to pick one, as a duplicate map key would.
 */
static int
check_unique(const struct mindl_issuer_signed *is)
{
	const struct mindl_issuer_item *a, *b;
	size_t i, j;

	for (i = 1; i < is->n; i++) {
		a = &is->items[i];
		for (j = 0; j < i; j++) {
			b = &is->items[j];
			if (a->nsidx != b->nsidx)
				continue;
			if (a->digest_id == b->digest_id)
				return MINDL_ERR_DIGEST_ID_DUP;
			if (same_text(a->element, b->element)) {
				mindl_log_debug("%s: %s twice", __func__,
				    a->element_str);
				return MINDL_ERR_CBOR_DUPKEY;
			}
		}
	}
	return MINDL_OK;
}

/* NUL-terminated copies of every namespace and identifier, one block. */
static int
copy_strings(struct mindl_issuer_signed *is)
{
	size_t i, total = 0;
	char *p;

	for (i = 0; i < is->n; i++)
		total += is->items[i].ns->len + is->items[i].element->len + 2;
	if ((is->strings = mindl_malloc(total)) == NULL)
		return MINDL_ERR_NOMEM;
	for (i = 0, p = is->strings; i < is->n; i++) {
		is->items[i].ns_str = p;
		if (is->items[i].ns->len > 0)
			memcpy(p, is->items[i].ns->ptr, is->items[i].ns->len);
		p += is->items[i].ns->len;
		*p++ = '\0';
		is->items[i].element_str = p;
		if (is->items[i].element->len > 0)
			memcpy(p, is->items[i].element->ptr,
			    is->items[i].element->len);
		p += is->items[i].element->len;
		*p++ = '\0';
	}
	return MINDL_OK;
}

int
mindl_issuer_signed_parse(const struct mindl_cbor_item *isd,
    struct mindl_issuer_signed **out)
{
	struct mindl_cbor_rd rd;
	struct mindl_cbor_iter nsi, ai;
	struct mindl_issuer_signed *is = NULL;
	const struct mindl_cbor_item *nss, *k, *arr, *it;
	size_t total = 0, nsidx;
	int r;

	*out = NULL;
	mindl_cbor_rd_init(&rd);
	if ((is = mindl_calloc(1, sizeof(*is))) == NULL)
		return MINDL_ERR_NOMEM;
	(void)mindl_cbor_rd_type(&rd, isd, MINDL_CBOR_MAP, "IssuerSigned");
	nss = mindl_cbor_rd_opt(&rd, isd, "nameSpaces", MINDL_CBOR_MAP);
	it = mindl_cbor_rd_get(&rd, isd, "issuerAuth", MINDL_CBOR_ANY);
	if ((r = rd.err) != MINDL_OK)
		goto fail;
	if ((r = mindl_mso_parse(it, &is->mso)) != MINDL_OK)
		goto fail;
	if (nss == NULL)
		goto done;	/* nothing disclosed */
	is->nns = (size_t)nss->u;
	(void)mindl_cbor_iter_init(&nsi, nss, MINDL_CBOR_MAP);
	while (mindl_cbor_iter_pair(&nsi, &k, &arr)) {
		if (rd_name(&rd, k, "nameSpaces") == NULL ||
		    mindl_cbor_rd_type(&rd, arr, MINDL_CBOR_ARRAY,
		    "nameSpaces") == NULL)
			break;
		total += (size_t)arr->u;
	}
	if (rd.err == MINDL_OK && total > MINDL_MAX_ELEMENTS)
		mindl_cbor_rd_fail(&rd, MINDL_ERR_CBOR_LIMIT, "nameSpaces");
	if ((r = rd.err) != MINDL_OK)
		goto fail;
	/* The items, then their documents' pointers: one allocation. */
	if ((is->items = mindl_calloc(1, total * (sizeof(*is->items) +
	    sizeof(*is->docs)))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	is->docs = (struct mindl_cbor **)(void *)(is->items + total);
	(void)mindl_cbor_iter_init(&nsi, nss, MINDL_CBOR_MAP);
	for (nsidx = 0; rd.err == MINDL_OK &&
	    mindl_cbor_iter_pair(&nsi, &k, &arr); nsidx++) {
		(void)mindl_cbor_iter_init(&ai, arr, MINDL_CBOR_ARRAY);
		while (rd.err == MINDL_OK &&
		    (it = mindl_cbor_iter_next(&ai)) != NULL)
			parse_item(&rd, is, k, nsidx, it);
	}
	if ((r = rd.err) != MINDL_OK || (r = copy_strings(is)) != MINDL_OK ||
	    (r = check_unique(is)) != MINDL_OK)
		goto fail;
 done:
	*out = is;
	is = NULL;
	r = MINDL_OK;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_issuer_signed_free(&is);
	return r;
}

const struct mindl_mso *
mindl_issuer_signed_mso(const struct mindl_issuer_signed *is)
{
	return is->mso;
}

size_t
mindl_issuer_signed_ns_count(const struct mindl_issuer_signed *is)
{
	return is->nns;
}

size_t
mindl_issuer_signed_count(const struct mindl_issuer_signed *is)
{
	return is->n;
}

const struct mindl_issuer_item *
mindl_issuer_signed_item(const struct mindl_issuer_signed *is, size_t i)
{
	return i < is->n ? &is->items[i] : NULL;
}

int
mindl_mso_device_key_is(const struct mindl_mso *m, const struct mindl_key *key)
{
	struct mindl_key *mk = NULL;
	int r;

	if (m == NULL || key == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_mso_device_key(m, &mk)) != MINDL_OK)
		return r;
	if (!mindl_key_same_public(mk, key)) {
		mindl_log_debug("%s: another key", __func__);
		r = MINDL_ERR_NOT_DEVICE_KEY;
	}
	mindl_key_free(&mk);
	return r;
}
