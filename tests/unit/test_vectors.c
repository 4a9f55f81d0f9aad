/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test vectors: ISO/IEC 18013-5:2021 Annex D (the "utopia" mDL, verified
 * end to end: chain, MSO signature, digests, validity, deviceMac) and
 * RFC 9052-style COSE header checks.
 *
 * The Annex D files are in tests/vectors/iso18013-5-annex-d/, read
 * relative to the repository root from which tests run; its README.md
 * gives their sources.  A missing file fails the test.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "mindl/mindl.h"
#include "internal.h"
#include "unit.h"
#include "../common/testlib.h"

#define AT_2021		1609459200	/* 2021-01-01T00:00:00Z */
#define AT_2019		1546300800	/* 2019-01-01T00:00:00Z */
#define AT_2030		1893456000	/* 2030-01-01T00:00:00Z */

struct blob {
	uint8_t	*p;
	size_t	 n;
};

#define ANNEXD_DIR	"tests/vectors/iso18013-5-annex-d"

static struct blob dr, st, ia, req;
static struct mindl_trust *trust;
static struct mindl_schema *schema;
static struct mindl_key *reader;

static char *
path(const char *name)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), "%s/%s", ANNEXD_DIR, name);
	return buf;
}

static int
load_hex(const char *name, struct blob *b)
{
	uint8_t *txt = NULL;
	size_t tl = 0;
	int ok;

	if (mindl_file_read(path(name), 1 << 20, &txt, &tl) != MINDL_OK) {
		fprintf(stderr, "cannot read %s\n", path(name));
		return 0;
	}
	b->p = malloc(tl / 2 + 1);
	ok = b->p != NULL && (b->n = test_unhexn((const char *)txt, tl, b->p,
	    tl / 2 + 1)) > 0;
	free(txt);
	return ok;
}

/* The value of "key": "hex" in a flat JSON object, decoded. */
static int
json_hex(const uint8_t *js, size_t jl, const char *key, uint8_t *out,
    size_t cap, size_t *outlen)
{
	char pat[32];
	const char *s, *e;
	char *copy;
	int ok = 0;

	if ((copy = malloc(jl + 1)) == NULL)
		return 0;
	memcpy(copy, js, jl);
	copy[jl] = '\0';
	snprintf(pat, sizeof(pat), "\"%s\"", key);
	if ((s = strstr(copy, pat)) != NULL &&
	    (s = strchr(s + strlen(pat), '"')) != NULL &&
	    (e = strchr(s + 1, '"')) != NULL && (size_t)(e - s - 1) / 2 <= cap)
		ok = (*outlen = test_unhexn(s + 1, (size_t)(e - s - 1), out,
		    cap)) > 0;
	free(copy);
	return ok;
}

/*
 * The ephemeral reader key of Annex D from its private scalar: key.h has
 * no such constructor (mindl never imports raw scalars), so the test
 * builds the EVP_PKEY itself and wraps it.
 */
static int
load_reader_key(struct mindl_key **out)
{
	uint8_t *js = NULL, x[32], y[32], d[32], pub[65];
	size_t jl = 0, xl = 0, yl = 0, dl = 0;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk = NULL;
	BIGNUM *bn = NULL;
	int ok = 0;

	if (mindl_file_read(path("annexD_ephemeral_reader_key.json"), 4096,
	    &js, &jl) != MINDL_OK)
		return 0;
	if (!json_hex(js, jl, "x", x, 32, &xl) || xl != 32 ||
	    !json_hex(js, jl, "y", y, 32, &yl) || yl != 32 ||
	    !json_hex(js, jl, "d", d, 32, &dl) || dl != 32)
		goto out;
	pub[0] = 0x04;
	memcpy(pub + 1, x, 32);
	memcpy(pub + 33, y, 32);
	if ((bn = BN_bin2bn(d, 32, NULL)) == NULL ||
	    (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    "prime256v1", 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    pub, sizeof(pub)) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, bn) != 1 ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_KEYPAIR, params) != 1)
		goto out;
	if (mindl_key_wrap_evp(pk, out) != MINDL_OK)
		goto out;
	pk = NULL;
	ok = 1;
 out:
	EVP_PKEY_free(pk);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(bn);
	mindl_wipe(d, sizeof(d));
	free(js);
	return ok;
}

static int
setup(void)
{
	if (!load_hex("annexD_D.4.1.2_device_response.hex", &dr) ||
	    !load_hex("annexD_D.5.1_session_transcript_bytes.hex", &st) ||
	    !load_hex("annexD_D.5.2_issuer_auth.hex", &ia) ||
	    !load_hex("annexD_D.4.1.1_device_request.hex", &req))
		return 0;
	if (mindl_schema_builtin(&schema) != MINDL_OK ||
	    mindl_trust_new(&trust) != MINDL_OK ||
	    mindl_trust_add_pem_file(trust, path("annexD_iaca_root.pem")) !=
	    MINDL_OK) {
		fprintf(stderr, "cannot load the schema or "
		    "annexD_iaca_root.pem\n");
		return 0;
	}
	if (!load_reader_key(&reader)) {
		fprintf(stderr, "cannot build the reader key\n");
		return 0;
	}
	return 1;
}

static int
verify_at(int64_t at, const uint8_t *d, size_t dn, const uint8_t *s,
    size_t sn)
{
	struct mindl_verified *v = NULL;
	int r;

	r = mindl_verify_device_response(trust, schema, at, s, sn, reader, d,
	    dn, &v);
	CHECK((r == MINDL_OK) == (v != NULL));
	mindl_verified_free(&v);
	return r;
}

/* A copy of b with byte off XORed with x, verified at 2021-01-01. */
static int
verify_flipped(const struct blob *b, size_t off, int in_transcript)
{
	uint8_t *m;
	int r;

	if (off >= b->n || (m = malloc(b->n)) == NULL)
		return MINDL_ERR_INTERNAL;
	memcpy(m, b->p, b->n);
	m[off] ^= 0x01;
	if (in_transcript)
		r = verify_at(AT_2021, dr.p, dr.n, m, b->n);
	else
		r = verify_at(AT_2021, m, b->n, st.p, st.n);
	free(m);
	return r;
}

static size_t
find_bytes(const uint8_t *h, size_t hl, const uint8_t *n, size_t nl)
{
	size_t i;

	for (i = 0; i + nl <= hl; i++)
		if (memcmp(h + i, n, nl) == 0)
			return i;
	return (size_t)-1;
}

/* (a) The vector verifies completely, with exactly its 6 elements. */
static void
annexd_verifies(void)
{
	static const char *want[] = { "family_name", "issue_date",
	    "expiry_date", "document_number", "portrait",
	    "driving_privileges" };
	struct mindl_verified *v = NULL;
	const struct mindl_disclosed *d;
	int64_t s, f, u;
	size_t i, j;
	int found;

	CHECK(dr.n == 3562);
	CHECK_ERR(mindl_verify_device_response(trust, schema, AT_2021, st.p,
	    st.n, reader, dr.p, dr.n, &v), MINDL_OK);
	if (v == NULL) {
		/* Say why, with the library's own trace. */
		mindl_set_debug(1);
		(void)mindl_verify_device_response(trust, schema, AT_2021, st.p,
		    st.n, reader, dr.p, dr.n, &v);
		mindl_set_debug(0);
		mindl_verified_free(&v);
		return;
	}
	CHECK(mindl_verified_count(v) == 6);
	CHECK(strcmp(mindl_verified_doctype(v), MINDL_DOCTYPE_MDL) == 0);
	CHECK(mindl_verified_devauth(v) == MINDL_DEVAUTH_MAC);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		for (found = 0, j = 0; j < mindl_verified_count(v); j++) {
			d = mindl_verified_at(v, j);
			found |= strcmp(d->ns, MINDL_NS_ISO) == 0 &&
			    strcmp(d->id, want[i]) == 0;
		}
		if (!found)
			fprintf(stderr, "annex D: %s not disclosed\n", want[i]);
		CHECK(found);
	}
	for (j = 0; j < mindl_verified_count(v); j++) {
		d = mindl_verified_at(v, j);
		if (strcmp(d->id, "family_name") == 0)
			CHECK(d->value->type == MINDL_CBOR_TSTR &&
			    d->value->len == 3 &&
			    memcmp(d->value->ptr, "Doe", 3) == 0);
	}
	/* validFrom 2020-10-01T13:30:02Z, validUntil 2021-10-01T13:30:02Z */
	mindl_verified_validity(v, &s, &f, &u);
	CHECK(f == 1601559002);
	CHECK(u == 1633095002);
	mindl_verified_free(&v);
}

/* Byte offsets of the parts to tamper with, found by structure. */
struct offsets {
	size_t	value;		/* a byte of the family_name value */
	size_t	sig;		/* the last byte of the MSO signature */
	size_t	mac;		/* the last byte of the deviceMac tag */
	size_t	sig_first;	/* the first byte of the MSO signature */
};

static int
find_offsets(struct offsets *o)
{
	const struct mindl_cbor_item *root, *doc, *is, *iauth, *c, *nss, *arr,
	    *it, *b, *mac;
	struct mindl_cbor *inner = NULL;
	uint64_t i;
	int ok = 0;

	memset(o, 0xff, sizeof(*o));
	if (mindl_cbor_decode(dr.p, dr.n, &inner) != MINDL_OK)
		return 0;
	root = mindl_cbor_root(inner);
	doc = mindl_cbor_child(mindl_cbor_map_get(root, "documents"));
	is = mindl_cbor_map_get(doc, "issuerSigned");
	iauth = mindl_cbor_map_get(is, "issuerAuth");
	if (iauth == NULL || iauth->type != MINDL_CBOR_ARRAY || iauth->u != 4)
		goto out;
	c = mindl_cbor_child(iauth);
	for (i = 0; i < 3; i++)
		c = mindl_cbor_next(c);
	if (c->type != MINDL_CBOR_BSTR || c->len != 64)
		goto out;
	o->sig = (size_t)(c->ptr - dr.p) + c->len - 1;
	o->sig_first = (size_t)(c->ptr - dr.p);
	mac = mindl_cbor_map_get(mindl_cbor_map_get(mindl_cbor_map_get(doc,
	    "deviceSigned"), "deviceAuth"), "deviceMac");
	if (mac == NULL || mac->type != MINDL_CBOR_ARRAY || mac->u != 4)
		goto out;
	c = mindl_cbor_child(mac);
	for (i = 0; i < 3; i++)
		c = mindl_cbor_next(c);
	if (c->type != MINDL_CBOR_BSTR || c->len != 32)
		goto out;
	o->mac = (size_t)(c->ptr - dr.p) + c->len - 1;
	nss = mindl_cbor_map_get(is, "nameSpaces");
	arr = mindl_cbor_map_get(nss, MINDL_NS_ISO);
	if (arr == NULL || arr->type != MINDL_CBOR_ARRAY)
		goto out;
	for (i = 0, it = mindl_cbor_child(arr); i < arr->u; i++) {
		struct mindl_cbor *item = NULL;
		const struct mindl_cbor_item *val;

		if ((b = mindl_cbor_untag(it, 24)) == NULL ||
		    mindl_cbor_decode(b->ptr, b->len, &item) != MINDL_OK)
			goto out;
		if (mindl_cbor_is_str(mindl_cbor_map_get(mindl_cbor_root(item),
		    "elementIdentifier"), "family_name")) {
			val = mindl_cbor_map_get(mindl_cbor_root(item),
			    "elementValue");
			if (val != NULL && val->type == MINDL_CBOR_TSTR &&
			    val->len > 0)
				o->value = (size_t)(val->ptr - dr.p);
		}
		mindl_cbor_free(&item);
		it = mindl_cbor_next(it);
	}
	ok = o->value != (size_t)-1;
 out:
	mindl_cbor_free(&inner);
	return ok;
}

/* (b) Any single changed byte fails, with the error of the part hit. */
static void
annexd_tamper(void)
{
	static const uint8_t erk_x[] = { 0x60, 0xe3, 0x39, 0x23, 0x85, 0x04,
	    0x1f, 0x51 };
	struct offsets o;
	size_t off;

	CHECK(find_offsets(&o));
	if (o.value == (size_t)-1 || o.sig == (size_t)-1 ||
	    o.mac == (size_t)-1)
		return;
	/* the 'D' of "Doe": issuer signature intact, digest wrong */
	CHECK(dr.p[o.value] == 'D');
	CHECK_ERR(verify_flipped(&dr, o.value, 0), MINDL_ERR_DIGEST);
	CHECK_ERR(verify_flipped(&dr, o.value + 2, 0), MINDL_ERR_DIGEST);
	CHECK_ERR(verify_flipped(&dr, o.sig, 0), MINDL_ERR_SIGNATURE);
	CHECK_ERR(verify_flipped(&dr, o.sig_first, 0), MINDL_ERR_SIGNATURE);
	CHECK_ERR(verify_flipped(&dr, o.mac, 0), MINDL_ERR_DEVICE_AUTH);
	CHECK_ERR(verify_flipped(&dr, o.mac - 31, 0), MINDL_ERR_DEVICE_AUTH);
	/* A byte of EReaderKey's x in the transcript: still well-formed. */
	off = find_bytes(st.p, st.n, erk_x, sizeof(erk_x));
	CHECK(off != (size_t)-1);
	if (off != (size_t)-1) {
		CHECK_ERR(verify_flipped(&st, off + 4, 1),
		    MINDL_ERR_DEVICE_AUTH);
		CHECK_ERR(verify_flipped(&st, off + 31, 1),
		    MINDL_ERR_DEVICE_AUTH);
	}
	/* The last byte of the transcript (inside the NFC handover). */
	CHECK_ERR(verify_flipped(&st, st.n - 1, 1), MINDL_ERR_DEVICE_AUTH);
	/* No reader key: a MAC cannot be checked, so it does not verify. */
	{
		struct mindl_verified *v = NULL;

		CHECK_ERR(mindl_verify_device_response(trust, schema, AT_2021,
		    st.p, st.n, NULL, dr.p, dr.n, &v), MINDL_ERR_DEVICE_AUTH);
		CHECK(v == NULL);
	}
	/* A trailing byte. */
	{
		uint8_t *m = malloc(dr.n + 1);

		if (m != NULL) {
			memcpy(m, dr.p, dr.n);
			m[dr.n] = 0x00;
			CHECK_ERR(verify_at(AT_2021, m, dr.n + 1, st.p, st.n),
			    MINDL_ERR_CBOR_TRAILING);
			free(m);
		}
	}
}

/*
 * (c) Outside the validity windows.  The DS certificate (2020-10-01 ..
 * 2021-10-01) is checked before the MSO, so both fail as CERT_EXPIRED.
 */
static void
annexd_time(void)
{
	CHECK_ERR(verify_at(AT_2019, dr.p, dr.n, st.p, st.n),
	    MINDL_ERR_CERT_EXPIRED);
	CHECK_ERR(verify_at(AT_2030, dr.p, dr.n, st.p, st.n),
	    MINDL_ERR_CERT_EXPIRED);
	/* Inside the DS window, 1 s before the MSO's validFrom. */
	CHECK_ERR(verify_at(1601559002 - 1, dr.p, dr.n, st.p, st.n),
	    MINDL_ERR_NOT_YET_VALID);
	CHECK_ERR(verify_at(1601559002, dr.p, dr.n, st.p, st.n), MINDL_OK);
	/* An empty trust store, and one holding only the reader root. */
	{
		struct mindl_trust *t = NULL;
		struct mindl_verified *v = NULL;

		CHECK_ERR(mindl_trust_new(&t), MINDL_OK);
		CHECK_ERR(mindl_verify_device_response(t, schema, AT_2021, st.p,
		    st.n, reader, dr.p, dr.n, &v), MINDL_ERR_UNTRUSTED);
		CHECK_ERR(mindl_trust_add_pem_file(t,
		    path("annexD_reader_root.pem")), MINDL_OK);
		CHECK_ERR(mindl_verify_device_response(t, schema, AT_2021, st.p,
		    st.n, reader, dr.p, dr.n, &v), MINDL_ERR_UNTRUSTED);
		CHECK(v == NULL);
		mindl_trust_free(&t);
	}
}

/* (d) D.5.2 IssuerAuth: a COSE_Sign1 whose x5chain is the DS cert. */
static void
annexd_issuer_auth(void)
{
	struct mindl_cbor *doc = NULL;
	struct mindl_cose_msg m;
	struct mindl_key *ds = NULL;
	uint8_t *der = NULL;
	size_t derlen = 0;

	memset(&m, 0, sizeof(m));
	CHECK_ERR(mindl_cbor_decode(ia.p, ia.n, &doc), MINDL_OK);
	if (doc == NULL)
		return;
	CHECK_ERR(mindl_cose_parse(mindl_cbor_root(doc), &m), MINDL_OK);
	CHECK(m.alg == MINDL_ALG_ES256);
	CHECK(m.nx5 == 1);
	CHECK(m.payload != NULL && m.taglen == 64);
	CHECK_ERR(mindl_x509_read_pem(path("annexD_document_signer.pem"),
	    &der, &derlen), MINDL_OK);
	CHECK(m.nx5 == 1 && der != NULL && m.x5len[0] == derlen &&
	    memcmp(m.x5[0], der, derlen) == 0);
	/* It chains at 2021-01-01 and signs the MSO. */
	CHECK_ERR(mindl_trust_verify_ds(trust, m.x5[0], m.x5len[0], AT_2021,
	    &ds), MINDL_OK);
	if (ds != NULL)
		CHECK_ERR(mindl_cose_sign1_verify(&m, ds, NULL, 0), MINDL_OK);
	/* Not with the device key as the signer. */
	{
		struct mindl_key *other = NULL;

		CHECK_ERR(mindl_key_generate(&other), MINDL_OK);
		CHECK_ERR(mindl_cose_sign1_verify(&m, other, NULL, 0),
		    MINDL_ERR_SIGNATURE);
		mindl_key_free(&other);
	}
	/* The IACA itself is not a DS. */
	{
		uint8_t *iaca = NULL;
		size_t ilen = 0;
		struct mindl_key *k = NULL;

		CHECK_ERR(mindl_x509_read_pem(path("annexD_iaca_root.pem"),
		    &iaca, &ilen), MINDL_OK);
		if (iaca != NULL)
			CHECK_ERR(mindl_trust_verify_ds(trust, iaca, ilen,
			    AT_2021, &k), MINDL_ERR_IACA_IN_CHAIN);
		CHECK(k == NULL);
		free(iaca);
	}
	mindl_key_free(&ds);
	free(der);
	mindl_cose_clear(&m);
	mindl_cbor_free(&doc);
}

/* (e) D.4.1.1 DeviceRequest, with readerAuth, decodes strictly. */
static void
annexd_device_request(void)
{
	const struct mindl_cbor_item *root, *dreq, *ra;
	struct mindl_cbor *doc = NULL;
	struct mindl_cose_msg m;

	memset(&m, 0, sizeof(m));
	CHECK_ERR(mindl_cbor_decode(req.p, req.n, &doc), MINDL_OK);
	if (doc == NULL)
		return;
	root = mindl_cbor_root(doc);
	CHECK(mindl_cbor_is_str(mindl_cbor_map_get(root, "version"), "1.0"));
	dreq = mindl_cbor_child(mindl_cbor_map_get(root, "docRequests"));
	CHECK(dreq != NULL && dreq->type == MINDL_CBOR_MAP);
	CHECK(mindl_cbor_untag(mindl_cbor_map_get(dreq, "itemsRequest"),
	    24) != NULL);
	ra = mindl_cbor_map_get(dreq, "readerAuth");
	CHECK(ra != NULL);
	/* readerAuth is a COSE_Sign1 with a detached payload. */
	CHECK_ERR(mindl_cose_parse(ra, &m), MINDL_OK);
	CHECK(m.payload == NULL && m.alg == MINDL_ALG_ES256 && m.nx5 >= 1);
	/*
	 * D.5.4: readerAuth signs ReaderAuthenticationBytes (detached) with
	 * the key of the reader certificate in its x5chain.
	 */
	{
		struct blob rab;
		struct mindl_key *rk = NULL;

		memset(&rab, 0, sizeof(rab));
		CHECK(load_hex("annexD_D.5.4_reader_authentication_bytes.hex",
		    &rab));
		if (m.nx5 >= 1 && mindl_x509_pubkey(m.x5[0], m.x5len[0],
		    &rk) == MINDL_OK) {
			CHECK_ERR(mindl_cose_sign1_verify(&m, rk, rab.p, rab.n),
			    MINDL_OK);
			rab.p[rab.n - 1] ^= 0x01;
			CHECK_ERR(mindl_cose_sign1_verify(&m, rk, rab.p, rab.n),
			    MINDL_ERR_SIGNATURE);
		} else
			CHECK(0);
		mindl_key_free(&rk);
		free(rab.p);
	}
	mindl_cose_clear(&m);
	mindl_cbor_free(&doc);
	/* The other Annex D structures decode too. */
	{
		static const char *names[] = {
			"annexD_D.3.1_device_engagement.hex",
			"annexD_D.5.3_device_auth.hex",
			"annexD_D.5.3_device_authentication_bytes.hex",
			"annexD_D.5.4_reader_auth.hex",
			"annexD_D.5.4_reader_authentication_bytes.hex",
			"annexD_iaca_root.der.hex",
			"annexD_reader_root.der.hex",
		};
		struct blob b;
		size_t i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			memset(&b, 0, sizeof(b));
			CHECK(load_hex(names[i], &b));
			if (strstr(names[i], ".der.") == NULL) {
				CHECK_ERR(mindl_cbor_decode(b.p, b.n, &doc),
				    MINDL_OK);
				mindl_cbor_free(&doc);
			}
			free(b.p);
		}
	}
}

/*
 * (f) COSE_Sign1 header rules (RFC 9052 section 3): built by hand around
 * a protected header given as CBOR bytes and an unprotected one.
 */
static int
sign1_parse(const uint8_t *prot, size_t protlen, const uint8_t *unprot,
    size_t unprotlen, struct mindl_cose_msg *m)
{
	static const uint8_t sig[64];
	struct mindl_cbor *doc = NULL;
	struct mindl_enc e;
	uint8_t *buf = NULL;
	size_t len = 0;
	int r;

	memset(m, 0, sizeof(*m));
	mindl_enc_init(&e, 4096);
	mindl_enc_array(&e, 4);
	mindl_enc_bstr(&e, prot, protlen);
	mindl_enc_raw(&e, unprot, unprotlen);
	mindl_enc_bstr(&e, (const uint8_t *)"payload", 7);
	mindl_enc_bstr(&e, sig, sizeof(sig));
	if ((r = mindl_enc_finish(&e, &buf, &len)) != MINDL_OK)
		return r;
	if ((r = mindl_cbor_decode(buf, len, &doc)) == MINDL_OK)
		r = mindl_cose_parse(mindl_cbor_root(doc), m);
	/* m borrows from doc: keep only the verdict. */
	mindl_cose_clear(m);
	mindl_cbor_free(&doc);
	free(buf);
	return r;
}

static void
cose_headers(void)
{
	struct mindl_cose_msg m;
	/* {1: -7} */
	static const uint8_t es256[] = { 0xa1, 0x01, 0x26 };
	/* {1: -7, 2: [99], 99: 0} */
	static const uint8_t crit99[] = { 0xa3, 0x01, 0x26, 0x02, 0x81, 0x18,
	    0x63, 0x18, 0x63, 0x00 };
	/* {1: -7, 2: [1]}: crit naming a label we understand */
	static const uint8_t crit1[] = { 0xa2, 0x01, 0x26, 0x02, 0x81, 0x01 };
	/* {1: -7, 2: []}: crit must not be empty */
	static const uint8_t crit_empty[] = { 0xa2, 0x01, 0x26, 0x02, 0x80 };
	/* {4: h'01'}: no alg */
	static const uint8_t noalg[] = { 0xa1, 0x04, 0x41, 0x01 };
	/* {1: "ES256"}: alg as text is not an int */
	static const uint8_t textalg[] = { 0xa1, 0x01, 0x65, 'E', 'S', '2',
	    '5', '6' };
	static const uint8_t empty[] = { 0xa0 };
	/* {1: -7} unprotected */
	static const uint8_t u_es256[] = { 0xa1, 0x01, 0x26 };
	/* {2: [99]} unprotected: crit must be protected */
	static const uint8_t u_crit[] = { 0xa1, 0x02, 0x81, 0x18, 0x63 };
	/* {4: h'01'} */
	static const uint8_t u_kid[] = { 0xa1, 0x04, 0x41, 0x01 };
	/* {4: h'01'} protected with alg: {1: -7, 4: h'01'} */
	static const uint8_t p_kid[] = { 0xa2, 0x01, 0x26, 0x04, 0x41, 0x01 };
	/* {1: -7, 1: -7}: duplicate key inside the protected map */
	static const uint8_t p_dup[] = { 0xa2, 0x01, 0x26, 0x01, 0x26 };
	/* {33: 5}: x5chain not a bstr or array */
	static const uint8_t u_x5bad[] = { 0xa1, 0x18, 0x21, 0x05 };
	/* {33: []} */
	static const uint8_t u_x5empty[] = { 0xa1, 0x18, 0x21, 0x80 };
	/* {1: -7, 2: [99]} protected and crit in the unprotected too */

	CHECK_ERR(sign1_parse(es256, sizeof(es256), empty, sizeof(empty), &m),
	    MINDL_OK);
	CHECK_ERR(sign1_parse(crit99, sizeof(crit99), empty, sizeof(empty),
	    &m), MINDL_ERR_COSE_CRIT);
	CHECK_ERR(sign1_parse(crit1, sizeof(crit1), empty, sizeof(empty), &m),
	    MINDL_OK);
	CHECK_ERR(sign1_parse(crit_empty, sizeof(crit_empty), empty,
	    sizeof(empty), &m), MINDL_ERR_COSE_CRIT);
	CHECK_ERR(sign1_parse(es256, sizeof(es256), u_crit, sizeof(u_crit),
	    &m), MINDL_ERR_COSE_CRIT);
	/* alg missing: no protected header at all, or one without alg */
	CHECK_ERR(sign1_parse(NULL, 0, empty, sizeof(empty), &m),
	    MINDL_ERR_COSE_ALG);
	CHECK_ERR(sign1_parse(noalg, sizeof(noalg), empty, sizeof(empty), &m),
	    MINDL_ERR_COSE_ALG);
	CHECK_ERR(sign1_parse(textalg, sizeof(textalg), empty, sizeof(empty),
	    &m), MINDL_ERR_COSE_ALG);
	/* alg only in the unprotected bucket */
	CHECK_ERR(sign1_parse(NULL, 0, u_es256, sizeof(u_es256), &m),
	    MINDL_ERR_COSE_ALG);
	CHECK_ERR(sign1_parse(empty, sizeof(empty), u_es256, sizeof(u_es256),
	    &m), MINDL_ERR_COSE_ALG);
	/* the same label in both buckets */
	CHECK_ERR(sign1_parse(es256, sizeof(es256), u_es256, sizeof(u_es256),
	    &m), MINDL_ERR_COSE_HEADER);
	CHECK_ERR(sign1_parse(p_kid, sizeof(p_kid), u_kid, sizeof(u_kid), &m),
	    MINDL_ERR_COSE_HEADER);
	CHECK_ERR(sign1_parse(es256, sizeof(es256), u_kid, sizeof(u_kid), &m),
	    MINDL_OK);
	/* a text label in both: {1: -7, "foo": 1} and {"foo": 2} */
	{
		static const uint8_t p_foo[] = { 0xa2, 0x01, 0x26, 0x63, 'f',
		    'o', 'o', 0x01 };
		static const uint8_t u_foo[] = { 0xa1, 0x63, 'f', 'o', 'o',
		    0x02 };
		static const uint8_t u_bar[] = { 0xa1, 0x63, 'b', 'a', 'r',
		    0x02 };

		CHECK_ERR(sign1_parse(p_foo, sizeof(p_foo), u_foo,
		    sizeof(u_foo), &m), MINDL_ERR_COSE_HEADER);
		CHECK_ERR(sign1_parse(p_foo, sizeof(p_foo), u_bar,
		    sizeof(u_bar), &m), MINDL_OK);
	}
	CHECK_ERR(sign1_parse(p_dup, sizeof(p_dup), empty, sizeof(empty), &m),
	    MINDL_ERR_CBOR_DUPKEY);
	CHECK_ERR(sign1_parse(es256, sizeof(es256), u_x5bad, sizeof(u_x5bad),
	    &m), MINDL_ERR_X5CHAIN);
	CHECK_ERR(sign1_parse(es256, sizeof(es256), u_x5empty,
	    sizeof(u_x5empty), &m), MINDL_ERR_X5CHAIN);
	/* a protected header that is not a map */
	{
		static const uint8_t notmap[] = { 0x81, 0x01 };

		CHECK_ERR(sign1_parse(notmap, sizeof(notmap), empty,
		    sizeof(empty), &m), MINDL_ERR_COSE_HEADER);
	}
}

/* A good signature, then an alg header that does not fit the key. */
static void
cose_alg_key(void)
{
	static const uint8_t p384[] = { 0xa1, 0x01, 0x38, 0x22 };  /* -35 */
	static const uint8_t p512[] = { 0xa1, 0x01, 0x38, 0x23 };  /* -36 */
	static const uint8_t hmac[] = { 0xa1, 0x01, 0x05 };
	static const uint8_t empty[] = { 0xa0 };
	struct mindl_key *k = NULL;
	struct mindl_cbor *doc = NULL;
	struct mindl_cose_msg m;
	struct mindl_enc e;
	uint8_t *buf = NULL, sig[64];
	size_t len = 0;
	const uint8_t *hdrs[3] = { p384, p512, hmac };
	size_t hlens[3] = { sizeof(p384), sizeof(p512), sizeof(hmac) };
	int want[3] = { MINDL_ERR_KEY_MISMATCH, MINDL_ERR_KEY_MISMATCH,
	    MINDL_ERR_COSE_ALG };
	size_t i;

	memset(&m, 0, sizeof(m));
	CHECK_ERR(mindl_key_generate(&k), MINDL_OK);
	mindl_enc_init(&e, 4096);
	CHECK_ERR(test_sign1_write(&e, k, (const uint8_t *)"hello", 5, 0,
	    NULL, 0), MINDL_OK);
	CHECK_ERR(mindl_enc_finish(&e, &buf, &len), MINDL_OK);
	CHECK_ERR(mindl_cbor_decode(buf, len, &doc), MINDL_OK);
	if (doc != NULL) {
		CHECK_ERR(mindl_cose_parse(mindl_cbor_root(doc), &m), MINDL_OK);
		CHECK(m.alg == MINDL_ALG_ES256 && m.taglen == 64);
		CHECK_ERR(mindl_cose_sign1_verify(&m, k, NULL, 0), MINDL_OK);
		/* a payload both attached and detached */
		CHECK_ERR(mindl_cose_sign1_verify(&m, k,
		    (const uint8_t *)"hello", 5), MINDL_ERR_COSE_HEADER);
		memcpy(sig, m.tag, sizeof(sig));
		mindl_cose_clear(&m);
	}
	mindl_cbor_free(&doc);
	free(buf);
	buf = NULL;

	/* The same signature under headers naming other algorithms. */
	for (i = 0; i < 3; i++) {
		mindl_enc_init(&e, 4096);
		mindl_enc_array(&e, 4);
		mindl_enc_bstr(&e, hdrs[i], hlens[i]);
		mindl_enc_raw(&e, empty, sizeof(empty));
		mindl_enc_bstr(&e, (const uint8_t *)"hello", 5);
		mindl_enc_bstr(&e, sig, sizeof(sig));
		CHECK_ERR(mindl_enc_finish(&e, &buf, &len), MINDL_OK);
		CHECK_ERR(mindl_cbor_decode(buf, len, &doc), MINDL_OK);
		if (doc != NULL) {
			CHECK_ERR(mindl_cose_parse(mindl_cbor_root(doc), &m),
			    MINDL_OK);
			CHECK_ERR(mindl_cose_sign1_verify(&m, k, NULL, 0),
			    want[i]);
			mindl_cose_clear(&m);
		}
		mindl_cbor_free(&doc);
		free(buf);
		buf = NULL;
	}
	mindl_key_free(&k);
}

int
main(void)
{
	if (!setup()) {
		fprintf(stderr, "test_vectors: Annex D files not found under "
		    "%s (run from the repository root)\n", ANNEXD_DIR);
		return 1;
	}
	RUN(annexd_verifies);
	RUN(annexd_tamper);
	RUN(annexd_time);
	RUN(annexd_issuer_auth);
	RUN(annexd_device_request);
	RUN(cose_headers);
	RUN(cose_alg_key);
	mindl_trust_free(&trust);
	mindl_schema_free(&schema);
	mindl_key_free(&reader);
	free(dr.p);
	free(st.p);
	free(ia.p);
	free(req.p);
	UNIT_DONE();
}
