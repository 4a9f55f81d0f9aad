/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: device authentication (mindl/devauth.h).  DeviceSigned
 * written by the holder's code and parsed and verified by the reader's,
 * with deviceMac and with deviceSignature; every change of transcript,
 * docType, device key or reader key refused; EMacKey the same from both
 * ends; and DeviceSigned structures built by hand that the parser must
 * refuse, each with its error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "unit.h"
#include "../common/testfx.h"

#define DOCTYPE		MINDL_DOCTYPE_MDL

static struct test_fx fx;
static struct mindl_key *dev_pub, *reader_pub, *other_key;
static uint8_t *st, *st2;	/* two sessions' SessionTranscriptBytes */
static size_t stlen, st2len;

/* The public half alone. */
static int
pub_only(const struct mindl_key *k, struct mindl_key **out)
{
	uint8_t x[MINDL_MAX_COORD], y[MINDL_MAX_COORD];
	size_t n = 0;
	int r;

	if ((r = mindl_key_xy(k, x, y, &n)) != MINDL_OK)
		return r;
	return mindl_key_from_xy(mindl_key_curve(k), x, n, y, n, out);
}

/* SessionTranscriptBytes for a QR engagement and a reader key. */
static int
transcript(const struct mindl_key *reader, uint8_t **out, size_t *outlen)
{
	static const uint8_t de[] = { 0xa1, 0x00, 0x63, '1', '.', '0' };
	struct mindl_enc e;
	uint8_t *erk = NULL;
	size_t erklen = 0;
	int r;

	mindl_enc_init(&e, 1024);
	if ((r = mindl_cose_key_write(&e, reader)) != MINDL_OK) {
		mindl_enc_clear(&e);
		return r;
	}
	if ((r = mindl_enc_finish(&e, &erk, &erklen)) != MINDL_OK)
		return r;
	r = mindl_transcript_bytes(de, sizeof(de), erk, erklen, out, outlen);
	free(erk);
	return r;
}

static int
setup(void)
{
	struct mindl_key *k2 = NULL;
	int r;

	if ((r = test_fx_setup(&fx)) != MINDL_OK ||
	    (r = pub_only(fx.dev_key, &dev_pub)) != MINDL_OK ||
	    (r = pub_only(fx.reader_key, &reader_pub)) != MINDL_OK ||
	    (r = mindl_key_generate(&other_key)) != MINDL_OK ||
	    (r = transcript(fx.reader_key, &st, &stlen)) != MINDL_OK ||
	    (r = mindl_key_generate(&k2)) != MINDL_OK)
		return r;
	r = transcript(k2, &st2, &st2len);
	mindl_key_free(&k2);
	return r;
}

static void
teardown(void)
{
	mindl_key_free(&dev_pub);
	mindl_key_free(&reader_pub);
	mindl_key_free(&other_key);
	free(st);
	free(st2);
	test_fx_free(&fx);
}

/* A DeviceSigned, decoded and parsed, with what it borrows from. */
struct pds {
	uint8_t				*buf;
	size_t				 len;
	struct mindl_cbor		*doc;
	struct mindl_device_signed	*ds;
};

static void
pds_free(struct pds *p)
{
	mindl_device_signed_free(&p->ds);
	mindl_cbor_free(&p->doc);
	free(p->buf);
	memset(p, 0, sizeof(*p));
}

/* Decodes and parses p->buf; the parse error (p->ds set only on OK). */
static int
pds_parse(struct pds *p)
{
	int r;

	if ((r = mindl_cbor_decode(p->buf, p->len, &p->doc)) != MINDL_OK) {
		fprintf(stderr, "DeviceSigned does not decode: %s\n",
		    mindl_errname(r));
		return MINDL_ERR_INTERNAL;
	}
	r = mindl_device_signed_parse(mindl_cbor_root(p->doc), &p->ds);
	if ((r == MINDL_OK) != (p->ds != NULL))
		return MINDL_ERR_INTERNAL;
	return r;
}

/* What the holder writes for doctype over transcript t, parsed. */
static int
written(enum mindl_devauth auth, const struct mindl_signer *signer,
    const struct mindl_key *ereader, const char *doctype, const uint8_t *t,
    size_t tlen, struct pds *p)
{
	struct mindl_devauth_params dp;
	struct mindl_enc e;
	int r;

	memset(p, 0, sizeof(*p));
	memset(&dp, 0, sizeof(dp));
	dp.auth = auth;
	dp.signer = signer;
	dp.device_key = fx.dev_key;
	dp.ereader = ereader;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	if ((r = mindl_device_signed_write(&e, &dp, doctype, t, tlen)) !=
	    MINDL_OK) {
		mindl_enc_clear(&e);
		return r;
	}
	if ((r = mindl_enc_finish(&e, &p->buf, &p->len)) != MINDL_OK)
		return r;
	return pds_parse(p);
}

static int
written_mac(struct pds *p)
{
	return written(MINDL_DEVAUTH_MAC, NULL, reader_pub, DOCTYPE, st,
	    stlen, p);
}

static int
written_sig(struct pds *p)
{
	struct mindl_signer s;
	int r;

	if ((r = mindl_signer_key(&s, fx.dev_key)) != MINDL_OK)
		return r;
	return written(MINDL_DEVAUTH_SIGNATURE, &s, NULL, DOCTYPE, st, stlen,
	    p);
}

/* A tstr item (docType) from a document of its own. */
struct text {
	uint8_t			*buf;
	size_t			 len;
	struct mindl_cbor	*doc;
	const struct mindl_cbor_item *it;
};

static const struct mindl_cbor_item *
text_item(struct text *t, const char *s)
{
	struct mindl_enc e;

	memset(t, 0, sizeof(*t));
	mindl_enc_init(&e, 256);
	mindl_enc_tstr(&e, s);
	if (mindl_enc_finish(&e, &t->buf, &t->len) == MINDL_OK &&
	    mindl_cbor_decode(t->buf, t->len, &t->doc) == MINDL_OK)
		t->it = mindl_cbor_root(t->doc);
	return t->it;
}

static void
text_free(struct text *t)
{
	mindl_cbor_free(&t->doc);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

static void
mac_round_trip(void)
{
	static const uint8_t empty_ns[] = { 0xd8, 0x18, 0x41, 0xa0 };
	struct pds p;
	struct text dt;
	const struct mindl_cbor_item *ns;

	CHECK_ERR(written_mac(&p), MINDL_OK);
	CHECK(text_item(&dt, DOCTYPE) != NULL);
	if (p.ds != NULL && dt.it != NULL) {
		CHECK(mindl_device_signed_kind(p.ds) == MINDL_DEVAUTH_MAC);
		ns = mindl_device_signed_ns_bytes(p.ds);
		CHECK(ns != NULL && ns->enclen == sizeof(empty_ns) &&
		    memcmp(ns->enc, empty_ns, sizeof(empty_ns)) == 0);
		ns = mindl_device_signed_ns(p.ds);
		CHECK(ns != NULL && ns->type == MINDL_CBOR_MAP && ns->u == 0);
		CHECK(mindl_device_signed_auth(p.ds)->alg ==
		    MINDL_ALG_HMAC256);
		CHECK(mindl_device_signed_auth(p.ds)->payload == NULL);
		CHECK(mindl_device_signed_auth(p.ds)->taglen == 32);
		/* The reader's private key and the device's public one. */
		CHECK_ERR(mindl_device_signed_verify(p.ds, dev_pub, dt.it, st,
		    stlen, fx.reader_key), MINDL_OK);
	}
	text_free(&dt);
	pds_free(&p);
}

static void
sig_round_trip(void)
{
	struct pds p;
	struct text dt;

	CHECK_ERR(written_sig(&p), MINDL_OK);
	CHECK(text_item(&dt, DOCTYPE) != NULL);
	if (p.ds != NULL && dt.it != NULL) {
		CHECK(mindl_device_signed_kind(p.ds) ==
		    MINDL_DEVAUTH_SIGNATURE);
		CHECK(mindl_device_signed_auth(p.ds)->alg == MINDL_ALG_ES256);
		CHECK(mindl_device_signed_auth(p.ds)->payload == NULL);
		CHECK(mindl_device_signed_ns(p.ds) != NULL);
		/* No reader key needed. */
		CHECK_ERR(mindl_device_signed_verify(p.ds, dev_pub, dt.it, st,
		    stlen, NULL), MINDL_OK);
		CHECK_ERR(mindl_device_signed_verify(p.ds, fx.dev_key, dt.it,
		    st, stlen, fx.reader_key), MINDL_OK);
	}
	text_free(&dt);
	pds_free(&p);
}

/* Anything else than what was authenticated: refused, either kind. */
static void
verify_refuses(void)
{
	struct pds p[2];
	struct text dt, other;
	size_t i;

	CHECK_ERR(written_mac(&p[0]), MINDL_OK);
	CHECK_ERR(written_sig(&p[1]), MINDL_OK);
	CHECK(text_item(&dt, DOCTYPE) != NULL);
	CHECK(text_item(&other, "org.iso.18013.5.1.mDL2") != NULL);
	for (i = 0; i < 2; i++) {
		if (p[i].ds == NULL || dt.it == NULL || other.it == NULL)
			continue;
		/* The control: as written, it verifies. */
		CHECK_ERR(mindl_device_signed_verify(p[i].ds, dev_pub, dt.it,
		    st, stlen, fx.reader_key), MINDL_OK);
		/* Another session. */
		CHECK_ERR(mindl_device_signed_verify(p[i].ds, dev_pub, dt.it,
		    st2, st2len, fx.reader_key), MINDL_ERR_DEVICE_AUTH);
		/* Another docType. */
		CHECK_ERR(mindl_device_signed_verify(p[i].ds, dev_pub,
		    other.it, st, stlen, fx.reader_key),
		    MINDL_ERR_DEVICE_AUTH);
		/* Another device key. */
		CHECK_ERR(mindl_device_signed_verify(p[i].ds, other_key,
		    dt.it, st, stlen, fx.reader_key), MINDL_ERR_DEVICE_AUTH);
	}
	if (p[0].ds != NULL && dt.it != NULL) {
		/* deviceMac: no reader key, only its public half, another. */
		CHECK_ERR(mindl_device_signed_verify(p[0].ds, dev_pub, dt.it,
		    st, stlen, NULL), MINDL_ERR_DEVICE_AUTH);
		CHECK_ERR(mindl_device_signed_verify(p[0].ds, dev_pub, dt.it,
		    st, stlen, reader_pub), MINDL_ERR_DEVICE_AUTH);
		CHECK_ERR(mindl_device_signed_verify(p[0].ds, dev_pub, dt.it,
		    st, stlen, other_key), MINDL_ERR_DEVICE_AUTH);
	}
	text_free(&dt);
	text_free(&other);
	pds_free(&p[0]);
	pds_free(&p[1]);

	/* A MAC made for another reader does not verify for this one. */
	CHECK_ERR(written(MINDL_DEVAUTH_MAC, NULL, other_key, DOCTYPE, st,
	    stlen, &p[0]), MINDL_OK);
	CHECK(text_item(&dt, DOCTYPE) != NULL);
	if (p[0].ds != NULL && dt.it != NULL)
		CHECK_ERR(mindl_device_signed_verify(p[0].ds, dev_pub, dt.it,
		    st, stlen, fx.reader_key), MINDL_ERR_DEVICE_AUTH);
	text_free(&dt);
	pds_free(&p[0]);
}

/* EMacKey from either end: device and reader agree. */
static void
emac_symmetric(void)
{
	uint8_t a[32], b[32], c[32], z[32];

	memset(z, 0, sizeof(z));
	CHECK_ERR(mindl_emac_key(fx.dev_key, reader_pub, st, stlen, a),
	    MINDL_OK);
	CHECK_ERR(mindl_emac_key(fx.reader_key, dev_pub, st, stlen, b),
	    MINDL_OK);
	CHECK(memcmp(a, b, sizeof(a)) == 0);
	CHECK(memcmp(a, z, sizeof(a)) != 0);
	/* The transcript is the salt. */
	CHECK_ERR(mindl_emac_key(fx.dev_key, reader_pub, st2, st2len, c),
	    MINDL_OK);
	CHECK(memcmp(a, c, sizeof(a)) != 0);
	/* Another reader, another key. */
	CHECK_ERR(mindl_emac_key(fx.dev_key, other_key, st, stlen, c),
	    MINDL_OK);
	CHECK(memcmp(a, c, sizeof(a)) != 0);
}

/*
 * DeviceSigned by hand: nameSpaces from ns_hex (NULL: left out) and
 * deviceAuth from da_hex (NULL: left out), both CBOR as hex.
 */
static int
crafted(const char *ns_hex, const char *da_hex, struct pds *p)
{
	struct mindl_buf b;
	struct mindl_enc e;
	uint8_t *ns = NULL, *da = NULL;
	size_t nslen = 0, dalen = 0;
	int r;

	memset(p, 0, sizeof(*p));
	mindl_buf_init(&b, 1 << 16);
	if ((ns_hex != NULL && test_take(mindl_buf_add_hex(&b, ns_hex,
	    strlen(ns_hex), 0), &b, &ns, &nslen) != MINDL_OK) ||
	    (da_hex != NULL && test_take(mindl_buf_add_hex(&b, da_hex,
	    strlen(da_hex), 0), &b, &da, &dalen) != MINDL_OK)) {
		free(ns);
		return MINDL_ERR_INTERNAL;
	}
	mindl_enc_init(&e, 1 << 16);
	mindl_enc_map(&e, (size_t)(ns_hex != NULL) + (size_t)(da_hex != NULL));
	if (ns_hex != NULL) {
		mindl_enc_tstr(&e, "nameSpaces");
		mindl_enc_raw(&e, ns, nslen);
	}
	if (da_hex != NULL) {
		mindl_enc_tstr(&e, "deviceAuth");
		mindl_enc_raw(&e, da, dalen);
	}
	free(ns);
	free(da);
	if ((r = mindl_enc_finish(&e, &p->buf, &p->len)) != MINDL_OK)
		return MINDL_ERR_INTERNAL;
	return pds_parse(p);
}

static int
crafted_result(const char *ns_hex, const char *da_hex)
{
	struct pds p;
	int r;

	r = crafted(ns_hex, da_hex, &p);
	pds_free(&p);
	return r;
}

/* The encoding of a written DeviceSigned's deviceAuth value, in hex. */
static char *
auth_hex(struct pds *p)
{
	const struct mindl_cbor_item *da, *v;
	struct mindl_buf b;
	uint8_t *out = NULL;
	size_t n = 0;

	da = mindl_cbor_map_get(mindl_cbor_root(p->doc), "deviceAuth");
	if ((v = mindl_cbor_map_get(da, "deviceSignature")) == NULL)
		v = mindl_cbor_map_get(da, "deviceMac");
	if (v == NULL)
		return NULL;
	mindl_buf_init(&b, 1 << 16);
	if (test_take(mindl_buf_add_tohex(&b, v->enc, v->enclen), &b, &out,
	    &n) != MINDL_OK)
		return NULL;
	out[n] = '\0';		/* test_take leaves room for it */
	return (char *)out;
}

#define EMPTY_NS	"d81841a0"
#define K_SIG		"6f6465766963655369676e6174757265"	/* deviceSignature */
#define K_MAC		"696465766963654d6163"			/* deviceMac */

static void
parse_refuses(void)
{
	struct pds ps, pm;
	char *sig = NULL, *mac = NULL, h[4096];

	CHECK_ERR(written_sig(&ps), MINDL_OK);
	CHECK_ERR(written_mac(&pm), MINDL_OK);
	if (ps.ds == NULL || pm.ds == NULL || (sig = auth_hex(&ps)) == NULL ||
	    (mac = auth_hex(&pm)) == NULL) {
		CHECK(0);
		goto out;
	}
	/* The control: rebuilt from its parts, it parses. */
	snprintf(h, sizeof(h), "a1" K_SIG "%s", sig);
	CHECK_ERR(crafted_result(EMPTY_NS, h), MINDL_OK);
	snprintf(h, sizeof(h), "a1" K_MAC "%s", mac);
	CHECK_ERR(crafted_result(EMPTY_NS, h), MINDL_OK);

	/* Exactly one of deviceSignature and deviceMac. */
	CHECK_ERR(crafted_result(EMPTY_NS, "a0"), MINDL_ERR_MISSING);
	snprintf(h, sizeof(h), "a2" K_SIG "%s" K_MAC "%s", sig, mac);
	CHECK_ERR(crafted_result(EMPTY_NS, h), MINDL_ERR_MISSING);
	snprintf(h, sizeof(h), "a2" K_MAC "%s" "617801", mac);
	CHECK_ERR(crafted_result(EMPTY_NS, h), MINDL_ERR_MISSING);
	CHECK_ERR(crafted_result(EMPTY_NS, "a1617801"), MINDL_ERR_MISSING);
	CHECK_ERR(crafted_result(EMPTY_NS, "80"), MINDL_ERR_CBOR_TYPE);
	/* Either part missing. */
	snprintf(h, sizeof(h), "a1" K_MAC "%s", mac);
	CHECK_ERR(crafted_result(NULL, h), MINDL_ERR_MISSING);
	CHECK_ERR(crafted_result(EMPTY_NS, NULL), MINDL_ERR_MISSING);

	/* nameSpaces not #6.24(bstr): a bare bstr, a map, another tag. */
	CHECK_ERR(crafted_result("41a0", h), MINDL_ERR_CBOR_TAG);
	CHECK_ERR(crafted_result("a0", h), MINDL_ERR_CBOR_TAG);
	CHECK_ERR(crafted_result("d81941a0", h), MINDL_ERR_CBOR_TAG);
	/* DeviceNameSpaces of the wrong shape inside. */
	CHECK_ERR(crafted_result("d8184180", h), MINDL_ERR_CBOR_TYPE);
	/* {"ns": 1} */
	CHECK_ERR(crafted_result("d81845a1626e7301", h), MINDL_ERR_CBOR_TYPE);
	/* {"ns": []} */
	CHECK_ERR(crafted_result("d81845a1626e7380", h), MINDL_ERR_CBOR_TYPE);
	/* {1: {}} */
	CHECK_ERR(crafted_result("d81843a101a0", h), MINDL_ERR_CBOR_TYPE);
	/* {"ns": {1: 2}} */
	CHECK_ERR(crafted_result("d81847a1626e73a10102", h),
	    MINDL_ERR_CBOR_TYPE);
	/* h'a1' is no CBOR item: the decoder's error. */
	CHECK_ERR(crafted_result("d81841a1", h), MINDL_ERR_CBOR);
	/* {"ns": {"e": 1}} is a DeviceNameSpaces. */
	CHECK_ERR(crafted_result("d81848a1626e73a1616501", h), MINDL_OK);

	/* An attached payload: refused for both kinds. */
	snprintf(h, sizeof(h), "a1" K_MAC "8443a10105a041005820%064d", 0);
	CHECK_ERR(crafted_result(EMPTY_NS, h), MINDL_ERR_COSE_HEADER);
	{
		struct mindl_enc e;
		struct mindl_buf b;
		uint8_t *s1 = NULL;
		size_t s1len = 0;
		char *s1hex = NULL;
		size_t n = 0;

		mindl_enc_init(&e, 4096);
		CHECK_ERR(test_sign1_write(&e, fx.dev_key,
		    (const uint8_t *)"payload", 7, 0, NULL, 0), MINDL_OK);
		CHECK_ERR(mindl_enc_finish(&e, &s1, &s1len), MINDL_OK);
		mindl_buf_init(&b, 1 << 16);
		if (s1 != NULL && test_take(mindl_buf_add_tohex(&b, s1, s1len),
		    &b, (uint8_t **)&s1hex, &n) == MINDL_OK) {
			s1hex[n] = '\0';
			snprintf(h, sizeof(h), "a1" K_SIG "%s", s1hex);
			CHECK_ERR(crafted_result(EMPTY_NS, h),
			    MINDL_ERR_COSE_HEADER);
		} else
			CHECK(0);
		free(s1hex);
		free(s1);
	}
	/* Not a COSE structure at all. */
	CHECK(crafted_result(EMPTY_NS, "a1" K_SIG "01") != MINDL_OK);
	CHECK(crafted_result(EMPTY_NS, "a1" K_MAC "83404040") != MINDL_OK);
	/* DeviceSigned not a map. */
	{
		struct mindl_cbor *doc = NULL;
		struct mindl_device_signed *ds = NULL;

		CHECK_ERR(mindl_cbor_decode((const uint8_t *)"\x80", 1, &doc),
		    MINDL_OK);
		if (doc != NULL)
			CHECK_ERR(mindl_device_signed_parse(mindl_cbor_root(doc),
			    &ds), MINDL_ERR_CBOR_TYPE);
		CHECK(ds == NULL);
		mindl_cbor_free(&doc);
	}
 out:
	free(sig);
	free(mac);
	pds_free(&ps);
	pds_free(&pm);
}

/*
 * The namespaces are authenticated as received: an element slipped into
 * DeviceNameSpaces after the fact breaks either kind.
 */
static void
namespaces_bound(void)
{
	struct pds ps, pm, p;
	struct text dt;
	char *sig = NULL, *mac = NULL, h[4096];

	CHECK_ERR(written_sig(&ps), MINDL_OK);
	CHECK_ERR(written_mac(&pm), MINDL_OK);
	CHECK(text_item(&dt, DOCTYPE) != NULL);
	if (ps.ds == NULL || pm.ds == NULL || dt.it == NULL ||
	    (sig = auth_hex(&ps)) == NULL || (mac = auth_hex(&pm)) == NULL) {
		CHECK(0);
		goto out;
	}
	snprintf(h, sizeof(h), "a1" K_SIG "%s", sig);
	CHECK_ERR(crafted("d81848a1626e73a1616501", h, &p), MINDL_OK);
	if (p.ds != NULL)
		CHECK_ERR(mindl_device_signed_verify(p.ds, dev_pub, dt.it, st,
		    stlen, NULL), MINDL_ERR_DEVICE_AUTH);
	pds_free(&p);
	/* The same map in a longer head: not the bytes authenticated. */
	CHECK_ERR(crafted("d8185801a0", h, &p), MINDL_OK);
	if (p.ds != NULL)
		CHECK_ERR(mindl_device_signed_verify(p.ds, dev_pub, dt.it, st,
		    stlen, NULL), MINDL_ERR_DEVICE_AUTH);
	pds_free(&p);
	snprintf(h, sizeof(h), "a1" K_MAC "%s", mac);
	CHECK_ERR(crafted("d81848a1626e73a1616501", h, &p), MINDL_OK);
	if (p.ds != NULL)
		CHECK_ERR(mindl_device_signed_verify(p.ds, dev_pub, dt.it, st,
		    stlen, fx.reader_key), MINDL_ERR_DEVICE_AUTH);
	pds_free(&p);
 out:
	free(sig);
	free(mac);
	text_free(&dt);
	pds_free(&ps);
	pds_free(&pm);
}

int
main(void)
{
	int r;

	if ((r = setup()) != MINDL_OK) {
		fprintf(stderr, "setup: %s\n", mindl_errname(r));
		teardown();
		return 1;
	}
	RUN(mac_round_trip);
	RUN(sig_round_trip);
	RUN(verify_refuses);
	RUN(emac_symmetric);
	RUN(parse_refuses);
	RUN(namespaces_bound);
	teardown();
	UNIT_DONE();
}
