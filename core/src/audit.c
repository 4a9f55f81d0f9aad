/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the reviewers' audit (core/include/mindl/audit.h), its first
 * part: the structural features of each document of a file.  Population
 * statistics are in audit_pop.c, linkability in audit_link.c.
 *
 * Input is hostile: documents are parsed by the same modules as the
 * verifier uses (mindl/mdoc.h, mindl/mso.h), and every string taken from
 * a file is escaped and bounded before it leaves this module.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/audit.h"
#include "mindl/buf.h"
#include "mindl/cbor.h"
#include "mindl/cose.h"
#include "mindl/date.h"
#include "mindl/devauth.h"
#include "mindl/err.h"
#include "mindl/key.h"
#include "mindl/mdoc.h"
#include "mindl/mso.h"
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
 * Bounded string builder for feature values, on a capped mindl_buf.
 * Bytes from files are escaped: printable ASCII stays, except the
 * separators this module uses inside values (backslash, comma, equals,
 * space, semicolon), which become \xNN like every other byte.  ':' and
 * '/' stay readable (URIs); a ':' in a namespace name can only merge two
 * element-set values, never split one.  A value over the cap is cut and
 * ends in "...".
 */
#define SB_ROOM	(MINDL_AUDIT_MAX_VALUE - 4)	/* "..." and NUL */

struct sb {
	struct mindl_buf	b;
	int			trunc;
};

static void
sb_init(struct sb *s)
{
	mindl_buf_init(&s->b, SB_ROOM);
	s->trunc = 0;
}

static void
sb_raw(struct sb *s, const char *p, size_t n)
{
	size_t room = mindl_buf_room(&s->b);

	if (n > room) {
		s->trunc = 1;
		n = room;
	}
	(void)mindl_buf_add(&s->b, p, n);
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

/* Text from a file, through the one escaper (ASCII only, separators too). */
static void
sb_esc(struct sb *s, const uint8_t *p, size_t n)
{
	char tmp[256];
	size_t done;

	while (n > 0 && !s->trunc) {
		done = mindl_text_escape(tmp, sizeof(tmp), p, n,
		    MINDL_TEXT_ASCII | MINDL_TEXT_SEPARATORS);
		sb_str(s, tmp);
		p += done;
		n -= done;
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

/* The value as a string of its own (malloc'd); s is cleared. */
static char *
sb_dup(struct sb *s)
{
	char *p = NULL;
	size_t n;

	if (s->trunc) {
		s->b.max += 3;	/* the room kept for the mark */
		(void)mindl_buf_addstr(&s->b, "...");
	}
	n = mindl_buf_len(&s->b);
	if (mindl_buf_err(&s->b) == MINDL_OK &&
	    (p = mindl_malloc(n + 1)) != NULL)
		memcpy(p, mindl_buf_str(&s->b), n + 1);
	mindl_buf_clear(&s->b);
	return p;
}

static void
sb_clear(struct sb *s)
{
	mindl_buf_clear(&s->b);
}

int
mindl_audit_escape(const uint8_t *p, size_t n, char **out)
{
	struct sb s;

	sb_init(&s);
	sb_esc(&s, p, n);
	if (mindl_buf_err(&s.b) != MINDL_OK) {
		sb_clear(&s);
		*out = NULL;
		return MINDL_ERR_NOMEM;
	}
	return (*out = sb_dup(&s)) == NULL ? MINDL_ERR_NOMEM : MINDL_OK;
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

/* One parsed document and the parts the features read. */
struct adoc {
	struct mindl_document		*d;
	const struct mindl_cbor_item	*doctype;
	const struct mindl_issuer_signed *is;
	const struct mindl_mso		*mso;
	const struct mindl_cose_msg	*m;	/* issuerAuth */
	const struct mindl_cbor_item	*ia;
	size_t				 n;	/* items */
};

static int
doc_load(const struct mindl_cbor_item *entry, struct adoc *a)
{
	int r;

	memset(a, 0, sizeof(*a));
	if ((r = mindl_document_parse(entry, 0, &a->d)) != MINDL_OK)
		return r;
	a->doctype = mindl_document_doctype(a->d);
	a->is = mindl_document_issuer_signed(a->d);
	a->mso = mindl_issuer_signed_mso(a->is);
	a->m = mindl_mso_sign1(a->mso);
	a->ia = mindl_mso_issuer_auth(a->mso);
	a->n = mindl_issuer_signed_count(a->is);
	return MINDL_OK;
}

static void
doc_clear(struct adoc *a)
{
	mindl_document_free(&a->d);
	memset(a, 0, sizeof(*a));
}

static const struct mindl_issuer_item *
aitem(const struct adoc *a, size_t i)
{
	return mindl_issuer_signed_item(a->is, i);
}

int
mindl_audit_open(const uint8_t *buf, size_t len, struct mindl_cbor **doc,
    const struct mindl_cbor_item **docs,
    const struct mindl_cbor_item **engagement)
{
	int r;

	*doc = NULL;
	*docs = *engagement = NULL;
	if (buf == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (len > MINDL_MAX_INPUT)
		return MINDL_ERR_TOO_LARGE;
	if ((r = mindl_cbor_decode(buf, len, doc)) != MINDL_OK)
		return r;
	if ((r = mindl_file_documents(mindl_cbor_root(*doc), docs,
	    engagement)) == MINDL_OK && (*docs)->u > MINDL_AUDIT_MAX_DOCS)
		r = MINDL_ERR_CBOR_LIMIT;
	if (r != MINDL_OK) {
		*docs = *engagement = NULL;
		mindl_cbor_free(doc);
	}
	return r;
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
	const struct mindl_issuer_item *x =
	    *(const struct mindl_issuer_item *const *)a;
	const struct mindl_issuer_item *y =
	    *(const struct mindl_issuer_item *const *)b;
	int c = cmp_bytes(x->ns, y->ns);

	return c != 0 ? c : cmp_bytes(x->element, y->element);
}

static int
cmp_item_id(const void *a, const void *b)
{
	const struct mindl_issuer_item *x =
	    *(const struct mindl_issuer_item *const *)a;
	const struct mindl_issuer_item *y =
	    *(const struct mindl_issuer_item *const *)b;

	return cmp_bytes(x->element, y->element);
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
	struct mindl_cbor_iter it;
	const struct mindl_cbor_item *k, *v;
	struct sb t;
	size_t nk = 0, i, n;

	if (mindl_cbor_iter_init(&it, map, MINDL_CBOR_MAP) != MINDL_OK) {
		sb_str(s, "(none)");
		return;
	}
	while (nk < 32 && mindl_cbor_iter_pair(&it, &k, &v)) {
		sb_init(&t);
		sb_item(&t, k);
		if (mindl_buf_err(&t.b) != MINDL_OK)
			(void)mindl_buf_fail(&s->b, mindl_buf_err(&t.b));
		n = mindl_buf_len(&t.b);
		if (n >= sizeof(keys[0]))
			n = sizeof(keys[0]) - 1;
		memcpy(keys[nk], mindl_buf_str(&t.b), n);
		keys[nk++][n] = '\0';
		sb_clear(&t);
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
	const struct mindl_cbor_item *dt, *arr, *unprot;
	const struct mindl_mso_digest *dg;
	struct lenset dlens, idsizes;
	struct sb s;
	size_t i, j, n;
	uint64_t mn = UINT64_MAX, mx = 0;
	int any = 0, seq = 1, multi = 0, r;
	char kid[MINDL_KEY_ID_LEN + 1];

	memset(&dlens, 0, sizeof(dlens));
	memset(&idsizes, 0, sizeof(idsizes));
	/* docType: the MSO's, and the document's if it differs. */
	sb_init(&s);
	dt = mindl_mso_doctype(d->mso);
	if (cmp_bytes(dt, d->doctype) == 0)
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
	sb_item(&s, mindl_mso_version(d->mso));
	sb_str(&s, " digestAlgorithm=");
	sb_item(&s, mindl_mso_digest_alg(d->mso));
	sb_str(&s, " keys=");
	sb_keys(&s, mindl_mso_map(d->mso));
	if ((r = set_cat(fv, MINDL_AF_MSO_FORMAT, &s)) != MINDL_OK)
		return r;
	set_num(fv, MINDL_AF_MSO_SIZE, (int64_t)mindl_mso_size(d->mso));
	set_num(fv, MINDL_AF_IA_SIZE, (int64_t)d->ia->enclen);

	/* issuerAuth headers as a verifier sees them. */
	sb_init(&s);
	arr = d->ia;
	if (arr->type == MINDL_CBOR_TAG)
		arr = mindl_cbor_child(arr);
	unprot = mindl_cbor_next(mindl_cbor_child(arr));
	sb_fmt(&s, "alg=%lld protected=", (long long)d->m->alg);
	sb_hex(&s, d->m->prot, d->m->protlen < 64 ? d->m->protlen : 64);
	sb_str(&s, " unprotected=");
	sb_keys(&s, unprot);
	sb_fmt(&s, " x5chain=%zu", d->m->nx5);
	if (d->ia->type == MINDL_CBOR_TAG)
		sb_fmt(&s, " tag=%llu", (unsigned long long)d->ia->u);
	if ((r = set_cat(fv, MINDL_AF_IA_HEADERS, &s)) != MINDL_OK)
		return r;

	sb_init(&s);
	if (d->m->nx5 == 0)
		sb_str(&s, "none");
	else if (mindl_x509_key_id(d->m->x5[0], d->m->x5len[0], kid) ==
	    MINDL_OK)
		sb_str(&s, kid);
	else
		sb_str(&s, "unparsable-certificate");
	if ((r = set_cat(fv, MINDL_AF_SIGNER, &s)) != MINDL_OK)
		return r;

	/* valueDigests: namespaces, counts, digest and ID properties. */
	sb_init(&s);
	for (i = 0; i < mindl_mso_ns_count(d->mso); i++) {
		dt = mindl_mso_ns_name(d->mso, i);
		n = mindl_mso_ns_digests(d->mso, i);
		sb_str(&s, i > 0 ? "," : "");
		sb_esc(&s, dt->ptr, dt->len);
		/* Sorted by ID: consecutive IDs are neighbours. */
		for (j = 0; j < n; j++) {
			dg = mindl_mso_digest_at(d->mso, i, j);
			lenset_add(&idsizes, dg->id_item->enclen);
			lenset_add(&dlens, dg->len);
			if (dg->id < mn)
				mn = dg->id;
			if (dg->id > mx)
				mx = dg->id;
			any = 1;
			if (j > 0 && dg->id != mindl_mso_digest_at(d->mso, i,
			    j - 1)->id + 1)
				seq = 0;
		}
		multi |= n >= 2;
	}
	if ((r = set_cat(fv, MINDL_AF_NAMESPACES, &s)) != MINDL_OK)
		return r;
	sb_init(&s);
	for (i = 0; i < mindl_mso_ns_count(d->mso); i++) {
		dt = mindl_mso_ns_name(d->mso, i);
		sb_str(&s, i > 0 ? "," : "");
		sb_esc(&s, dt->ptr, dt->len);
		sb_fmt(&s, "=%zu", mindl_mso_ns_digests(d->mso, i));
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
	case 256:
		return "brainpoolP256r1";
	case 257:
		return "brainpoolP320r1";
	case 258:
		return "brainpoolP384r1";
	case 259:
		return "brainpoolP512r1";
	}
	return NULL;
}

static int
feat_device_validity_status(const struct adoc *d, struct mindl_audit_fv *fv)
{
	const struct mindl_cbor_item *dki, *dk, *uri;
	struct mindl_mso_validity v;
	const char *nm;
	int64_t kty, crv;
	uint64_t idx;
	struct sb s;
	int r;

	/* Device key: kty, crv, the COSE_Key labels, deviceKeyInfo keys. */
	sb_init(&s);
	dki = mindl_mso_device_key_info(d->mso);
	dk = mindl_mso_device_key_item(d->mso);
	if (mindl_cbor_int(mindl_cbor_map_get_int(dk, 1), &kty) == MINDL_OK &&
	    (nm = kty_name(kty)) != NULL)
		sb_str(&s, nm);
	else {
		sb_str(&s, "kty=");
		sb_item(&s, mindl_cbor_map_get_int(dk, 1));
	}
	if (mindl_cbor_int(mindl_cbor_map_get_int(dk, -1), &crv) == MINDL_OK &&
	    (nm = crv_name(crv)) != NULL)
		sb_fmt(&s, " %s", nm);
	else {
		sb_str(&s, " crv=");
		sb_item(&s, mindl_cbor_map_get_int(dk, -1));
	}
	sb_str(&s, " labels=");
	sb_keys(&s, dk);
	sb_str(&s, " deviceKeyInfo=");
	sb_keys(&s, dki);
	if ((r = set_cat(fv, MINDL_AF_DEVICE_KEY, &s)) != MINDL_OK)
		return r;

	/* Validity: lengths and alignments, never the record's dates. */
	mindl_mso_validity(d->mso, &v);
	set_num(fv, MINDL_AF_VALIDITY, v.valid_until - v.valid_from);
	set_num(fv, MINDL_AF_FROM_MOD_DAY, fmod64(v.valid_from, MINDL_DAY));
	set_num(fv, MINDL_AF_UNTIL_MOD_DAY, fmod64(v.valid_until, MINDL_DAY));
	set_num(fv, MINDL_AF_FROM_MINUS_SIGNED, v.valid_from - v.signed_at);
	set_num(fv, MINDL_AF_SIGNED_MOD_DAY, fmod64(v.signed_at, MINDL_DAY));
	set_num(fv, MINDL_AF_SIGNED_MOD_HOUR, fmod64(v.signed_at, 3600));
	set_num(fv, MINDL_AF_SIGNED_MOD_MINUTE, fmod64(v.signed_at, 60));
	set_num(fv, MINDL_AF_SIGNED_DAY, fdiv(v.signed_at, MINDL_DAY));

	/* Status: {status_list: {idx, uri}} (token status list). */
	sb_init(&s);
	if (mindl_mso_status_map(d->mso) == NULL)
		sb_str(&s, "absent");
	else if (mindl_mso_status_list(d->mso, &idx, &uri) != MINDL_OK) {
		sb_str(&s, "other keys=");
		sb_keys(&s, mindl_mso_status_map(d->mso));
	} else {
		sb_str(&s, "uri=");
		sb_esc(&s, uri->ptr, uri->len);
		if (idx <= INT64_MAX)
			set_num(fv, MINDL_AF_STATUS_IDX, (int64_t)idx);
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
	const struct mindl_issuer_item *sorted[MINDL_MAX_ELEMENTS], *it, *prev;
	struct lenset salts;
	struct sb s;
	size_t i, n;
	int arrays = 0, asc = 1, r;

	memset(&salts, 0, sizeof(salts));
	/* Order: within each nameSpaces array, do digestIDs ascend? */
	for (i = 0; i < d->n; i++) {
		it = aitem(d, i);
		lenset_add(&salts, it->random->len);
		if (i == 0 || it->nsidx != aitem(d, i - 1)->nsidx)
			continue;
		prev = aitem(d, i - 1);
		/* Items of one array are adjacent; count arrays of 2+. */
		if (i == 1 || aitem(d, i - 2)->nsidx != it->nsidx)
			arrays++;
		if (it->digest_id <= prev->digest_id)
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
		if (is_age_over(aitem(d, i)->element))
			sorted[n++] = aitem(d, i);
	qsort(sorted, n, sizeof(sorted[0]), cmp_item_id);
	sb_init(&s);
	for (i = 0; i < n; i++) {
		if (i > 0 && cmp_bytes(sorted[i]->element,
		    sorted[i - 1]->element) == 0)
			continue;
		sb_str(&s, i > 0 ? "," : "");
		sb_esc(&s, sorted[i]->element->ptr, sorted[i]->element->len);
	}
	if (n == 0)
		sb_str(&s, "none");
	if ((r = set_cat(fv, MINDL_AF_AGE_SET, &s)) != MINDL_OK)
		return r;

	/* Element identifiers, "ns:a,b;ns2:c". */
	for (i = 0; i < d->n; i++)
		sorted[i] = aitem(d, i);
	qsort(sorted, d->n, sizeof(sorted[0]), cmp_item_ns_id);
	sb_init(&s);
	for (i = 0; i < d->n; i++) {
		if (i == 0 || cmp_bytes(sorted[i]->ns, sorted[i - 1]->ns) != 0) {
			sb_str(&s, i > 0 ? ";" : "");
			sb_esc(&s, sorted[i]->ns->ptr, sorted[i]->ns->len);
			sb_str(&s, ":");
		} else
			sb_str(&s, ",");
		sb_esc(&s, sorted[i]->element->ptr, sorted[i]->element->len);
	}
	if (d->n == 0)
		sb_str(&s, "none");
	if ((r = set_cat(fv, MINDL_AF_ELEMENTS, &s)) != MINDL_OK)
		return r;
	set_num(fv, MINDL_AF_ITEMS, (int64_t)d->n);
	set_num(fv, MINDL_AF_CRED_SIZE,
	    (int64_t)mindl_document_item(d->d)->enclen);
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
	struct mindl_cbor_iter di;
	const struct mindl_cbor_item *docs, *eng, *e;
	struct mindl_audit_fv *fv = NULL;
	struct adoc d;
	size_t i = 0, nd = 0;
	int r = MINDL_ERR_INTERNAL;

	*out = NULL;
	*n = 0;
	memset(&d, 0, sizeof(d));
	if ((r = mindl_audit_open(buf, len, &doc, &docs, &eng)) != MINDL_OK)
		goto fail;
	nd = (size_t)docs->u;
	if ((fv = mindl_calloc(nd, sizeof(*fv))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	(void)mindl_cbor_iter_init(&di, docs, MINDL_CBOR_ARRAY);
	for (i = 0; (e = mindl_cbor_iter_next(&di)) != NULL; i++) {
		if ((r = doc_load(e, &d)) != MINDL_OK ||
		    (r = feat_mso(&d, &fv[i])) != MINDL_OK ||
		    (r = feat_device_validity_status(&d, &fv[i])) != MINDL_OK ||
		    (r = feat_items(&d, &fv[i])) != MINDL_OK)
			goto fail;
		doc_clear(&d);
	}
	*out = fv;
	*n = nd;
	fv = NULL;
	r = MINDL_OK;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: document %zu: %s", __func__, i,
		    mindl_errname(r));
	doc_clear(&d);
	mindl_audit_fv_free(&fv, nd);
	mindl_cbor_free(&doc);
	return r;
}
