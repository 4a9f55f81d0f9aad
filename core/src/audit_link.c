/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the audit's linkability report (mindl/audit.h): every byte
 * string and identifier of a file that a verifier could use to link two
 * presentations (salts, digests, digestIDs and their sets, device keys,
 * issuer signatures, status indices, certificates, engagement keys,
 * device authentication tags), as tokens, and the pairs of files that
 * share one.  Documents are parsed by the verifier's own modules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/audit.h"
#include "mindl/cbor.h"
#include "mindl/cose.h"
#include "mindl/devauth.h"
#include "mindl/err.h"
#include "mindl/key.h"
#include "mindl/mdoc.h"
#include "mindl/mso.h"
#include "mindl/x509.h"
#include "internal.h"

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
	case MINDL_LINK_DISCLOSED_VALUE:
		return "disclosed-value";
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
	uint64_t			 value_total;
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

/*
 * An element and its value, as disclosed (namespace, identifier and the
 * elementValue's encoding): two presentations that show the same portrait
 * or name are linked by it whatever the MSO, and the report says so, apart
 * from the structure a batch removes.
 */
static int
tok_value(struct tokvec *v, const struct mindl_issuer_item *ii, size_t file)
{
	struct mindl_buf b;
	char show[11];
	int r;

	mindl_buf_init(&b, MINDL_MAX_INPUT);
	(void)mindl_buf_add(&b, ii->ns->ptr, ii->ns->len);
	(void)mindl_buf_addc(&b, 0);
	(void)mindl_buf_add(&b, ii->element->ptr, ii->element->len);
	(void)mindl_buf_addc(&b, 0);
	(void)mindl_buf_add(&b, ii->value->enc, ii->value->enclen);
	/* The element's name is the example: it says what links. */
	(void)snprintf(show, sizeof(show), "%s", ii->element_str);
	if ((r = mindl_buf_err(&b)) == MINDL_OK)
		r = tok_add(v, MINDL_LINK_DISCLOSED_VALUE, mindl_buf_ptr(&b),
		    mindl_buf_len(&b), show, file);
	mindl_buf_clear(&b);
	return r;
}

static int
doc_tokens(const struct mindl_document *d, struct tokvec *v, size_t file)
{
	const struct mindl_issuer_signed *is = mindl_document_issuer_signed(d);
	const struct mindl_device_signed *ds = mindl_document_device_signed(d);
	const struct mindl_mso *mso = mindl_issuer_signed_mso(is);
	const struct mindl_cose_msg *m = mindl_mso_sign1(mso);
	const struct mindl_issuer_item *ii;
	const struct mindl_mso_digest *dg;
	const struct mindl_cbor_item *uri;
	uint8_t h[MINDL_SHA256_LEN];
	uint64_t *ids = NULL, one;
	char show[11];
	size_t i, j, n;
	int r = MINDL_OK;

	/* Disclosed or held items: salt, digest, digestID, and value. */
	for (i = 0; i < mindl_issuer_signed_count(is); i++) {
		ii = mindl_issuer_signed_item(is, i);
		if ((r = tok_value(v, ii, file)) != MINDL_OK)
			return r;
		if (ii->random->len > 0 && (r = tok_bytes(v, MINDL_LINK_SALT,
		    ii->random->ptr, ii->random->len, file)) != MINDL_OK)
			return r;
		if ((r = mindl_sha256(ii->bytes->enc, ii->bytes->enclen, h)) !=
		    MINDL_OK || (r = tok_bytes(v, MINDL_LINK_VALUE_DIGEST, h,
		    sizeof(h), file)) != MINDL_OK)
			return r;
		one = ii->digest_id;
		(void)snprintf(show, sizeof(show), "%llu",
		    (unsigned long long)(ii->digest_id % 10000000000ull));
		if ((r = tok_ns_ids(v, MINDL_LINK_DIGEST_ID, ii->ns, &one, 1,
		    show, file)) != MINDL_OK)
			return r;
	}
	/* The MSO: every digest, each namespace's ID set, the device key. */
	if ((ids = mindl_calloc(MINDL_MAX_MAP, sizeof(*ids))) == NULL)
		return MINDL_ERR_NOMEM;
	for (i = 0; i < mindl_mso_ns_count(mso); i++) {
		n = mindl_mso_ns_digests(mso, i);
		for (j = 0; j < n; j++) {
			dg = mindl_mso_digest_at(mso, i, j);
			ids[j] = dg->id;
			if ((r = tok_bytes(v, MINDL_LINK_VALUE_DIGEST,
			    dg->digest, dg->len, file)) != MINDL_OK)
				goto out;
		}
		/* Sorted by ID already: one set, whatever the order sent. */
		/* n <= MINDL_MAX_MAP: five digits at most. */
		(void)snprintf(show, sizeof(show), "%hu ids",
		    (unsigned short)n);
		if (n > 0 && (r = tok_ns_ids(v, MINDL_LINK_DIGEST_ID_SET,
		    mindl_mso_ns_name(mso, i), ids, n, show, file)) !=
		    MINDL_OK)
			goto out;
	}
	if ((r = tok_cose_key(v, MINDL_LINK_DEVICE_KEY,
	    mindl_mso_device_key_item(mso), file)) != MINDL_OK)
		goto out;
	if (mindl_mso_status_list(mso, &one, &uri) == MINDL_OK) {
		(void)snprintf(show, sizeof(show), "%llu",
		    (unsigned long long)(one % 10000000000ull));
		if ((r = tok_ns_ids(v, MINDL_LINK_STATUS, uri, &one, 1, show,
		    file)) != MINDL_OK)
			goto out;
	}
	/* issuerAuth: the signature; the DS certificate (expected). */
	if ((r = tok_bytes(v, MINDL_LINK_ISSUER_SIGNATURE, m->tag, m->taglen,
	    file)) != MINDL_OK ||
	    (r = tok_certs(v, MINDL_LINK_ISSUER_CERT, m, file)) != MINDL_OK)
		goto out;
	/* deviceSigned: the MAC or signature, and any certificate. */
	if (ds != NULL && mindl_device_signed_kind(ds) ==
	    MINDL_DEVAUTH_FIDO2) {
		/*
		 * A security key's signature.  Its authData is not a token:
		 * rpIdHash and flags are everyone's, and a signature counter
		 * links by nearness, not equality (DESIGN.md 3.1).
		 */
		const uint8_t *ad, *sig;
		size_t alen, slen;

		if ((r = mindl_device_signed_fido2(ds, &ad, &alen, &sig,
		    &slen)) == MINDL_OK)
			r = tok_bytes(v, MINDL_LINK_DEVICE_AUTH, sig, slen,
			    file);
	} else if (ds != NULL) {
		m = mindl_device_signed_auth(ds);
		if ((r = tok_bytes(v, MINDL_LINK_DEVICE_AUTH, m->tag,
		    m->taglen, file)) == MINDL_OK)
			r = tok_certs(v, MINDL_LINK_CERTIFICATE, m, file);
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
	struct mindl_cbor_rd rd;
	struct mindl_cbor *de = NULL, *kd = NULL;
	struct mindl_cbor_iter si;
	const struct mindl_cbor_item *sec, *key;
	int r;

	mindl_cbor_rd_init(&rd);
	if ((r = mindl_cbor_decode(eng->ptr, eng->len, &de)) != MINDL_OK)
		return r;
	/* Security = [cipher suite, EDeviceKeyBytes] */
	sec = mindl_cbor_rd_get_int(&rd, mindl_cbor_root(de), 1,
	    MINDL_CBOR_ARRAY);
	if (rd.err == MINDL_OK && (mindl_cbor_iter_init(&si, sec,
	    MINDL_CBOR_ARRAY) != MINDL_OK || sec->u < 2))
		mindl_cbor_rd_fail(&rd, MINDL_ERR_MISSING, "Security");
	if (rd.err == MINDL_OK)
		(void)mindl_cbor_iter_next(&si);
	key = mindl_cbor_rd_embedded(&rd, rd.err == MINDL_OK ?
	    mindl_cbor_iter_next(&si) : NULL, &kd, "EDeviceKeyBytes");
	if ((r = rd.err) == MINDL_OK)
		r = tok_cose_key(v, MINDL_LINK_ENGAGEMENT_KEY, key, file);
	mindl_cbor_free(&kd);
	mindl_cbor_free(&de);
	return r;
}

int
mindl_audit_links_add(struct mindl_audit_links *l, const uint8_t *buf,
    size_t len)
{
	struct mindl_cbor *doc = NULL;
	struct mindl_document *d = NULL;
	struct mindl_cbor_iter di;
	const struct mindl_cbor_item *docs, *eng, *e;
	size_t before = l->tv.n;
	int r;

	if (l->ran || buf == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (l->files >= MINDL_AUDIT_MAX_FILES)
		return MINDL_ERR_TOO_LARGE;
	if ((r = mindl_audit_open(buf, len, &doc, &docs, &eng)) != MINDL_OK)
		goto out;
	if (eng != NULL && (r = engagement_token(eng, &l->tv, l->files)) !=
	    MINDL_OK)
		goto out;
	(void)mindl_cbor_iter_init(&di, docs, MINDL_CBOR_ARRAY);
	while ((e = mindl_cbor_iter_next(&di)) != NULL) {
		if ((r = mindl_document_parse(e, MINDL_DOC_FIDO2, &d)) ==
		    MINDL_OK)
			r = doc_tokens(d, &l->tv, l->files);
		mindl_document_free(&d);
		if (r != MINDL_OK)
			goto out;
	}
	l->files++;
 out:
	if (r != MINDL_OK) {
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
		l->tv.n = before;
	}
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

	if (l->tv.t[s].kind == MINDL_LINK_DISCLOSED_VALUE)
		l->value_total += (uint64_t)(e - s) * (uint64_t)(e - s - 1) / 2;
	else
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
mindl_audit_links_value_total(const struct mindl_audit_links *l)
{
	return l == NULL ? 0 : l->value_total;
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
