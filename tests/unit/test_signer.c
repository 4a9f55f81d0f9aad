/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: the signer interface (mindl/signer.h).  A software signer
 * over a private key only; a signer of the caller's own is the one that
 * signs an issuance (the DS) and a presentation (deviceSignature), and
 * its failure is the caller's failure; and what mindl_mdoc_issue reports
 * about what it issued agrees with the credential.
 *
 * Not tested: a callback that reports a longer signature than the room it
 * was given.  mindl_sign refuses it through NEVER(), which asserts in the
 * debug builds the tests run (core/src/internal.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "unit.h"
#include "../common/testfx.h"

static struct test_fx fx;
static struct mindl_key *other_key;

/* A signer of our own: counts its calls, signs with key or fails. */
struct counting {
	const struct mindl_key	*key;
	int			 fail;	/* error to return, or MINDL_OK */
	int			 calls;
};

static int
counting_sign(void *ctx, const uint8_t *msg, size_t len, uint8_t *sig,
    size_t *siglen)
{
	struct counting *c = ctx;

	c->calls++;
	if (c->fail != MINDL_OK)
		return c->fail;
	return mindl_ecdsa_sign(c->key, msg, len, sig, siglen);
}

static void
counting_signer(struct mindl_signer *s, struct counting *c,
    const struct mindl_key *key, int fail)
{
	c->key = key;
	c->fail = fail;
	c->calls = 0;
	s->alg = MINDL_ALG_ES256;
	s->sign = counting_sign;
	s->ctx = c;
}

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

static void
signer_key(void)
{
	struct mindl_signer s;
	struct mindl_key *pub = NULL;

	CHECK_ERR(mindl_signer_key(&s, fx.ds_key), MINDL_OK);
	CHECK(s.alg == MINDL_ALG_ES256 && s.sign != NULL);
	/* Only a private key can sign. */
	CHECK_ERR(pub_only(fx.ds_key, &pub), MINDL_OK);
	CHECK_ERR(mindl_signer_key(&s, pub), MINDL_ERR_KEY);
	CHECK(s.sign == NULL && s.alg == 0);
	CHECK_ERR(mindl_signer_key(&s, NULL), MINDL_ERR_KEY);
	mindl_key_free(&pub);
}

static void
sign(void)
{
	static const uint8_t msg[] = "Signature1 and friends";
	struct mindl_signer s;
	struct counting c;
	struct mindl_key *pub = NULL;
	uint8_t sig[MINDL_MAX_SIG];
	size_t siglen;

	CHECK_ERR(pub_only(fx.ds_key, &pub), MINDL_OK);
	CHECK_ERR(mindl_signer_key(&s, fx.ds_key), MINDL_OK);
	siglen = sizeof(sig);
	CHECK_ERR(mindl_sign(&s, msg, sizeof(msg), sig, &siglen), MINDL_OK);
	CHECK(siglen == 64);
	CHECK_ERR(mindl_ecdsa_verify(pub, msg, sizeof(msg), sig, siglen),
	    MINDL_OK);
	CHECK_ERR(mindl_ecdsa_verify(pub, msg, sizeof(msg) - 1, sig, siglen),
	    MINDL_ERR_SIGNATURE);

	/* Our own: called once, its signature is the result. */
	counting_signer(&s, &c, other_key, MINDL_OK);
	siglen = sizeof(sig);
	CHECK_ERR(mindl_sign(&s, msg, sizeof(msg), sig, &siglen), MINDL_OK);
	CHECK(c.calls == 1 && siglen == 64);
	CHECK_ERR(mindl_ecdsa_verify(other_key, msg, sizeof(msg), sig,
	    siglen), MINDL_OK);
	CHECK_ERR(mindl_ecdsa_verify(pub, msg, sizeof(msg), sig, siglen),
	    MINDL_ERR_SIGNATURE);
	/* Its error is passed on. */
	counting_signer(&s, &c, other_key, MINDL_ERR_PASSPHRASE);
	siglen = sizeof(sig);
	CHECK_ERR(mindl_sign(&s, msg, sizeof(msg), sig, &siglen),
	    MINDL_ERR_PASSPHRASE);
	CHECK(c.calls == 1);
	/* No callback, no algorithm, no signer. */
	counting_signer(&s, &c, other_key, MINDL_OK);
	s.sign = NULL;
	CHECK_ERR(mindl_sign(&s, msg, sizeof(msg), sig, &siglen),
	    MINDL_ERR_INVALID_ARG);
	counting_signer(&s, &c, other_key, MINDL_OK);
	s.alg = 0;
	CHECK_ERR(mindl_sign(&s, msg, sizeof(msg), sig, &siglen),
	    MINDL_ERR_INVALID_ARG);
	CHECK(c.calls == 0);
	CHECK_ERR(mindl_sign(NULL, msg, sizeof(msg), sig, &siglen),
	    MINDL_ERR_INVALID_ARG);
	mindl_key_free(&pub);
}

/* Issues with signer s into plain bytes. */
static int
issue_with(const struct mindl_signer *s, uint8_t **out, size_t *outlen,
    struct mindl_issue_result *res)
{
	struct mindl_issue_params p;
	struct mindl_buf b;
	int r;

	test_fx_params(&fx, &p);
	p.ds = s;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	r = mindl_mdoc_issue(&p, &b, res);
	if (r != MINDL_OK && (mindl_buf_len(&b) != 0 ||
	    mindl_buf_ptr(&b) != NULL))
		r = MINDL_ERR_INTERNAL;	/* output left after a failure */
	return test_take(r, &b, out, outlen);
}

/* The issuerAuth of a credential, checked against key. */
static int
issuer_auth_verify(const uint8_t *cred, size_t len,
    const struct mindl_key *key)
{
	struct mindl_cbor *doc = NULL;
	struct mindl_mso *m = NULL;
	const struct mindl_cbor_item *is;
	int r;

	if ((r = mindl_cbor_decode(cred, len, &doc)) != MINDL_OK)
		return r;
	is = mindl_cbor_map_get(mindl_cbor_child(mindl_cbor_root(doc)),
	    "issuerSigned");
	if ((r = mindl_mso_parse(mindl_cbor_map_get(is, "issuerAuth"),
	    &m)) == MINDL_OK)
		r = mindl_cose_sign1_verify(mindl_mso_sign1(m), key, NULL, 0);
	mindl_mso_free(&m);
	mindl_cbor_free(&doc);
	return r;
}

/* Present and verify cred for a traffic stop, deviceSignature by s. */
static int
present_verify(const uint8_t *cred, size_t credlen,
    const struct mindl_signer *s, int *present_err)
{
	struct mindl_present_params p;
	struct mindl_request *req = NULL;
	struct mindl_verified *v = NULL;
	struct mindl_buf b;
	uint8_t *rb = NULL, *resp = NULL;
	size_t rblen = 0, resplen = 0;
	int r;

	*present_err = MINDL_ERR_INTERNAL;
	if ((r = test_fx_request(&fx, "traffic-stop", &rb, &rblen, &req)) !=
	    MINDL_OK)
		return r;
	memset(&p, 0, sizeof(p));
	p.cred = cred;
	p.credlen = credlen;
	p.req = req;
	p.schema = fx.schema;
	p.auth = MINDL_DEVAUTH_SIGNATURE;
	p.signer = s;		/* no device_key: the signer is all there is */
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	r = mindl_present(&p, &b, NULL);
	if (r != MINDL_OK && mindl_buf_len(&b) != 0)
		r = MINDL_ERR_INTERNAL;
	*present_err = test_take(r, &b, &resp, &resplen);
	r = *present_err;
	if (r == MINDL_OK) {
		r = mindl_verify_response(fx.trust, fx.schema, TEST_T0 + 3600,
		    req, fx.reader_key, resp, resplen, &v);
		if ((r == MINDL_OK) != (v != NULL))
			r = MINDL_ERR_INTERNAL;
		if (v != NULL && mindl_verified_devauth(v) !=
		    MINDL_DEVAUTH_SIGNATURE)
			r = MINDL_ERR_INTERNAL;
	}
	mindl_verified_free(&v);
	mindl_request_free(&req);
	free(rb);
	free(resp);
	return r;
}

/* The DS signer given is the one that signs the MSO. */
static void
issue_signer(void)
{
	struct mindl_signer s;
	struct counting c;
	uint8_t *cred = NULL;
	size_t len = 0;
	int perr;

	/* Delegating to the DS key: a credential that verifies end to end. */
	counting_signer(&s, &c, fx.ds_key, MINDL_OK);
	CHECK_ERR(issue_with(&s, &cred, &len, NULL), MINDL_OK);
	CHECK(c.calls == 1);
	CHECK_ERR(issuer_auth_verify(cred, len, fx.ds_key), MINDL_OK);
	{
		struct mindl_signer ds;

		CHECK_ERR(mindl_signer_key(&ds, fx.dev_key), MINDL_OK);
		CHECK_ERR(present_verify(cred, len, &ds, &perr), MINDL_OK);
	}
	free(cred);
	cred = NULL;

	/*
	 * Signing with another key under the DS certificate: the signature
	 * is that key's (so it was this signer that signed), and a verifier
	 * refuses it.
	 */
	counting_signer(&s, &c, other_key, MINDL_OK);
	CHECK_ERR(issue_with(&s, &cred, &len, NULL), MINDL_OK);
	CHECK(c.calls == 1);
	CHECK_ERR(issuer_auth_verify(cred, len, other_key), MINDL_OK);
	CHECK_ERR(issuer_auth_verify(cred, len, fx.ds_key),
	    MINDL_ERR_SIGNATURE);
	{
		struct mindl_signer ds;

		CHECK_ERR(mindl_signer_key(&ds, fx.dev_key), MINDL_OK);
		CHECK_ERR(present_verify(cred, len, &ds, &perr),
		    MINDL_ERR_SIGNATURE);
		CHECK_ERR(perr, MINDL_OK);
	}
	free(cred);
	cred = NULL;

	/* Its failure is the issuance's, and nothing is issued. */
	counting_signer(&s, &c, fx.ds_key, MINDL_ERR_PASSPHRASE);
	CHECK_ERR(issue_with(&s, &cred, &len, NULL), MINDL_ERR_PASSPHRASE);
	CHECK(c.calls == 1 && cred == NULL && len == 0);
	counting_signer(&s, &c, fx.ds_key, MINDL_ERR_CRYPTO);
	CHECK_ERR(issue_with(&s, &cred, &len, NULL), MINDL_ERR_CRYPTO);
	CHECK(cred == NULL);
	/* A signer that is not one. */
	counting_signer(&s, &c, fx.ds_key, MINDL_OK);
	s.alg = 0;
	CHECK(issue_with(&s, &cred, &len, NULL) != MINDL_OK);
	CHECK(c.calls == 0 && cred == NULL);
	CHECK_ERR(issue_with(NULL, &cred, &len, NULL), MINDL_ERR_INVALID_ARG);
}

/* The deviceSignature signer given is the one that signs. */
static void
present_signer(void)
{
	struct mindl_signer s;
	struct counting c;
	uint8_t *cred = NULL;
	size_t len = 0;
	int perr;

	CHECK_ERR(test_fx_issue(&fx, NULL, &cred, &len, NULL), MINDL_OK);
	if (cred == NULL)
		return;
	/* Over the device key: the response verifies. */
	counting_signer(&s, &c, fx.dev_key, MINDL_OK);
	CHECK_ERR(present_verify(cred, len, &s, &perr), MINDL_OK);
	CHECK(c.calls == 1);
	/* Over another key: it signed, and the verifier says so. */
	counting_signer(&s, &c, other_key, MINDL_OK);
	CHECK_ERR(present_verify(cred, len, &s, &perr),
	    MINDL_ERR_DEVICE_AUTH);
	CHECK_ERR(perr, MINDL_OK);
	CHECK(c.calls == 1);
	/* Its failure is the presentation's, and nothing is sent. */
	counting_signer(&s, &c, fx.dev_key, MINDL_ERR_PASSPHRASE);
	CHECK_ERR(present_verify(cred, len, &s, &perr),
	    MINDL_ERR_PASSPHRASE);
	CHECK(c.calls == 1);
	free(cred);
}

static void
issue_result(void)
{
	static const struct mindl_status_ref st = { 17,
	    "https://status.example.invalid/1" };
	struct mindl_issue_result r1, r2;
	struct mindl_cbor *doc = NULL;
	struct mindl_mso *m = NULL;
	struct mindl_mso_validity v;
	const struct mindl_cbor_item *is;
	uint8_t *c1 = NULL, *c2 = NULL;
	size_t l1 = 0, l2 = 0, i;
	char kid[MINDL_KEY_ID_LEN + 1];

	memset(&r1, 0xa5, sizeof(r1));
	memset(&r2, 0xa5, sizeof(r2));
	CHECK_ERR(test_fx_issue(&fx, NULL, &c1, &l1, &r1), MINDL_OK);
	CHECK_ERR(test_fx_issue(&fx, &st, &c2, &l2, &r2), MINDL_OK);
	if (c1 == NULL || c2 == NULL)
		goto out;
	/* A fresh id each time, kept out of the credential. */
	CHECK(memcmp(r1.credential_id, r2.credential_id,
	    MINDL_CRED_ID_LEN) != 0);
	CHECK(!test_has_bytes(c1, l1, r1.credential_id, MINDL_CRED_ID_LEN));
	CHECK(!test_has_bytes(c2, l2, r2.credential_id, MINDL_CRED_ID_LEN));
	CHECK(!test_has_bytes(c1, l1, r1.credential_id, 8));
	/* The signer: the DS certificate's key id. */
	CHECK_ERR(mindl_x509_key_id(fx.ds, fx.dslen, kid), MINDL_OK);
	CHECK(strlen(r1.signer) == MINDL_KEY_ID_LEN);
	CHECK(strcmp(r1.signer, kid) == 0 && strcmp(r2.signer, kid) == 0);
	for (i = 0; i < MINDL_KEY_ID_LEN; i++)
		CHECK(strchr("0123456789abcdef", r1.signer[i]) != NULL);
	/* The status reference, when there is one. */
	CHECK(r1.has_status == 0);
	CHECK(r2.has_status == 1 && r2.status_idx == 17);
	/* The validity: what the MSO says. */
	CHECK_ERR(mindl_cbor_decode(c1, l1, &doc), MINDL_OK);
	is = mindl_cbor_map_get(mindl_cbor_child(mindl_cbor_root(doc)),
	    "issuerSigned");
	CHECK_ERR(mindl_mso_parse(mindl_cbor_map_get(is, "issuerAuth"), &m),
	    MINDL_OK);
	if (m != NULL) {
		mindl_mso_validity(m, &v);
		CHECK(r1.signed_at == v.signed_at);
		CHECK(r1.valid_from == v.valid_from);
		CHECK(r1.valid_until == v.valid_until);
		/* The start of the issuance day, and later than it. */
		CHECK(r1.signed_at <= TEST_T0 && TEST_T0 - r1.signed_at <
		    86400 && r1.signed_at % 86400 == 0);
		CHECK(r1.valid_until > r1.valid_from);
	}
	/* Another DS certificate, another signer id. */
	{
		struct mindl_ds_params dp = { NULL, TEST_T0 - 86400, 365 };
		struct mindl_issue_params p;
		struct mindl_issue_result r3;
		uint8_t *ds2 = NULL, *c3 = NULL;
		size_t ds2len = 0, l3 = 0;

		memset(&r3, 0, sizeof(r3));
		CHECK_ERR(mindl_x509_make_ds(fx.iaca_key, fx.iaca, fx.iacalen,
		    other_key, &dp, &ds2, &ds2len), MINDL_OK);
		test_fx_params(&fx, &p);
		p.ds_cert = ds2;
		p.ds_certlen = ds2len;
		CHECK_ERR(test_issue(&p, other_key, &c3, &l3, &r3), MINDL_OK);
		CHECK_ERR(mindl_x509_key_id(ds2, ds2len, kid), MINDL_OK);
		CHECK(strcmp(r3.signer, kid) == 0 &&
		    strcmp(r3.signer, r1.signer) != 0);
		free(ds2);
		free(c3);
	}
 out:
	mindl_mso_free(&m);
	mindl_cbor_free(&doc);
	free(c1);
	free(c2);
}

int
main(void)
{
	int r;

	if ((r = test_fx_setup(&fx)) != MINDL_OK ||
	    (r = mindl_key_generate(&other_key)) != MINDL_OK) {
		fprintf(stderr, "setup: %s\n", mindl_errname(r));
		return 1;
	}
	RUN(signer_key);
	RUN(sign);
	RUN(issue_signer);
	RUN(present_signer);
	RUN(issue_result);
	mindl_key_free(&other_key);
	test_fx_free(&fx);
	UNIT_DONE();
}
