/*
 * mindl: the reviewers' audit (core/include/mindl/audit.h): structural
 * features of credentials and presentations, their distribution over a
 * population, the tests that tell two groups apart, and the values that
 * link two files.
 *
 * Input is hostile: everything goes through the strict decoder, every
 * container is type-checked before use, and every string taken from a
 * file is escaped and bounded before it leaves this module.  No libm:
 * the few square roots and powers the tests need are computed here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/audit.h"
#include "mindl/cbor.h"
#include "mindl/cose.h"
#include "mindl/date.h"
#include "mindl/err.h"
#include "mindl/key.h"
#include "mindl/schema.h"
#include "mindl/x509.h"
#include "internal.h"

#define V	MINDL_AUDIT_VERIFIER
#define D	MINDL_AUDIT_DISCLOSURE
#define H	MINDL_AUDIT_HOLDER

static const struct mindl_audit_finfo finfo[MINDL_AF_COUNT] = {
	[MINDL_AF_DOCTYPE] = { "doc_type", "docType", 0, V, 1 },
	[MINDL_AF_NAMESPACES] = { "namespaces",
	    "namespaces in valueDigests", 0, V, 1 },
	[MINDL_AF_DIGESTS] = { "digests_per_namespace",
	    "digests per namespace", 0, V, 1 },
	[MINDL_AF_MSO_FORMAT] = { "mso_format",
	    "MSO version, digestAlgorithm, keys", 0, V, 1 },
	[MINDL_AF_MSO_SIZE] = { "mso_size", "MSO size (bytes)", 1, V, 1 },
	[MINDL_AF_IA_SIZE] = { "issuer_auth_size",
	    "issuerAuth size (bytes)", 1, V, 1 },
	[MINDL_AF_IA_HEADERS] = { "issuer_auth_headers",
	    "issuerAuth headers", 0, V, 1 },
	[MINDL_AF_SIGNER] = { "signer_key_id", "signer key id (DS)", 0, V, 1 },
	[MINDL_AF_DEVICE_KEY] = { "device_key_type", "device key type", 0,
	    V, 1 },
	[MINDL_AF_VALIDITY] = { "validity_length",
	    "validity length (validUntil - validFrom, s)", 1, V, 1 },
	[MINDL_AF_FROM_MOD_DAY] = { "valid_from_mod_day",
	    "validFrom mod 86400", 1, V, 1 },
	[MINDL_AF_UNTIL_MOD_DAY] = { "valid_until_mod_day",
	    "validUntil mod 86400", 1, V, 1 },
	[MINDL_AF_FROM_MINUS_SIGNED] = { "valid_from_minus_signed",
	    "validFrom - signed (s)", 1, V, 1 },
	[MINDL_AF_SIGNED_MOD_DAY] = { "signed_mod_day", "signed mod 86400",
	    1, V, 1 },
	[MINDL_AF_SIGNED_MOD_HOUR] = { "signed_mod_hour", "signed mod 3600",
	    1, V, 1 },
	[MINDL_AF_SIGNED_MOD_MINUTE] = { "signed_mod_minute",
	    "signed mod 60", 1, V, 1 },
	[MINDL_AF_SIGNED_DAY] = { "signed_day",
	    "signing day (days since 1970-01-01)", 1, V, 1 },
	[MINDL_AF_DIGEST_LENS] = { "digest_lengths",
	    "digest lengths (bytes)", 0, V, 1 },
	[MINDL_AF_ID_MIN] = { "digest_id_min", "smallest digestID", 1, V, 1 },
	[MINDL_AF_ID_MAX] = { "digest_id_max", "largest digestID", 1, V, 1 },
	[MINDL_AF_ID_SIZES] = { "digest_id_sizes",
	    "encoded digestID sizes (bytes)", 0, V, 1 },
	[MINDL_AF_ID_SEQUENTIAL] = { "digest_id_sequential",
	    "digestIDs consecutive per namespace", 0, V, 1 },
	[MINDL_AF_STATUS] = { "status_list", "status list", 0, V, 1 },
	[MINDL_AF_STATUS_IDX] = { "status_index", "status list index", 1,
	    V, 1 },
	[MINDL_AF_AGE_SET] = { "age_over_set",
	    "age_over_NN identifiers issued", 0, D, 1 },
	[MINDL_AF_SALT_LENS] = { "salt_lengths", "salt lengths (bytes)", 0,
	    D, 1 },
	[MINDL_AF_ITEM_ORDER] = { "item_id_order",
	    "digestID order in issuerSigned", 0, D, 1 },
	[MINDL_AF_ELEMENTS] = { "element_set",
	    "element identifiers in issuerSigned", 0, H, 0 },
	[MINDL_AF_ITEMS] = { "item_count", "IssuerSignedItems", 1, H, 0 },
	[MINDL_AF_CRED_SIZE] = { "credential_size",
	    "credential size (bytes)", 1, H, 0 },
};

#undef V
#undef D
#undef H

const struct mindl_audit_finfo *
mindl_audit_feature_info(size_t f)
{
	return f < MINDL_AF_COUNT ? &finfo[f] : NULL;
}

const char *
mindl_audit_vis_name(enum mindl_audit_vis v)
{
	switch (v) {
	case MINDL_AUDIT_VERIFIER:
		return "verifier";
	case MINDL_AUDIT_DISCLOSURE:
		return "disclosure";
	case MINDL_AUDIT_HOLDER:
		return "holder";
	}
	return "unknown";
}

/*
 * Bounded string builder for feature values.  Bytes from files are
 * escaped: printable ASCII stays, except the separators this module uses
 * inside values (backslash, comma, equals, space, semicolon), which become
 * \xNN like every other byte.  ':' and '/' stay readable (URIs); a ':'
 * in a namespace name can only merge two element-set values, never split
 * one.
 */
#define SB_ROOM	(MINDL_AUDIT_MAX_VALUE - 4)	/* "..." and NUL */

struct sb {
	char	buf[MINDL_AUDIT_MAX_VALUE];
	size_t	len;
	int	trunc;
};

static void
sb_init(struct sb *s)
{
	s->len = 0;
	s->trunc = 0;
	s->buf[0] = '\0';
}

static void
sb_raw(struct sb *s, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s->len >= SB_ROOM) {
			s->trunc = 1;
			return;
		}
		s->buf[s->len++] = p[i];
	}
}

static void
sb_str(struct sb *s, const char *p)
{
	sb_raw(s, p, strlen(p));
}

static void
sb_fmt(struct sb *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sb_fmt(struct sb *s, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	sb_raw(s, tmp, (size_t)k < sizeof(tmp) ? (size_t)k : sizeof(tmp) - 1);
}

static int
plain(uint8_t c)
{
	return c > 0x20 && c < 0x7f && strchr("\\,=;", c) == NULL;
}

static void
sb_esc(struct sb *s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && !s->trunc; i++) {
		if (plain(p[i])) {
			sb_raw(s, (const char *)&p[i], 1);
		} else
			sb_fmt(s, "\\x%02x", p[i]);
	}
}

static void
sb_hex(struct sb *s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && !s->trunc; i++)
		sb_fmt(s, "%02x", p[i]);
}

static void
sb_item(struct sb *s, const struct mindl_cbor_item *it)
{
	int64_t v;

	if (it == NULL)
		sb_str(s, "(none)");
	else if (it->type == MINDL_CBOR_TSTR)
		sb_esc(s, it->ptr, it->len);
	else if (mindl_cbor_int(it, &v) == MINDL_OK)
		sb_fmt(s, "%lld", (long long)v);
	else
		sb_fmt(s, "(type %d)", (int)it->type);
}

static char *
sb_dup(struct sb *s)
{
	char *p;

	if (s->trunc) {
		memcpy(s->buf + s->len, "...", 3);
		s->len += 3;
	}
	s->buf[s->len] = '\0';
	if ((p = mindl_malloc(s->len + 1)) != NULL)
		memcpy(p, s->buf, s->len + 1);
	return p;
}

/* Own square root (no libm): Newton's method, exact enough here. */
static double
dsqrt(double x)
{
	double r;
	int i;

	if (x <= 0)
		return 0;
	r = x > 1 ? x : 1;
	for (i = 0; i < 200; i++) {
		double nr = 0.5 * (r + x / r);

		if (nr == r)
			break;
		r = nr;
	}
	return r;
}

static double
dabs(double x)
{
	return x < 0 ? -x : x;
}

/* Floor division and modulo for signed times. */
static int64_t
fdiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t
fmod64(int64_t a, int64_t b)
{
	return a - fdiv(a, b) * b;
}

/*
 * One parsed document: a credential entry or a response document, with
 * the MSO decoded and every IssuerSignedItem decoded and type-checked.
 */
struct aitem {
	const struct mindl_cbor_item	*raw;	/* #6.24 item as received */
	const struct mindl_cbor_item	*nskey;	/* namespace tstr */
	size_t				 nsidx;	/* which nameSpaces array */
	struct mindl_cbor		*doc;
	const struct mindl_cbor_item	*random;	/* bstr */
	const struct mindl_cbor_item	*eid;	/* tstr */
	uint64_t			 id;
};

struct adoc {
	const struct mindl_cbor_item	*entry;
	const struct mindl_cbor_item	*doctype;
	const struct mindl_cbor_item	*is;
	const struct mindl_cbor_item	*ds;	/* deviceSigned or NULL */
	const struct mindl_cbor_item	*ia;	/* issuerAuth */
	struct mindl_cose_msg		 m;
	struct mindl_cbor		*msob;
	struct mindl_cbor		*mso;
	const struct mindl_cbor_item	*root;	/* MSO map */
	size_t				 msolen;
	const struct mindl_cbor_item	*vd;	/* valueDigests */
	size_t				 n;
	struct aitem			 items[MINDL_MAX_ELEMENTS];
};

static void
doc_clear(struct adoc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		mindl_cbor_free(&d->items[i].doc);
	mindl_cose_clear(&d->m);
	mindl_cbor_free(&d->mso);
	mindl_cbor_free(&d->msob);
	memset(d, 0, sizeof(*d));
}

/* valueDigests: {+ tstr => {+ uint => bstr}}. */
static int
check_digests(const struct mindl_cbor_item *vd)
{
	const struct mindl_cbor_item *k, *v, *id, *dg;
	uint64_t i, j;

	if (vd == NULL)
		return MINDL_ERR_MISSING;
	if (vd->type != MINDL_CBOR_MAP)
		return MINDL_ERR_CBOR_TYPE;
	for (i = 0, k = mindl_cbor_child(vd); i < vd->u; i++) {
		v = mindl_cbor_next(k);
		if (k->type != MINDL_CBOR_TSTR || v->type != MINDL_CBOR_MAP)
			return MINDL_ERR_CBOR_TYPE;
		/* The decoder caps maps; the ID arrays below rely on it. */
		if (NEVER(v->u > MINDL_MAX_MAP))
			return MINDL_ERR_CBOR_LIMIT;
		for (j = 0, id = mindl_cbor_child(v); j < v->u; j++) {
			dg = mindl_cbor_next(id);
			if (id->type != MINDL_CBOR_UINT ||
			    id->u > INT64_MAX || dg->type != MINDL_CBOR_BSTR)
				return MINDL_ERR_CBOR_TYPE;
			id = mindl_cbor_next(dg);
		}
		k = mindl_cbor_next(v);
	}
	return MINDL_OK;
}

static int
load_item(struct adoc *d, const struct mindl_cbor_item *nskey, size_t nsidx,
    const struct mindl_cbor_item *it)
{
	const struct mindl_cbor_item *b, *root, *id;
	struct aitem *ai;
	int r;

	if (d->n == MINDL_MAX_ELEMENTS)
		return MINDL_ERR_CBOR_LIMIT;
	if ((b = mindl_cbor_untag(it, 24)) == NULL)
		return MINDL_ERR_CBOR_TAG;
	ai = &d->items[d->n];
	if ((r = mindl_cbor_decode(b->ptr, b->len, &ai->doc)) != MINDL_OK)
		return r;
	d->n++;
	ai->raw = it;
	ai->nskey = nskey;
	ai->nsidx = nsidx;
	root = mindl_cbor_root(ai->doc);
	if (root->type != MINDL_CBOR_MAP)
		return MINDL_ERR_CBOR_TYPE;
	id = mindl_cbor_map_get(root, "digestID");
	ai->random = mindl_cbor_map_get(root, "random");
	ai->eid = mindl_cbor_map_get(root, "elementIdentifier");
	if (id == NULL || ai->random == NULL || ai->eid == NULL ||
	    mindl_cbor_map_get(root, "elementValue") == NULL)
		return MINDL_ERR_MISSING;
	if (id->type != MINDL_CBOR_UINT || id->u > INT64_MAX ||
	    ai->random->type != MINDL_CBOR_BSTR ||
	    ai->eid->type != MINDL_CBOR_TSTR)
		return MINDL_ERR_CBOR_TYPE;
	ai->id = id->u;
	return MINDL_OK;
}

static int
doc_load(const struct mindl_cbor_item *entry, struct adoc *d)
{
	const struct mindl_cbor_item *inner, *nss, *k, *arr, *it;
	uint64_t i, j;
	int r;

	memset(d, 0, sizeof(*d));
	d->entry = entry;
	if (entry == NULL || entry->type != MINDL_CBOR_MAP)
		return MINDL_ERR_CBOR_TYPE;
	d->doctype = mindl_cbor_map_get(entry, "docType");
	d->is = mindl_cbor_map_get(entry, "issuerSigned");
	d->ds = mindl_cbor_map_get(entry, "deviceSigned");
	if (d->doctype == NULL || d->is == NULL)
		return MINDL_ERR_MISSING;
	if (d->doctype->type != MINDL_CBOR_TSTR ||
	    d->is->type != MINDL_CBOR_MAP ||
	    (d->ds != NULL && d->ds->type != MINDL_CBOR_MAP))
		return MINDL_ERR_CBOR_TYPE;
	if ((d->ia = mindl_cbor_map_get(d->is, "issuerAuth")) == NULL)
		return MINDL_ERR_MISSING;
	if ((r = mindl_cose_parse(d->ia, &d->m)) != MINDL_OK)
		return r;
	if (d->m.payload == NULL)
		return MINDL_ERR_MISSING;
	/* Payload: MobileSecurityObjectBytes = #6.24(bstr .cbor MSO). */
	if ((r = mindl_cbor_decode(d->m.payload, d->m.payloadlen,
	    &d->msob)) != MINDL_OK)
		return r;
	if ((inner = mindl_cbor_untag(mindl_cbor_root(d->msob), 24)) == NULL)
		return MINDL_ERR_CBOR_TAG;
	if ((r = mindl_cbor_decode(inner->ptr, inner->len, &d->mso)) !=
	    MINDL_OK)
		return r;
	d->msolen = inner->len;
	d->root = mindl_cbor_root(d->mso);
	if (d->root->type != MINDL_CBOR_MAP)
		return MINDL_ERR_CBOR_TYPE;
	d->vd = mindl_cbor_map_get(d->root, "valueDigests");
	if ((r = check_digests(d->vd)) != MINDL_OK)
		return r;
	/* nameSpaces may be absent: a response that discloses nothing. */
	if ((nss = mindl_cbor_map_get(d->is, "nameSpaces")) == NULL)
		return MINDL_OK;
	if (nss->type != MINDL_CBOR_MAP)
		return MINDL_ERR_CBOR_TYPE;
	for (i = 0, k = mindl_cbor_child(nss); i < nss->u; i++) {
		arr = mindl_cbor_next(k);
		if (k->type != MINDL_CBOR_TSTR || arr->type != MINDL_CBOR_ARRAY)
			return MINDL_ERR_CBOR_TYPE;
		for (j = 0, it = mindl_cbor_child(arr); j < arr->u; j++) {
			if ((r = load_item(d, k, (size_t)i, it)) != MINDL_OK)
				return r;
			it = mindl_cbor_next(it);
		}
		k = mindl_cbor_next(arr);
	}
	return MINDL_OK;
}

/*
 * The documents of a file, by content: a credential file (array of
 * entries), a response file ({"v": 1, "deviceEngagement",
 * "deviceResponse"}) or a bare DeviceResponse.  *docs is an array item;
 * *engagement the DeviceEngagement bstr of a response file, else NULL.
 */
static int
file_docs(const struct mindl_cbor *doc, const struct mindl_cbor_item **docs,
    const struct mindl_cbor_item **engagement)
{
	const struct mindl_cbor_item *root, *dr, *v, *a;
	int64_t ver;

	*docs = NULL;
	*engagement = NULL;
	root = mindl_cbor_root(doc);
	if (root->type == MINDL_CBOR_ARRAY) {
		a = root;
	} else if (root->type == MINDL_CBOR_MAP) {
		dr = root;
		if ((v = mindl_cbor_map_get(root, "deviceResponse")) != NULL) {
			if (mindl_cbor_int(mindl_cbor_map_get(root, "v"),
			    &ver) != MINDL_OK || ver != 1)
				return MINDL_ERR_VERSION;
			*engagement = mindl_cbor_map_get(root,
			    "deviceEngagement");
			if (*engagement == NULL)
				return MINDL_ERR_MISSING;
			if ((*engagement)->type != MINDL_CBOR_BSTR ||
			    v->type != MINDL_CBOR_MAP)
				return MINDL_ERR_CBOR_TYPE;
			dr = v;
		}
		if ((a = mindl_cbor_map_get(dr, "documents")) == NULL)
			return MINDL_ERR_NO_DOCUMENT;
	} else
		return MINDL_ERR_CBOR_TYPE;
	if (a->type != MINDL_CBOR_ARRAY)
		return MINDL_ERR_CBOR_TYPE;
	if (a->u == 0)
		return MINDL_ERR_NO_DOCUMENT;
	if (a->u > MINDL_AUDIT_MAX_DOCS)
		return MINDL_ERR_CBOR_LIMIT;
	*docs = a;
	return MINDL_OK;
}

/* Feature extraction. */

static int
set_cat(struct mindl_audit_fv *fv, size_t f, struct sb *s)
{
	if ((fv->cat[f] = sb_dup(s)) == NULL)
		return MINDL_ERR_NOMEM;
	fv->present[f] = 1;
	return MINDL_OK;
}

static void
set_num(struct mindl_audit_fv *fv, size_t f, int64_t v)
{
	fv->num[f] = v;
	fv->present[f] = 1;
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

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Byte-wise order of two items' contents (tstr/bstr), then length. */
static int
cmp_bytes(const struct mindl_cbor_item *a, const struct mindl_cbor_item *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = n > 0 ? memcmp(a->ptr, b->ptr, n) : 0;

	if (c != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

static int
cmp_item_ns_id(const void *a, const void *b)
{
	const struct aitem *x = *(const struct aitem *const *)a;
	const struct aitem *y = *(const struct aitem *const *)b;
	int c = cmp_bytes(x->nskey, y->nskey);

	return c != 0 ? c : cmp_bytes(x->eid, y->eid);
}

static int
cmp_item_id(const void *a, const void *b)
{
	const struct aitem *x = *(const struct aitem *const *)a;
	const struct aitem *y = *(const struct aitem *const *)b;

	return cmp_bytes(x->eid, y->eid);
}

static int
cmp_key(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* Map keys, rendered and sorted: "a,b,c" (ints in decimal). */
static void
sb_keys(struct sb *s, const struct mindl_cbor_item *map)
{
	char keys[32][48];
	const struct mindl_cbor_item *k;
	struct sb t;
	size_t nk = 0, i;
	uint64_t j;

	if (map == NULL || map->type != MINDL_CBOR_MAP) {
		sb_str(s, "(none)");
		return;
	}
	for (j = 0, k = mindl_cbor_child(map); j < map->u; j++) {
		if (nk < 32) {
			sb_init(&t);
			sb_item(&t, k);
			if (t.len >= sizeof(keys[0]))
				t.len = sizeof(keys[0]) - 1;
			memcpy(keys[nk], t.buf, t.len);
			keys[nk++][t.len] = '\0';
		}
		k = mindl_cbor_next(mindl_cbor_next(k));
	}
	qsort(keys, nk, sizeof(keys[0]), cmp_key);
	for (i = 0; i < nk; i++) {
		if (i > 0)
			sb_str(s, ",");
		sb_str(s, keys[i]);
	}
	if (map->u > 32)
		sb_str(s, ",...");
}

/* Small sorted set of lengths, rendered "32" or "16,32". */
struct lenset {
	size_t	v[16];
	size_t	n;
	int	more;
};

static void
lenset_add(struct lenset *ls, size_t v)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		if (ls->v[i] == v)
			return;
	if (ls->n == 16) {
		ls->more = 1;
		return;
	}
	for (i = ls->n; i > 0 && ls->v[i - 1] > v; i--)
		ls->v[i] = ls->v[i - 1];
	ls->v[i] = v;
	ls->n++;
}

static void
sb_lenset(struct sb *s, const struct lenset *ls)
{
	size_t i;

	if (ls->n == 0) {
		sb_str(s, "none");
		return;
	}
	for (i = 0; i < ls->n; i++)
		sb_fmt(s, "%s%zu", i > 0 ? "," : "", ls->v[i]);
	if (ls->more)
		sb_str(s, ",...");
}

static int
feat_mso(const struct adoc *d, struct mindl_audit_fv *fv)
{
	const struct mindl_cbor_item *k, *v, *id, *dt, *arr, *unprot;
	struct lenset dlens, idsizes;
	struct sb s;
	uint64_t i, j, *ids = NULL, mn = UINT64_MAX, mx = 0;
	int any = 0, seq = 1, multi = 0, r;
	char kid[17];

	memset(&dlens, 0, sizeof(dlens));
	memset(&idsizes, 0, sizeof(idsizes));
	/* docType: the MSO's, and the document's if it differs. */
	sb_init(&s);
	dt = mindl_cbor_map_get(d->root, "docType");
	if (dt != NULL && dt->type == MINDL_CBOR_TSTR &&
	    cmp_bytes(dt, d->doctype) == 0)
		sb_esc(&s, dt->ptr, dt->len);
	else {
		sb_str(&s, "MSO=");
		sb_item(&s, dt);
		sb_str(&s, " document=");
		sb_esc(&s, d->doctype->ptr, d->doctype->len);
	}
	if ((r = set_cat(fv, MINDL_AF_DOCTYPE, &s)) != MINDL_OK)
		return r;

	/* MSO format: version, digestAlgorithm, the set of keys. */
	sb_init(&s);
	sb_str(&s, "version=");
	sb_item(&s, mindl_cbor_map_get(d->root, "version"));
	sb_str(&s, " digestAlgorithm=");
	sb_item(&s, mindl_cbor_map_get(d->root, "digestAlgorithm"));
	sb_str(&s, " keys=");
	sb_keys(&s, d->root);
	if ((r = set_cat(fv, MINDL_AF_MSO_FORMAT, &s)) != MINDL_OK)
		return r;
	set_num(fv, MINDL_AF_MSO_SIZE, (int64_t)d->msolen);
	set_num(fv, MINDL_AF_IA_SIZE, (int64_t)d->ia->enclen);

	/* issuerAuth headers as a verifier sees them. */
	sb_init(&s);
	arr = d->ia;
	if (arr->type == MINDL_CBOR_TAG)
		arr = mindl_cbor_child(arr);
	unprot = mindl_cbor_next(mindl_cbor_child(arr));
	sb_fmt(&s, "alg=%lld protected=", (long long)d->m.alg);
	sb_hex(&s, d->m.prot, d->m.protlen < 64 ? d->m.protlen : 64);
	sb_str(&s, " unprotected=");
	sb_keys(&s, unprot);
	sb_fmt(&s, " x5chain=%zu", d->m.nx5);
	if (d->ia->type == MINDL_CBOR_TAG)
		sb_fmt(&s, " tag=%llu", (unsigned long long)d->ia->u);
	if ((r = set_cat(fv, MINDL_AF_IA_HEADERS, &s)) != MINDL_OK)
		return r;

	sb_init(&s);
	if (d->m.nx5 == 0)
		sb_str(&s, "none");
	else if (mindl_x509_key_id(d->m.x5[0], d->m.x5len[0], kid) ==
	    MINDL_OK)
		sb_str(&s, kid);
	else
		sb_str(&s, "unparsable-certificate");
	if ((r = set_cat(fv, MINDL_AF_SIGNER, &s)) != MINDL_OK)
		return r;

	/* valueDigests: namespaces, counts, digest and ID properties. */
	if ((ids = mindl_calloc(MINDL_MAX_MAP, sizeof(*ids))) == NULL)
		return MINDL_ERR_NOMEM;
	sb_init(&s);
	for (i = 0, k = mindl_cbor_child(d->vd); i < d->vd->u; i++) {
		v = mindl_cbor_next(k);
		sb_str(&s, i > 0 ? "," : "");
		sb_esc(&s, k->ptr, k->len);
		for (j = 0, id = mindl_cbor_child(v); j < v->u; j++) {
			ids[j] = id->u;
			lenset_add(&idsizes, id->enclen);
			lenset_add(&dlens, mindl_cbor_next(id)->len);
			if (id->u < mn)
				mn = id->u;
			if (id->u > mx)
				mx = id->u;
			any = 1;
			id = mindl_cbor_next(mindl_cbor_next(id));
		}
		if (v->u >= 2) {
			multi = 1;
			qsort(ids, (size_t)v->u, sizeof(*ids), cmp_u64);
			for (j = 1; j < v->u; j++)
				if (ids[j] != ids[j - 1] + 1)
					seq = 0;
		}
		k = mindl_cbor_next(v);
	}
	free(ids);
	if ((r = set_cat(fv, MINDL_AF_NAMESPACES, &s)) != MINDL_OK)
		return r;
	sb_init(&s);
	for (i = 0, k = mindl_cbor_child(d->vd); i < d->vd->u; i++) {
		v = mindl_cbor_next(k);
		sb_str(&s, i > 0 ? "," : "");
		sb_esc(&s, k->ptr, k->len);
		sb_fmt(&s, "=%llu", (unsigned long long)v->u);
		k = mindl_cbor_next(v);
	}
	if ((r = set_cat(fv, MINDL_AF_DIGESTS, &s)) != MINDL_OK)
		return r;
	sb_init(&s);
	sb_lenset(&s, &dlens);
	if ((r = set_cat(fv, MINDL_AF_DIGEST_LENS, &s)) != MINDL_OK)
		return r;
	sb_init(&s);
	sb_lenset(&s, &idsizes);
	if ((r = set_cat(fv, MINDL_AF_ID_SIZES, &s)) != MINDL_OK)
		return r;
	sb_init(&s);
	sb_str(&s, !multi ? "n/a" : seq ? "yes" : "no");
	if ((r = set_cat(fv, MINDL_AF_ID_SEQUENTIAL, &s)) != MINDL_OK)
		return r;
	if (any) {
		set_num(fv, MINDL_AF_ID_MIN, (int64_t)mn);
		set_num(fv, MINDL_AF_ID_MAX, (int64_t)mx);
	}
	return MINDL_OK;
}

static const char *
kty_name(int64_t kty)
{
	switch (kty) {
	case 1:
		return "OKP";
	case 2:
		return "EC2";
	case 3:
		return "RSA";
	case 4:
		return "Symmetric";
	}
	return NULL;
}

static const char *
crv_name(int64_t crv)
{
	switch (crv) {
	case 1:
		return "P-256";
	case 2:
		return "P-384";
	case 3:
		return "P-521";
	case 6:
		return "Ed25519";
	case 7:
		return "Ed448";
	}
	return NULL;
}

static int
feat_device_validity_status(const struct adoc *d, struct mindl_audit_fv *fv)
{
	const struct mindl_cbor_item *dki, *dk, *vi, *st, *sl, *idx, *uri;
	const char *nm;
	int64_t kty, crv, sig, from, until;
	struct sb s;
	int r;

	/* Device key: kty, crv, the COSE_Key labels, deviceKeyInfo keys. */
	sb_init(&s);
	dki = mindl_cbor_map_get(d->root, "deviceKeyInfo");
	dk = mindl_cbor_map_get(dki, "deviceKey");
	if (dk == NULL || dk->type != MINDL_CBOR_MAP)
		sb_str(&s, "missing");
	else {
		if (mindl_cbor_int(mindl_cbor_map_get_int(dk, 1), &kty) ==
		    MINDL_OK && (nm = kty_name(kty)) != NULL)
			sb_str(&s, nm);
		else {
			sb_str(&s, "kty=");
			sb_item(&s, mindl_cbor_map_get_int(dk, 1));
		}
		if (mindl_cbor_int(mindl_cbor_map_get_int(dk, -1), &crv) ==
		    MINDL_OK && (nm = crv_name(crv)) != NULL)
			sb_fmt(&s, " %s", nm);
		else {
			sb_str(&s, " crv=");
			sb_item(&s, mindl_cbor_map_get_int(dk, -1));
		}
		sb_str(&s, " labels=");
		sb_keys(&s, dk);
		sb_str(&s, " deviceKeyInfo=");
		sb_keys(&s, dki);
	}
	if ((r = set_cat(fv, MINDL_AF_DEVICE_KEY, &s)) != MINDL_OK)
		return r;

	/* Validity: lengths and alignments, never the record's dates. */
	vi = mindl_cbor_map_get(d->root, "validityInfo");
	if ((r = get_tdate(vi, "signed", &sig)) != MINDL_OK ||
	    (r = get_tdate(vi, "validFrom", &from)) != MINDL_OK ||
	    (r = get_tdate(vi, "validUntil", &until)) != MINDL_OK)
		return r;
	set_num(fv, MINDL_AF_VALIDITY, until - from);
	set_num(fv, MINDL_AF_FROM_MOD_DAY, fmod64(from, MINDL_DAY));
	set_num(fv, MINDL_AF_UNTIL_MOD_DAY, fmod64(until, MINDL_DAY));
	set_num(fv, MINDL_AF_FROM_MINUS_SIGNED, from - sig);
	set_num(fv, MINDL_AF_SIGNED_MOD_DAY, fmod64(sig, MINDL_DAY));
	set_num(fv, MINDL_AF_SIGNED_MOD_HOUR, fmod64(sig, 3600));
	set_num(fv, MINDL_AF_SIGNED_MOD_MINUTE, fmod64(sig, 60));
	set_num(fv, MINDL_AF_SIGNED_DAY, fdiv(sig, MINDL_DAY));

	/* Status: {status_list: {idx, uri}} (token status list). */
	sb_init(&s);
	if ((st = mindl_cbor_map_get(d->root, "status")) == NULL)
		sb_str(&s, "absent");
	else {
		sl = mindl_cbor_map_get(st, "status_list");
		idx = mindl_cbor_map_get(sl, "idx");
		uri = mindl_cbor_map_get(sl, "uri");
		if (idx == NULL || idx->type != MINDL_CBOR_UINT ||
		    idx->u > INT64_MAX || uri == NULL ||
		    uri->type != MINDL_CBOR_TSTR) {
			sb_str(&s, "malformed keys=");
			sb_keys(&s, st);
		} else {
			sb_str(&s, "uri=");
			sb_esc(&s, uri->ptr, uri->len);
			set_num(fv, MINDL_AF_STATUS_IDX, (int64_t)idx->u);
		}
	}
	return set_cat(fv, MINDL_AF_STATUS, &s);
}

/* "age_over_" followed by one or more digits. */
static int
is_age_over(const struct mindl_cbor_item *eid)
{
	size_t i;

	if (eid->len <= 9 || memcmp(eid->ptr, "age_over_", 9) != 0)
		return 0;
	for (i = 9; i < eid->len; i++)
		if (eid->ptr[i] < '0' || eid->ptr[i] > '9')
			return 0;
	return 1;
}

static int
feat_items(const struct adoc *d, struct mindl_audit_fv *fv)
{
	const struct aitem *sorted[MINDL_MAX_ELEMENTS];
	struct lenset salts;
	struct sb s;
	size_t i, n;
	int arrays = 0, asc = 1, r;

	memset(&salts, 0, sizeof(salts));
	/* Order: within each nameSpaces array, do digestIDs ascend? */
	for (i = 0; i < d->n; i++) {
		lenset_add(&salts, d->items[i].random->len);
		if (i == 0 || d->items[i].nsidx != d->items[i - 1].nsidx)
			continue;
		/* Items of one array are adjacent; count arrays of 2+. */
		if (i == 1 || d->items[i - 2].nsidx != d->items[i].nsidx)
			arrays++;
		if (d->items[i].id <= d->items[i - 1].id)
			asc = 0;
	}
	sb_init(&s);
	sb_lenset(&s, &salts);
	if ((r = set_cat(fv, MINDL_AF_SALT_LENS, &s)) != MINDL_OK)
		return r;
	sb_init(&s);
	sb_str(&s, arrays == 0 ? "n/a" : asc ? "ascending" : "not-ascending");
	if ((r = set_cat(fv, MINDL_AF_ITEM_ORDER, &s)) != MINDL_OK)
		return r;

	/* The age_over_NN identifiers (not their values). */
	for (i = 0, n = 0; i < d->n; i++)
		if (is_age_over(d->items[i].eid))
			sorted[n++] = &d->items[i];
	qsort(sorted, n, sizeof(sorted[0]), cmp_item_id);
	sb_init(&s);
	for (i = 0; i < n; i++) {
		if (i > 0 && cmp_bytes(sorted[i]->eid, sorted[i - 1]->eid) ==
		    0)
			continue;
		sb_str(&s, i > 0 ? "," : "");
		sb_esc(&s, sorted[i]->eid->ptr, sorted[i]->eid->len);
	}
	if (n == 0)
		sb_str(&s, "none");
	if ((r = set_cat(fv, MINDL_AF_AGE_SET, &s)) != MINDL_OK)
		return r;

	/* Element identifiers, "ns:a,b;ns2:c". */
	for (i = 0; i < d->n; i++)
		sorted[i] = &d->items[i];
	qsort(sorted, d->n, sizeof(sorted[0]), cmp_item_ns_id);
	sb_init(&s);
	for (i = 0; i < d->n; i++) {
		if (i == 0 || cmp_bytes(sorted[i]->nskey,
		    sorted[i - 1]->nskey) != 0) {
			sb_str(&s, i > 0 ? ";" : "");
			sb_esc(&s, sorted[i]->nskey->ptr, sorted[i]->nskey->len);
			sb_str(&s, ":");
		} else
			sb_str(&s, ",");
		sb_esc(&s, sorted[i]->eid->ptr, sorted[i]->eid->len);
	}
	if (d->n == 0)
		sb_str(&s, "none");
	if ((r = set_cat(fv, MINDL_AF_ELEMENTS, &s)) != MINDL_OK)
		return r;
	set_num(fv, MINDL_AF_ITEMS, (int64_t)d->n);
	set_num(fv, MINDL_AF_CRED_SIZE, (int64_t)d->entry->enclen);
	return MINDL_OK;
}

static void
fv_clear(struct mindl_audit_fv *fv)
{
	size_t f;

	for (f = 0; f < MINDL_AF_COUNT; f++)
		free(fv->cat[f]);
	memset(fv, 0, sizeof(*fv));
}

void
mindl_audit_fv_free(struct mindl_audit_fv **fvp, size_t n)
{
	size_t i;

	if (fvp == NULL || *fvp == NULL)
		return;
	for (i = 0; i < n; i++)
		fv_clear(&(*fvp)[i]);
	free(*fvp);
	*fvp = NULL;
}

int
mindl_audit_extract(const uint8_t *buf, size_t len,
    struct mindl_audit_fv **out, size_t *n)
{
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *docs, *eng, *e;
	struct mindl_audit_fv *fv = NULL;
	struct adoc *d = NULL;
	size_t i = 0, nd = 0;
	int r = MINDL_ERR_INTERNAL;

	*out = NULL;
	*n = 0;
	if (buf == NULL || len > MINDL_MAX_INPUT) {
		r = buf == NULL ? MINDL_ERR_INVALID_ARG : MINDL_ERR_TOO_LARGE;
		goto fail;
	}
	if ((r = mindl_cbor_decode(buf, len, &doc)) != MINDL_OK ||
	    (r = file_docs(doc, &docs, &eng)) != MINDL_OK)
		goto fail;
	nd = (size_t)docs->u;
	if ((fv = mindl_calloc(nd, sizeof(*fv))) == NULL ||
	    (d = mindl_calloc(1, sizeof(*d))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	for (i = 0, e = mindl_cbor_child(docs); i < nd; i++) {
		if ((r = doc_load(e, d)) != MINDL_OK ||
		    (r = feat_mso(d, &fv[i])) != MINDL_OK ||
		    (r = feat_device_validity_status(d, &fv[i])) != MINDL_OK ||
		    (r = feat_items(d, &fv[i])) != MINDL_OK)
			goto fail;
		doc_clear(d);
		e = mindl_cbor_next(e);
	}
	*out = fv;
	*n = nd;
	fv = NULL;
	r = MINDL_OK;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: document %zu: %s", __func__, i,
		    mindl_errname(r));
	if (d != NULL) {
		doc_clear(d);
		free(d);
	}
	mindl_audit_fv_free(&fv, nd);
	mindl_cbor_free(&doc);
	return r;
}

/* Population. */

struct vtab {
	struct mindl_audit_value	*v;	/* values, insertion order */
	size_t				 n;
	size_t				 cap;
	size_t				*slot;	/* open addressing: index + 1 */
	size_t				 nslot;	/* power of two */
};

struct numarr {
	int64_t	*v;
	size_t	 n;
	size_t	 cap;
};

#define NGROUPS	(MINDL_AUDIT_MAX_GROUPS + 1)

struct mindl_audit_pop {
	size_t		 ngroups;
	char		*names[NGROUPS];
	size_t		 size[NGROUPS];
	size_t		 files;
	int		 finished;
	struct vtab	 tab[MINDL_AF_COUNT];
	struct numarr	 num[MINDL_AF_COUNT][NGROUPS];
};

int
mindl_audit_pop_new(struct mindl_audit_pop **out)
{
	*out = mindl_calloc(1, sizeof(**out));
	if (*out == NULL)
		return MINDL_ERR_NOMEM;
	(*out)->ngroups = 1;
	return MINDL_OK;
}

void
mindl_audit_pop_free(struct mindl_audit_pop **pp)
{
	struct mindl_audit_pop *p;
	size_t f, g, i;

	if (pp == NULL || (p = *pp) == NULL)
		return;
	for (f = 0; f < MINDL_AF_COUNT; f++) {
		for (i = 0; i < p->tab[f].n; i++)
			free((char *)(uintptr_t)p->tab[f].v[i].value);
		free(p->tab[f].v);
		free(p->tab[f].slot);
		for (g = 0; g < NGROUPS; g++)
			free(p->num[f][g].v);
	}
	for (g = 0; g < NGROUPS; g++)
		free(p->names[g]);
	free(p);
	*pp = NULL;
}

int
mindl_audit_pop_group(struct mindl_audit_pop *p, const char *name, size_t *g)
{
	struct sb s;
	size_t i;

	sb_init(&s);
	sb_esc(&s, (const uint8_t *)name, strlen(name) < 64 ? strlen(name) :
	    64);
	s.buf[s.len] = '\0';
	for (i = 1; i < p->ngroups; i++)
		if (strcmp(p->names[i], s.buf) == 0) {
			*g = i;
			return MINDL_OK;
		}
	if (p->ngroups == NGROUPS || p->finished)
		return MINDL_ERR_INVALID_ARG;
	if ((p->names[p->ngroups] = sb_dup(&s)) == NULL)
		return MINDL_ERR_NOMEM;
	*g = p->ngroups++;
	return MINDL_OK;
}

size_t
mindl_audit_pop_ngroups(const struct mindl_audit_pop *p)
{
	return p->ngroups;
}

const char *
mindl_audit_pop_group_name(const struct mindl_audit_pop *p, size_t g)
{
	return g < p->ngroups ? p->names[g] : NULL;
}

size_t
mindl_audit_pop_size(const struct mindl_audit_pop *p, size_t g)
{
	size_t i, n = 0;

	if (g != SIZE_MAX)
		return g < p->ngroups ? p->size[g] : 0;
	for (i = 0; i < p->ngroups; i++)
		n += p->size[i];
	return n;
}

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s != '\0') {
		h ^= (uint8_t)*s++;
		h *= 0x100000001b3ull;
	}
	return h;
}

static int
vtab_grow(struct vtab *t)
{
	size_t *ns, nn, i, j;

	nn = t->nslot == 0 ? 64 : t->nslot * 2;
	if ((ns = mindl_calloc(nn, sizeof(*ns))) == NULL)
		return MINDL_ERR_NOMEM;
	for (i = 0; i < t->n; i++) {
		j = (size_t)fnv1a(t->v[i].value) & (nn - 1);
		while (ns[j] != 0)
			j = (j + 1) & (nn - 1);
		ns[j] = i + 1;
	}
	free(t->slot);
	t->slot = ns;
	t->nslot = nn;
	return MINDL_OK;
}

/* Counts value s (taken: owned by the table or freed) for group g. */
static int
vtab_count(struct vtab *t, char *s, int absent, int64_t num, size_t g)
{
	struct mindl_audit_value *nv;
	size_t j;
	int r;

	if (t->nslot == 0 || (t->n + 1) * 2 > t->nslot)
		if ((r = vtab_grow(t)) != MINDL_OK) {
			free(s);
			return r;
		}
	j = (size_t)fnv1a(s) & (t->nslot - 1);
	while (t->slot[j] != 0) {
		if (strcmp(t->v[t->slot[j] - 1].value, s) == 0) {
			t->v[t->slot[j] - 1].count[g]++;
			t->v[t->slot[j] - 1].total++;
			free(s);
			return MINDL_OK;
		}
		j = (j + 1) & (t->nslot - 1);
	}
	if (t->n == t->cap) {
		size_t nc = t->cap == 0 ? 16 : t->cap * 2;

		if ((nv = mindl_realloc(t->v, nc * sizeof(*nv))) == NULL) {
			free(s);
			return MINDL_ERR_NOMEM;
		}
		t->v = nv;
		t->cap = nc;
	}
	nv = &t->v[t->n];
	memset(nv, 0, sizeof(*nv));
	nv->value = s;
	nv->absent = absent;
	nv->num = num;
	nv->total = 1;
	nv->count[g] = 1;
	t->slot[j] = ++t->n;
	return MINDL_OK;
}

static int
num_push(struct numarr *a, int64_t v)
{
	int64_t *nv;

	if (a->n == a->cap) {
		size_t nc = a->cap == 0 ? 64 : a->cap * 2;

		if ((nv = mindl_realloc(a->v, nc * sizeof(*nv))) == NULL)
			return MINDL_ERR_NOMEM;
		a->v = nv;
		a->cap = nc;
	}
	a->v[a->n++] = v;
	return MINDL_OK;
}

static int
pop_add_fv(struct mindl_audit_pop *p, size_t g, struct mindl_audit_fv *fv)
{
	char tmp[32], *s;
	size_t f;
	int r;

	for (f = 0; f < MINDL_AF_COUNT; f++) {
		if (finfo[f].numeric) {
			if (fv->present[f])
				(void)snprintf(tmp, sizeof(tmp), "%lld",
				    (long long)fv->num[f]);
			else
				(void)snprintf(tmp, sizeof(tmp), "absent");
			if ((s = mindl_malloc(strlen(tmp) + 1)) == NULL)
				return MINDL_ERR_NOMEM;
			memcpy(s, tmp, strlen(tmp) + 1);
			if ((r = vtab_count(&p->tab[f], s, !fv->present[f],
			    fv->num[f], g)) != MINDL_OK)
				return r;
			if (fv->present[f] && (r = num_push(&p->num[f][g],
			    fv->num[f])) != MINDL_OK)
				return r;
		} else {
			s = fv->cat[f];
			fv->cat[f] = NULL;
			if (s == NULL)
				return MINDL_ERR_INTERNAL;
			if ((r = vtab_count(&p->tab[f], s, 0, 0, g)) !=
			    MINDL_OK)
				return r;
		}
	}
	p->size[g]++;
	return MINDL_OK;
}

int
mindl_audit_pop_add(struct mindl_audit_pop *p, size_t g, const uint8_t *buf,
    size_t len)
{
	struct mindl_audit_fv *fv = NULL;
	size_t n = 0, i;
	int r;

	if (p->finished || g >= p->ngroups)
		return MINDL_ERR_INVALID_ARG;
	if (p->files == MINDL_AUDIT_MAX_FILES)
		return MINDL_ERR_TOO_LARGE;
	if ((r = mindl_audit_extract(buf, len, &fv, &n)) != MINDL_OK)
		return r;
	for (i = 0; i < n; i++)
		if ((r = pop_add_fv(p, g, &fv[i])) != MINDL_OK)
			break;
	mindl_audit_fv_free(&fv, n);
	if (r == MINDL_OK)
		p->files++;
	return r;
}

static int
cmp_val_cat(const void *a, const void *b)
{
	const struct mindl_audit_value *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->value, y->value);
}

static int
cmp_val_num(const void *a, const void *b)
{
	const struct mindl_audit_value *x = a, *y = b;

	if (x->absent != y->absent)
		return x->absent ? 1 : -1;
	return x->num < y->num ? -1 : x->num > y->num;
}

int
mindl_audit_pop_finish(struct mindl_audit_pop *p)
{
	size_t f, g;

	if (p->finished)
		return MINDL_OK;
	for (f = 0; f < MINDL_AF_COUNT; f++) {
		if (p->tab[f].n > 0)
			qsort(p->tab[f].v, p->tab[f].n, sizeof(*p->tab[f].v),
			    finfo[f].numeric ? cmp_val_num : cmp_val_cat);
		free(p->tab[f].slot);
		p->tab[f].slot = NULL;
		p->tab[f].nslot = 0;
		for (g = 0; g < NGROUPS; g++)
			if (p->num[f][g].n > 0)
				qsort(p->num[f][g].v, p->num[f][g].n,
				    sizeof(int64_t), cmp_i64);
	}
	p->finished = 1;
	return MINDL_OK;
}

size_t
mindl_audit_pop_nvalues(const struct mindl_audit_pop *p, size_t f)
{
	return f < MINDL_AF_COUNT && p->finished ? p->tab[f].n : 0;
}

const struct mindl_audit_value *
mindl_audit_pop_value(const struct mindl_audit_pop *p, size_t f, size_t i)
{
	if (f >= MINDL_AF_COUNT || !p->finished || i >= p->tab[f].n)
		return NULL;
	return &p->tab[f].v[i];
}

void
mindl_audit_pop_range(const struct mindl_audit_pop *p, size_t f, size_t g,
    struct mindl_audit_range *r)
{
	const struct mindl_audit_value *v;
	size_t i, c;

	memset(r, 0, sizeof(*r));
	if (f >= MINDL_AF_COUNT || !finfo[f].numeric || !p->finished)
		return;
	/* Values are sorted ascending, "absent" last. */
	for (i = 0; i < p->tab[f].n; i++) {
		v = &p->tab[f].v[i];
		c = g == SIZE_MAX ? v->total : g < NGROUPS ? v->count[g] : 0;
		if (c == 0)
			continue;
		if (v->absent) {
			r->absent += c;
			continue;
		}
		if (r->n == 0)
			r->min = v->num;
		r->max = v->num;
		r->n += c;
		r->distinct++;
	}
}

const char *
mindl_audit_test_name(unsigned test)
{
	switch (test) {
	case MINDL_AUDIT_T_EXCLUSIVE:
		return "exclusive-value";
	case MINDL_AUDIT_T_TV:
		return "total-variation";
	case MINDL_AUDIT_T_RANGE:
		return "range";
	case MINDL_AUDIT_T_KS:
		return "ks";
	}
	return "unknown";
}

static void
ev_add(struct mindl_audit_diff *df, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ev_add(struct mindl_audit_diff *df, const char *fmt, ...)
{
	size_t used = strlen(df->evidence);
	va_list ap;

	if (used + 3 >= sizeof(df->evidence))
		return;
	if (used > 0) {
		memcpy(df->evidence + used, "; ", 3);
		used += 2;
	}
	va_start(ap, fmt);
	(void)vsnprintf(df->evidence + used, sizeof(df->evidence) - used, fmt,
	    ap);
	va_end(ap);
}

static const char *
gname(const struct mindl_audit_pop *p, size_t g)
{
	return p->names[g] != NULL ? p->names[g] : "(unlabelled)";
}

/*
 * EXCLUSIVE (see audit.h): the strongest value seen only in group x.
 * Returns 1 if the test fires, with the evidence added.
 */
static int
exclusive(const struct mindl_audit_pop *p, size_t f, size_t x, size_t y,
    size_t k, struct mindl_audit_diff *df)
{
	const struct vtab *t = &p->tab[f];
	const struct mindl_audit_value *best = NULL;
	double q, chance, bound = 0.001 / (double)(k > 0 ? k : 1);
	size_t nx = p->size[x], ny = p->size[y], need, i, c;

	need = (nx + 99) / 100;
	if (need < 5)
		need = 5;
	for (i = 0; i < t->n; i++)
		if (t->v[i].count[y] == 0 && t->v[i].count[x] >= need &&
		    (best == NULL || t->v[i].count[x] > best->count[x]))
			best = &t->v[i];
	if (best == NULL)
		return 0;
	/* Chance that all c draws land in x: (nx / (nx + ny))^c. */
	q = (double)nx / (double)(nx + ny);
	for (chance = 1, c = 0; c < best->count[x] && chance >= 1e-300; c++)
		chance *= q;
	if (chance >= bound)
		return 0;
	ev_add(df, "value \"%.80s%s\" occurs %zu times in %s (%.1f%%), "
	    "never in %s (chance %.1e < %.1e)", best->value,
	    strlen(best->value) > 80 ? "..." : "", best->count[x], gname(p, x),
	    100.0 * (double)best->count[x] / (double)nx, gname(p, y),
	    chance, bound);
	return 1;
}

static double
ks_stat(const struct numarr *a, const struct numarr *b)
{
	size_t i = 0, j = 0;
	double dd, dmax = 0;
	int64_t x;

	while (i < a->n && j < b->n) {
		x = a->v[i] <= b->v[j] ? a->v[i] : b->v[j];
		while (i < a->n && a->v[i] == x)
			i++;
		while (j < b->n && b->v[j] == x)
			j++;
		dd = dabs((double)i / (double)a->n - (double)j / (double)b->n);
		if (dd > dmax)
			dmax = dd;
	}
	return dmax;
}

static void
compare_feature(const struct mindl_audit_pop *p, size_t f, size_t ga,
    size_t gb, struct mindl_audit_diff *df)
{
	const struct vtab *t = &p->tab[f];
	const struct numarr *a = &p->num[f][ga], *b = &p->num[f][gb];
	double na = (double)p->size[ga], nb = (double)p->size[gb];
	double tv = 0, oa = 0, ob = 0, s;
	size_t i, k = 0, bins = 0, ca, cb;
	int other = 0;

	memset(df, 0, sizeof(*df));
	df->feature = f;
	for (i = 0; i < t->n; i++)
		k += t->v[i].count[ga] + t->v[i].count[gb] > 0;
	if (exclusive(p, f, ga, gb, k, df) | exclusive(p, f, gb, ga, k, df))
		df->tests |= MINDL_AUDIT_T_EXCLUSIVE;

	/* TV with rare values pooled into one bin. */
	for (i = 0; i < t->n; i++) {
		ca = t->v[i].count[ga];
		cb = t->v[i].count[gb];
		if (ca + cb == 0)
			continue;
		if (ca + cb < 5) {
			oa += (double)ca;
			ob += (double)cb;
			other = 1;
			continue;
		}
		bins++;
		tv += dabs((double)ca / na - (double)cb / nb);
	}
	if (other) {
		bins++;
		tv += dabs(oa / na - ob / nb);
	}
	tv /= 2;
	s = dsqrt(1 / na + 1 / nb);
	df->tv = tv;
	df->tv_threshold = bins >= 2 ? 3 * dsqrt((double)(bins - 1)) * s : 1;
	if (bins >= 2 && tv > df->tv_threshold) {
		df->tests |= MINDL_AUDIT_T_TV;
		ev_add(df, "total variation %.3f > %.3f (%zu bins)", tv,
		    df->tv_threshold, bins);
	}
	if (!finfo[f].numeric || a->n == 0 || b->n == 0)
		return;
	if (a->n >= 10 && b->n >= 10 && (a->v[a->n - 1] < b->v[0] ||
	    b->v[b->n - 1] < a->v[0])) {
		df->tests |= MINDL_AUDIT_T_RANGE;
		ev_add(df, "ranges do not overlap: %s %lld..%lld, %s "
		    "%lld..%lld", gname(p, ga), (long long)a->v[0],
		    (long long)a->v[a->n - 1], gname(p, gb),
		    (long long)b->v[0], (long long)b->v[b->n - 1]);
	}
	df->ks = ks_stat(a, b);
	df->ks_threshold = 1.95 * dsqrt(((double)a->n + (double)b->n) /
	    ((double)a->n * (double)b->n));
	if (df->ks > df->ks_threshold) {
		df->tests |= MINDL_AUDIT_T_KS;
		ev_add(df, "Kolmogorov-Smirnov D = %.3f > %.3f", df->ks,
		    df->ks_threshold);
	}
}

int
mindl_audit_pop_compare(const struct mindl_audit_pop *p, size_t ga,
    size_t gb, struct mindl_audit_diff **out, size_t *n)
{
	struct mindl_audit_diff *res, df;
	size_t f;

	*out = NULL;
	*n = 0;
	if (!p->finished || ga >= p->ngroups || gb >= p->ngroups || ga == gb)
		return MINDL_ERR_INVALID_ARG;
	if (p->size[ga] == 0 || p->size[gb] == 0)
		return MINDL_OK;
	if ((res = mindl_calloc(MINDL_AF_COUNT, sizeof(*res))) == NULL)
		return MINDL_ERR_NOMEM;
	for (f = 0; f < MINDL_AF_COUNT; f++) {
		compare_feature(p, f, ga, gb, &df);
		if (df.tests != 0)
			res[(*n)++] = df;
	}
	if (*n == 0) {
		free(res);
		res = NULL;
	}
	*out = res;
	return MINDL_OK;
}

/* Linkability. */

const char *
mindl_audit_link_kind_name(int kind)
{
	switch (kind) {
	case MINDL_LINK_SALT:
		return "salt";
	case MINDL_LINK_VALUE_DIGEST:
		return "value-digest";
	case MINDL_LINK_DIGEST_ID:
		return "digest-id";
	case MINDL_LINK_DIGEST_ID_SET:
		return "digest-id-set";
	case MINDL_LINK_DEVICE_KEY:
		return "device-key";
	case MINDL_LINK_ISSUER_SIGNATURE:
		return "issuer-signature";
	case MINDL_LINK_STATUS:
		return "status-index";
	case MINDL_LINK_CERTIFICATE:
		return "certificate";
	case MINDL_LINK_ENGAGEMENT_KEY:
		return "engagement-key";
	case MINDL_LINK_DEVICE_AUTH:
		return "device-auth";
	case MINDL_LINK_ISSUER_CERT:
		return "issuer-certificate";
	}
	return "unknown";
}

/*
 * A token: the first 16 bytes of SHA-256(kind || SHA-256(value)) (equal
 * tokens are equal values; a 128-bit collision is not a concern), the
 * file it came from, and a short printable form for the report.
 */
struct token {
	uint8_t		key[16];
	char		show[11];
	uint8_t		kind;
	uint32_t	file;
};

struct tokvec {
	struct token	*t;
	size_t		 n;
	size_t		 cap;
};

struct pairrec {
	uint32_t	a;
	uint32_t	b;
	uint32_t	tok;
	uint8_t		kind;
};

struct mindl_audit_links {
	struct tokvec			 tv;
	size_t				 files;
	int				 ran;
	struct mindl_audit_link		*links;
	size_t				 nlinks;
	struct mindl_audit_shared	*exp;
	size_t				 nexp;
	uint64_t			 total;
	int				 truncated;
};

int
mindl_audit_links_new(struct mindl_audit_links **out)
{
	*out = mindl_calloc(1, sizeof(**out));
	return *out == NULL ? MINDL_ERR_NOMEM : MINDL_OK;
}

void
mindl_audit_links_free(struct mindl_audit_links **lp)
{
	struct mindl_audit_links *l;

	if (lp == NULL || (l = *lp) == NULL)
		return;
	free(l->tv.t);
	free(l->links);
	free(l->exp);
	free(l);
	*lp = NULL;
}

static int
tok_add(struct tokvec *v, int kind, const uint8_t *p, size_t n,
    const char *show, size_t file)
{
	uint8_t h[MINDL_SHA256_LEN], buf[1 + MINDL_SHA256_LEN];
	struct token *nt, *t;
	size_t sl;
	int r;

	if (v->n >= MINDL_AUDIT_MAX_TOKENS)
		return MINDL_ERR_TOO_LARGE;
	if (v->n == v->cap) {
		size_t nc = v->cap == 0 ? 256 : v->cap * 2;

		if ((nt = mindl_realloc(v->t, nc * sizeof(*nt))) == NULL)
			return MINDL_ERR_NOMEM;
		v->t = nt;
		v->cap = nc;
	}
	buf[0] = (uint8_t)kind;
	if ((r = mindl_sha256(p, n, h)) != MINDL_OK)
		return r;
	memcpy(buf + 1, h, sizeof(h));
	if ((r = mindl_sha256(buf, sizeof(buf), h)) != MINDL_OK)
		return r;
	t = &v->t[v->n++];
	memset(t, 0, sizeof(*t));
	memcpy(t->key, h, sizeof(t->key));
	sl = strlen(show);
	if (sl >= sizeof(t->show))
		sl = sizeof(t->show) - 1;
	memcpy(t->show, show, sl);
	t->kind = (uint8_t)kind;
	t->file = (uint32_t)file;
	return MINDL_OK;
}

/* A token for a byte string, shown as the hex of its first 5 bytes. */
static int
tok_bytes(struct tokvec *v, int kind, const uint8_t *p, size_t n,
    size_t file)
{
	char show[11];
	size_t i;

	for (i = 0; i < 5 && i < n; i++)
		(void)snprintf(show + 2 * i, 3, "%02x", p[i]);
	show[2 * i] = '\0';
	return tok_add(v, kind, p, n, show, file);
}

/* Namespace bytes, a NUL, then numbers big-endian: one identifier. */
static int
tok_ns_ids(struct tokvec *v, int kind, const struct mindl_cbor_item *ns,
    const uint64_t *ids, size_t nids, const char *show, size_t file)
{
	uint8_t *buf;
	size_t i, j, len;
	int r;

	len = ns->len + 1 + 8 * nids;
	if ((buf = mindl_malloc(len)) == NULL)
		return MINDL_ERR_NOMEM;
	memcpy(buf, ns->ptr, ns->len);
	buf[ns->len] = 0;
	for (i = 0; i < nids; i++)
		for (j = 0; j < 8; j++)
			buf[ns->len + 1 + 8 * i + j] = (uint8_t)(ids[i] >>
			    (56 - 8 * j));
	r = tok_add(v, kind, buf, len, show, file);
	free(buf);
	return r;
}

/* x || y of an EC2 COSE_Key (or its whole encoding otherwise). */
static int
tok_cose_key(struct tokvec *v, int kind, const struct mindl_cbor_item *k,
    size_t file)
{
	const struct mindl_cbor_item *x, *y;
	uint8_t buf[2 * MINDL_MAX_COORD];

	if (k == NULL || k->type != MINDL_CBOR_MAP)
		return MINDL_ERR_COSE_KEY;
	x = mindl_cbor_map_get_int(k, -2);
	y = mindl_cbor_map_get_int(k, -3);
	if (x != NULL && x->type == MINDL_CBOR_BSTR && x->len <=
	    MINDL_MAX_COORD && y != NULL && y->type == MINDL_CBOR_BSTR &&
	    y->len <= MINDL_MAX_COORD) {
		memcpy(buf, x->ptr, x->len);
		memcpy(buf + x->len, y->ptr, y->len);
		return tok_bytes(v, kind, buf, x->len + y->len, file);
	}
	return tok_bytes(v, kind, k->enc, k->enclen, file);
}

static int
tok_certs(struct tokvec *v, int kind, const struct mindl_cose_msg *m,
    size_t file)
{
	char kid[17];
	size_t i;
	int r;

	for (i = 0; i < m->nx5; i++) {
		if (mindl_x509_key_id(m->x5[i], m->x5len[i], kid) != MINDL_OK)
			(void)snprintf(kid, sizeof(kid), "unparsable");
		if ((r = tok_add(v, kind, m->x5[i], m->x5len[i], kid,
		    file)) != MINDL_OK)
			return r;
	}
	return MINDL_OK;
}

static int
doc_tokens(const struct adoc *d, struct tokvec *v, size_t file)
{
	const struct mindl_cbor_item *k, *ns, *id, *st, *sl, *idx, *uri, *da;
	struct mindl_cose_msg dm;
	uint8_t h[MINDL_SHA256_LEN];
	uint64_t *ids = NULL, one;
	char show[11];
	size_t i;
	uint64_t j;
	int r = MINDL_OK;

	/* Disclosed or held items: salt, digest, digestID. */
	for (i = 0; i < d->n; i++) {
		const struct aitem *ai = &d->items[i];

		if (ai->random->len > 0 && (r = tok_bytes(v, MINDL_LINK_SALT,
		    ai->random->ptr, ai->random->len, file)) != MINDL_OK)
			return r;
		if ((r = mindl_sha256(ai->raw->enc, ai->raw->enclen, h)) !=
		    MINDL_OK || (r = tok_bytes(v, MINDL_LINK_VALUE_DIGEST, h,
		    sizeof(h), file)) != MINDL_OK)
			return r;
		one = ai->id;
		(void)snprintf(show, sizeof(show), "%llu",
		    (unsigned long long)(ai->id % 10000000000ull));
		if ((r = tok_ns_ids(v, MINDL_LINK_DIGEST_ID, ai->nskey, &one,
		    1, show, file)) != MINDL_OK)
			return r;
	}
	/* The MSO: every digest, each namespace's ID set, the device key. */
	if ((ids = mindl_calloc(MINDL_MAX_MAP, sizeof(*ids))) == NULL)
		return MINDL_ERR_NOMEM;
	for (j = 0, ns = mindl_cbor_child(d->vd); j < d->vd->u; j++) {
		const struct mindl_cbor_item *m = mindl_cbor_next(ns);
		uint64_t c;

		for (c = 0, id = mindl_cbor_child(m); c < m->u; c++) {
			k = mindl_cbor_next(id);
			ids[c] = id->u;
			if ((r = tok_bytes(v, MINDL_LINK_VALUE_DIGEST, k->ptr,
			    k->len, file)) != MINDL_OK)
				goto out;
			id = mindl_cbor_next(k);
		}
		qsort(ids, (size_t)m->u, sizeof(*ids), cmp_u64);
		(void)snprintf(show, sizeof(show), "%llu ids",
		    (unsigned long long)m->u);
		if (m->u > 0 && (r = tok_ns_ids(v, MINDL_LINK_DIGEST_ID_SET, ns,
		    ids, (size_t)m->u, show, file)) != MINDL_OK)
			goto out;
		ns = mindl_cbor_next(m);
	}
	k = mindl_cbor_map_get(mindl_cbor_map_get(d->root, "deviceKeyInfo"),
	    "deviceKey");
	if (k != NULL && (r = tok_cose_key(v, MINDL_LINK_DEVICE_KEY, k,
	    file)) != MINDL_OK)
		goto out;
	st = mindl_cbor_map_get(d->root, "status");
	sl = mindl_cbor_map_get(st, "status_list");
	idx = mindl_cbor_map_get(sl, "idx");
	uri = mindl_cbor_map_get(sl, "uri");
	if (idx != NULL && idx->type == MINDL_CBOR_UINT && uri != NULL &&
	    uri->type == MINDL_CBOR_TSTR) {
		one = idx->u;
		(void)snprintf(show, sizeof(show), "%llu",
		    (unsigned long long)(idx->u % 10000000000ull));
		if ((r = tok_ns_ids(v, MINDL_LINK_STATUS, uri, &one, 1, show,
		    file)) != MINDL_OK)
			goto out;
	}
	/* issuerAuth: the signature; the DS certificate (expected). */
	if ((r = tok_bytes(v, MINDL_LINK_ISSUER_SIGNATURE, d->m.tag,
	    d->m.taglen, file)) != MINDL_OK ||
	    (r = tok_certs(v, MINDL_LINK_ISSUER_CERT, &d->m, file)) !=
	    MINDL_OK)
		goto out;
	/* deviceSigned: the MAC or signature, and any certificate. */
	da = mindl_cbor_map_get(d->ds, "deviceAuth");
	if (d->ds != NULL && (da == NULL || da->type != MINDL_CBOR_MAP)) {
		r = MINDL_ERR_MISSING;
		goto out;
	}
	for (j = 0, k = mindl_cbor_child(da); da != NULL && j < da->u; j++) {
		if ((r = mindl_cose_parse(mindl_cbor_next(k), &dm)) !=
		    MINDL_OK)
			goto out;
		if ((r = tok_bytes(v, MINDL_LINK_DEVICE_AUTH, dm.tag,
		    dm.taglen, file)) == MINDL_OK)
			r = tok_certs(v, MINDL_LINK_CERTIFICATE, &dm, file);
		mindl_cose_clear(&dm);
		if (r != MINDL_OK)
			goto out;
		k = mindl_cbor_next(mindl_cbor_next(k));
	}
 out:
	free(ids);
	return r;
}

/* DeviceEngagement {0: ver, 1: [cipher, #6.24(bstr .cbor EDeviceKey)]}. */
static int
engagement_token(const struct mindl_cbor_item *eng, struct tokvec *v,
    size_t file)
{
	struct mindl_cbor *de = NULL, *kd = NULL;
	const struct mindl_cbor_item *sec, *kb;
	int r;

	if ((r = mindl_cbor_decode(eng->ptr, eng->len, &de)) != MINDL_OK)
		return r;
	sec = mindl_cbor_map_get_int(mindl_cbor_root(de), 1);
	if (sec == NULL || sec->type != MINDL_CBOR_ARRAY || sec->u < 2 ||
	    (kb = mindl_cbor_untag(mindl_cbor_next(mindl_cbor_child(sec)),
	    24)) == NULL) {
		r = MINDL_ERR_MISSING;
		goto out;
	}
	if ((r = mindl_cbor_decode(kb->ptr, kb->len, &kd)) != MINDL_OK)
		goto out;
	r = tok_cose_key(v, MINDL_LINK_ENGAGEMENT_KEY, mindl_cbor_root(kd),
	    file);
 out:
	mindl_cbor_free(&kd);
	mindl_cbor_free(&de);
	return r;
}

int
mindl_audit_links_add(struct mindl_audit_links *l, const uint8_t *buf,
    size_t len)
{
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *docs, *eng, *e;
	struct adoc *d = NULL;
	size_t before = l->tv.n, i;
	int r;

	if (l->ran || buf == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (l->files >= MINDL_AUDIT_MAX_FILES || len > MINDL_MAX_INPUT)
		return MINDL_ERR_TOO_LARGE;
	if ((r = mindl_cbor_decode(buf, len, &doc)) != MINDL_OK ||
	    (r = file_docs(doc, &docs, &eng)) != MINDL_OK)
		goto out;
	if ((d = mindl_calloc(1, sizeof(*d))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto out;
	}
	if (eng != NULL && (r = engagement_token(eng, &l->tv, l->files)) !=
	    MINDL_OK)
		goto out;
	for (i = 0, e = mindl_cbor_child(docs); i < docs->u; i++) {
		r = doc_load(e, d);
		if (r == MINDL_OK)
			r = doc_tokens(d, &l->tv, l->files);
		doc_clear(d);
		if (r != MINDL_OK)
			goto out;
		e = mindl_cbor_next(e);
	}
	l->files++;
 out:
	if (r != MINDL_OK) {
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
		l->tv.n = before;
	}
	free(d);
	mindl_cbor_free(&doc);
	return r;
}

static int
cmp_token(const void *a, const void *b)
{
	const struct token *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = memcmp(x->key, y->key, sizeof(x->key))) != 0)
		return c;
	return x->file < y->file ? -1 : x->file > y->file;
}

static int
cmp_pair(const void *a, const void *b)
{
	const struct pairrec *x = a, *y = b;

	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	if (x->b != y->b)
		return x->b < y->b ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->tok < y->tok ? -1 : x->tok > y->tok;
}

static int
same_value(const struct token *x, const struct token *y)
{
	return x->kind == y->kind && memcmp(x->key, y->key,
	    sizeof(x->key)) == 0;
}

static int
add_expected(struct mindl_audit_links *l, const struct token *t,
    size_t files)
{
	struct mindl_audit_shared *ne;

	if ((ne = mindl_realloc(l->exp, (l->nexp + 1) * sizeof(*ne))) == NULL)
		return MINDL_ERR_NOMEM;
	l->exp = ne;
	memset(&ne[l->nexp], 0, sizeof(*ne));
	ne[l->nexp].kind = t->kind;
	ne[l->nexp].files = files;
	memcpy(ne[l->nexp].value, t->show, sizeof(t->show));
	l->nexp++;
	return MINDL_OK;
}

/* Pair records for one run of equal tokens t[s..e) (distinct files). */
static int
emit_pairs(struct mindl_audit_links *l, size_t s, size_t e,
    struct pairrec **pr, size_t *npr, size_t *cap)
{
	struct pairrec *np;
	size_t i, j;

	l->total += (uint64_t)(e - s) * (uint64_t)(e - s - 1) / 2;
	for (i = s; i < e; i++)
		for (j = i + 1; j < e; j++) {
			if (*npr >= MINDL_AUDIT_MAX_PAIRS) {
				l->truncated = 1;
				return MINDL_OK;
			}
			if (*npr == *cap) {
				size_t nc = *cap == 0 ? 256 : *cap * 2;

				if ((np = mindl_realloc(*pr, nc *
				    sizeof(*np))) == NULL)
					return MINDL_ERR_NOMEM;
				*pr = np;
				*cap = nc;
			}
			np = &(*pr)[(*npr)++];
			np->a = l->tv.t[i].file;
			np->b = l->tv.t[j].file;
			np->kind = l->tv.t[i].kind;
			np->tok = (uint32_t)i;
		}
	return MINDL_OK;
}

int
mindl_audit_links_run(struct mindl_audit_links *l)
{
	struct pairrec *pr = NULL;
	struct mindl_audit_link *lk;
	struct token *t;
	size_t npr = 0, cap = 0, i, j, w, nl = 0;
	int r = MINDL_OK;

	if (l->ran)
		return MINDL_ERR_INVALID_ARG;
	l->ran = 1;
	if (l->tv.n == 0)
		return MINDL_OK;
	qsort(l->tv.t, l->tv.n, sizeof(*l->tv.t), cmp_token);
	/* One token per (value, file). */
	for (i = 1, w = 1; i < l->tv.n; i++)
		if (!same_value(&l->tv.t[i], &l->tv.t[w - 1]) ||
		    l->tv.t[i].file != l->tv.t[w - 1].file)
			l->tv.t[w++] = l->tv.t[i];
	l->tv.n = w;
	t = l->tv.t;
	for (i = 0; i < l->tv.n; i = j) {
		for (j = i + 1; j < l->tv.n && same_value(&t[i], &t[j]); j++)
			;
		if (j - i < 2)
			continue;
		if (t[i].kind == MINDL_LINK_ISSUER_CERT)
			r = add_expected(l, &t[i], j - i);
		else
			r = emit_pairs(l, i, j, &pr, &npr, &cap);
		if (r != MINDL_OK)
			goto out;
	}
	if (npr == 0)
		goto out;
	qsort(pr, npr, sizeof(*pr), cmp_pair);
	for (i = 0; i < npr; i++)
		nl += i == 0 || pr[i].a != pr[i - 1].a ||
		    pr[i].b != pr[i - 1].b || pr[i].kind != pr[i - 1].kind;
	if ((l->links = mindl_calloc(nl, sizeof(*l->links))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < npr; i++) {
		if (i == 0 || pr[i].a != pr[i - 1].a ||
		    pr[i].b != pr[i - 1].b || pr[i].kind != pr[i - 1].kind) {
			lk = &l->links[l->nlinks++];
			lk->a = pr[i].a;
			lk->b = pr[i].b;
			lk->kind = pr[i].kind;
		} else
			lk = &l->links[l->nlinks - 1];
		if (lk->count < 3)
			memcpy(lk->example[lk->count], t[pr[i].tok].show,
			    sizeof(t[0].show));
		lk->count++;
	}
 out:
	free(pr);
	return r;
}

size_t
mindl_audit_links_count(const struct mindl_audit_links *l)
{
	return l->nlinks;
}

const struct mindl_audit_link *
mindl_audit_links_at(const struct mindl_audit_links *l, size_t i)
{
	return i < l->nlinks ? &l->links[i] : NULL;
}

uint64_t
mindl_audit_links_total(const struct mindl_audit_links *l)
{
	return l->total;
}

int
mindl_audit_links_truncated(const struct mindl_audit_links *l)
{
	return l->truncated;
}

size_t
mindl_audit_links_nexpected(const struct mindl_audit_links *l)
{
	return l->nexp;
}

const struct mindl_audit_shared *
mindl_audit_links_expected(const struct mindl_audit_links *l, size_t i)
{
	return i < l->nexp ? &l->exp[i] : NULL;
}
