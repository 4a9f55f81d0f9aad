/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: every algorithm ISO 18013-5 allows for issuer and device
 * keys and MSO digests, issued, presented (deviceSignature and
 * deviceMac) and verified; COSE algs bound to the key's curve.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "unit.h"
#include "../common/testlib.h"

#define T0	1795000000	/* 2026-11-17T... : issuance time in tests */

static const char record[] =
    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\","
    " \"birth_date\": \"1990-04-15\", \"document_number\": \"D1234567\","
    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\""
    "}],"
    " \"sex\": 2, \"height\": 170, \"eye_colour\": \"brown\"}";
#define portrait	test_jpeg

static const int crvs[] = {
	MINDL_CRV_P256, MINDL_CRV_P384, MINDL_CRV_P521, MINDL_CRV_BP256,
	MINDL_CRV_BP320, MINDL_CRV_BP384, MINDL_CRV_BP512
};
#define NCRV	(sizeof(crvs) / sizeof(crvs[0]))

static struct mindl_schema *schema;
static struct mindl_record *rec;

/*
 * Issue with an IACA on icrv, a DS on dcrv, digest alg dalg and a
 * device key on vcrv; present with auth and verify: the verifier's
 * result.  *digest_len, when asked for, gets the length of the
 * credential's first MSO digest.
 */
static int
round_trip(int icrv, int dcrv, int dalg, int vcrv, enum mindl_devauth auth,
    size_t *digest_len)
{
	struct mindl_iaca_params ip = { "US", "SS", "Test IACA",
	    "mailto:iaca@example.invalid", T0 - 86400 * 10, 3650 };
	struct mindl_ds_params dp = { NULL, T0 - 86400 * 5, 365 };
	struct mindl_key *iaca_key = NULL, *ds_key = NULL, *dev = NULL;
	struct mindl_key *reader = NULL;
	struct mindl_issue_params p;
	struct mindl_policy pol;
	struct mindl_trust *trust = NULL;
	struct mindl_request *req = NULL;
	struct mindl_verified *v = NULL;
	struct mindl_cbor *doc = NULL;
	struct mindl_document *d = NULL;
	uint8_t *iaca = NULL, *ds = NULL, *cb = NULL, *rb = NULL, *resp = NULL;
	size_t iacalen = 0, dslen = 0, cblen = 0, rblen = 0, resplen = 0;
	int r;

	/* deviceMac: the reader's key is on the device key's curve. */
	if ((r = mindl_key_generate_curve(icrv, &iaca_key)) != MINDL_OK ||
	    (r = mindl_key_generate_curve(dcrv, &ds_key)) != MINDL_OK ||
	    (r = mindl_key_generate_curve(vcrv, &dev)) != MINDL_OK ||
	    (r = mindl_key_generate_curve(vcrv, &reader)) != MINDL_OK ||
	    (r = mindl_x509_make_iaca(iaca_key, &ip, &iaca, &iacalen)) !=
	    MINDL_OK ||
	    (r = mindl_x509_make_ds(iaca_key, iaca, iacalen, ds_key, &dp,
	    &ds, &dslen)) != MINDL_OK ||
	    (r = mindl_trust_new(&trust)) != MINDL_OK ||
	    (r = mindl_trust_add_der(trust, iaca, iacalen)) != MINDL_OK)
		goto out;
	pol = *mindl_schema_policy(schema);
	pol.digest_alg = dalg;
	memset(&p, 0, sizeof(p));
	p.record = rec;
	p.policy = &pol;
	p.ds_cert = ds;
	p.ds_certlen = dslen;
	p.device_pub = dev;
	p.now = T0;
	if ((r = test_issue(&p, ds_key, &cb, &cblen, NULL)) != MINDL_OK)
		goto out;
	if (digest_len != NULL) {
		const struct mindl_cbor_item *docs, *eng;
		const struct mindl_mso *mso;
		struct mindl_cbor_iter it;

		if ((r = mindl_cbor_decode(cb, cblen, &doc)) != MINDL_OK ||
		    (r = mindl_file_documents(mindl_cbor_root(doc), &docs,
		    &eng)) != MINDL_OK ||
		    (r = mindl_cbor_iter_init(&it, docs, MINDL_CBOR_ARRAY)) !=
		    MINDL_OK ||
		    (r = mindl_document_parse(mindl_cbor_iter_next(&it), 0,
		    &d)) != MINDL_OK)
			goto out;
		mso = mindl_issuer_signed_mso(mindl_document_issuer_signed(d));
		*digest_len = mindl_mso_digest_at(mso, 0, 0)->len;
		if (mindl_mso_digest_algorithm(mso) != dalg) {
			r = MINDL_ERR_INTERNAL;
			goto out;
		}
	}
	if ((r = mindl_request_create(mindl_schema_profile(schema,
	    "traffic-stop"), reader, &rb, &rblen)) != MINDL_OK ||
	    (r = mindl_request_parse(rb, rblen, &req)) != MINDL_OK ||
	    (r = test_present(cb, cblen, dev, req, schema, auth, &resp,
	    &resplen, NULL)) != MINDL_OK)
		goto out;
	r = mindl_verify_response(trust, schema, T0 + 3600, req, reader,
	    resp, resplen, &v);
	if (r == MINDL_OK && (mindl_verified_devauth(v) != auth ||
	    mindl_verified_count(v) != mindl_profile_count(
	    mindl_schema_profile(schema, "traffic-stop"))))
		r = MINDL_ERR_INTERNAL;
 out:
	mindl_verified_free(&v);
	mindl_request_free(&req);
	mindl_document_free(&d);
	mindl_cbor_free(&doc);
	mindl_trust_free(&trust);
	mindl_key_free(&iaca_key);
	mindl_key_free(&ds_key);
	mindl_key_free(&dev);
	mindl_key_free(&reader);
	free(iaca);
	free(ds);
	free(cb);
	free(rb);
	free(resp);
	return r;
}

/* Every issuer curve with every MSO digest; the device key on P-256. */
static void
issuer_curves_and_digests(void)
{
	size_t i, len;
	int d;

	for (i = 0; i < NCRV; i++)
		for (d = MINDL_DIGEST_SHA256; d <= MINDL_DIGEST_SHA512; d++) {
			len = 0;
			CHECK_ERR(round_trip(crvs[i], crvs[i], d,
			    MINDL_CRV_P256, MINDL_DEVAUTH_SIGNATURE, &len),
			    MINDL_OK);
			CHECK(len == mindl_digest_len(d));
		}
	/* An IACA on one curve signing a DS on another. */
	CHECK_ERR(round_trip(MINDL_CRV_P384, MINDL_CRV_P256,
	    MINDL_DIGEST_SHA256, MINDL_CRV_P256, MINDL_DEVAUTH_MAC, NULL),
	    MINDL_OK);
	CHECK_ERR(round_trip(MINDL_CRV_P521, MINDL_CRV_BP384,
	    MINDL_DIGEST_SHA384, MINDL_CRV_P256, MINDL_DEVAUTH_SIGNATURE,
	    NULL), MINDL_OK);
}

/* Every device curve, signing and MACing (ECDH + HKDF). */
static void
device_curves(void)
{
	size_t i;

	for (i = 0; i < NCRV; i++) {
		CHECK_ERR(round_trip(MINDL_CRV_P256, MINDL_CRV_P256,
		    MINDL_DIGEST_SHA256, crvs[i], MINDL_DEVAUTH_SIGNATURE,
		    NULL), MINDL_OK);
		CHECK_ERR(round_trip(MINDL_CRV_P384, MINDL_CRV_P384,
		    MINDL_DIGEST_SHA512, crvs[i], MINDL_DEVAUTH_MAC, NULL),
		    MINDL_OK);
	}
	/* Ed25519 signs (EdDSA); it cannot do ECDH, so no deviceMac. */
	CHECK_ERR(round_trip(MINDL_CRV_P256, MINDL_CRV_P256,
	    MINDL_DIGEST_SHA256, MINDL_CRV_ED25519, MINDL_DEVAUTH_SIGNATURE,
	    NULL), MINDL_OK);
	CHECK_ERR(round_trip(MINDL_CRV_BP512, MINDL_CRV_BP512,
	    MINDL_DIGEST_SHA384, MINDL_CRV_ED25519, MINDL_DEVAUTH_SIGNATURE,
	    NULL), MINDL_OK);
	CHECK_ERR(round_trip(MINDL_CRV_P256, MINDL_CRV_P256,
	    MINDL_DIGEST_SHA256, MINDL_CRV_ED25519, MINDL_DEVAUTH_MAC, NULL),
	    MINDL_ERR_KEY);
}

/*
 * A COSE_Sign1 made with one key and checked with another of the same
 * size but another curve, or another size: the alg header (from the
 * signer's curve) must fit the verifying key's curve exactly.
 */
static void
alg_bound_to_curve(void)
{
	static const struct { int sign, check, want; } t[] = {
		{ MINDL_CRV_P256, MINDL_CRV_P384, MINDL_ERR_KEY_MISMATCH },
		{ MINDL_CRV_P384, MINDL_CRV_P521, MINDL_ERR_KEY_MISMATCH },
		{ MINDL_CRV_P521, MINDL_CRV_BP384, MINDL_ERR_KEY_MISMATCH },
		{ MINDL_CRV_BP256, MINDL_CRV_BP512, MINDL_ERR_KEY_MISMATCH },
		{ MINDL_CRV_BP512, MINDL_CRV_BP320, MINDL_ERR_KEY_MISMATCH },
		/* Same alg, another curve: the signature fails instead. */
		{ MINDL_CRV_P256, MINDL_CRV_BP256, MINDL_ERR_SIGNATURE },
		{ MINDL_CRV_BP320, MINDL_CRV_P384, MINDL_ERR_SIGNATURE },
		{ MINDL_CRV_BP384, MINDL_CRV_BP384, MINDL_OK },
		{ MINDL_CRV_ED25519, MINDL_CRV_P256, MINDL_ERR_KEY_MISMATCH },
		{ MINDL_CRV_P256, MINDL_CRV_ED25519, MINDL_ERR_KEY_MISMATCH },
		{ MINDL_CRV_ED25519, MINDL_CRV_ED25519, MINDL_OK },
	};
	static const uint8_t payload[] = "payload";
	struct mindl_key *a = NULL, *b = NULL;
	struct mindl_cbor *doc = NULL;
	struct mindl_cose_msg m;
	struct mindl_enc e;
	uint8_t *enc = NULL;
	size_t enclen = 0, i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK_ERR(mindl_key_generate_curve(t[i].sign, &a), MINDL_OK);
		CHECK_ERR(mindl_key_generate_curve(t[i].check, &b), MINDL_OK);
		if (t[i].sign == t[i].check) {
			mindl_key_free(&b);
			b = mindl_key_ref(a);
		}
		mindl_enc_init(&e, MINDL_MAX_INPUT);
		CHECK_ERR(test_sign1_write(&e, a, payload, sizeof(payload), 0,
		    NULL, 0), MINDL_OK);
		CHECK_ERR(mindl_enc_finish(&e, &enc, &enclen), MINDL_OK);
		memset(&m, 0, sizeof(m));
		CHECK_ERR(mindl_cbor_decode(enc, enclen, &doc), MINDL_OK);
		if (doc != NULL) {
			CHECK_ERR(mindl_cose_parse(mindl_cbor_root(doc), &m),
			    MINDL_OK);
			CHECK(m.alg == mindl_key_alg(a));
			CHECK_ERR(mindl_cose_sign1_verify(&m, b, NULL, 0),
			    t[i].want);
		}
		mindl_cose_clear(&m);
		mindl_cbor_free(&doc);
		free(enc);
		enc = NULL;
		mindl_key_free(&a);
		mindl_key_free(&b);
	}
}

/* COSE_Key round trip on each curve; an unknown crv is refused. */
static void
cose_keys(void)
{
	struct mindl_key *k = NULL, *back = NULL;
	struct mindl_enc e;
	uint8_t *enc = NULL;
	size_t enclen = 0, i;

	for (i = 0; i <= NCRV; i++) {
		int crv = i < NCRV ? crvs[i] : MINDL_CRV_ED25519;

		CHECK_ERR(mindl_key_generate_curve(crv, &k), MINDL_OK);
		CHECK(mindl_key_curve(k) == crv);
		mindl_enc_init(&e, MINDL_MAX_INPUT);
		CHECK_ERR(mindl_cose_key_write(&e, k), MINDL_OK);
		CHECK_ERR(mindl_enc_finish(&e, &enc, &enclen), MINDL_OK);
		CHECK_ERR(mindl_cose_key_decode(enc, enclen, &back), MINDL_OK);
		CHECK(mindl_key_same_public(k, back));
		free(enc);
		enc = NULL;
		mindl_key_free(&k);
		mindl_key_free(&back);
	}
	/* {1: 2, -1: 4 (X448 is not EC2), -2: 32 bytes, -3: 32 bytes} */
	{
		uint8_t bad[77] = { 0xa4, 0x01, 0x02, 0x20, 0x04, 0x21, 0x58,
		    0x20 };

		bad[8 + 32] = 0x22;
		bad[8 + 33] = 0x58;
		bad[8 + 34] = 0x20;
		CHECK_ERR(mindl_cose_key_decode(bad, 8 + 35 + 32, &back),
		    MINDL_ERR_COSE_KEY);
	}
	CHECK_ERR(mindl_key_generate_curve(4, &k), MINDL_ERR_UNSUPPORTED);
	/* OKP: X25519 (4) refused; Ed25519 with a y or a d refused. */
	{
		uint8_t okp[8 + 32 + 3 + 32] = { 0xa3, 0x01, 0x01, 0x20,
		    0x04, 0x21, 0x58, 0x20 };

		CHECK_ERR(mindl_cose_key_decode(okp, 8 + 32, &back),
		    MINDL_ERR_COSE_KEY);
		okp[4] = 0x06;
		CHECK_ERR(mindl_cose_key_decode(okp, 8 + 32, &back), MINDL_OK);
		mindl_key_free(&back);
		okp[0] = 0xa4;
		okp[40] = 0x22;
		okp[41] = 0x58;
		okp[42] = 0x20;
		CHECK_ERR(mindl_cose_key_decode(okp, 43 + 32, &back),
		    MINDL_ERR_COSE_KEY);
		okp[40] = 0x23;
		CHECK_ERR(mindl_cose_key_decode(okp, 43 + 32, &back),
		    MINDL_ERR_COSE_KEY);
	}
}

/* The digests themselves: FIPS 180-4 "abc" vectors. */
static void
digests(void)
{
	static const uint8_t abc[] = "abc";
	static const char *const want[] = {
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
		"8086072ba1e7cc2358baeca134c825a7",
		"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	};
	uint8_t h[MINDL_MAX_DIGEST], w[MINDL_MAX_DIGEST];
	int d;

	for (d = MINDL_DIGEST_SHA256; d <= MINDL_DIGEST_SHA512; d++) {
		CHECK_ERR(mindl_digest(d, abc, 3, h), MINDL_OK);
		CHECK(test_unhex(want[d - 1], w, sizeof(w)) ==
		    mindl_digest_len(d));
		CHECK(memcmp(h, w, mindl_digest_len(d)) == 0);
		CHECK(strcmp(mindl_digest_name(d), d == 1 ? "SHA-256" :
		    d == 2 ? "SHA-384" : "SHA-512") == 0);
	}
	CHECK_ERR(mindl_digest(4, abc, 3, h), MINDL_ERR_UNSUPPORTED);
	CHECK(mindl_digest_name(0) == NULL);
}

int
main(void)
{
	char err[256];
	int r;

	if ((r = mindl_schema_builtin(&schema)) != MINDL_OK ||
	    (r = mindl_record_parse(schema, record, strlen(record),
	    portrait, sizeof(portrait), T0, &rec, err, sizeof(err))) !=
	    MINDL_OK) {
		fprintf(stderr, "setup: %s\n", mindl_errname(r));
		return 1;
	}
	RUN(digests);
	RUN(cose_keys);
	RUN(alg_bound_to_curve);
	RUN(issuer_curves_and_digests);
	RUN(device_curves);
	mindl_record_free(&rec);
	mindl_schema_free(&schema);
	UNIT_DONE();
}
