/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: issue -> request -> present -> verify through the core API,
 * and the verifier's refusals, each with its named error.
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

struct fixture {
	struct mindl_schema	*schema;
	struct mindl_key	*iaca_key, *ds_key, *dev_key, *reader_key;
	uint8_t			*iaca, *ds;
	size_t			 iacalen, dslen;
	struct mindl_trust	*trust;
	uint8_t			*cred;
	size_t			 credlen;
};

static struct fixture fx;

static int
setup(void)
{
	struct mindl_iaca_params ip = { "US", "SS", "Test IACA",
	    "mailto:iaca@example.invalid", T0 - 86400 * 10, 3650 };
	struct mindl_ds_params dp = { NULL, T0 - 86400 * 5, 365 };
	struct mindl_record *rec = NULL;
	struct mindl_issue_params p;
	char err[256];
	int r;

	if ((r = mindl_schema_builtin(&fx.schema)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx.iaca_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx.ds_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx.dev_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx.reader_key)) != MINDL_OK ||
	    (r = mindl_x509_make_iaca(fx.iaca_key, &ip, &fx.iaca,
	    &fx.iacalen)) != MINDL_OK ||
	    (r = mindl_x509_make_ds(fx.iaca_key, fx.iaca, fx.iacalen,
	    fx.ds_key, &dp, &fx.ds, &fx.dslen)) != MINDL_OK ||
	    (r = mindl_trust_new(&fx.trust)) != MINDL_OK ||
	    (r = mindl_trust_add_der(fx.trust, fx.iaca, fx.iacalen)) !=
	    MINDL_OK)
		return r;
	if ((r = mindl_record_parse(fx.schema, record, strlen(record),
	    portrait, sizeof(portrait), T0, &rec, err, sizeof(err))) !=
	    MINDL_OK) {
		fprintf(stderr, "record: %s\n", err);
		return r;
	}
	memset(&p, 0, sizeof(p));
	p.record = rec;
	p.policy = mindl_schema_policy(fx.schema);
	p.ds_cert = fx.ds;
	p.ds_certlen = fx.dslen;
	p.device_pub = fx.dev_key;
	p.now = T0;
	r = test_issue(&p, fx.ds_key, &fx.cred, &fx.credlen, NULL);
	mindl_record_free(&rec);
	return r;
}

static void
teardown(void)
{
	mindl_schema_free(&fx.schema);
	mindl_key_free(&fx.iaca_key);
	mindl_key_free(&fx.ds_key);
	mindl_key_free(&fx.dev_key);
	mindl_key_free(&fx.reader_key);
	mindl_trust_free(&fx.trust);
	free(fx.iaca);
	free(fx.ds);
	free(fx.cred);
}

/* Request for a profile, the holder's answer, as files. */
static int
exchange(const char *profile, enum mindl_devauth auth,
    struct mindl_request **req, uint8_t **resp, size_t *resplen)
{
	uint8_t *rb = NULL;
	size_t rblen = 0;
	int r;

	if ((r = mindl_request_create(mindl_schema_profile(fx.schema,
	    profile), fx.reader_key, &rb, &rblen)) != MINDL_OK)
		return r;
	r = mindl_request_parse(rb, rblen, req);
	free(rb);
	if (r != MINDL_OK)
		return r;
	return test_present(fx.cred, fx.credlen, fx.dev_key, *req,
	    fx.schema, auth, resp, resplen, NULL);
}

static void
round_trip_profiles(void)
{
	const struct mindl_profile *p;
	struct mindl_request *req = NULL;
	struct mindl_verified *v = NULL;
	uint8_t *resp = NULL;
	size_t resplen = 0, i, j;
	const char *ns, *id;
	int auth, found;

	for (i = 0; i < mindl_schema_profile_count(fx.schema); i++) {
		p = mindl_schema_profile_at(fx.schema, i);
		for (auth = 1; auth <= 2; auth++) {
			CHECK_ERR(exchange(mindl_profile_id(p),
			    (enum mindl_devauth)auth, &req, &resp, &resplen),
			    MINDL_OK);
			CHECK_ERR(mindl_verify_response(fx.trust, fx.schema,
			    T0 + 3600, req, fx.reader_key, resp, resplen, &v),
			    MINDL_OK);
			if (v != NULL) {
				/* exactly the profile's elements */
				CHECK(mindl_verified_count(v) ==
				    mindl_profile_count(p));
				for (j = 0; j < mindl_profile_count(p); j++) {
					mindl_profile_element(p, j, &ns, &id);
					found = 0;
					for (size_t k = 0; k <
					    mindl_verified_count(v); k++)
						found |= strcmp(mindl_verified_at(
						    v, k)->id, id) == 0;
					CHECK(found);
				}
				CHECK(mindl_verified_devauth(v) == (enum mindl_devauth)auth);
			}
			mindl_verified_free(&v);
			mindl_request_free(&req);
			free(resp);
			resp = NULL;
		}
	}
}

/* Flip the byte at offset off of a copy and verify: the error expected. */
static int
verify_mutated(const struct mindl_request *req, const uint8_t *resp,
    size_t len, size_t off, uint8_t x)
{
	struct mindl_verified *v = NULL;
	uint8_t *m = malloc(len);
	int r;

	memcpy(m, resp, len);
	m[off] ^= x;
	r = mindl_verify_response(fx.trust, fx.schema, T0 + 3600, req,
	    fx.reader_key, m, len, &v);
	CHECK(r != MINDL_OK || v != NULL);
	mindl_verified_free(&v);
	free(m);
	return r;
}

static size_t
find_bytes(const uint8_t *h, size_t hl, const void *n, size_t nl)
{
	size_t i;

	for (i = 0; i + nl <= hl; i++)
		if (memcmp(h + i, n, nl) == 0)
			return i;
	return (size_t)-1;
}

static void
tamper(void)
{
	struct mindl_request *req = NULL;
	struct mindl_verified *v = NULL;
	uint8_t *resp = NULL;
	size_t len = 0, off;

	CHECK_ERR(exchange("traffic-stop", MINDL_DEVAUTH_MAC, &req, &resp,
	    &len), MINDL_OK);
	if (resp == NULL)
		return;
	/* An element value changed: issuer signature still valid. */
	off = find_bytes(resp, len, "Doe", 3);
	CHECK(off != (size_t)-1);
	CHECK_ERR(verify_mutated(req, resp, len, off, 0x01), MINDL_ERR_DIGEST);
	/*
	 * The last bytes of the file, deviceEngagement's (keys sort by
	 * length): the transcript changes, the readerKeyDigest still names
	 * this request, so it is no other request's answer but a forgery.
	 */
	CHECK_ERR(verify_mutated(req, resp, len, len - 1, 0x01),
	    MINDL_ERR_DEVICE_AUTH);
	/* Wrong time: before validFrom, after validUntil. */
	CHECK_ERR(mindl_verify_response(fx.trust, fx.schema, T0 - 86400 * 2,
	    req, fx.reader_key, resp, len, &v), MINDL_ERR_NOT_YET_VALID);
	CHECK_ERR(mindl_verify_response(fx.trust, fx.schema, T0 + 86400 * 40,
	    req, fx.reader_key, resp, len, &v), MINDL_ERR_EXPIRED);
	/*
	 * Replay: the same response against another session's request.  Its
	 * readerKeyDigest names the request it answered: "present again".
	 */
	{
		struct mindl_request *req2 = NULL;
		struct mindl_key *k2 = NULL;
		uint8_t *rb = NULL;
		size_t rblen = 0;

		/* Every request carries a fresh ephemeral reader key. */
		CHECK_ERR(mindl_key_generate(&k2), MINDL_OK);
		CHECK_ERR(mindl_request_create(mindl_schema_profile(fx.schema,
		    "traffic-stop"), k2, &rb, &rblen), MINDL_OK);
		CHECK_ERR(mindl_request_parse(rb, rblen, &req2), MINDL_OK);
		CHECK_ERR(mindl_verify_response(fx.trust, fx.schema, T0 + 3600,
		    req2, k2, resp, len, &v), MINDL_ERR_OTHER_REQUEST);
		mindl_request_free(&req2);
		mindl_key_free(&k2);
		free(rb);
	}
	/* Trailing byte after the response. */
	{
		uint8_t *m = malloc(len + 1);

		memcpy(m, resp, len);
		m[len] = 0;
		CHECK_ERR(mindl_verify_response(fx.trust, fx.schema, T0 + 3600,
		    req, fx.reader_key, m, len + 1, &v),
		    MINDL_ERR_CBOR_TRAILING);
		free(m);
	}
	/* An untrusted store. */
	{
		struct mindl_trust *t = NULL;
		struct mindl_key *k = NULL;
		struct mindl_iaca_params ip = { "US", "SS", "Other IACA",
		    "mailto:o@example.invalid", T0 - 86400, 3650 };
		uint8_t *other = NULL;
		size_t olen = 0;

		CHECK_ERR(mindl_key_generate(&k), MINDL_OK);
		CHECK_ERR(mindl_x509_make_iaca(k, &ip, &other, &olen),
		    MINDL_OK);
		CHECK_ERR(mindl_trust_new(&t), MINDL_OK);
		CHECK_ERR(mindl_trust_add_der(t, other, olen), MINDL_OK);
		CHECK_ERR(mindl_verify_response(t, fx.schema, T0 + 3600, req,
		    fx.reader_key, resp, len, &v), MINDL_ERR_UNTRUSTED);
		mindl_trust_free(&t);
		mindl_key_free(&k);
		free(other);
	}
	CHECK(v == NULL);
	mindl_request_free(&req);
	free(resp);
}

/* The response file rewritten without its readerKeyDigest (*out malloc'd). */
static int
without_digest(const uint8_t *resp, size_t len, uint8_t **out, size_t *outlen)
{
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *de, *dr;
	struct mindl_enc e;
	int r;

	*out = NULL;
	if ((r = mindl_cbor_decode(resp, len, &doc)) != MINDL_OK ||
	    (r = mindl_response_envelope(mindl_cbor_root(doc), &de, &dr)) !=
	    MINDL_OK) {
		mindl_cbor_free(&doc);
		return r;
	}
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "v");
	mindl_enc_uint(&e, 1);
	mindl_enc_tstr(&e, "deviceEngagement");
	mindl_enc_bstr(&e, de->ptr, de->len);
	mindl_enc_tstr(&e, "deviceResponse");
	mindl_enc_raw(&e, dr->enc, dr->enclen);
	r = mindl_enc_finish(&e, out, outlen);
	mindl_cbor_free(&doc);
	return r;
}

/*
 * A response answering request A, verified against request B: device
 * authentication fails either way, and the envelope's readerKeyDigest
 * tells "another request" (MINDL_ERR_OTHER_REQUEST) from a forgery
 * (MINDL_ERR_DEVICE_AUTH).  The digest is a hint, never a verdict.
 */
static void
other_request(void)
{
	struct mindl_request *a = NULL, *b = NULL;
	struct mindl_verified *v = NULL;
	struct mindl_key *kb = NULL;
	const uint8_t *erk;
	uint8_t *resp = NULL, *rb = NULL, *bare = NULL, *st = NULL, h[32];
	size_t len = 0, rblen = 0, barelen = 0, stlen = 0, erklen, off;
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *de, *dr;
	int auth;

	CHECK_ERR(mindl_key_generate(&kb), MINDL_OK);
	CHECK_ERR(mindl_request_create(mindl_schema_profile(fx.schema,
	    "age-21"), kb, &rb, &rblen), MINDL_OK);
	CHECK_ERR(mindl_request_parse(rb, rblen, &b), MINDL_OK);
	for (auth = 1; auth <= 2 && b != NULL; auth++) {
		CHECK_ERR(exchange("age-21", (enum mindl_devauth)auth, &a,
		    &resp, &len), MINDL_OK);
		if (resp == NULL)
			break;
		/* The digest is SHA-256 over A's eReaderKey bytes. */
		mindl_request_erk(a, &erk, &erklen);
		CHECK_ERR(mindl_sha256(erk, erklen, h), MINDL_OK);
		off = find_bytes(resp, len, "readerKeyDigest", 15);
		CHECK(off != (size_t)-1 && off + 17 + 32 <= len &&
		    resp[off + 15] == 0x58 && resp[off + 16] == 0x20 &&
		    memcmp(resp + off + 17, h, 32) == 0);
		CHECK_ERR(mindl_verify_response(fx.trust, fx.schema, T0 + 3600,
		    a, fx.reader_key, resp, len, &v), MINDL_OK);
		mindl_verified_free(&v);
		CHECK_ERR(mindl_verify_response(fx.trust, fx.schema, T0 + 3600,
		    b, kb, resp, len, &v), MINDL_ERR_OTHER_REQUEST);
		CHECK(v == NULL);
		/* Without the digest: no diagnosis, and still accepted. */
		CHECK_ERR(without_digest(resp, len, &bare, &barelen),
		    MINDL_OK);
		if (bare != NULL) {
			CHECK_ERR(mindl_verify_response(fx.trust, fx.schema,
			    T0 + 3600, b, kb, bare, barelen, &v),
			    MINDL_ERR_DEVICE_AUTH);
			CHECK_ERR(mindl_verify_response(fx.trust, fx.schema,
			    T0 + 3600, a, fx.reader_key, bare, barelen, &v),
			    MINDL_OK);
			mindl_verified_free(&v);
		}
		free(bare);
		bare = NULL;
		/*
		 * Another digest on a response whose transcript is A's: the
		 * transcript counts, the hint is not read.
		 */
		if (off != (size_t)-1 && off + 17 + 32 <= len) {
			resp[off + 17] ^= 0x01;
			CHECK_ERR(mindl_verify_response(fx.trust, fx.schema,
			    T0 + 3600, a, fx.reader_key, resp, len, &v),
			    MINDL_OK);
			mindl_verified_free(&v);
			resp[off + 17] ^= 0x01;
		}
		/* An issuer-side failure is reported as such, not as B's. */
		CHECK_ERR(mindl_verify_response(fx.trust, fx.schema,
		    T0 + 86400 * 40, b, kb, resp, len, &v), MINDL_ERR_EXPIRED);
		/* The bare mode has no envelope: a failure stays one. */
		if (mindl_cbor_decode(resp, len, &doc) == MINDL_OK &&
		    mindl_response_envelope(mindl_cbor_root(doc), &de, &dr) ==
		    MINDL_OK) {
			mindl_request_erk(b, &erk, &erklen);
			CHECK_ERR(mindl_transcript_bytes(de->ptr, de->len, erk,
			    erklen, &st, &stlen), MINDL_OK);
			CHECK_ERR(mindl_verify_device_response(fx.trust,
			    fx.schema, T0 + 3600, st, stlen, kb, dr->enc,
			    dr->enclen, &v), MINDL_ERR_DEVICE_AUTH);
		} else
			CHECK(0);
		mindl_cbor_free(&doc);
		free(st);
		st = NULL;
		CHECK(v == NULL);
		mindl_request_free(&a);
		free(resp);
		resp = NULL;
	}
	mindl_request_free(&b);
	mindl_key_free(&kb);
	free(rb);
}

static void
withheld(void)
{
	struct mindl_request *req = NULL;
	uint8_t *rb = NULL, *resp = NULL;
	size_t rblen = 0, len = 0;
	struct mindl_present_report rep;

	/* An age-21 request answers only age_over_21 and the portrait. */
	CHECK_ERR(mindl_request_create(mindl_schema_profile(fx.schema,
	    "age-21"), fx.reader_key, &rb, &rblen), MINDL_OK);
	CHECK_ERR(mindl_request_parse(rb, rblen, &req), MINDL_OK);
	CHECK_ERR(test_present(fx.cred, fx.credlen, fx.dev_key, req,
	    fx.schema, MINDL_DEVAUTH_MAC, &resp, &len, &rep), MINDL_OK);
	CHECK(rep.released == 2 && rep.withheld_profile == 0);
	CHECK(find_bytes(resp, len, "Doe", 3) == (size_t)-1);
	CHECK(find_bytes(resp, len, "1990-04-15", 10) == (size_t)-1);
	mindl_request_free(&req);
	free(rb);
	free(resp);
}

/*
 * Rule 7: a deviceMac proves nothing to a third party.  With every byte
 * of the session but its own key in place of the verifier's ephemeral
 * one, it cannot check the MAC (mindl-verifier refuses such a key before
 * verifying; the library shows why it has to).
 */
static void
mac_needs_reader_key(void)
{
	struct mindl_verified *v = NULL;
	struct mindl_request *req = NULL;
	struct mindl_key *other = NULL;
	uint8_t *rb = NULL, *resp = NULL;
	size_t rblen = 0, len = 0;
	struct mindl_present_report rep;

	CHECK_ERR(mindl_key_generate(&other), MINDL_OK);
	CHECK_ERR(mindl_request_create(mindl_schema_profile(fx.schema,
	    "age-21"), fx.reader_key, &rb, &rblen), MINDL_OK);
	CHECK_ERR(mindl_request_parse(rb, rblen, &req), MINDL_OK);
	CHECK_ERR(test_present(fx.cred, fx.credlen, fx.dev_key, req,
	    fx.schema, MINDL_DEVAUTH_MAC, &resp, &len, &rep), MINDL_OK);
	CHECK_ERR(mindl_request_reader_key_is(req, fx.reader_key), MINDL_OK);
	CHECK_ERR(mindl_request_reader_key_is(req, other),
	    MINDL_ERR_KEY_MISMATCH);
	CHECK_ERR(mindl_verify_response(fx.trust, fx.schema, T0 + 3600, req,
	    fx.reader_key, resp, len, &v), MINDL_OK);
	mindl_verified_free(&v);
	CHECK_ERR(mindl_verify_response(fx.trust, fx.schema, T0 + 3600, req,
	    other, resp, len, &v), MINDL_ERR_DEVICE_AUTH);
	CHECK(v == NULL);
	mindl_request_free(&req);
	mindl_key_free(&other);
	free(rb);
	free(resp);
}

/* Copies schemas/NAME into dir, replacing the first `from' with `to'. */
static int
copy_schema_file(const char *dir, const char *name, const char *from,
    const char *to)
{
	char src[256], dst[256], *out;
	uint8_t *buf = NULL;
	size_t len = 0, n;
	const char *p;
	int r;

	snprintf(src, sizeof(src), "schemas/%s", name);
	snprintf(dst, sizeof(dst), "%s/%s", dir, name);
	if (mindl_file_read(src, 65536, &buf, &len) != MINDL_OK)
		return -1;
	if (from == NULL || (p = strstr((char *)buf, from)) == NULL) {
		r = mindl_file_write(dst, buf, len, 0);
		free(buf);
		return from == NULL && r == MINDL_OK ? 0 : -1;
	}
	n = len + strlen(to) + 1;
	out = malloc(n);
	snprintf(out, n, "%.*s%s%s", (int)(p - (char *)buf), (char *)buf, to,
	    p + strlen(from));
	r = mindl_file_write(dst, (uint8_t *)out, strlen(out), 0);
	free(out);
	free(buf);
	return r == MINDL_OK ? 0 : -1;
}

/*
 * ISO 18013-5 7.2.5 answers a missing age_over_NN with the nearest one;
 * the holder withholds that answer when the request's profile does not
 * list it (a mindl verifier would drop it unseen anyway).  The credential
 * comes from a policy whose age set lacks 21.
 */
static void
nearest_age_withheld(void)
{
	char dir[] = "/tmp/mindl-ages-XXXXXX", err[256], path[300];
	struct mindl_schema *s = NULL;
	struct mindl_record *rec = NULL;
	struct mindl_issue_params p;
	struct mindl_request *req = NULL;
	struct mindl_present_report rep;
	uint8_t *cred = NULL, *rb = NULL, *resp = NULL;
	size_t credlen = 0, rblen = 0, len = 0, i;
	int ok;

	CHECK(mkdtemp(dir) != NULL);
	ok = copy_schema_file(dir, "policy.json", "[16, 18, 21, 25, 65]",
	    "[16, 18, 25, 65]") == 0 &&
	    copy_schema_file(dir, "profiles.json",
	    "\"true\": [\"age_over_21\"] },\n\t\t\t\"elements\": [\n"
	    "\t\t\t\t[\"org.iso.18013.5.1\", \"age_over_21\"]",
	    "\"true\": [\"age_over_16\"] },\n\t\t\t\"elements\": [\n"
	    "\t\t\t\t[\"org.iso.18013.5.1\", \"age_over_16\"]") == 0 &&
	    copy_schema_file(dir, "elements-iso.json", NULL, NULL) == 0 &&
	    copy_schema_file(dir, "elements-aamva.json", NULL, NULL) == 0;
	CHECK(ok);
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)), MINDL_OK);
	if (s != NULL) {
		CHECK_ERR(mindl_record_parse(s, record, strlen(record),
		    portrait, sizeof(portrait), T0, &rec, err, sizeof(err)),
		    MINDL_OK);
		memset(&p, 0, sizeof(p));
		p.record = rec;
		p.policy = mindl_schema_policy(s);
		p.ds_cert = fx.ds;
		p.ds_certlen = fx.dslen;
		p.device_pub = fx.dev_key;
		p.now = T0;
		CHECK_ERR(test_issue(&p, fx.ds_key, &cred, &credlen, NULL),
		    MINDL_OK);
	}
	/* The built-in age-21 profile asks for age_over_21 only. */
	CHECK_ERR(mindl_request_create(mindl_schema_profile(fx.schema,
	    "age-21"), fx.reader_key, &rb, &rblen), MINDL_OK);
	CHECK_ERR(mindl_request_parse(rb, rblen, &req), MINDL_OK);
	if (cred != NULL && req != NULL) {
		CHECK_ERR(test_present(cred, credlen, fx.dev_key, req,
		    fx.schema, MINDL_DEVAUTH_MAC, &resp, &len, &rep),
		    MINDL_OK);
		/* portrait released; age_over_25 (the nearest) withheld */
		CHECK(rep.released == 1 && rep.withheld_profile == 1 &&
		    rep.missing == 0);
		for (i = 0; i < mindl_request_count(req); i++) {
			const char *ns, *id;

			mindl_request_element(req, i, &ns, &id, NULL);
			CHECK(rep.decision[i] == (strcmp(id, "age_over_21") ==
			    0 ? MINDL_WITHHELD_PROFILE : MINDL_RELEASED));
		}
		CHECK(resp != NULL && find_bytes(resp, len, "age_over_25", 11) ==
		    (size_t)-1);
	}
	free(resp);
	free(rb);
	free(cred);
	mindl_request_free(&req);
	mindl_record_free(&rec);
	mindl_schema_free(&s);
	for (i = 0; i < 4; i++) {
		static const char *const f[] = { "policy.json",
		    "profiles.json", "elements-iso.json",
		    "elements-aamva.json" };

		snprintf(path, sizeof(path), "%s/%s", dir, f[i]);
		(void)remove(path);
	}
	(void)remove(dir);
}

/*
 * Rule 6: a batch is one single-use MSO per device key.  Each copy
 * presents with its own key only, verifies, and carries its own MSO
 * (signature, salts, digestIDs): no issuerAuth byte string is shared.
 */
static void
batch(void)
{
	struct mindl_key *dev[3] = { NULL, NULL, NULL };
	struct mindl_issue_params p;
	struct mindl_issue_result res;
	struct mindl_present_params pp;
	struct mindl_record *rec = NULL;
	struct mindl_request *req = NULL;
	struct mindl_verified *v = NULL;
	struct mindl_signer s;
	struct mindl_buf b, out;
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *root, *e[3];
	struct mindl_cbor_iter it;
	uint8_t *rb = NULL;
	size_t rblen = 0, i, j;
	char err[512];

	for (i = 0; i < 3; i++)
		CHECK_ERR(mindl_key_generate(&dev[i]), MINDL_OK);
	CHECK_ERR(mindl_record_parse(fx.schema, record, strlen(record),
	    portrait, sizeof(portrait), T0, &rec, err, sizeof(err)), MINDL_OK);
	CHECK_ERR(mindl_signer_key(&s, fx.ds_key), MINDL_OK);
	memset(&p, 0, sizeof(p));
	p.record = rec;
	p.policy = mindl_schema_policy(fx.schema);
	p.ds = &s;
	p.ds_cert = fx.ds;
	p.ds_certlen = fx.dslen;
	p.now = T0;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	CHECK_ERR(mindl_mdoc_issue_batch(&p, (const struct mindl_key *const *)
	    dev, 0, &b, &res), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_mdoc_issue_batch(&p, (const struct mindl_key *const *)
	    dev, MINDL_MAX_BATCH + 1, &b, &res), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_mdoc_issue_batch(&p, (const struct mindl_key *const *)
	    dev, 3, &b, &res), MINDL_OK);
	CHECK(res.valid_until > res.valid_from);
	CHECK_ERR(mindl_cbor_decode(mindl_buf_ptr(&b), mindl_buf_len(&b),
	    &doc), MINDL_OK);
	root = doc != NULL ? mindl_cbor_root(doc) : NULL;
	CHECK(root != NULL && root->type == MINDL_CBOR_ARRAY && root->u == 3);
	if (root != NULL && root->u == 3) {
		(void)mindl_cbor_iter_init(&it, root, MINDL_CBOR_ARRAY);
		for (i = 0; i < 3; i++)
			e[i] = mindl_cbor_iter_next(&it);
		for (i = 0; i < 3; i++)
			for (j = i + 1; j < 3; j++)
				CHECK(e[i]->enclen != e[j]->enclen ||
				    memcmp(e[i]->enc, e[j]->enc,
				    e[i]->enclen) != 0);
	}
	CHECK_ERR(mindl_request_create(mindl_schema_profile(fx.schema,
	    "traffic-stop"), fx.reader_key, &rb, &rblen), MINDL_OK);
	CHECK_ERR(mindl_request_parse(rb, rblen, &req), MINDL_OK);
	for (i = 0; i < 3; i++) {
		memset(&pp, 0, sizeof(pp));
		pp.cred = mindl_buf_ptr(&b);
		pp.credlen = mindl_buf_len(&b);
		pp.req = req;
		pp.schema = fx.schema;
		pp.auth = MINDL_DEVAUTH_MAC;
		pp.device_key = dev[i];
		pp.entry = i;
		mindl_buf_init(&out, MINDL_MAX_INPUT);
		CHECK_ERR(mindl_present(&pp, &out, NULL), MINDL_OK);
		CHECK_ERR(mindl_verify_response(fx.trust, fx.schema, T0 + 3600,
		    req, fx.reader_key, mindl_buf_ptr(&out), mindl_buf_len(&out),
		    &v), MINDL_OK);
		mindl_verified_free(&v);
		mindl_buf_clear(&out);
		/* Each copy is bound to its own key, and no other. */
		pp.device_key = dev[(i + 1) % 3];
		CHECK_ERR(mindl_present(&pp, &out, NULL),
		    MINDL_ERR_NOT_DEVICE_KEY);
		mindl_buf_clear(&out);
	}
	pp.entry = 3;
	CHECK_ERR(mindl_present(&pp, &out, NULL), MINDL_ERR_INVALID_ARG);
	mindl_buf_clear(&out);
	mindl_request_free(&req);
	free(rb);
	mindl_cbor_free(&doc);
	mindl_buf_clear(&b);
	mindl_record_free(&rec);
	for (i = 0; i < 3; i++)
		mindl_key_free(&dev[i]);
}

int
main(void)
{
	int r;

	if ((r = setup()) != MINDL_OK) {
		fprintf(stderr, "setup: %s\n", mindl_errname(r));
		return 1;
	}
	RUN(round_trip_profiles);
	RUN(tamper);
	RUN(other_request);
	RUN(withheld);
	RUN(mac_needs_reader_key);
	RUN(batch);
	RUN(nearest_age_withheld);
	teardown();
	UNIT_DONE();
}
