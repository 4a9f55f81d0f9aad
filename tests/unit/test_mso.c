/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: the one decoder of what an issuer signs (mindl/mso.h):
 * issuerAuth, the Mobile Security Object and IssuerSigned, on credentials
 * the library issues and on variants built here by hand with the encoder
 * (unsorted digestIDs, status maps, missing and mistyped fields, repeated
 * digestIDs and identifiers, too many items).  Nothing here is checked
 * cryptographically: the parser is structural.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "unit.h"
#include "../common/testfx.h"

#define NS_ISO	"org.iso.18013.5.1"
#define NS_US	"org.iso.18013.5.1.aamva"	/* sorts after NS_ISO */
#define SL	"6b7374617475735f6c697374"	/* "status_list" */

static struct test_fx fx;

/* Hex text to bytes (the library's decoder, tested in test_buf). */
static int
hex(const char *h, uint8_t **out, size_t *outlen)
{
	struct mindl_buf b;

	mindl_buf_init(&b, 1 << 20);
	return test_take(mindl_buf_add_hex(&b, h, strlen(h), 0), &b, out,
	    outlen);
}

/* A credential, decoded, and the parts of its first document. */
struct cred {
	uint8_t			*buf;
	size_t			 len;
	struct mindl_issue_result res;
	struct mindl_cbor	*doc;
	const struct mindl_cbor_item *is;	/* IssuerSigned */
};

static int
cred_issue(struct cred *c, const struct mindl_status_ref *st)
{
	int r;

	memset(c, 0, sizeof(*c));
	if ((r = test_fx_issue(&fx, st, &c->buf, &c->len, &c->res)) !=
	    MINDL_OK || (r = mindl_cbor_decode(c->buf, c->len, &c->doc)) !=
	    MINDL_OK)
		return r;
	c->is = mindl_cbor_map_get(mindl_cbor_child(mindl_cbor_root(c->doc)),
	    "issuerSigned");
	return c->is != NULL ? MINDL_OK : MINDL_ERR_MISSING;
}

static void
cred_free(struct cred *c)
{
	mindl_cbor_free(&c->doc);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}

/* A tstr item from a document of its own (for lookups by name). */
struct name {
	uint8_t			 buf[64];
	struct mindl_cbor	*doc;
	const struct mindl_cbor_item *it;
};

static const struct mindl_cbor_item *
name_item(struct name *n, const char *s)
{
	size_t len = strlen(s);

	n->doc = NULL;
	n->it = NULL;
	if (len > 23)
		return NULL;
	n->buf[0] = (uint8_t)(0x60 + len);
	memcpy(n->buf + 1, s, len);
	if (mindl_cbor_decode(n->buf, len + 1, &n->doc) == MINDL_OK)
		n->it = mindl_cbor_root(n->doc);
	return n->it;
}

static int
item_is(const struct mindl_cbor_item *it, const char *s)
{
	return mindl_cbor_is_str(it, s);
}

/* The library's own credential: every part read back. */
static void
issued(void)
{
	const struct mindl_policy *pol = mindl_schema_policy(fx.schema);
	struct cred c;
	struct mindl_issuer_signed *is = NULL;
	const struct mindl_mso *m;
	const struct mindl_issuer_item *ii;
	const struct mindl_mso_digest *d;
	const struct mindl_cbor_item *it, *ns;
	struct mindl_mso_validity v;
	struct mindl_key *dk = NULL;
	uint8_t h[MINDL_SHA256_LEN], x1[66], y1[66], x2[66], y2[66];
	size_t i, j, k, l1 = 0, l2 = 0;
	uint64_t idx;
	int found;

	CHECK_ERR(cred_issue(&c, NULL), MINDL_OK);
	if (c.is == NULL)
		goto out;
	CHECK_ERR(mindl_issuer_signed_parse(c.is, &is), MINDL_OK);
	if (is == NULL)
		goto out;
	m = mindl_issuer_signed_mso(is);
	CHECK(item_is(mindl_mso_version(m), "1.0"));
	CHECK(item_is(mindl_mso_digest_alg(m), "SHA-256"));
	CHECK(item_is(mindl_mso_doctype(m), MINDL_DOCTYPE_MDL));
	CHECK(mindl_mso_issuer_auth(m) == mindl_cbor_map_get(c.is,
	    "issuerAuth"));
	CHECK(mindl_mso_sign1(m)->payload != NULL);
	CHECK(mindl_mso_map(m) != NULL &&
	    mindl_mso_map(m)->type == MINDL_CBOR_MAP);
	CHECK(mindl_mso_size(m) == mindl_mso_map(m)->enclen);
	mindl_mso_validity(m, &v);
	CHECK(v.signed_at == c.res.signed_at);
	CHECK(v.valid_from == c.res.valid_from);
	CHECK(v.valid_until == c.res.valid_until);
	CHECK(v.has_expected_update == 0);
	CHECK(mindl_mso_status_map(m) == NULL);
	CHECK_ERR(mindl_mso_status_list(m, &idx, &it), MINDL_ERR_MISSING);
	/* The device key is fx's. */
	CHECK(mindl_mso_device_key_info(m) != NULL);
	CHECK(mindl_mso_device_key_item(m) != NULL &&
	    mindl_mso_device_key_item(m)->type == MINDL_CBOR_MAP);
	CHECK_ERR(mindl_mso_device_key(m, &dk), MINDL_OK);
	CHECK(dk != NULL && mindl_key_xy(dk, x1, y1, &l1) == MINDL_OK &&
	    mindl_key_xy(fx.dev_key, x2, y2, &l2) == MINDL_OK && l1 == l2 &&
	    memcmp(x1, x2, l1) == 0 && memcmp(y1, y2, l1) == 0);
	mindl_key_free(&dk);

	/* Every namespace of the policy, each with its digest count, sorted. */
	CHECK(mindl_mso_ns_count(m) == pol->n_ns);
	for (i = 0; i < mindl_mso_ns_count(m); i++) {
		ns = mindl_mso_ns_name(m, i);
		for (found = 0, j = 0; j < pol->n_ns; j++)
			found |= item_is(ns, pol->ns[j]) &&
			    mindl_mso_ns_digests(m, i) == pol->digests[j];
		CHECK(found);
		for (j = 1; j < mindl_mso_ns_digests(m, i); j++)
			CHECK(mindl_mso_digest_at(m, i, j - 1)->id <
			    mindl_mso_digest_at(m, i, j)->id);
		CHECK(mindl_mso_digest_at(m, i, mindl_mso_ns_digests(m, i)) ==
		    NULL);
	}
	CHECK(mindl_mso_ns_name(m, mindl_mso_ns_count(m)) == NULL);
	CHECK(mindl_mso_ns_digests(m, mindl_mso_ns_count(m)) == 0);

	/* Every item: its digest found, over the bytes as received. */
	CHECK(mindl_issuer_signed_count(is) == mindl_record_count(fx.rec));
	CHECK(mindl_issuer_signed_ns_count(is) >= 1);
	for (k = 0; k < mindl_issuer_signed_count(is); k++) {
		ii = mindl_issuer_signed_item(is, k);
		CHECK(ii->ns != NULL && ii->element != NULL &&
		    ii->value != NULL && ii->bytes != NULL);
		CHECK(ii->random != NULL && ii->random->len == MINDL_SALT_LEN);
		CHECK(strlen(ii->ns_str) == ii->ns->len &&
		    memcmp(ii->ns_str, ii->ns->ptr, ii->ns->len) == 0);
		CHECK(strlen(ii->element_str) == ii->element->len &&
		    memcmp(ii->element_str, ii->element->ptr,
		    ii->element->len) == 0);
		CHECK(ii->nsidx < mindl_issuer_signed_ns_count(is));
		CHECK_ERR(mindl_mso_digest_find(m, ii->ns, ii->digest_id, &d),
		    MINDL_OK);
		CHECK(d != NULL && d->id == ii->digest_id && d->len ==
		    sizeof(h) && mindl_sha256(ii->bytes->enc,
		    ii->bytes->enclen, h) == MINDL_OK &&
		    memcmp(d->digest, h, sizeof(h)) == 0);
		CHECK(d != NULL && d->id_item != NULL &&
		    d->id_item->u == d->id);
	}
	CHECK(mindl_issuer_signed_item(is, k) == NULL);
	/* mindl_mso_parse alone reads the same MSO. */
	{
		struct mindl_mso *m2 = NULL;
		struct mindl_mso_validity v2;

		CHECK_ERR(mindl_mso_parse(mindl_cbor_map_get(c.is,
		    "issuerAuth"), &m2), MINDL_OK);
		if (m2 != NULL) {
			mindl_mso_validity(m2, &v2);
			CHECK(v2.valid_until == v.valid_until);
			CHECK(mindl_mso_ns_count(m2) == mindl_mso_ns_count(m));
		}
		mindl_mso_free(&m2);
		CHECK(m2 == NULL);
		mindl_mso_free(&m2);
	}
 out:
	mindl_issuer_signed_free(&is);
	CHECK(is == NULL);
	cred_free(&c);
}

/* Lookups that miss: another namespace, an ID of another namespace. */
static void
issued_digest_miss(void)
{
	struct cred c;
	struct mindl_issuer_signed *is = NULL;
	const struct mindl_mso *m;
	const struct mindl_issuer_item *ii;
	const struct mindl_mso_digest *d;
	struct name n;

	CHECK_ERR(cred_issue(&c, NULL), MINDL_OK);
	if (c.is == NULL || mindl_issuer_signed_parse(c.is, &is) != MINDL_OK) {
		CHECK(0);
		goto out;
	}
	m = mindl_issuer_signed_mso(is);
	ii = mindl_issuer_signed_item(is, 0);
	CHECK(ii != NULL);
	if (ii == NULL)
		goto out;
	CHECK_ERR(mindl_mso_digest_find(m, ii->ns, ii->digest_id, &d),
	    MINDL_OK);
	/* By name from another document. */
	CHECK(name_item(&n, ii->ns_str) != NULL);
	CHECK_ERR(mindl_mso_digest_find(m, n.it, ii->digest_id, &d),
	    MINDL_OK);
	mindl_cbor_free(&n.doc);
	CHECK(name_item(&n, "org.example.none") != NULL);
	CHECK_ERR(mindl_mso_digest_find(m, n.it, ii->digest_id, &d),
	    MINDL_ERR_DIGEST_ID);
	CHECK(d == NULL);
	mindl_cbor_free(&n.doc);
	/* A prefix of the namespace is another namespace. */
	CHECK(name_item(&n, "org.iso.18013.5") != NULL);
	CHECK_ERR(mindl_mso_digest_find(m, n.it, ii->digest_id, &d),
	    MINDL_ERR_DIGEST_ID);
	mindl_cbor_free(&n.doc);
	/* IDs issued are >= 2^16: 0 and 2^31 are never there. */
	CHECK_ERR(mindl_mso_digest_find(m, ii->ns, 0, &d),
	    MINDL_ERR_DIGEST_ID);
	CHECK_ERR(mindl_mso_digest_find(m, ii->ns, UINT64_C(1) << 31, &d),
	    MINDL_ERR_DIGEST_ID);
 out:
	mindl_issuer_signed_free(&is);
	cred_free(&c);
}

/* Issued with a status reference: read back as given. */
static void
issued_status(void)
{
	static const struct mindl_status_ref st = { 4242,
	    "https://status.example.invalid/lists/7" };
	struct cred c;
	struct mindl_mso *m = NULL;
	const struct mindl_cbor_item *uri = NULL;
	uint64_t idx = 0;

	CHECK_ERR(cred_issue(&c, &st), MINDL_OK);
	CHECK(c.res.has_status == 1 && c.res.status_idx == 4242);
	if (c.is != NULL)
		CHECK_ERR(mindl_mso_parse(mindl_cbor_map_get(c.is,
		    "issuerAuth"), &m), MINDL_OK);
	if (m != NULL) {
		CHECK(mindl_mso_status_map(m) != NULL);
		CHECK_ERR(mindl_mso_status_list(m, &idx, &uri), MINDL_OK);
		CHECK(idx == 4242);
		CHECK(item_is(uri, st.uri));
	}
	mindl_mso_free(&m);
	cred_free(&c);
}

/*
 * A hand-built MSO: entries of (key, encoded value), the defaults a
 * valid MSO has, changed one at a time by the cases.
 */
struct ent {
	const char	*key;
	uint8_t		*val;
	size_t		 len;
};

struct msob {
	struct ent	e[12];
	size_t		n;
	int		err;
};

static void
mb_put(struct msob *m, const char *key, uint8_t *val, size_t len)
{
	size_t i;

	for (i = 0; i < m->n && strcmp(m->e[i].key, key) != 0; i++)
		;
	if (i == m->n) {
		if (m->n == sizeof(m->e) / sizeof(m->e[0])) {
			free(val);
			m->err = MINDL_ERR_INTERNAL;
			return;
		}
		m->n++;
	} else
		free(m->e[i].val);
	m->e[i].key = key;
	m->e[i].val = val;
	m->e[i].len = len;
}

/* Sets key to the value hex stands for. */
static void
mb_hex(struct msob *m, const char *key, const char *h)
{
	uint8_t *v = NULL;
	size_t n = 0;
	int r;

	if ((r = hex(h, &v, &n)) != MINDL_OK) {
		m->err = r;
		return;
	}
	mb_put(m, key, v, n);
}

/* Sets key to what e encoded (e is finished). */
static void
mb_enc(struct msob *m, const char *key, struct mindl_enc *e)
{
	uint8_t *v = NULL;
	size_t n = 0;
	int r;

	if ((r = mindl_enc_finish(e, &v, &n)) != MINDL_OK) {
		m->err = r;
		return;
	}
	mb_put(m, key, v, n);
}

static void
mb_drop(struct msob *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->e[i].key, key) == 0) {
			free(m->e[i].val);
			m->e[i] = m->e[--m->n];
			return;
		}
}

static void
mb_free(struct msob *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->e[i].val);
	memset(m, 0, sizeof(*m));
}

static void
tdate(struct mindl_enc *e, int64_t t)
{
	char buf[MINDL_TDATE_LEN + 1];

	if (mindl_tdate_format(t, buf) != MINDL_OK) {
		e->err = MINDL_ERR_DATE;
		return;
	}
	mindl_enc_tag(e, 0);
	mindl_enc_tstr(e, buf);
}

/*
 * validityInfo: signed, validFrom, validUntil, and expectedUpdate if
 * upd != 0; the value of odd_key (if any) is odd_hex instead, or left
 * out if odd_hex is NULL.
 */
static void
mb_validity(struct msob *m, int64_t sg, int64_t from, int64_t until,
    int64_t upd, const char *odd_key, const char *odd_hex)
{
	static const char *const keys[] = { "signed", "validFrom",
	    "validUntil", "expectedUpdate" };
	struct mindl_enc e;
	uint8_t *v = NULL;
	size_t nk = upd != 0 ? 4 : 3, i, n = 0, vl = 0;
	int64_t t[4];

	t[0] = sg;
	t[1] = from;
	t[2] = until;
	t[3] = upd;
	for (i = 0; i < nk; i++)
		n += odd_key == NULL || odd_hex != NULL ||
		    strcmp(odd_key, keys[i]) != 0;
	if (odd_key != NULL && odd_hex != NULL &&
	    strcmp(odd_key, "expectedUpdate") == 0 && nk == 3)
		n++;
	mindl_enc_init(&e, 4096);
	mindl_enc_map(&e, n);
	for (i = 0; i < 4; i++) {
		if (odd_key != NULL && strcmp(odd_key, keys[i]) == 0) {
			if (odd_hex == NULL)
				continue;
			if (hex(odd_hex, &v, &vl) != MINDL_OK) {
				e.err = MINDL_ERR_INTERNAL;
				continue;
			}
			mindl_enc_tstr(&e, keys[i]);
			mindl_enc_raw(&e, v, vl);
			free(v);
			continue;
		}
		if (i == nk)
			continue;
		mindl_enc_tstr(&e, keys[i]);
		tdate(&e, t[i]);
	}
	mb_enc(m, "validityInfo", &e);
}

#define V_SIGNED	(TEST_T0 - 86400)
#define V_FROM		(TEST_T0 - 3600)
#define V_UNTIL		(TEST_T0 + 86400 * 30)
#define V_UPDATE	(TEST_T0 + 86400 * 20)

/* A valid MSO with one digest. */
static void
mb_default(struct msob *m)
{
	struct mindl_enc e;

	memset(m, 0, sizeof(*m));
	mb_hex(m, "version", "63312e30");
	mb_hex(m, "digestAlgorithm", "675348412d323536");
	mindl_enc_init(&e, 64);
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	mb_enc(m, "docType", &e);
	mb_validity(m, V_SIGNED, V_FROM, V_UNTIL, 0, NULL, NULL);
	/* {"org.iso.18013.5.1": {65537: h'00..'}} */
	mb_hex(m, "valueDigests", "a1716f72672e69736f2e31383031332e352e31"
	    "a11a000100015820000102030405060708090a0b0c0d0e0f101112131415"
	    "161718191a1b1c1d1e1f");
	mindl_enc_init(&e, 256);
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "deviceKey");
	if (mindl_cose_key_write(&e, fx.dev_key) != MINDL_OK)
		e.err = MINDL_ERR_INTERNAL;
	mb_enc(m, "deviceKeyInfo", &e);
}

/* COSE_Sign1 over a payload (NULL: detached), signed by fx's DS. */
static int
sign1(const uint8_t *payload, size_t len, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	int r;

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	if (payload == NULL)
		r = test_sign1_write(&e, fx.ds_key, (const uint8_t *)"x", 1, 1,
		    fx.ds, fx.dslen);
	else
		r = test_sign1_write(&e, fx.ds_key, payload, len, 0, fx.ds,
		    fx.dslen);
	if (r != MINDL_OK) {
		mindl_enc_clear(&e);
		return r;
	}
	return mindl_enc_finish(&e, out, outlen);
}

/* The MSO's encoding and issuerAuth over #6.24 of it. */
static int
mb_issuer_auth(const struct msob *m, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	uint8_t *mso = NULL, *msob = NULL;
	size_t i, msolen = 0, msoblen = 0;
	int r;

	*out = NULL;
	if (m->err != MINDL_OK)
		return m->err;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, m->n);
	for (i = 0; i < m->n; i++) {
		mindl_enc_tstr(&e, m->e[i].key);
		mindl_enc_raw(&e, m->e[i].val, m->e[i].len);
	}
	if ((r = mindl_enc_finish(&e, &mso, &msolen)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_embedded(&e, mso, msolen);
	free(mso);
	if ((r = mindl_enc_finish(&e, &msob, &msoblen)) != MINDL_OK)
		return r;
	r = sign1(msob, msoblen, out, outlen);
	free(msob);
	return r;
}

/* A parsed MSO with what it borrows from. */
struct pmso {
	uint8_t			*buf;
	size_t			 len;
	struct mindl_cbor	*doc;
	struct mindl_mso	*m;
};

static void
pmso_free(struct pmso *p)
{
	mindl_mso_free(&p->m);
	mindl_cbor_free(&p->doc);
	free(p->buf);
	memset(p, 0, sizeof(*p));
}

/* Parses issuerAuth bytes; on failure p is freed and the error given. */
static int
pmso_parse(struct pmso *p)
{
	int r;

	if ((r = mindl_cbor_decode(p->buf, p->len, &p->doc)) != MINDL_OK) {
		fprintf(stderr, "issuerAuth does not decode: %s\n",
		    mindl_errname(r));
		pmso_free(p);
		return MINDL_ERR_INTERNAL;	/* never what a case wants */
	}
	if ((r = mindl_mso_parse(mindl_cbor_root(p->doc), &p->m)) !=
	    MINDL_OK) {
		if (p->m != NULL)
			r = MINDL_ERR_INTERNAL;	/* *out set on failure */
		pmso_free(p);
	}
	return r;
}

/* Builds and parses m into p (which the caller frees); m is freed. */
static int
mb_parse(struct msob *m, struct pmso *p)
{
	int r;

	memset(p, 0, sizeof(*p));
	r = mb_issuer_auth(m, &p->buf, &p->len);
	mb_free(m);
	if (r != MINDL_OK) {
		fprintf(stderr, "cannot build the MSO: %s\n",
		    mindl_errname(r));
		return MINDL_ERR_INTERNAL;
	}
	return pmso_parse(p);
}

/* Builds and parses m: only the result matters. */
static int
mb_result(struct msob *m)
{
	struct pmso p;
	int r;

	r = mb_parse(m, &p);
	pmso_free(&p);
	return r;
}

/* The hand-built default is a valid MSO: the harness is sound. */
static void
crafted_control(void)
{
	struct msob m;
	struct pmso p;
	struct mindl_mso_validity v;

	mb_default(&m);
	CHECK_ERR(mb_parse(&m, &p), MINDL_OK);
	if (p.m == NULL)
		return;
	mindl_mso_validity(p.m, &v);
	CHECK(v.signed_at == V_SIGNED && v.valid_from == V_FROM &&
	    v.valid_until == V_UNTIL && v.has_expected_update == 0);
	CHECK(mindl_mso_ns_count(p.m) == 1 && mindl_mso_ns_digests(p.m, 0) ==
	    1 && mindl_mso_digest_at(p.m, 0, 0)->id == 65537);
	pmso_free(&p);
}

/* digestIDs come sorted per namespace, namespaces as received. */
static void
crafted_sorted(void)
{
	static const uint64_t want_b[] = { 5, 7 };
	static const uint64_t want_a[] = { 1, 2, 3, 1000, 70000 };
	struct msob m;
	struct pmso p;
	const struct mindl_mso_digest *d;
	struct name n;
	size_t j;

	mb_default(&m);
	/*
	 * {"b": {7: h'07', 5: h'05'}, "a": {3: h'03', 70000: h'70',
	 *  1: h'01', 1000: h'e8', 2: h'02'}}, in this order
	 */
	mb_hex(&m, "valueDigests", "a2" "6162a2074107054105" "6161a5034103"
	    "1a0001117041700141011903e841e8024102");
	CHECK_ERR(mb_parse(&m, &p), MINDL_OK);
	if (p.m == NULL)
		return;
	CHECK(mindl_mso_ns_count(p.m) == 2);
	CHECK(item_is(mindl_mso_ns_name(p.m, 0), "b"));
	CHECK(item_is(mindl_mso_ns_name(p.m, 1), "a"));
	CHECK(mindl_mso_ns_digests(p.m, 0) == 2);
	CHECK(mindl_mso_ns_digests(p.m, 1) == 5);
	for (j = 0; j < 2; j++) {
		d = mindl_mso_digest_at(p.m, 0, j);
		CHECK(d != NULL && d->id == want_b[j] && d->len == 1 &&
		    d->digest[0] == want_b[j]);
	}
	for (j = 0; j < 5; j++) {
		d = mindl_mso_digest_at(p.m, 1, j);
		CHECK(d != NULL && d->id == want_a[j] && d->len == 1 &&
		    d->id_item->u == want_a[j]);
	}
	/* Hits and misses, every ID looked up in each namespace. */
	CHECK(name_item(&n, "a") != NULL);
	for (j = 0; j < 5; j++) {
		CHECK_ERR(mindl_mso_digest_find(p.m, n.it, want_a[j], &d),
		    MINDL_OK);
		CHECK(d != NULL && d->id == want_a[j]);
	}
	CHECK_ERR(mindl_mso_digest_find(p.m, n.it, 3, &d), MINDL_OK);
	CHECK(d != NULL && d->digest[0] == 0x03);
	CHECK_ERR(mindl_mso_digest_find(p.m, n.it, 5, &d),
	    MINDL_ERR_DIGEST_ID);
	CHECK_ERR(mindl_mso_digest_find(p.m, n.it, 0, &d),
	    MINDL_ERR_DIGEST_ID);
	CHECK_ERR(mindl_mso_digest_find(p.m, n.it, 4, &d),
	    MINDL_ERR_DIGEST_ID);
	CHECK_ERR(mindl_mso_digest_find(p.m, n.it, 999, &d),
	    MINDL_ERR_DIGEST_ID);
	CHECK_ERR(mindl_mso_digest_find(p.m, n.it, 70001, &d),
	    MINDL_ERR_DIGEST_ID);
	CHECK_ERR(mindl_mso_digest_find(p.m, n.it, UINT64_MAX, &d),
	    MINDL_ERR_DIGEST_ID);
	mindl_cbor_free(&n.doc);
	CHECK(name_item(&n, "b") != NULL);
	CHECK_ERR(mindl_mso_digest_find(p.m, n.it, 5, &d), MINDL_OK);
	CHECK(d != NULL && d->digest[0] == 0x05);
	CHECK_ERR(mindl_mso_digest_find(p.m, n.it, 1, &d),
	    MINDL_ERR_DIGEST_ID);
	mindl_cbor_free(&n.doc);
	CHECK(name_item(&n, "c") != NULL);
	CHECK_ERR(mindl_mso_digest_find(p.m, n.it, 1, &d),
	    MINDL_ERR_DIGEST_ID);
	mindl_cbor_free(&n.doc);
	pmso_free(&p);
}

/* valueDigests: keys and values of the wrong kind. */
static void
crafted_digests_bad(void)
{
	static const struct {
		const char	*hex;
		int		 want;
	} t[] = {
		/* {"a": {0: h'00', -1: h'00'}}: a negative digestID */
		{ "a16161a2004100204100", MINDL_ERR_CBOR_TYPE },
		/* {"a": {"1": h'00'}} */
		{ "a16161a161314100", MINDL_ERR_CBOR_TYPE },
		/* {"a": {1: "x"}} */
		{ "a16161a1016178", MINDL_ERR_CBOR_TYPE },
		/* {"a": {1: h'00'}, 1: {1: h'00'}} */
		{ "a26161a1014100" "01a1014100", MINDL_ERR_CBOR_TYPE },
		/* {"a": [1]} */
		{ "a161618101", MINDL_ERR_CBOR_TYPE },
		/* [] */
		{ "80", MINDL_ERR_CBOR_TYPE },
		/* {"a": {1: h'00', 2: 24(h'00')}} */
		{ "a16161a2014100" "02d8184100", MINDL_ERR_CBOR_TYPE },
	};
	struct msob m;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		mb_default(&m);
		mb_hex(&m, "valueDigests", t[i].hex);
		CHECK_ERR(mb_result(&m), t[i].want);
	}
}

static void
crafted_validity(void)
{
	struct msob m;
	struct pmso p;
	struct mindl_mso_validity v;

	/* expectedUpdate, when there, is read. */
	mb_default(&m);
	mb_validity(&m, V_SIGNED, V_FROM, V_UNTIL, V_UPDATE, NULL, NULL);
	CHECK_ERR(mb_parse(&m, &p), MINDL_OK);
	if (p.m != NULL) {
		mindl_mso_validity(p.m, &v);
		CHECK(v.has_expected_update == 1 &&
		    v.expected_update == V_UPDATE);
		CHECK(v.signed_at == V_SIGNED && v.valid_from == V_FROM &&
		    v.valid_until == V_UNTIL);
	}
	pmso_free(&p);

	/* Each required date missing. */
	mb_default(&m);
	mb_validity(&m, V_SIGNED, V_FROM, V_UNTIL, 0, "signed", NULL);
	CHECK_ERR(mb_result(&m), MINDL_ERR_MISSING);
	mb_default(&m);
	mb_validity(&m, V_SIGNED, V_FROM, V_UNTIL, 0, "validFrom", NULL);
	CHECK_ERR(mb_result(&m), MINDL_ERR_MISSING);
	mb_default(&m);
	mb_validity(&m, V_SIGNED, V_FROM, V_UNTIL, V_UPDATE, "validUntil",
	    NULL);
	CHECK_ERR(mb_result(&m), MINDL_ERR_MISSING);

	/* A date as a plain string: not the tag asked for. */
	mb_default(&m);
	mb_validity(&m, V_SIGNED, V_FROM, V_UNTIL, 0, "validFrom",
	    "74323032362d30312d30315430303a30303a30305a");
	CHECK_ERR(mb_result(&m), MINDL_ERR_CBOR_TYPE);
	/* Tag 1 (epoch seconds), tag 0 over a number, a bad tdate. */
	mb_default(&m);
	mb_validity(&m, V_SIGNED, V_FROM, V_UNTIL, 0, "validUntil",
	    "c11a6a000000");
	CHECK_ERR(mb_result(&m), MINDL_ERR_DATE);
	mb_default(&m);
	mb_validity(&m, V_SIGNED, V_FROM, V_UNTIL, 0, "signed",
	    "c01a6a000000");
	CHECK_ERR(mb_result(&m), MINDL_ERR_DATE);
	mb_default(&m);
	mb_validity(&m, V_SIGNED, V_FROM, V_UNTIL, 0, "signed",
	    "c06979657374657264617a");
	CHECK_ERR(mb_result(&m), MINDL_ERR_DATE);
	/* An optional expectedUpdate is still checked when there. */
	mb_default(&m);
	mb_validity(&m, V_SIGNED, V_FROM, V_UNTIL, 0, "expectedUpdate",
	    "c06979657374657264617a");
	CHECK_ERR(mb_result(&m), MINDL_ERR_DATE);
	mb_default(&m);
	mb_validity(&m, V_SIGNED, V_FROM, V_UNTIL, 0, "expectedUpdate", "01");
	CHECK_ERR(mb_result(&m), MINDL_ERR_CBOR_TYPE);
	/* validityInfo not a map. */
	mb_default(&m);
	mb_hex(&m, "validityInfo", "80");
	CHECK_ERR(mb_result(&m), MINDL_ERR_CBOR_TYPE);
}

static void
crafted_status(void)
{
	static const struct {
		const char	*hex;
		int		 want;
	} bad[] = {
		/* {"status_list": {"idx": "7", "uri": "u"}} */
		{ "a1" SL "a2636964786137637572696175", MINDL_ERR_CBOR_TYPE },
		/* idx -1 */
		{ "a1" SL "a263696478206375726961" "75", MINDL_ERR_CBOR_TYPE },
		/* uri as a bstr */
		{ "a1" SL "a263696478076375726941" "75", MINDL_ERR_CBOR_TYPE },
		/* {"status_list": {"idx": 7}} */
		{ "a1" SL "a16369647807", MINDL_ERR_MISSING },
		/* {"status_list": {"uri": "u"}} */
		{ "a1" SL "a16375726961" "75", MINDL_ERR_MISSING },
		/* {"status_list": []} */
		{ "a1" SL "80", MINDL_ERR_CBOR_TYPE },
		/* status: [] */
		{ "80", MINDL_ERR_CBOR_TYPE },
	};
	struct msob m;
	struct pmso p;
	const struct mindl_cbor_item *uri = NULL;
	uint64_t idx = 0;
	size_t i;

	/* {"status_list": {"idx": 7, "uri": "u"}} */
	mb_default(&m);
	mb_hex(&m, "status", "a1" SL "a263696478076375726961" "75");
	CHECK_ERR(mb_parse(&m, &p), MINDL_OK);
	if (p.m != NULL) {
		CHECK_ERR(mindl_mso_status_list(p.m, &idx, &uri), MINDL_OK);
		CHECK(idx == 7 && item_is(uri, "u"));
	}
	pmso_free(&p);

	/*
	 * Another mechanism only, {"identifier_list": {"id": h'01', "uri":
	 * "u"}}: accepted, and there is no status list to check.
	 */
	mb_default(&m);
	mb_hex(&m, "status", "a16f6964656e7469666965725f6c697374a26269644101"
	    "6375726961" "75");
	CHECK_ERR(mb_parse(&m, &p), MINDL_OK);
	if (p.m != NULL) {
		CHECK(mindl_mso_status_map(p.m) != NULL);
		CHECK_ERR(mindl_mso_status_list(p.m, &idx, &uri),
		    MINDL_ERR_MISSING);
	}
	pmso_free(&p);
	/* An empty status map too. */
	mb_default(&m);
	mb_hex(&m, "status", "a0");
	CHECK_ERR(mb_parse(&m, &p), MINDL_OK);
	if (p.m != NULL)
		CHECK_ERR(mindl_mso_status_list(p.m, &idx, &uri),
		    MINDL_ERR_MISSING);
	pmso_free(&p);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mb_default(&m);
		mb_hex(&m, "status", bad[i].hex);
		CHECK_ERR(mb_result(&m), bad[i].want);
	}
}

/* Each required field missing, and of another type. */
static void
crafted_fields(void)
{
	static const char *const req[] = { "version", "digestAlgorithm",
	    "docType", "validityInfo", "valueDigests", "deviceKeyInfo" };
	struct msob m;
	size_t i;

	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		mb_default(&m);
		mb_drop(&m, req[i]);
		CHECK_ERR(mb_result(&m), MINDL_ERR_MISSING);
		mb_default(&m);
		mb_hex(&m, req[i], i < 3 ? "01" : "6178");
		CHECK_ERR(mb_result(&m), MINDL_ERR_CBOR_TYPE);
	}
	/* deviceKeyInfo without its deviceKey, or with a deviceKey not a map. */
	mb_default(&m);
	mb_hex(&m, "deviceKeyInfo", "a0");
	CHECK_ERR(mb_result(&m), MINDL_ERR_MISSING);
	mb_default(&m);
	mb_hex(&m, "deviceKeyInfo", "a1696465766963654b65794100");
	CHECK_ERR(mb_result(&m), MINDL_ERR_CBOR_TYPE);
	/* Keys the parser does not know are left alone. */
	mb_default(&m);
	mb_hex(&m, "x-extension", "a0");
	CHECK_ERR(mb_result(&m), MINDL_OK);
}

/* What issuerAuth carries instead of MobileSecurityObjectBytes. */
static void
crafted_payload(void)
{
	struct msob m;
	struct pmso p;
	struct mindl_enc e;
	uint8_t *mso = NULL;
	size_t i, msolen = 0;

	/* The MSO bare, not in #6.24(bstr). */
	mb_default(&m);
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, m.n);
	for (i = 0; i < m.n; i++) {
		mindl_enc_tstr(&e, m.e[i].key);
		mindl_enc_raw(&e, m.e[i].val, m.e[i].len);
	}
	mb_free(&m);
	CHECK_ERR(mindl_enc_finish(&e, &mso, &msolen), MINDL_OK);
	memset(&p, 0, sizeof(p));
	CHECK_ERR(sign1(mso, msolen, &p.buf, &p.len), MINDL_OK);
	CHECK_ERR(pmso_parse(&p), MINDL_ERR_CBOR_TAG);
	pmso_free(&p);
	free(mso);

	/* #6.24 over an array, over malformed CBOR; a detached payload. */
	memset(&p, 0, sizeof(p));
	CHECK_ERR(sign1((const uint8_t *)"\xd8\x18\x41\x80", 4, &p.buf,
	    &p.len), MINDL_OK);
	CHECK_ERR(pmso_parse(&p), MINDL_ERR_CBOR_TYPE);
	pmso_free(&p);
	CHECK_ERR(sign1((const uint8_t *)"\xd8\x18\x42\xa1\x01", 5, &p.buf,
	    &p.len), MINDL_OK);
	CHECK_ERR(pmso_parse(&p), MINDL_ERR_CBOR);
	pmso_free(&p);
	CHECK_ERR(sign1((const uint8_t *)"\xa0\x00", 2, &p.buf, &p.len),
	    MINDL_OK);
	CHECK_ERR(pmso_parse(&p), MINDL_ERR_CBOR_TRAILING);
	pmso_free(&p);
	CHECK_ERR(sign1(NULL, 0, &p.buf, &p.len), MINDL_OK);
	CHECK_ERR(pmso_parse(&p), MINDL_ERR_MISSING);
	pmso_free(&p);
	/* issuerAuth not a COSE_Sign1 at all. */
	CHECK_ERR(hex("83404040", &p.buf, &p.len), MINDL_OK);
	CHECK(pmso_parse(&p) != MINDL_OK);
	pmso_free(&p);
}

/*
 * IssuerSigned built by hand: items of one or more namespaces around the
 * default MSO (whose digests need not match: nothing is verified here).
 */
#define I_ID		0x01
#define I_RANDOM	0x02
#define I_EID		0x04
#define I_VALUE		0x08

struct item {
	const char	*ns;
	size_t		 nslen;		/* 0: strlen(ns) */
	int64_t		 id;
	const char	*eid;
	size_t		 eidlen;	/* 0: strlen(eid) */
	unsigned	 omit;		/* I_* left out */
	int		 random_tstr;	/* random as a tstr */
};

static size_t
ns_len(const struct item *it)
{
	return it->nslen != 0 ? it->nslen : strlen(it->ns);
}

static int
same_ns(const struct item *a, const struct item *b)
{
	return ns_len(a) == ns_len(b) && memcmp(a->ns, b->ns, ns_len(a)) == 0;
}

static void
enc_item(struct mindl_enc *e, const struct item *it)
{
	static const uint8_t salt[MINDL_SALT_LEN];
	struct mindl_enc ie;
	uint8_t *b = NULL;
	size_t n = 0, fields = 4;
	unsigned bit;

	for (bit = I_ID; bit <= I_VALUE; bit <<= 1)
		fields -= (it->omit & bit) != 0;
	mindl_enc_init(&ie, 4096);
	mindl_enc_map(&ie, fields);
	if (!(it->omit & I_ID)) {
		mindl_enc_tstr(&ie, "digestID");
		mindl_enc_int(&ie, it->id);
	}
	if (!(it->omit & I_RANDOM)) {
		mindl_enc_tstr(&ie, "random");
		if (it->random_tstr)
			mindl_enc_tstr(&ie, "salt");
		else
			mindl_enc_bstr(&ie, salt, sizeof(salt));
	}
	if (!(it->omit & I_EID)) {
		mindl_enc_tstr(&ie, "elementIdentifier");
		mindl_enc_tstrn(&ie, it->eid, it->eidlen != 0 ? it->eidlen :
		    strlen(it->eid));
	}
	if (!(it->omit & I_VALUE)) {
		mindl_enc_tstr(&ie, "elementValue");
		mindl_enc_uint(&ie, 1);
	}
	if (mindl_enc_finish(&ie, &b, &n) != MINDL_OK) {
		e->err = MINDL_ERR_INTERNAL;
		return;
	}
	mindl_enc_embedded(e, b, n);
	free(b);
}

/* A parsed IssuerSigned with what it borrows from. */
struct pis {
	uint8_t				*buf;
	size_t				 len;
	struct mindl_cbor		*doc;
	struct mindl_issuer_signed	*is;
};

static void
pis_free(struct pis *p)
{
	mindl_issuer_signed_free(&p->is);
	mindl_cbor_free(&p->doc);
	free(p->buf);
	memset(p, 0, sizeof(*p));
}

/*
 * IssuerSigned {nameSpaces, issuerAuth}: nameSpaces from ns_hex if not
 * NULL, else from the n items (grouped by namespace in order of first
 * appearance), else left out; issuerAuth left out unless with_ia.
 * Parsed into p (freed on failure); the parse error is returned.
 */
static int
is_parse(const char *ns_hex, const struct item *items, size_t n,
    int with_ia, struct pis *p)
{
	struct msob m;
	struct mindl_enc e;
	uint8_t *ia = NULL, *raw = NULL;
	size_t ialen = 0, rawlen = 0, i, j, k, nns, cnt;
	int r;

	memset(p, 0, sizeof(*p));
	mb_default(&m);
	r = mb_issuer_auth(&m, &ia, &ialen);
	mb_free(&m);
	if (r != MINDL_OK || (ns_hex != NULL && hex(ns_hex, &raw, &rawlen) !=
	    MINDL_OK)) {
		free(ia);
		return MINDL_ERR_INTERNAL;
	}
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, (size_t)(ns_hex != NULL || items != NULL) +
	    (size_t)(with_ia != 0));
	if (with_ia) {
		mindl_enc_tstr(&e, "issuerAuth");
		mindl_enc_raw(&e, ia, ialen);
	}
	if (ns_hex != NULL) {
		mindl_enc_tstr(&e, "nameSpaces");
		mindl_enc_raw(&e, raw, rawlen);
	} else if (items != NULL) {
		for (i = 0, nns = 0; i < n; i++) {
			for (j = 0; j < i && !same_ns(&items[j], &items[i]); j++)
				;
			nns += (size_t)(j == i);
		}
		mindl_enc_tstr(&e, "nameSpaces");
		mindl_enc_map(&e, nns);
		for (i = 0; i < n; i++) {
			for (j = 0; j < i && !same_ns(&items[j], &items[i]); j++)
				;
			if (j < i)
				continue;	/* namespace already written */
			for (k = i, cnt = 0; k < n; k++)
				cnt += (size_t)same_ns(&items[k], &items[i]);
			mindl_enc_tstrn(&e, items[i].ns, ns_len(&items[i]));
			mindl_enc_array(&e, cnt);
			for (k = i; k < n; k++)
				if (same_ns(&items[k], &items[i]))
					enc_item(&e, &items[k]);
		}
	}
	free(ia);
	free(raw);
	if ((r = mindl_enc_finish(&e, &p->buf, &p->len)) != MINDL_OK ||
	    (r = mindl_cbor_decode(p->buf, p->len, &p->doc)) != MINDL_OK) {
		fprintf(stderr, "cannot build IssuerSigned: %s\n",
		    mindl_errname(r));
		pis_free(p);
		return MINDL_ERR_INTERNAL;
	}
	if ((r = mindl_issuer_signed_parse(mindl_cbor_root(p->doc),
	    &p->is)) != MINDL_OK) {
		if (p->is != NULL)
			r = MINDL_ERR_INTERNAL;
		pis_free(p);
	}
	return r;
}

static int
items_result(const struct item *items, size_t n)
{
	struct pis p;
	int r;

	r = is_parse(NULL, items, n, 1, &p);
	pis_free(&p);
	return r;
}

static void
items_ok(void)
{
	static const struct item it[] = {
		{ NS_ISO, 0, 0x10003, "family_name", 0, 0, 0 },
		{ NS_US, 0, 0x10001, "x", 0, 0, 0 },
		{ NS_ISO, 0, 0x10001, "given_name", 0, 0, 0 },
		{ NS_ISO, 0, 0, "", 0, 0, 0 },
	};
	struct pis p;
	const struct mindl_issuer_item *ii;

	CHECK_ERR(is_parse(NULL, it, 4, 1, &p), MINDL_OK);
	if (p.is == NULL)
		return;
	CHECK(mindl_issuer_signed_ns_count(p.is) == 2);
	CHECK(mindl_issuer_signed_count(p.is) == 4);
	CHECK(mindl_issuer_signed_mso(p.is) != NULL);
	/*
	 * In the order received (the encoder sorts namespaces, and NS_ISO
	 * comes first): NS_ISO's three, then NS_US's.
	 */
	ii = mindl_issuer_signed_item(p.is, 0);
	CHECK(ii != NULL && ii->digest_id == 0x10003 && ii->nsidx == 0 &&
	    strcmp(ii->ns_str, NS_ISO) == 0 &&
	    strcmp(ii->element_str, "family_name") == 0 &&
	    item_is(ii->element, "family_name") && item_is(ii->ns, NS_ISO) &&
	    ii->value->type == MINDL_CBOR_UINT && ii->value->u == 1 &&
	    ii->random->len == MINDL_SALT_LEN);
	ii = mindl_issuer_signed_item(p.is, 1);
	CHECK(ii != NULL && ii->digest_id == 0x10001 && ii->nsidx == 0 &&
	    strcmp(ii->element_str, "given_name") == 0);
	ii = mindl_issuer_signed_item(p.is, 2);
	CHECK(ii != NULL && ii->digest_id == 0 && ii->element_str[0] == '\0');
	ii = mindl_issuer_signed_item(p.is, 3);
	CHECK(ii != NULL && ii->digest_id == 0x10001 && ii->nsidx == 1 &&
	    strcmp(ii->ns_str, NS_US) == 0 &&
	    strcmp(ii->element_str, "x") == 0);
	/* IssuerSignedItemBytes as received: #6.24 around the item. */
	CHECK(ii != NULL && ii->bytes->type == MINDL_CBOR_TAG &&
	    ii->bytes->u == 24);
	CHECK(mindl_issuer_signed_item(p.is, 4) == NULL);
	pis_free(&p);

	/* No nameSpaces: nothing disclosed, still an IssuerSigned. */
	CHECK_ERR(is_parse(NULL, NULL, 0, 1, &p), MINDL_OK);
	if (p.is != NULL)
		CHECK(mindl_issuer_signed_count(p.is) == 0 &&
		    mindl_issuer_signed_mso(p.is) != NULL);
	pis_free(&p);
	CHECK_ERR(is_parse("a0", NULL, 0, 1, &p), MINDL_OK);
	if (p.is != NULL)
		CHECK(mindl_issuer_signed_count(p.is) == 0);
	pis_free(&p);
	/* {"a": []} */
	CHECK_ERR(is_parse("a1616180", NULL, 0, 1, &p), MINDL_OK);
	if (p.is != NULL)
		CHECK(mindl_issuer_signed_count(p.is) == 0 &&
		    mindl_issuer_signed_ns_count(p.is) == 1);
	pis_free(&p);
}

/* Once per namespace: a digestID, an elementIdentifier. */
static void
items_unique(void)
{
	static const struct item dup_id[] = {
		{ NS_ISO, 0, 0x10001, "family_name", 0, 0, 0 },
		{ NS_ISO, 0, 0x10002, "given_name", 0, 0, 0 },
		{ NS_ISO, 0, 0x10001, "birth_date", 0, 0, 0 },
	};
	static const struct item dup_eid[] = {
		{ NS_ISO, 0, 0x10001, "family_name", 0, 0, 0 },
		{ NS_ISO, 0, 0x10002, "given_name", 0, 0, 0 },
		{ NS_ISO, 0, 0x10003, "family_name", 0, 0, 0 },
	};
	/* The same ID and identifier in two namespaces: two elements. */
	static const struct item two_ns[] = {
		{ NS_ISO, 0, 0x10001, "family_name", 0, 0, 0 },
		{ NS_US, 0, 0x10001, "family_name", 0, 0, 0 },
	};
	/* Identifiers equal up to a NUL-free prefix are different. */
	static const struct item prefix[] = {
		{ NS_ISO, 0, 0x10001, "age_over_1", 0, 0, 0 },
		{ NS_ISO, 0, 0x10002, "age_over_18", 0, 0, 0 },
	};

	CHECK_ERR(items_result(dup_id, 3), MINDL_ERR_DIGEST_ID_DUP);
	CHECK_ERR(items_result(dup_eid, 3), MINDL_ERR_CBOR_DUPKEY);
	CHECK_ERR(items_result(two_ns, 2), MINDL_OK);
	CHECK_ERR(items_result(prefix, 2), MINDL_OK);
}

/* Each field of an item missing or mistyped. */
static void
items_bad(void)
{
	static const struct {
		struct item	it;
		int		want;
	} t[] = {
		{ { NS_ISO, 0, -1, "family_name", 0, 0, 0 },
		    MINDL_ERR_CBOR_TYPE },
		{ { NS_ISO, 0, 1, "family_name", 0, I_ID, 0 },
		    MINDL_ERR_MISSING },
		{ { NS_ISO, 0, 1, "family_name", 0, I_RANDOM, 0 },
		    MINDL_ERR_MISSING },
		{ { NS_ISO, 0, 1, "family_name", 0, 0, 1 },
		    MINDL_ERR_CBOR_TYPE },
		{ { NS_ISO, 0, 1, "family_name", 0, I_EID, 0 },
		    MINDL_ERR_MISSING },
		{ { NS_ISO, 0, 1, "family_name", 0, I_VALUE, 0 },
		    MINDL_ERR_MISSING },
		/* NUL inside the identifier, inside the namespace */
		{ { NS_ISO, 0, 1, "family\0name", 11, 0, 0 },
		    MINDL_ERR_CBOR_TYPE },
		{ { NS_ISO, 0, 1, "x\0", 2, 0, 0 }, MINDL_ERR_CBOR_TYPE },
		{ { "org.iso\0.x", 10, 1, "family_name", 0, 0, 0 },
		    MINDL_ERR_CBOR_TYPE },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (items_result(&t[i].it, 1) != t[i].want)
			fprintf(stderr, "items_bad: case %zu\n", i);
		CHECK_ERR(items_result(&t[i].it, 1), t[i].want);
	}
}

/* The containers around the items. */
static void
items_containers(void)
{
	static const struct {
		const char	*hex;
		int		 want;
	} t[] = {
		/* {"a": [{...}]}: an item not in #6.24 */
		{ "a1616181a0", MINDL_ERR_CBOR_TAG },
		/* {"a": [h'a0']} */
		{ "a161618141a0", MINDL_ERR_CBOR_TAG },
		/* {"a": [24(<< [] >>)]} */
		{ "a1616181d8184180", MINDL_ERR_CBOR_TYPE },
		/* {"a": [24(h'a1')]}: malformed inside */
		{ "a1616181d81841a1", MINDL_ERR_CBOR },
		/* {"a": {}} */
		{ "a16161a0", MINDL_ERR_CBOR_TYPE },
		/* {1: []} */
		{ "a10180", MINDL_ERR_CBOR_TYPE },
		/* [] */
		{ "80", MINDL_ERR_CBOR_TYPE },
	};
	struct pis p;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK_ERR(is_parse(t[i].hex, NULL, 0, 1, &p), t[i].want);
		pis_free(&p);
	}
	/* No issuerAuth. */
	CHECK_ERR(is_parse("a0", NULL, 0, 0, &p), MINDL_ERR_MISSING);
	pis_free(&p);
	/* IssuerSigned not a map. */
	{
		struct mindl_cbor *doc = NULL;
		struct mindl_issuer_signed *is = NULL;

		CHECK_ERR(mindl_cbor_decode((const uint8_t *)"\x80", 1, &doc),
		    MINDL_OK);
		if (doc != NULL)
			CHECK_ERR(mindl_issuer_signed_parse(mindl_cbor_root(
			    doc), &is), MINDL_ERR_CBOR_TYPE);
		CHECK(is == NULL);
		mindl_cbor_free(&doc);
	}
}

/* At most MINDL_MAX_ELEMENTS items, in one namespace or across several. */
static void
items_limit(void)
{
	static char names[MINDL_MAX_ELEMENTS + 1][8];
	struct item *it;
	size_t i, n = MINDL_MAX_ELEMENTS + 1;

	if ((it = calloc(n, sizeof(*it))) == NULL) {
		CHECK(0);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "e%zu", i);
		it[i].ns = NS_ISO;
		it[i].id = (int64_t)(0x10000 + i);
		it[i].eid = names[i];
	}
	CHECK_ERR(items_result(it, n - 1), MINDL_OK);
	CHECK_ERR(items_result(it, n), MINDL_ERR_CBOR_LIMIT);
	/* The count is over all namespaces. */
	for (i = 200; i < n; i++)
		it[i].ns = NS_US;
	CHECK_ERR(items_result(it, n - 1), MINDL_OK);
	CHECK_ERR(items_result(it, n), MINDL_ERR_CBOR_LIMIT);
	free(it);
}

int
main(void)
{
	int r;

	if ((r = test_fx_setup(&fx)) != MINDL_OK) {
		fprintf(stderr, "setup: %s\n", mindl_errname(r));
		return 1;
	}
	RUN(issued);
	RUN(issued_digest_miss);
	RUN(issued_status);
	RUN(crafted_control);
	RUN(crafted_sorted);
	RUN(crafted_digests_bad);
	RUN(crafted_validity);
	RUN(crafted_status);
	RUN(crafted_fields);
	RUN(crafted_payload);
	RUN(items_ok);
	RUN(items_unique);
	RUN(items_bad);
	RUN(items_containers);
	RUN(items_limit);
	test_fx_free(&fx);
	UNIT_DONE();
}
