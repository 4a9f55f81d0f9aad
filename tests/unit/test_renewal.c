/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Renewal without the record (mindl/renewal.h): the whole flow through
 * the core API, from a batch issued at TEST_T0 to a batch renewed after
 * the first DS certificate expired, and every refusal by its name.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "mindl/renewal.h"
#include "../common/testfx.h"
#include "unit.h"

#define NKEYS	4
#define DAY	86400
/* After the first DS certificate (365 days from T0 - 5 days) expired. */
#define T1	(TEST_T0 + 400 * DAY)

static struct test_fx fx;

/* A batch for rec, signed by ds_key / ds at `now`, into plain bytes. */
static int
issue_batch(const struct test_fx *f, const struct mindl_record *rec,
    const struct mindl_key *ds_key, const uint8_t *ds, size_t dslen,
    int64_t now, struct mindl_key *const *keys, size_t n, uint8_t **out,
    size_t *outlen)
{
	struct mindl_issue_params p;
	struct mindl_signer s;
	struct mindl_buf b;
	int r;

	*out = NULL;
	*outlen = 0;
	if ((r = mindl_signer_key(&s, ds_key)) != MINDL_OK)
		return r;
	memset(&p, 0, sizeof(p));
	p.record = rec;
	p.policy = mindl_schema_policy(f->schema);
	p.ds = &s;
	p.ds_cert = ds;
	p.ds_certlen = dslen;
	p.now = now;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	r = mindl_mdoc_issue_batch(&p, (const struct mindl_key *const *)keys,
	    n, &b, NULL);
	return test_take(r, &b, out, outlen);
}

static int
record_at(const char *json, int64_t t, struct mindl_record **rec)
{
	char err[512];
	int r;

	if ((r = mindl_record_parse(fx.schema, json, strlen(json), test_jpeg,
	    sizeof(test_jpeg), t, rec, err, sizeof(err))) != MINDL_OK)
		fprintf(stderr, "record: %s\n", err);
	return r;
}

static int
keys_new(struct mindl_key **k, size_t n)
{
	size_t i;
	int r;

	for (i = 0; i < n; i++)
		if ((r = mindl_key_generate(&k[i])) != MINDL_OK)
			return r;
	return MINDL_OK;
}

static void
keys_free(struct mindl_key **k, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		mindl_key_free(&k[i]);
}

#define KEYS(k)	((const struct mindl_key *const *)(k))

/* A proof by key over cred's copy `copy`, into plain bytes. */
static int
proof_by(const struct mindl_key *key, const uint8_t ch[32],
    const uint8_t *cred, size_t credlen, size_t copy,
    struct mindl_key *const *newkeys, size_t n, uint8_t **out,
    size_t *outlen)
{
	struct mindl_signer s;
	struct mindl_buf b;
	int r;

	*out = NULL;
	*outlen = 0;
	if ((r = mindl_signer_key(&s, key)) != MINDL_OK)
		return r;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	r = mindl_renewal_proof_write(&s, ch, cred, credlen, copy,
	    KEYS(newkeys), n, &b);
	return test_take(r, &b, out, outlen);
}

/* A credential file's entries, parsed. */
struct entries {
	struct mindl_cbor	*doc;
	struct mindl_document	*d[MINDL_MAX_BATCH];
	size_t			 n;
};

static int
entries_open(const uint8_t *cred, size_t len, struct entries *en)
{
	const struct mindl_cbor_item *e;
	struct mindl_cbor_iter it;
	int r;

	memset(en, 0, sizeof(*en));
	if ((r = mindl_cbor_decode(cred, len, &en->doc)) != MINDL_OK)
		return r;
	if ((r = mindl_cbor_iter_init(&it, mindl_cbor_root(en->doc),
	    MINDL_CBOR_ARRAY)) != MINDL_OK)
		return r;
	while ((e = mindl_cbor_iter_next(&it)) != NULL)
		if ((r = mindl_document_parse(e, 0, &en->d[en->n++])) !=
		    MINDL_OK)
			return r;
	return MINDL_OK;
}

static void
entries_close(struct entries *en)
{
	size_t i;

	for (i = 0; i < MINDL_MAX_BATCH; i++)
		mindl_document_free(&en->d[i]);
	mindl_cbor_free(&en->doc);
}

static const struct mindl_issuer_signed *
is_of(const struct entries *en, size_t i)
{
	return mindl_document_issuer_signed(en->d[i]);
}

static const struct mindl_issuer_item *
find_item(const struct mindl_issuer_signed *is, const char *id)
{
	const struct mindl_issuer_item *ii;
	size_t i;

	for (i = 0; i < mindl_issuer_signed_count(is); i++) {
		ii = mindl_issuer_signed_item(is, i);
		if (strcmp(ii->element_str, id) == 0)
			return ii;
	}
	return NULL;
}

static int
same_enc(const struct mindl_cbor_item *a, const struct mindl_cbor_item *b)
{
	return a->enclen == b->enclen && memcmp(a->enc, b->enc, a->enclen) == 0;
}

/*
 * Every element of a is in b with the same value, and b has no other,
 * except `except` (NULL: none), which must differ.
 */
static int
same_disclosure(const struct mindl_issuer_signed *a,
    const struct mindl_issuer_signed *b, const char *except)
{
	const struct mindl_issuer_item *x, *y;
	size_t i;

	if (mindl_issuer_signed_count(a) != mindl_issuer_signed_count(b))
		return 0;
	for (i = 0; i < mindl_issuer_signed_count(a); i++) {
		x = mindl_issuer_signed_item(a, i);
		if ((y = find_item(b, x->element_str)) == NULL ||
		    strcmp(x->ns_str, y->ns_str) != 0)
			return 0;
		if (except != NULL && strcmp(x->element_str, except) == 0) {
			if (same_enc(x->value, y->value))
				return 0;
		} else if (!same_enc(x->value, y->value)) {
			fprintf(stderr, "differs: %s\n", x->element_str);
			return 0;
		}
	}
	return 1;
}

/* 1 if n[0..nl) occurs in any entry of the other batch's parts. */
static int
seen_in(const uint8_t *h, size_t hl, const uint8_t *n, size_t nl)
{
	return nl > 0 && test_has_bytes(h, hl, n, nl);
}

/*
 * The renewed batch shares nothing that identifies a copy with the old
 * one: no salt, MSO digest, digestID, device key or signature.
 */
static void
shares_nothing(const struct entries *o, const uint8_t *newcred,
    size_t newlen, const struct entries *nw)
{
	const struct mindl_issuer_signed *is;
	const struct mindl_mso *mso, *nmso;
	const struct mindl_mso_digest *dg;
	const struct mindl_issuer_item *ii;
	const struct mindl_cbor_item *dk;
	size_t i, j, k, a, b, c;
	const struct mindl_mso_digest *nd;

	for (i = 0; i < o->n; i++) {
		is = is_of(o, i);
		mso = mindl_issuer_signed_mso(is);
		for (j = 0; j < mindl_issuer_signed_count(is); j++) {
			ii = mindl_issuer_signed_item(is, j);
			CHECK(!seen_in(newcred, newlen, ii->random->ptr,
			    ii->random->len));
		}
		for (j = 0; j < mindl_mso_ns_count(mso); j++)
			for (k = 0; k < mindl_mso_ns_digests(mso, j); k++) {
				dg = mindl_mso_digest_at(mso, j, k);
				CHECK(!seen_in(newcred, newlen, dg->digest,
				    dg->len));
				/* digestIDs: none reused in any new MSO. */
				for (a = 0; a < nw->n; a++) {
					nmso = mindl_issuer_signed_mso(
					    is_of(nw, a));
					for (b = 0; b < mindl_mso_ns_count(nmso);
					    b++)
						for (c = 0; c <
						    mindl_mso_ns_digests(nmso, b);
						    c++) {
							nd = mindl_mso_digest_at(
							    nmso, b, c);
							CHECK(nd->id != dg->id);
						}
				}
			}
		dk = mindl_mso_device_key_item(mso);
		CHECK(!seen_in(newcred, newlen, dk->enc, dk->enclen));
		CHECK(!seen_in(newcred, newlen, mindl_mso_sign1(mso)->tag,
		    mindl_mso_sign1(mso)->taglen));
	}
}

/*
 * The issue's flow: issue at T0 to four keys; a challenge; a proof by
 * copy 2's key for four new keys; the desk checks proof and credential
 * after the first DS expired, rebuilds the record and issues with a new
 * DS.  The new batch verifies (at the desk and at a verifier), holds
 * the same values, keeps issue_date and expiry_date, and shares no
 * salt, digest, digestID, device key or signature with the old one.
 */
static void
flow(void)
{
	struct mindl_key *old[NKEYS] = { 0 }, *nk[NKEYS] = { 0 };
	struct mindl_key *ds2_key = NULL;
	struct mindl_ds_params dp = { NULL, T1 - DAY, 365 };
	struct mindl_renewal_cred *rc = NULL, *rc2 = NULL;
	struct mindl_renewal_fault rf;
	struct mindl_record *rec = NULL;
	struct mindl_request *req = NULL;
	struct mindl_verified *v = NULL;
	struct mindl_present_params pp;
	struct entries eo, en;
	struct mindl_buf b, json, port;
	uint8_t ch[32], ch2[32];
	uint8_t *cred = NULL, *cred2 = NULL, *proof = NULL, *ds2 = NULL;
	uint8_t *rb = NULL, *resp = NULL, *chf = NULL;
	size_t credlen = 0, cred2len = 0, prooflen = 0, ds2len = 0, rblen = 0;
	size_t resplen = 0, chflen = 0, copy = 99, i;
	int64_t exp = 0, iday = 0, eday = 0;
	char err[512];

	memset(&eo, 0, sizeof(eo));
	memset(&en, 0, sizeof(en));
	CHECK_ERR(keys_new(old, NKEYS), MINDL_OK);
	CHECK_ERR(keys_new(nk, NKEYS), MINDL_OK);
	CHECK_ERR(issue_batch(&fx, fx.rec, fx.ds_key, fx.ds, fx.dslen,
	    TEST_T0, old, NKEYS, &cred, &credlen), MINDL_OK);

	/* The desk's challenge. */
	CHECK_ERR(mindl_random(ch, sizeof(ch)), MINDL_OK);
	mindl_buf_init(&b, 1024);
	CHECK_ERR(test_take(mindl_renewal_challenge_write(ch, T1 + 600, &b),
	    &b, &chf, &chflen), MINDL_OK);
	CHECK_ERR(mindl_renewal_challenge_parse(chf, chflen, ch2, &exp),
	    MINDL_OK);
	CHECK(memcmp(ch, ch2, 32) == 0 && exp == T1 + 600);

	/* The holder's proof, and the desk's check of it. */
	CHECK_ERR(proof_by(old[2], ch, cred, credlen, 2, nk, NKEYS, &proof,
	    &prooflen), MINDL_OK);
	memset(ch2, 0, sizeof(ch2));
	CHECK_ERR(mindl_renewal_proof_challenge(proof, prooflen, ch2),
	    MINDL_OK);
	CHECK(memcmp(ch, ch2, 32) == 0);
	CHECK_ERR(mindl_renewal_proof_verify(proof, prooflen, ch, cred,
	    credlen, KEYS(nk), NKEYS, &copy), MINDL_OK);
	CHECK(copy == 2);

	/* The old credential is this DMV's, though its DS has expired. */
	CHECK_ERR(mindl_renewal_cred_verify(fx.trust, fx.schema, T1, cred,
	    credlen, &rc, &rf), MINDL_OK);
	CHECK(mindl_renewal_cred_copies(rc) == NKEYS);

	/* The record, as the DMV system would have given it. */
	mindl_buf_init(&json, MINDL_MAX_RECORD);
	mindl_buf_init(&port, MINDL_MAX_STRING);
	CHECK_ERR(mindl_renewal_record_json(rc, fx.schema, &json, &port,
	    &iday, &eday), MINDL_OK);
	CHECK(strstr(mindl_buf_str(&json), "\"family_name\":\"Doe\"") != NULL);
	CHECK(strstr(mindl_buf_str(&json), "age_over") == NULL);
	CHECK(strstr(mindl_buf_str(&json), "issue_date\":") == NULL);
	CHECK(strstr(mindl_buf_str(&json), "portrait") == NULL);
	CHECK(strstr(mindl_buf_str(&json), "issuing_") == NULL);
	CHECK(mindl_buf_len(&port) == sizeof(test_jpeg) &&
	    memcmp(mindl_buf_ptr(&port), test_jpeg, sizeof(test_jpeg)) == 0);
	CHECK(iday == TEST_T0 / DAY);
	CHECK(eday == mindl_record_expiry_day(fx.rec));
	mindl_buf_clear(&json);
	mindl_buf_clear(&port);
	CHECK_ERR(mindl_renewal_record(rc, fx.schema, T1, &rec, err,
	    sizeof(err)), MINDL_OK);
	CHECK(rec != NULL && mindl_record_document_number(rec) != NULL &&
	    strcmp(mindl_record_document_number(rec), "D1234567") == 0);
	CHECK(mindl_record_issue_day(rec) == TEST_T0 / DAY);
	CHECK(mindl_record_expiry_day(rec) == mindl_record_expiry_day(fx.rec));

	/* A fresh batch from a DS valid today. */
	CHECK_ERR(mindl_key_generate(&ds2_key), MINDL_OK);
	CHECK_ERR(mindl_x509_make_ds(fx.iaca_key, fx.iaca, fx.iacalen,
	    ds2_key, &dp, &ds2, &ds2len), MINDL_OK);
	CHECK_ERR(issue_batch(&fx, rec, ds2_key, ds2, ds2len, T1, nk, NKEYS,
	    &cred2, &cred2len), MINDL_OK);
	CHECK_ERR(mindl_renewal_cred_verify(fx.trust, fx.schema, T1, cred2,
	    cred2len, &rc2, &rf), MINDL_OK);
	/* ... which a verifier accepts today. */
	CHECK_ERR(test_fx_request(&fx, "age-21", &rb, &rblen, &req), MINDL_OK);
	memset(&pp, 0, sizeof(pp));
	pp.cred = cred2;
	pp.credlen = cred2len;
	pp.req = req;
	pp.schema = fx.schema;
	pp.auth = MINDL_DEVAUTH_MAC;
	pp.device_key = nk[3];
	pp.entry = 3;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	CHECK_ERR(test_take(mindl_present(&pp, &b, NULL), &b, &resp,
	    &resplen), MINDL_OK);
	CHECK_ERR(mindl_verify_response(fx.trust, fx.schema, T1 + 3600, req,
	    fx.reader_key, resp, resplen, &v), MINDL_OK);

	/* The same values, element by element, in every copy. */
	CHECK_ERR(entries_open(cred, credlen, &eo), MINDL_OK);
	CHECK_ERR(entries_open(cred2, cred2len, &en), MINDL_OK);
	CHECK(eo.n == NKEYS && en.n == NKEYS);
	for (i = 0; i < en.n && eo.n > 0; i++)
		CHECK(same_disclosure(is_of(&eo, 0), is_of(&en, i), NULL));
	if (eo.n == NKEYS && en.n == NKEYS)
		shares_nothing(&eo, cred2, cred2len, &en);

	entries_close(&eo);
	entries_close(&en);
	mindl_verified_free(&v);
	mindl_request_free(&req);
	mindl_renewal_cred_free(&rc);
	mindl_renewal_cred_free(&rc2);
	mindl_record_free(&rec);
	mindl_key_free(&ds2_key);
	keys_free(old, NKEYS);
	keys_free(nk, NKEYS);
	free(cred);
	free(cred2);
	free(proof);
	free(ds2);
	free(rb);
	free(resp);
	free(chf);
}

/*
 * Derived elements are of the renewal day: a holder who turned 21 since
 * is renewed with age_over_21 true, and nothing else changes.
 */
static void
age_flips(void)
{
	static const char young[] =
	    "{\"family_name\": \"Roe\", \"given_name\": \"Sam\","
	    " \"birth_date\": \"2006-01-01\", \"document_number\": \"D7654321\","
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"B\","
	    " \"issue_date\": \"2024-02-01\"}]}";
	const int64_t t = TEST_T0 + 60 * DAY;	/* 2027: 21 */
	struct mindl_key *old[2] = { 0 }, *nk[2] = { 0 };
	struct mindl_renewal_cred *rc = NULL;
	struct mindl_record *r0 = NULL, *rec = NULL;
	const struct mindl_issuer_item *a, *b;
	struct entries eo, en;
	uint8_t *cred = NULL, *cred2 = NULL;
	size_t credlen = 0, cred2len = 0;
	char err[512];

	memset(&eo, 0, sizeof(eo));
	memset(&en, 0, sizeof(en));
	CHECK_ERR(keys_new(old, 2), MINDL_OK);
	CHECK_ERR(keys_new(nk, 2), MINDL_OK);
	CHECK_ERR(record_at(young, TEST_T0, &r0), MINDL_OK);
	CHECK_ERR(issue_batch(&fx, r0, fx.ds_key, fx.ds, fx.dslen, TEST_T0,
	    old, 2, &cred, &credlen), MINDL_OK);
	CHECK_ERR(mindl_renewal_cred_verify(fx.trust, fx.schema, t, cred,
	    credlen, &rc, NULL), MINDL_OK);
	CHECK_ERR(mindl_renewal_record(rc, fx.schema, t, &rec, err,
	    sizeof(err)), MINDL_OK);
	CHECK_ERR(issue_batch(&fx, rec, fx.ds_key, fx.ds, fx.dslen, t, nk, 2,
	    &cred2, &cred2len), MINDL_OK);
	CHECK_ERR(entries_open(cred, credlen, &eo), MINDL_OK);
	CHECK_ERR(entries_open(cred2, cred2len, &en), MINDL_OK);
	if (eo.n == 2 && en.n == 2) {
		a = find_item(is_of(&eo, 0), "age_over_21");
		b = find_item(is_of(&en, 1), "age_over_21");
		CHECK(a != NULL && a->value->type == MINDL_CBOR_FALSE);
		CHECK(b != NULL && b->value->type == MINDL_CBOR_TRUE);
		CHECK(same_disclosure(is_of(&eo, 0), is_of(&en, 1),
		    "age_over_21"));
	}
	entries_close(&eo);
	entries_close(&en);
	mindl_renewal_cred_free(&rc);
	mindl_record_free(&r0);
	mindl_record_free(&rec);
	keys_free(old, 2);
	keys_free(nk, 2);
	free(cred);
	free(cred2);
}

/* payload re-signed by key: the proof as someone holding key would make. */
static int
resign(const uint8_t *proof, size_t prooflen, const struct mindl_key *key,
    uint8_t **out, size_t *outlen)
{
	struct mindl_cbor *doc = NULL;
	struct mindl_cose_msg m;
	struct mindl_enc e;
	int r;

	*out = NULL;
	*outlen = 0;
	if ((r = mindl_cbor_decode(proof, prooflen, &doc)) != MINDL_OK)
		return r;
	if ((r = mindl_cose_parse(mindl_cbor_root(doc), &m)) != MINDL_OK) {
		mindl_cbor_free(&doc);
		return r;
	}
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	if ((r = test_sign1_write(&e, key, m.payload, m.payloadlen, 0, NULL,
	    0)) == MINDL_OK)
		r = mindl_enc_finish(&e, out, outlen);
	mindl_enc_clear(&e);
	mindl_cose_clear(&m);
	mindl_cbor_free(&doc);
	return r;
}

/* A proof in any shape: payload items written by fn, signed by key. */
static int
proof_raw(const struct mindl_key *key, const uint8_t *payload, size_t plen,
    const uint8_t *x5, size_t x5len, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	int r;

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	if ((r = test_sign1_write(&e, key, payload, plen, 0, x5, x5len)) ==
	    MINDL_OK)
		r = mindl_enc_finish(&e, out, outlen);
	mindl_enc_clear(&e);
	return r;
}

static int
payload(const char *ctx, uint64_t v, size_t nfields, uint8_t **out,
    size_t *outlen)
{
	static const uint8_t z[32];
	struct mindl_enc e;
	size_t i;

	mindl_enc_init(&e, 4096);
	mindl_enc_array(&e, nfields);
	mindl_enc_tstr(&e, ctx);
	mindl_enc_uint(&e, v);
	for (i = 2; i < nfields; i++) {
		if (i == 4)
			mindl_enc_uint(&e, 0);
		else
			mindl_enc_bstr(&e, z, sizeof(z));
	}
	return mindl_enc_finish(&e, out, outlen);
}

/*
 * Refusals of the proof: a key not of the credential, a key of another
 * copy, another challenge, other new keys (others, fewer, reordered),
 * another credential, a new key that is an old one, and proofs of other
 * shapes.
 */
static void
proof_refusals(void)
{
	struct mindl_key *old[NKEYS] = { 0 }, *nk[NKEYS] = { 0 };
	struct mindl_key *other[NKEYS] = { 0 }, *rev[NKEYS], *x = NULL;
	struct mindl_key *mixed[NKEYS];
	uint8_t ch[32], ch2[32];
	uint8_t *cred = NULL, *credb = NULL, *proof = NULL, *bad = NULL;
	uint8_t *pl = NULL;
	size_t credlen = 0, credblen = 0, prooflen = 0, badlen = 0, pllen = 0;
	size_t copy, i;

	CHECK_ERR(keys_new(old, NKEYS), MINDL_OK);
	CHECK_ERR(keys_new(nk, NKEYS), MINDL_OK);
	CHECK_ERR(keys_new(other, NKEYS), MINDL_OK);
	CHECK_ERR(mindl_key_generate(&x), MINDL_OK);
	CHECK_ERR(issue_batch(&fx, fx.rec, fx.ds_key, fx.ds, fx.dslen,
	    TEST_T0, old, NKEYS, &cred, &credlen), MINDL_OK);
	/* The same keys and values, issued again: another file. */
	CHECK_ERR(issue_batch(&fx, fx.rec, fx.ds_key, fx.ds, fx.dslen,
	    TEST_T0, old, NKEYS, &credb, &credblen), MINDL_OK);
	CHECK_ERR(mindl_random(ch, sizeof(ch)), MINDL_OK);
	memcpy(ch2, ch, sizeof(ch2));
	ch2[31] ^= 1;
	CHECK_ERR(proof_by(old[1], ch, cred, credlen, 1, nk, NKEYS, &proof,
	    &prooflen), MINDL_OK);

	/* The holder side refuses to sign with a key not of that copy. */
	CHECK_ERR(proof_by(x, ch, cred, credlen, 1, nk, NKEYS, &bad,
	    &badlen), MINDL_ERR_NOT_DEVICE_KEY);
	CHECK(bad == NULL);
	CHECK_ERR(proof_by(old[0], ch, cred, credlen, 1, nk, NKEYS, &bad,
	    &badlen), MINDL_ERR_NOT_DEVICE_KEY);
	CHECK_ERR(proof_by(old[1], ch, cred, credlen, NKEYS, nk, NKEYS, &bad,
	    &badlen), MINDL_ERR_INVALID_ARG);
	/* ... and to renew onto an old key, or one key twice. */
	memcpy(mixed, nk, sizeof(mixed));
	mixed[3] = old[2];
	CHECK_ERR(proof_by(old[1], ch, cred, credlen, 1, mixed, NKEYS, &bad,
	    &badlen), MINDL_ERR_KEY);
	mixed[3] = nk[0];
	CHECK_ERR(proof_by(old[1], ch, cred, credlen, 1, mixed, NKEYS, &bad,
	    &badlen), MINDL_ERR_KEY);
	CHECK_ERR(proof_by(old[1], ch, cred, credlen, 1, nk, 0, &bad,
	    &badlen), MINDL_ERR_INVALID_ARG);

	/* The same payload signed by a key not of the credential. */
	CHECK_ERR(resign(proof, prooflen, x, &bad, &badlen), MINDL_OK);
	CHECK_ERR(mindl_renewal_proof_verify(bad, badlen, ch, cred, credlen,
	    KEYS(nk), NKEYS, &copy), MINDL_ERR_RENEWAL_PROOF);
	free(bad);
	/* ... by the key of another copy than the one it names. */
	CHECK_ERR(resign(proof, prooflen, old[2], &bad, &badlen), MINDL_OK);
	CHECK_ERR(mindl_renewal_proof_verify(bad, badlen, ch, cred, credlen,
	    KEYS(nk), NKEYS, &copy), MINDL_ERR_RENEWAL_PROOF);
	free(bad);
	/* ... by the right key again: accepted (the test above is fair). */
	CHECK_ERR(resign(proof, prooflen, old[1], &bad, &badlen), MINDL_OK);
	CHECK_ERR(mindl_renewal_proof_verify(bad, badlen, ch, cred, credlen,
	    KEYS(nk), NKEYS, &copy), MINDL_OK);
	free(bad);
	bad = NULL;

	/* Another challenge. */
	CHECK_ERR(mindl_renewal_proof_verify(proof, prooflen, ch2, cred,
	    credlen, KEYS(nk), NKEYS, &copy), MINDL_ERR_CHALLENGE);
	/* Other new keys: others, fewer, the same reordered. */
	CHECK_ERR(mindl_renewal_proof_verify(proof, prooflen, ch, cred,
	    credlen, KEYS(other), NKEYS, &copy), MINDL_ERR_RENEWAL_PROOF);
	CHECK_ERR(mindl_renewal_proof_verify(proof, prooflen, ch, cred,
	    credlen, KEYS(nk), NKEYS - 1, &copy), MINDL_ERR_RENEWAL_PROOF);
	for (i = 0; i < NKEYS; i++)
		rev[i] = nk[NKEYS - 1 - i];
	CHECK_ERR(mindl_renewal_proof_verify(proof, prooflen, ch, cred,
	    credlen, KEYS(rev), NKEYS, &copy), MINDL_ERR_RENEWAL_PROOF);
	/* Another credential file, though of the same keys and values. */
	CHECK_ERR(mindl_renewal_proof_verify(proof, prooflen, ch, credb,
	    credblen, KEYS(nk), NKEYS, &copy), MINDL_ERR_RENEWAL_PROOF);
	/* New keys that include an old device key. */
	memcpy(mixed, nk, sizeof(mixed));
	mixed[0] = old[3];
	CHECK_ERR(mindl_renewal_proof_verify(proof, prooflen, ch, cred,
	    credlen, KEYS(mixed), NKEYS, &copy), MINDL_ERR_RENEWAL_PROOF);

	/* Shapes: tagged, truncated, x5chain, other context and version. */
	{
		uint8_t *t = malloc(prooflen + 2);

		CHECK(t != NULL);
		if (t != NULL) {
			/*
			 * Tag 18 (COSE_Sign1) with a one-byte argument: the
			 * libcbor here refuses the short form d2 as
			 * malformed, and a proof is untagged anyway.
			 */
			t[0] = 0xd8;
			t[1] = 0x12;
			memcpy(t + 2, proof, prooflen);
			CHECK_ERR(mindl_renewal_proof_verify(t, prooflen + 2,
			    ch, cred, credlen, KEYS(nk), NKEYS, &copy),
			    MINDL_ERR_CBOR_TAG);
			CHECK_ERR(mindl_renewal_proof_verify(t + 2,
			    prooflen - 1, ch, cred, credlen, KEYS(nk), NKEYS,
			    &copy), MINDL_ERR_CBOR);
			free(t);
		}
	}
	CHECK_ERR(payload("mindl.RenewalProof", 1, 6, &pl, &pllen), MINDL_OK);
	CHECK_ERR(proof_raw(old[0], pl, pllen, fx.ds, fx.dslen, &bad,
	    &badlen), MINDL_OK);
	CHECK_ERR(mindl_renewal_proof_verify(bad, badlen, ch, cred, credlen,
	    KEYS(nk), NKEYS, &copy), MINDL_ERR_COSE_HEADER);
	free(bad);
	CHECK_ERR(proof_raw(old[0], pl, pllen, NULL, 0, &bad, &badlen),
	    MINDL_OK);
	/* Well formed, for copy 0 by its key: only the bindings differ. */
	CHECK_ERR(mindl_renewal_proof_verify(bad, badlen, ch, cred, credlen,
	    KEYS(nk), NKEYS, &copy), MINDL_ERR_CHALLENGE);
	free(bad);
	free(pl);
	CHECK_ERR(payload("DeviceAuthentication", 1, 6, &pl, &pllen),
	    MINDL_OK);
	CHECK_ERR(proof_raw(old[0], pl, pllen, NULL, 0, &bad, &badlen),
	    MINDL_OK);
	CHECK_ERR(mindl_renewal_proof_verify(bad, badlen, ch, cred, credlen,
	    KEYS(nk), NKEYS, &copy), MINDL_ERR_RENEWAL_PROOF);
	free(bad);
	free(pl);
	CHECK_ERR(payload("mindl.RenewalProof", 2, 6, &pl, &pllen), MINDL_OK);
	CHECK_ERR(proof_raw(old[0], pl, pllen, NULL, 0, &bad, &badlen),
	    MINDL_OK);
	CHECK_ERR(mindl_renewal_proof_verify(bad, badlen, ch, cred, credlen,
	    KEYS(nk), NKEYS, &copy), MINDL_ERR_VERSION);
	free(bad);
	free(pl);
	CHECK_ERR(payload("mindl.RenewalProof", 1, 7, &pl, &pllen), MINDL_OK);
	CHECK_ERR(proof_raw(old[0], pl, pllen, NULL, 0, &bad, &badlen),
	    MINDL_OK);
	CHECK_ERR(mindl_renewal_proof_verify(bad, badlen, ch, cred, credlen,
	    KEYS(nk), NKEYS, &copy), MINDL_ERR_CBOR_TYPE);
	free(bad);
	free(pl);
	/* A device signature's payload is a tag 24: never a proof. */
	{
		static const uint8_t da[] = { 0xd8, 0x18, 0x41, 0x80 };

		CHECK_ERR(proof_raw(old[0], da, sizeof(da), NULL, 0, &bad,
		    &badlen), MINDL_OK);
		CHECK_ERR(mindl_renewal_proof_verify(bad, badlen, ch, cred,
		    credlen, KEYS(nk), NKEYS, &copy), MINDL_ERR_CBOR_TYPE);
		free(bad);
	}

	keys_free(old, NKEYS);
	keys_free(nk, NKEYS);
	keys_free(other, NKEYS);
	mindl_key_free(&x);
	free(cred);
	free(credb);
	free(proof);
}

/* bytes with [off, off + oldlen) replaced by rep[0..replen). */
static uint8_t *
splice(const uint8_t *b, size_t len, size_t off, size_t oldlen,
    const uint8_t *rep, size_t replen, size_t *outlen)
{
	uint8_t *o = malloc(len - oldlen + replen);

	if (o == NULL)
		return NULL;
	memcpy(o, b, off);
	memcpy(o + off, rep, replen);
	memcpy(o + off + replen, b + off + oldlen, len - off - oldlen);
	*outlen = len - oldlen + replen;
	return o;
}

static void
refused(const uint8_t *cred, size_t len, int64_t at, int want_cause,
    size_t want_copy)
{
	struct mindl_renewal_cred *rc = NULL;
	struct mindl_renewal_fault f;

	CHECK_ERR(mindl_renewal_cred_verify(fx.trust, fx.schema, at, cred, len,
	    &rc, &f), MINDL_ERR_NOT_ISSUED_HERE);
	CHECK(rc == NULL);
	if (f.cause != want_cause)
		fprintf(stderr, "cause %s, want %s\n", mindl_errname(f.cause),
		    mindl_errname(want_cause));
	CHECK(f.cause == want_cause && f.copy == want_copy && f.what != NULL);
	mindl_renewal_cred_free(&rc);
}

/*
 * Refusals of the old credential: a value re-encoded, one byte altered
 * (in a value, in a signature), copies of two credentials spliced, a
 * credential of another IACA, one signed after the renewal time; and
 * the licence past its expiry_date.
 */
static void
cred_refusals(void)
{
	static const char other_rec[] =
	    "{\"family_name\": \"Poe\", \"given_name\": \"Alex\","
	    " \"birth_date\": \"1990-04-15\", \"document_number\": \"D1234567\","
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\"}],"
	    " \"sex\": 2, \"height\": 170, \"eye_colour\": \"brown\"}";
	struct mindl_key *old[NKEYS] = { 0 };
	struct mindl_renewal_cred *rc = NULL;
	struct mindl_record *r2 = NULL, *rec = NULL;
	const struct mindl_issuer_item *ii;
	const struct mindl_cose_msg *m;
	struct test_fx fx2;
	struct entries en, eb;
	struct mindl_enc e;
	uint8_t *cred = NULL, *credb = NULL, *t = NULL, *item = NULL;
	size_t credlen = 0, credblen = 0, tlen = 0, itemlen = 0, off;
	char err[512];

	memset(&en, 0, sizeof(en));
	memset(&eb, 0, sizeof(eb));
	CHECK_ERR(keys_new(old, NKEYS), MINDL_OK);
	CHECK_ERR(issue_batch(&fx, fx.rec, fx.ds_key, fx.ds, fx.dslen,
	    TEST_T0, old, NKEYS, &cred, &credlen), MINDL_OK);
	CHECK_ERR(entries_open(cred, credlen, &en), MINDL_OK);
	if (en.n != NKEYS)
		goto out;

	/* family_name of copy 1 re-encoded as another name, same salt. */
	ii = find_item(is_of(&en, 1), "family_name");
	CHECK(ii != NULL);
	if (ii == NULL)
		goto out;
	mindl_enc_init(&e, 4096);
	mindl_enc_map(&e, 4);
	mindl_enc_tstr(&e, "digestID");
	mindl_enc_uint(&e, ii->digest_id);
	mindl_enc_tstr(&e, "random");
	mindl_enc_bstr(&e, ii->random->ptr, ii->random->len);
	mindl_enc_tstr(&e, "elementIdentifier");
	mindl_enc_tstr(&e, "family_name");
	mindl_enc_tstr(&e, "elementValue");
	mindl_enc_tstr(&e, "Smith");
	CHECK_ERR(mindl_enc_finish(&e, &t, &tlen), MINDL_OK);
	mindl_enc_init(&e, 4096);
	mindl_enc_embedded(&e, t, tlen);
	free(t);
	t = NULL;
	CHECK_ERR(mindl_enc_finish(&e, &item, &itemlen), MINDL_OK);
	off = (size_t)(ii->bytes->enc - cred);
	t = splice(cred, credlen, off, ii->bytes->enclen, item, itemlen,
	    &tlen);
	CHECK(t != NULL);
	if (t != NULL)
		refused(t, tlen, T1, MINDL_ERR_DIGEST, 1);
	free(t);
	free(item);

	/* One byte of copy 3's given_name ("Alex" -> "Blex"). */
	ii = find_item(is_of(&en, 3), "given_name");
	if ((t = malloc(credlen)) != NULL && ii != NULL) {
		memcpy(t, cred, credlen);
		t[ii->value->ptr - cred] ^= 0x03;
		refused(t, credlen, T1, MINDL_ERR_DIGEST, 3);
	}
	free(t);
	/* One byte of copy 0's signature. */
	m = mindl_mso_sign1(mindl_issuer_signed_mso(is_of(&en, 0)));
	if ((t = malloc(credlen)) != NULL) {
		memcpy(t, cred, credlen);
		t[m->tag + 7 - cred] ^= 0x80;
		refused(t, credlen, T1, MINDL_ERR_SIGNATURE, 0);
	}
	free(t);
	t = NULL;

	/* Copies of two credentials (other values) in one file. */
	CHECK_ERR(record_at(other_rec, TEST_T0, &r2), MINDL_OK);
	CHECK_ERR(issue_batch(&fx, r2, fx.ds_key, fx.ds, fx.dslen, TEST_T0,
	    old, 1, &credb, &credblen), MINDL_OK);
	CHECK_ERR(entries_open(credb, credblen, &eb), MINDL_OK);
	if (eb.n == 1) {
		const struct mindl_cbor_item *a, *b;

		a = mindl_document_item(en.d[0]);
		b = mindl_document_item(eb.d[0]);
		tlen = 1 + a->enclen + b->enclen;
		if ((t = malloc(tlen)) != NULL) {
			t[0] = 0x82;
			memcpy(t + 1, a->enc, a->enclen);
			memcpy(t + 1 + a->enclen, b->enc, b->enclen);
			refused(t, tlen, T1, MINDL_ERR_NOT_ISSUED_HERE, 1);
		}
		free(t);
		t = NULL;
	}

	/* Another DMV's credential, though it is well made. */
	CHECK_ERR(test_fx_setup(&fx2), MINDL_OK);
	free(credb);
	credb = NULL;
	CHECK_ERR(issue_batch(&fx2, fx2.rec, fx2.ds_key, fx2.ds, fx2.dslen,
	    TEST_T0, old, 2, &credb, &credblen), MINDL_OK);
	refused(credb, credblen, T1, MINDL_ERR_UNTRUSTED, 0);
	CHECK_ERR(mindl_renewal_cred_verify(fx2.trust, fx2.schema, T1, credb,
	    credblen, &rc, NULL), MINDL_OK);
	mindl_renewal_cred_free(&rc);
	test_fx_free(&fx2);

	/* Signed after the renewal time: a clock, or a forgery. */
	refused(cred, credlen, TEST_T0 - 2 * DAY, MINDL_ERR_SIGNED_LATER, 0);
	/* Not a credential at all: said as it is. */
	CHECK_ERR(mindl_renewal_cred_verify(fx.trust, fx.schema, T1, cred,
	    credlen - 1, &rc, NULL), MINDL_ERR_CBOR);

	/* The licence expired: refused; on its expiry day: renewed. */
	CHECK_ERR(mindl_renewal_cred_verify(fx.trust, fx.schema,
	    TEST_T0 + 1500 * DAY, cred, credlen, &rc, NULL), MINDL_OK);
	CHECK_ERR(mindl_renewal_record(rc, fx.schema, TEST_T0 + 1500 * DAY,
	    &rec, err, sizeof(err)), MINDL_ERR_LICENCE_EXPIRED);
	CHECK(rec == NULL && strstr(err, "expired") != NULL);
	CHECK_ERR(mindl_renewal_record(rc, fx.schema,
	    mindl_record_expiry_day(fx.rec) * DAY + DAY - 1, &rec, err,
	    sizeof(err)), MINDL_OK);
	mindl_record_free(&rec);
	CHECK_ERR(mindl_renewal_record(rc, fx.schema,
	    (mindl_record_expiry_day(fx.rec) + 1) * DAY, &rec, err,
	    sizeof(err)), MINDL_ERR_LICENCE_EXPIRED);
	mindl_renewal_cred_free(&rc);
 out:
	entries_close(&en);
	entries_close(&eb);
	mindl_record_free(&r2);
	mindl_record_free(&rec);
	keys_free(old, NKEYS);
	free(cred);
	free(credb);
}

/*
 * The record check runs again on renewal: a licence's kept dates must
 * make sense, and a record the rules refuse is refused on renewal too.
 */
static void
record_renewal(void)
{
	static const char derived[] =
	    "{\"family_name\": \"Doe\", \"age_over_21\": true}";
	struct mindl_record *rec = NULL;
	const int64_t d0 = TEST_T0 / DAY;
	char err[512];

	CHECK_ERR(mindl_record_parse_renewal(fx.schema, test_fx_record,
	    strlen(test_fx_record), test_jpeg, sizeof(test_jpeg), T1, d0,
	    d0 + 1461, &rec, err, sizeof(err)), MINDL_OK);
	CHECK(rec != NULL && mindl_record_issue_day(rec) == d0 &&
	    mindl_record_expiry_day(rec) == d0 + 1461);
	mindl_record_free(&rec);
	/* Issued after today; expiring before it was issued. */
	CHECK_ERR(mindl_record_parse_renewal(fx.schema, test_fx_record,
	    strlen(test_fx_record), test_jpeg, sizeof(test_jpeg), TEST_T0,
	    d0 + 1, d0 + 1461, &rec, err, sizeof(err)), MINDL_ERR_POLICY);
	CHECK_ERR(mindl_record_parse_renewal(fx.schema, test_fx_record,
	    strlen(test_fx_record), test_jpeg, sizeof(test_jpeg), TEST_T0,
	    d0, d0, &rec, err, sizeof(err)), MINDL_ERR_POLICY);
	/* A field a record may not hold is refused on renewal as well. */
	CHECK_ERR(mindl_record_parse_renewal(fx.schema, derived,
	    strlen(derived), test_jpeg, sizeof(test_jpeg), T1, d0, d0 + 1461,
	    &rec, err, sizeof(err)), MINDL_ERR_POLICY);
	CHECK(rec == NULL);
	CHECK(fx.rec != NULL &&
	    strcmp(mindl_record_document_number(fx.rec), "D1234567") == 0);
}

/* The challenge file: round trip and every refusal of its parser. */
static void
challenge(void)
{
	uint8_t ch[32], got[32];
	struct mindl_buf b;
	struct mindl_enc e;
	uint8_t *buf = NULL;
	size_t len = 0;
	int64_t exp = 0;
	int i;

	memset(ch, 0x5a, sizeof(ch));
	mindl_buf_init(&b, 1024);
	CHECK_ERR(mindl_renewal_challenge_write(ch, -1, &b),
	    MINDL_ERR_INVALID_ARG);
	CHECK_ERR(test_take(mindl_renewal_challenge_write(ch, 1234567, &b),
	    &b, &buf, &len), MINDL_OK);
	CHECK_ERR(mindl_renewal_challenge_parse(buf, len, got, &exp),
	    MINDL_OK);
	CHECK(memcmp(got, ch, 32) == 0 && exp == 1234567);
	CHECK_ERR(mindl_renewal_challenge_parse(buf, len - 1, got, &exp),
	    MINDL_ERR_CBOR);
	free(buf);
	/* 0: v 2; 1: other type; 2: short; 3: extra key; 4: no exp; */
	/* 5: negative exp; 6: an array */
	for (i = 0; i < 7; i++) {
		mindl_enc_init(&e, 1024);
		if (i == 6) {
			mindl_enc_array(&e, 0);
		} else {
			mindl_enc_map(&e, i == 3 ? 5 : i == 4 ? 3 : 4);
			mindl_enc_tstr(&e, "v");
			mindl_enc_uint(&e, i == 0 ? 2 : 1);
			mindl_enc_tstr(&e, "type");
			mindl_enc_tstr(&e, i == 1 ? "mindl.Challenge" :
			    "mindl.RenewalChallenge");
			mindl_enc_tstr(&e, "challenge");
			mindl_enc_bstr(&e, ch, i == 2 ? 31 : 32);
			if (i != 4) {
				mindl_enc_tstr(&e, "exp");
				mindl_enc_int(&e, i == 5 ? -5 : 5);
			}
			if (i == 3) {
				mindl_enc_tstr(&e, "note");
				mindl_enc_tstr(&e, "x");
			}
		}
		CHECK_ERR(mindl_enc_finish(&e, &buf, &len), MINDL_OK);
		CHECK_ERR(mindl_renewal_challenge_parse(buf, len, got, &exp),
		    i == 0 ? MINDL_ERR_VERSION : i == 4 ? MINDL_ERR_MISSING :
		    MINDL_ERR_CBOR_TYPE);
		free(buf);
		buf = NULL;
	}
}

int
main(void)
{
	if (test_fx_setup(&fx) != MINDL_OK) {
		fprintf(stderr, "set-up failed\n");
		return 1;
	}
	RUN(challenge);
	RUN(record_renewal);
	RUN(flow);
	RUN(age_flips);
	RUN(proof_refusals);
	RUN(cred_refusals);
	test_fx_free(&fx);
	UNIT_DONE();
}
